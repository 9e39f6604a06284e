#include "api/json_codec.h"

#include <charconv>
#include <nlohmann/json.hpp>

#include "api/json_writer.h"
#include "base/strings.h"

namespace tandem::api {
namespace {

using nlohmann::json;

json NullIfZero(int64_t v) { return v ? json(v) : json(nullptr); }

// Reads one optional field; records a FieldError on a wrong type.
struct FieldReader {
  const json& j;
  std::vector<FieldError> errors;

  std::optional<std::string> Text(const char* key) {
    auto it = j.find(key);
    if (it == j.end()) return std::nullopt;
    if (it->is_null()) return std::string();
    if (!it->is_string()) {
      errors.push_back({key, "must be a string"});
      return std::nullopt;
    }
    return it->get<std::string>();
  }

  std::optional<std::vector<std::string>> TextList(const char* list_key, const char* one_key) {
    auto one = Text(one_key);
    auto it = j.find(list_key);
    if (it == j.end()) {
      if (!one) return std::nullopt;
      return one->empty() ? std::vector<std::string>{} : std::vector<std::string>{*one};
    }
    if (one)
      errors.push_back(
          {one_key, std::string("give ") + one_key + " or " + list_key + ", not both"});
    if (!it->is_array()) {
      errors.push_back({list_key, "must be an array of strings"});
      return std::nullopt;
    }
    std::vector<std::string> out;
    for (const auto& v : *it) {
      if (!v.is_string()) {
        errors.push_back({list_key, "must be an array of strings"});
        return std::nullopt;
      }
      out.push_back(v.get<std::string>());
    }
    return out;
  }

  template <typename Id>
  std::optional<Id> IdField(const char* key) {
    auto it = j.find(key);
    if (it == j.end()) return std::nullopt;
    if (it->is_null()) return Id();
    if (!it->is_number_integer() || it->get<int64_t>() <= 0) {
      errors.push_back({key, "must be a positive integer id or null"});
      return std::nullopt;
    }
    return Id(it->get<int64_t>());
  }

  void CheckKnown(std::initializer_list<const char*> known) {
    for (const auto& [k, v] : j.items()) {
      bool ok = false;
      for (const char* name : known) ok = ok || k == name;
      if (!ok) errors.push_back({k, "unknown field"});
    }
  }
};

}  // namespace

std::string PersonJson(const Person& p, const std::vector<FieldError>* warnings) {
  JsonWriter w;
  w.BeginObject().Key("id").Int(p.id.value()).Key("emails").BeginArray();
  for (const auto& e : p.emails) w.String(e);
  w.EndArray().Key("phones").BeginArray();
  for (const auto& ph : p.phones) {
    w.BeginObject().Key("e164");
    ph.e164.empty() ? w.Null() : w.String(ph.e164);
    w.Key("raw").String(ph.raw).EndObject();
  }
  w.EndArray().Key("external_ids").BeginArray();
  for (const auto& x : p.external_ids) w.String(x);
  w.EndArray().Key("first_name").String(p.first_name).Key("last_name").String(p.last_name);
  w.Key("job_title").String(p.job_title).Key("company_id");
  p.company_id.valid() ? w.Int(p.company_id.value()) : w.Null();
  w.Key("country").String(p.country).Key("owner");
  p.owner.valid() ? w.Int(p.owner.value()) : w.Null();
  w.Key("stage").String(StageName(p.stage)).Key("consent").BeginObject();
  for (const auto& [channel, c] : p.consent) {
    w.Key(channel).BeginObject().Key("state").String(ConsentStateName(c.state));
    w.Key("source").String(c.source).Key("at").String(FormatTimestamp(c.at)).EndObject();
  }
  w.EndObject().Key("custom").BeginObject();
  for (const auto& [k, v] : p.custom) w.Key(k).String(v);
  w.EndObject().Key("created_at").String(FormatTimestamp(p.created_at));
  w.Key("updated_at").String(FormatTimestamp(p.updated_at)).Key("erased").Bool(p.erased);
  if (warnings && !warnings->empty()) {
    w.Key("warnings").BeginArray();
    for (const auto& e : *warnings) {
      w.BeginObject().Key("field").String(e.field).Key("reason").String(e.reason).EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
  return std::move(w.str());
}

json CompanyToJson(const Company& c) {
  return {{"id", c.id.value()},
          {"name", c.name},
          {"domain", c.domain},
          {"industry", c.industry},
          {"size_band", c.size_band},
          {"country", c.country},
          {"owner", NullIfZero(c.owner.value())},
          {"created_at", FormatTimestamp(c.created_at)},
          {"updated_at", FormatTimestamp(c.updated_at)}};
}

json JournalEntryToJson(const store::JournalEntry& e) {
  json payload = e.payload.empty() ? json(nullptr) : json::parse(e.payload, nullptr, false);
  json out = {{"seq", e.seq.value()},
              {"kind", e.kind},
              {"occurred_at", FormatTimestamp(e.occurred_at)},
              {"recorded_at", FormatTimestamp(e.recorded_at)},
              {"actor", e.actor}};
  if (!e.type.empty()) out["type"] = e.type;
  if (!e.source.empty()) out["source"] = e.source;
  if (!e.client_id.empty()) out["id"] = e.client_id;
  if (e.cause.valid()) out["cause"] = e.cause.value();
  if (!e.reason.empty()) out["reason"] = e.reason;
  out[e.kind == "activity" ? "properties" : "payload"] = payload;
  return out;
}

Result<json> ParseObjectBody(const std::string& body) {
  if (!IsValidUtf8(body)) {
    return InvalidArgument("the body is not valid UTF-8", {{"body", "invalid UTF-8"}});
  }
  json j = json::parse(body, nullptr, false);
  if (j.is_discarded()) {
    return InvalidArgument("the body is not valid JSON", {{"body", "malformed JSON"}});
  }
  if (!j.is_object()) {
    return InvalidArgument("the body must be a JSON object", {{"body", "expected an object"}});
  }
  return j;
}

std::string OptionalString(const json& body, const char* key, std::string fallback,
                           std::vector<FieldError>& errors) {
  auto it = body.find(key);
  if (it == body.end()) return fallback;
  if (!it->is_string()) {
    errors.push_back({key, "must be a string"});
    return fallback;
  }
  return it->get<std::string>();
}

Result<ingest::PersonFields> PersonFieldsFromJson(const json& j) {
  FieldReader r{j, {}};
  r.CheckKnown({"email", "emails", "phone", "phones", "external_id", "external_ids", "first_name",
                "last_name", "job_title", "country", "company_id", "owner", "custom", "stage"});
  ingest::PersonFields f;
  f.emails = r.TextList("emails", "email");
  f.phones = r.TextList("phones", "phone");
  f.external_ids = r.TextList("external_ids", "external_id");
  f.first_name = r.Text("first_name");
  f.last_name = r.Text("last_name");
  f.job_title = r.Text("job_title");
  f.country = r.Text("country");
  f.company = r.IdField<CompanyId>("company_id");
  f.owner = r.IdField<UserId>("owner");
  if (j.contains("stage")) f.stage = j["stage"].is_string() ? j["stage"].get<std::string>() : "";
  if (auto it = j.find("custom"); it != j.end()) {
    if (!it->is_object()) {
      r.errors.push_back({"custom", "must be an object of strings"});
    } else {
      std::map<std::string, std::string> custom;
      for (const auto& [k, v] : it->items()) {
        if (v.is_string())
          custom[k] = v.get<std::string>();
        else
          r.errors.push_back({"custom." + k, "must be a string"});
      }
      f.custom = std::move(custom);
    }
  }
  if (!r.errors.empty()) return InvalidArgument("invalid person", std::move(r.errors));
  return f;
}

Result<ingest::CompanyFields> CompanyFieldsFromJson(const json& j) {
  FieldReader r{j, {}};
  r.CheckKnown({"name", "domain", "industry", "size_band", "country", "owner"});
  ingest::CompanyFields f;
  f.name = r.Text("name");
  f.domain = r.Text("domain");
  f.industry = r.Text("industry");
  f.size_band = r.Text("size_band");
  f.country = r.Text("country");
  f.owner = r.IdField<UserId>("owner");
  if (!r.errors.empty()) return InvalidArgument("invalid company", std::move(r.errors));
  return f;
}

Result<int64_t> ParseIdSegment(const std::string& segment, const char* what) {
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(segment.data(), segment.data() + segment.size(), v);
  if (ec != std::errc() || ptr != segment.data() + segment.size() || v <= 0) {
    return NotFound(std::string("no ") + what + " with id '" + segment + "'");
  }
  return v;
}

}  // namespace tandem::api

namespace tandem::api {

Result<ListParams> ParseListParams(const std::map<std::string, std::string>& query) {
  ListParams p;
  std::vector<FieldError> errors;
  if (auto it = query.find("limit"); it != query.end()) {
    int v = 0;
    auto [ptr, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), v);
    if (ec != std::errc() || ptr != it->second.data() + it->second.size() || v < 1 || v > 1000) {
      errors.push_back({"limit", "must be an integer from 1 to 1000"});
    }
    p.limit = v;
  }
  if (auto it = query.find("cursor"); it != query.end() && !it->second.empty()) {
    const std::string& c = it->second;
    auto [ptr, ec] = std::from_chars(c.data(), c.data() + c.size(), p.after);
    if (ec != std::errc() || ptr != c.data() + c.size() || p.after < 0) {
      errors.push_back({"cursor", "not a cursor this API issued"});
    }
  }
  if (!errors.empty()) return InvalidArgument("invalid list parameters", std::move(errors));
  return p;
}

Result<std::optional<Timestamp>> ParseTimeParam(const std::map<std::string, std::string>& query,
                                                const char* name) {
  auto it = query.find(name);
  if (it == query.end()) return std::optional<Timestamp>();
  auto t = ParseTimestamp(it->second);
  if (!t) {
    return InvalidArgument(std::string("invalid ") + name,
                           {{name, "must be an RFC 3339 time, e.g. 2026-11-02T09:14:00Z"}});
  }
  return std::optional<Timestamp>(*t);
}

}  // namespace tandem::api
