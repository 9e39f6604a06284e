#include "api/lead_json.h"

#include <cmath>
#include <cstdio>

#include "api/api.h"
#include "api/json_writer.h"

namespace tandem::api {
namespace {

void Approval(JsonWriter& w, const char* side, UserId user, std::optional<Timestamp> at) {
  w.Key(side);
  if (!at) {
    w.Null();
    return;
  }
  w.BeginObject().Key("user");
  user.valid() ? w.Int(user.value()) : w.Null();
  w.Key("at").String(FormatTimestamp(*at)).EndObject();
}

void OptionalTime(JsonWriter& w, const char* key, std::optional<Timestamp> t) {
  w.Key(key);
  t ? w.String(FormatTimestamp(*t)) : w.Null();
}

void Rules(JsonWriter& w, const ingest::Explanation& e) {
  w.Key("rules").BeginArray();
  for (const auto& r : e.rules) {
    w.BeginObject().Key("rule").String(r.rule).Key("activity").String(r.activity);
    w.Key("points").Raw(JsonNumber(r.points)).Key("activities").Int(r.activities).EndObject();
  }
  w.EndArray();
}

void Criteria(JsonWriter& w, const ingest::Explanation& e) {
  w.Key("criteria").BeginArray();
  for (const auto& c : e.criteria) {
    w.BeginObject().Key("fact").String(c.fact).Key("value").String(c.value);
    w.Key("thirds").Int(c.thirds).EndObject();
  }
  w.EndArray();
}

void Stages(JsonWriter& w, const ingest::Explanation& e) {
  w.Key("stages").BeginArray();
  for (const auto& s : e.stages) {
    w.BeginObject().Key("from").String(StageName(s.from)).Key("to").String(StageName(s.to));
    w.Key("rule").String(s.rule).Key("policy_version").Int(s.policy_version);
    w.Key("at").String(FormatTimestamp(s.at)).Key("cause");
    s.cause.valid() ? w.Int(s.cause.value()) : w.Null();
    w.EndObject();
  }
  w.EndArray();
}

}  // namespace

std::string JsonNumber(double v) {
  if (!std::isfinite(v)) return "null";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  std::string s = buf;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s == "-0" ? "0" : s;
}

std::string DocumentVersionJson(const ingest::DocumentVersion& v, bool with_toml,
                                std::string_view document_json) {
  JsonWriter w;
  w.BeginObject().Key("version").Int(v.version).Key("name").String(v.name);
  w.Key("status").String(v.status).Key("created_at").String(FormatTimestamp(v.created_at));
  w.Key("author");
  v.author.valid() ? w.Int(v.author.value()) : w.Null();
  w.Key("approvals").BeginObject();
  Approval(w, "marketing", v.marketing_approver, v.marketing_approved_at);
  Approval(w, "sales", v.sales_approver, v.sales_approved_at);
  w.EndObject();
  OptionalTime(w, "activated_at", v.activated_at);
  if (with_toml) w.Key("toml").String(v.toml);
  if (!document_json.empty()) w.Key("document").Raw(document_json);
  return std::move(w.EndObject().str());
}

// Hot (every person read): plain appends, no writer. Persona ids and grade names need no
// escaping (the policy parser allows only a-z, 0-9 and _ in ids).
std::string StandingJson(const engine::Standing& s, const engine::CompiledPolicy& policy) {
  if (!s.known) return "null";
  std::string out = "{\"score\":";
  out.append(JsonNumber(s.score)).append(",\"grade\":\"").append(GradeName(s.grade));
  out.append("\",\"persona\":");
  const auto& personas = policy.policy().personas;
  if (s.persona >= 0 && static_cast<size_t>(s.persona) < personas.size()) {
    out.append("\"").append(personas[static_cast<size_t>(s.persona)].id).append("\"}");
  } else {
    out.append("null}");
  }
  return out;
}

std::string WithLead(std::string person_json, std::string_view lead_json) {
  if (person_json.empty() || person_json.back() != '}') return person_json;
  person_json.pop_back();
  person_json.reserve(person_json.size() + lead_json.size() + 10);
  if (person_json.size() > 1) person_json.push_back(',');
  person_json.append("\"lead\":").append(lead_json).push_back('}');
  return person_json;
}

std::string WithLeadNow(const ApiContext& ctx, std::string person_json, PersonId person) {
  auto policy = ctx.leads.ActivePolicy();
  engine::Standing s = ctx.leads.StandingOf(person, ctx.clock.Now());
  return WithLead(std::move(person_json), policy ? StandingJson(s, *policy) : "null");
}

std::string ExplanationJson(const ingest::Explanation& e) {
  JsonWriter w;
  w.BeginObject().Key("person").Int(e.person.value());
  w.Key("as_of").String(FormatTimestamp(e.as_of)).Key("policy_version").Int(e.policy_version);
  w.Key("score").Raw(JsonNumber(e.score)).Key("decayed").Raw(JsonNumber(e.decayed));
  Rules(w, e);
  w.Key("grade").String(GradeName(e.grade)).Key("persona");
  e.persona.empty() ? w.Null() : w.String(e.persona);
  Criteria(w, e);
  w.Key("stage").String(StageName(e.stage));
  Stages(w, e);
  return std::move(w.EndObject().str());
}

}  // namespace tandem::api
