#include "ingest/lead_replay.h"

#include <simdjson.h>

#include <algorithm>
#include <cstring>

namespace tandem::ingest {
namespace {

namespace dom = simdjson::dom;

// The parsed document of the last DecodeProperties/ParseObject call on this thread.
dom::element* ParseObject(std::string_view json) {
  thread_local dom::parser parser;
  thread_local std::string buffer;
  thread_local dom::element doc;
  if (buffer.size() < json.size() + simdjson::SIMDJSON_PADDING)
    buffer.resize(json.size() + simdjson::SIMDJSON_PADDING);
  std::memcpy(buffer.data(), json.data(), json.size());
  if (parser.parse(buffer.data(), json.size(), false).get(doc) != simdjson::SUCCESS ||
      !doc.is_object())
    return nullptr;
  return &doc;
}

}  // namespace

void DecodeProperties(std::string_view json, std::vector<engine::Property>& props) {
  thread_local std::string scratch;
  thread_local std::vector<std::pair<size_t, size_t>> spans;
  props.clear();
  scratch.clear();
  spans.clear();
  dom::element* doc = json.size() > 2 ? ParseObject(json) : nullptr;
  if (!doc) return;
  for (auto [key, value] : dom::object(*doc)) {
    std::string_view text;
    if (value.get_string().get(text) == simdjson::SUCCESS) {
      props.push_back({key, text});
      spans.emplace_back(SIZE_MAX, 0);
      continue;
    }
    std::string other = simdjson::minify(value);
    spans.emplace_back(scratch.size(), other.size());
    scratch += other;
    props.push_back({key, {}});
  }
  for (size_t i = 0; i < props.size(); ++i) {
    if (spans[i].first != SIZE_MAX)
      props[i].value = std::string_view(scratch).substr(spans[i].first, spans[i].second);
  }
}

bool TouchesCompanyFacts(std::string_view payload) {
  dom::element* doc = payload.size() > 2 ? ParseObject(payload) : nullptr;
  dom::object fields;
  if (!doc || (*doc)["fields"].get_object().get(fields) != simdjson::SUCCESS) return false;
  for (auto [key, value] : fields) {
    if (key == "industry" || key == "size_band" || key == "country") return true;
  }
  return false;
}

JournalReplay::JournalReplay(
    engine::LeadEngine& engine,
    std::map<int64_t, std::shared_ptr<const engine::CompiledPolicy>> policies)
    : engine_(engine), policies_(std::move(policies)) {
  if (!policies_.empty()) engine_.SetPolicy(policies_.begin()->second);
}

engine::Profile JournalReplay::ProfileOf(const PersonFacts& p) const {
  engine::Profile out{.job_title = p.job_title, .country = p.country, .email = p.email};
  auto c = companies_.find(p.company);
  if (c != companies_.end()) {
    out.industry = c->second.industry;
    out.size_band = c->second.size_band;
    out.company_country = c->second.country;
  }
  return out;
}

void JournalReplay::Apply(const ReplayRow& row, engine::DecisionLog& log) {
  if (row.kind == "policy_activated") return Activate(row, log);
  if (row.kind == "company_changed") {
    return FoldCompany(row.subject, row.payload, row.occurred_at, row.seq, log);
  }
  if (only_.valid() && row.subject != only_.value()) return;
  if (row.kind == "activity") {
    DecodeProperties(row.payload, props_);
    engine_.OnActivity({.person = PersonId(row.subject), .seq = row.seq, .at = row.occurred_at,
                        .type = row.type, .properties = props_},
                       log);
  } else if (row.kind == "person_changed") {
    FoldPerson(row.subject, row.payload, row.occurred_at, row.seq, log);
  } else if (row.kind == "erased") {
    people_.erase(row.subject);
    engine_.Forget(PersonId(row.subject));
  }
}

void JournalReplay::FoldPerson(int64_t id, std::string_view payload, Timestamp at, Seq seq,
                               engine::DecisionLog& log) {
  PersonFacts& p = people_[id];
  dom::element* doc = payload.size() > 2 ? ParseObject(payload) : nullptr;
  dom::object fields;
  if (doc && (*doc)["fields"].get_object().get(fields) == simdjson::SUCCESS) {
    for (auto [key, value] : fields) {
      if (key == "job_title") p.job_title = std::string(value.get_string().value_unsafe());
      if (key == "country") p.country = std::string(value.get_string().value_unsafe());
      if (key == "emails") {
        dom::array emails;
        std::string_view first;
        if (value.get_array().get(emails) == simdjson::SUCCESS && emails.size() > 0)
          if (emails.at(0).get_string().get(first) != simdjson::SUCCESS) first = {};
        p.email = std::string(first);
      }
      if (key == "company_id") {
        int64_t company = 0;
        if (value.get_int64().get(company) != simdjson::SUCCESS) company = 0;
        p.company = company;
        if (company) members_[company].push_back(id);
      }
    }
  }
  engine_.OnProfile(PersonId(id), ProfileOf(p), at, seq, log);
}

void JournalReplay::FoldCompany(int64_t id, std::string_view payload, Timestamp at, Seq seq,
                                engine::DecisionLog& log) {
  CompanyFacts& c = companies_[id];
  dom::element* doc = payload.size() > 2 ? ParseObject(payload) : nullptr;
  dom::object fields;
  if (!doc || (*doc)["fields"].get_object().get(fields) != simdjson::SUCCESS) return;
  bool changed = false;
  for (auto [key, value] : fields) {
    std::string_view text = value.is_string() ? value.get_string().value_unsafe() : "";
    if (key == "industry") c.industry = text;
    if (key == "size_band") c.size_band = text;
    if (key == "country") c.country = text;
    changed = changed || key == "industry" || key == "size_band" || key == "country";
  }
  if (!changed) return;
  auto members = members_.find(id);
  if (members == members_.end()) return;
  std::vector<int64_t>& ids = members->second;
  std::erase_if(ids, [&](int64_t p) {
    auto it = people_.find(p);
    return it == people_.end() || it->second.company != id;
  });
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  for (int64_t p : ids) {
    if (only_.valid() && p != only_.value()) continue;
    engine_.OnProfile(PersonId(p), ProfileOf(people_[p]), at, seq, log);
  }
}

void JournalReplay::Activate(const ReplayRow& row, engine::DecisionLog& log) {
  auto it = policies_.find(row.seq.value());
  if (it == policies_.end()) return;
  if (&engine_.policy() != it->second.get()) engine_.SetPolicy(it->second);
  std::vector<int64_t> ids;
  for (const auto& [id, facts] : people_) ids.push_back(id);
  std::sort(ids.begin(), ids.end());
  for (int64_t id : ids) {
    if (only_.valid() && id != only_.value()) continue;
    engine_.OnProfile(PersonId(id), ProfileOf(people_[id]), row.occurred_at, row.seq, log);
  }
}

}  // namespace tandem::ingest
