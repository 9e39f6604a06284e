#include "api/sla_json.h"

#include <chrono>
#include <nlohmann/json.hpp>

#include "api/json_writer.h"
#include "base/strings.h"
#include "store/people.h"

namespace tandem::api {
namespace {

using nlohmann::json;

// Business hours as the document writes them: whole hours as integers, else a fraction.
json Hours(BusinessDuration d) {
  if (d.count() % 60 == 0) return d.count() / 60;
  return static_cast<double>(d.count()) / 60.0;
}

json Marketing(const MarketingCommitment& m) {
  return {{"period", CommitmentPeriodName(m.period)},
          {"mql_target", m.mql_target},
          {"quality_grade", GradeName(m.quality_grade)},
          {"quality_share", m.quality_share},
          {"mql_to_sql_target", m.mql_to_sql_target}};
}

json LeadTypes(const std::vector<LeadType>& types) {
  json out = json::array();
  for (const auto& t : types) {
    out.push_back({{"id", t.id},
                   {"name", t.name},
                   {"default", t.is_default},
                   {"stage_rules", t.stage_rules},
                   {"accept_within_business_hours", Hours(t.accept_within)},
                   {"first_touch_within_business_hours", Hours(t.first_touch_within)},
                   {"attempts",
                    {{"minimum", t.attempts.attempts},
                     {"within_business_days", t.attempts.within.count()},
                     {"channels", t.attempts.channels}}},
                   {"disposition_within_business_days", t.disposition_within.count()}});
  }
  return out;
}

json Reasons(const SlaDocument& doc) {
  json recycle = json::array(), disqualify = json::array();
  for (const auto& r : doc.recycle_reasons) {
    recycle.push_back({{"id", r.id},
                       {"name", r.name},
                       {"nurture_track", r.nurture_track},
                       {"cool_down_days", r.cool_down.count()}});
  }
  for (const auto& r : doc.disqualify_reasons) {
    disqualify.push_back(
        {{"id", r.id}, {"name", r.name}, {"exempt_from_attempts", r.exempt_from_attempts}});
  }
  json fields = json::array();
  for (const auto& f : doc.qualify_fields) {
    fields.push_back({{"id", f.id}, {"name", f.name}, {"values", f.values}});
  }
  return {{"recycle_reasons", recycle},
          {"disqualify_reasons", disqualify},
          {"qualify_fields", fields}};
}

json Escalation(const std::vector<EscalationStep>& steps) {
  json out = json::array();
  for (const auto& s : steps) {
    json channels = json::array();
    for (auto c : s.channels) channels.push_back(NotifyChannelName(c));
    out.push_back({{"at", s.at},
                   {"action", EscalationActionName(s.action)},
                   {"channels", channels},
                   {"webhook", s.webhook.empty() ? json(nullptr) : json(s.webhook)}});
  }
  return out;
}

json Routing(const RoutingPolicy& p) {
  json rules = json::array(), reps = json::array();
  for (const auto& r : p.rules) {
    rules.push_back({{"id", r.id},
                     {"countries", r.countries},
                     {"regions", r.regions},
                     {"industries", r.industries},
                     {"size_bands", r.size_bands},
                     {"team", r.team},
                     {"reps", r.reps}});
  }
  for (const auto& r : p.reps) {
    reps.push_back({{"email", r.email},
                    {"weight", r.weight},
                    {"capacity", r.capacity ? json(*r.capacity) : json(nullptr)},
                    {"teams", r.teams}});
  }
  return {{"fallback_team", p.fallback_team}, {"rules", rules}, {"reps", reps}};
}

int64_t SecondsLeft(Timestamp due, Timestamp now) {
  return std::chrono::floor<std::chrono::seconds>(due - now).count();
}

void PersonOf(JsonWriter& w, const ingest::OpenLeadView& lead, const Person* p) {
  w.Key("person").BeginObject().Key("id").Int(lead.person.value()).Key("name");
  if (!p) {
    w.Null().Key("email").Null().Key("stage").Null().EndObject();
    return;
  }
  std::string name = p->first_name;
  if (!p->last_name.empty()) name += (name.empty() ? "" : " ") + p->last_name;
  w.String(name).Key("email");
  p->emails.empty() ? w.Null() : w.String(p->emails.front());
  w.Key("stage").String(StageName(p->stage)).EndObject();
}

void Clocks(JsonWriter& w, const ingest::OpenLeadView& lead, Timestamp now) {
  w.Key("clocks").BeginArray();
  for (const auto& c : lead.clocks) {
    w.BeginObject().Key("clock").String(ingest::SlaClockName(c.clock));
    w.Key("started").String(FormatTimestamp(c.started)).Key("due").String(FormatTimestamp(c.due));
    w.Key("met").Bool(c.met).Key("breached").Bool(c.breached).Key("seconds_left");
    c.met ? w.Null() : w.Int(SecondsLeft(c.due, now));
    w.EndObject();
  }
  w.EndArray();
}

}  // namespace

std::string SlaDocumentJson(const SlaDocument& doc) {
  json j = {{"name", doc.name},
            {"horizon_days", doc.horizon.count()},
            {"horizon_derived", doc.horizon_derived},
            {"marketing", Marketing(doc.marketing)},
            {"lead_types", LeadTypes(doc.lead_types)},
            {"escalation", Escalation(doc.escalation)},
            {"routing", Routing(doc.routing)}};
  j.update(Reasons(doc));
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string OpenLeadJson(const ingest::OpenLeadView& lead, const Person* person, Timestamp now) {
  JsonWriter w;
  w.BeginObject();
  PersonOf(w, lead, person);
  w.Key("owner").Int(lead.owner.value()).Key("team");
  lead.team.valid() ? w.Int(lead.team.value()) : w.Null();
  w.Key("lead_type").String(lead.lead_type).Key("sla_version").Int(lead.sla_version);
  w.Key("assigned_at").String(FormatTimestamp(lead.assigned_at));
  w.Key("accepted").Bool(lead.accepted).Key("clocks_running").Bool(lead.clocks_running);
  w.Key("attempts").Int(lead.attempts).Key("attempts_required").Int(lead.attempts_required);
  w.Key("channels").Int(lead.channels).Key("channels_required").Int(lead.channels_required);
  Clocks(w, lead, now);
  w.Key("next_due");
  lead.next_due ? w.String(FormatTimestamp(*lead.next_due)) : w.Null();
  w.Key("seconds_left");
  lead.next_due ? w.Int(SecondsLeft(*lead.next_due, now)) : w.Null();
  return std::move(w.EndObject().str());
}

std::string OpenLeadJson(sql::Db& db, const ingest::OpenLeadView& lead, Timestamp now) {
  auto person = store::LoadPerson(db, lead.person);
  return OpenLeadJson(lead, person.ok() ? &*person : nullptr, now);
}

std::string ActionOutcomeJson(const ingest::ActionOutcome& o, SalesActionKind kind,
                              std::string_view lead_json) {
  JsonWriter w;
  w.BeginObject().Key("seq").Int(o.seq.value()).Key("action").String(SalesActionName(kind));
  w.Key("stage");
  o.stage ? w.String(StageName(*o.stage)) : w.Null();
  w.Key("owner");
  o.owner.valid() ? w.Int(o.owner.value()) : w.Null();
  w.Key("lead").Raw(lead_json.empty() ? "null" : lead_json);
  return std::move(w.EndObject().str());
}

std::string OutboxMessageJson(const store::OutboxRecord& m) {
  JsonWriter w;
  w.BeginObject().Key("id").Int(m.id).Key("seq").Int(m.seq.value());
  w.Key("channel").String(m.channel).Key("target").String(m.target);
  w.Key("event").String(m.event).Key("subject").String(m.subject);
  w.Key("status").String(m.status).Key("attempts").Int(m.attempts);
  w.Key("created_at").String(FormatTimestamp(m.created_at));
  w.Key("next_attempt_at").String(FormatTimestamp(m.next_attempt_at)).Key("delivered_at");
  m.delivered_at ? w.String(FormatTimestamp(*m.delivered_at)) : w.Null();
  w.Key("last_error");
  if (m.last_error.empty()) {
    w.Null();
  } else {  // a receiver's reply, which need not be UTF-8
    w.String(IsValidUtf8(m.last_error) ? m.last_error : "(not UTF-8)");
  }
  return std::move(w.EndObject().str());
}

}  // namespace tandem::api
