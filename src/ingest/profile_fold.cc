#include "ingest/profile_fold.h"

#include <simdjson.h>

#include <algorithm>
#include <cstring>

namespace tandem::ingest {
namespace {

namespace dom = simdjson::dom;

// The "fields" object of a change's payload; false if there is none.
bool FieldsOf(std::string_view payload, dom::object& fields) {
  thread_local dom::parser parser;
  thread_local std::string buffer;
  if (payload.size() <= 2) return false;
  if (buffer.size() < payload.size() + simdjson::SIMDJSON_PADDING)
    buffer.resize(payload.size() + simdjson::SIMDJSON_PADDING);
  std::memcpy(buffer.data(), payload.data(), payload.size());
  dom::element doc;
  if (parser.parse(buffer.data(), payload.size(), false).get(doc) != simdjson::SUCCESS) {
    return false;
  }
  return doc["fields"].get_object().get(fields) == simdjson::SUCCESS;
}

bool IsCompanyFact(std::string_view key) {
  return key == "industry" || key == "size_band" || key == "country";
}

std::string_view Text(dom::element value) {
  std::string_view text;
  return value.get_string().get(text) == simdjson::SUCCESS ? text : std::string_view();
}

template <typename T>
T& Grow(std::vector<T>& v, int64_t id) {
  auto i = static_cast<size_t>(id);
  if (i >= v.size()) v.resize(std::max(i + 1, v.size() * 3 / 2));
  return v[i];
}

}  // namespace

ProfileFold::PersonFacts& ProfileFold::PersonAt(int64_t id) {
  return people_.Grow(static_cast<size_t>(id));
}
ProfileFold::CompanyFacts& ProfileFold::CompanyAt(int64_t id) {
  return companies_.Grow(static_cast<size_t>(id));
}

const engine::Profile& ProfileFold::ProfileOf(const PersonFacts& p) {
  engine::Profile& out = profile_;
  out.job_title = p.job_title;
  out.country = p.country;
  out.email = p.email;
  static const CompanyFacts kNone;
  const bool has_company = p.company > 0 && static_cast<size_t>(p.company) < companies_.size();
  const CompanyFacts& c = has_company ? companies_[static_cast<size_t>(p.company)] : kNone;
  out.industry = c.industry;
  out.size_band = c.size_band;
  out.company_country = c.country;
  return out;
}

void ProfileFold::PersonChanged(int64_t id, std::string_view payload, Timestamp at, Seq seq,
                                Sink& sink) {
  PersonAt(id).known = true;
  dom::object fields;
  if (FieldsOf(payload, fields)) Fold(id, fields);
  sink.Profile(PersonId(id), ProfileOf(PersonAt(id)), at, seq);
}

void ProfileFold::Fold(int64_t id, simdjson::dom::object fields) {
  for (auto [key, value] : fields) {
    PersonFacts& p = PersonAt(id);
    if (key == "job_title") p.job_title = Text(value);
    if (key == "country") p.country = Text(value);
    if (key == "emails") {
      dom::array emails;
      bool any = value.get_array().get(emails) == simdjson::SUCCESS && emails.size() > 0;
      p.email.assign(any ? Text(emails.at(0).value_unsafe()) : std::string_view());
    }
    if (key == "company_id") {
      int64_t company = 0;
      if (value.get_int64().get(company) != simdjson::SUCCESS) company = 0;
      p.company = company;
      if (company > 0) Grow(members_, company).push_back(id);
    }
  }
}

void ProfileFold::CompanyChanged(int64_t id, std::string_view payload, Timestamp at, Seq seq,
                                 Sink& sink) {
  dom::object fields;
  if (!FieldsOf(payload, fields)) return;
  bool changed = false;
  for (auto [key, value] : fields) {
    CompanyFacts& c = CompanyAt(id);
    if (key == "industry") c.industry = Text(value);
    if (key == "size_band") c.size_band = Text(value);
    if (key == "country") c.country = Text(value);
    changed = changed || IsCompanyFact(key);
  }
  if (!changed || static_cast<size_t>(id) >= members_.size()) return;
  std::vector<int64_t>& ids = members_[static_cast<size_t>(id)];
  std::erase_if(ids, [&](int64_t p) {
    return static_cast<size_t>(p) >= people_.size() || !people_[p].known ||
           people_[p].company != id;
  });
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  for (int64_t p : ids) sink.Profile(PersonId(p), ProfileOf(people_[p]), at, seq);
}

bool ProfileFold::TouchesCompanyFacts(std::string_view payload) {
  dom::object fields;
  if (!FieldsOf(payload, fields)) return false;
  for (auto [key, value] : fields) {
    if (IsCompanyFact(key)) return true;
  }
  return false;
}

void ProfileFold::EachKnown(Timestamp at, Seq cause, Sink& sink) {
  for (size_t id = 0; id < people_.size(); ++id) {
    if (people_[id].known)
      sink.Profile(PersonId(static_cast<int64_t>(id)), ProfileOf(people_[id]), at, cause);
  }
}

void ProfileFold::PersonErased(int64_t id, Timestamp at, Seq seq, Sink& sink) {
  if (static_cast<size_t>(id) < people_.size()) people_[static_cast<size_t>(id)] = {};
  sink.Erased(PersonId(id), at, seq);
}

}  // namespace tandem::ingest
