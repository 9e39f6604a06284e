#include "api/scorecard_json.h"

#include <nlohmann/json.hpp>

namespace tandem::api {
namespace {

using nlohmann::json;

json Seconds(const std::optional<Duration>& d) {
  if (!d) return nullptr;
  return std::chrono::duration<double>(*d).count();
}

json StatsJson(const ingest::DurationStats& s) {
  return {{"count", s.count}, {"median_s", Seconds(s.median)}, {"p90_s", Seconds(s.p90)}};
}

json SalesJson(const ingest::SalesScore& s) {
  return {{"assigned", s.assigned},
          {"accepted", s.accepted},
          {"qualified", s.qualified},
          {"recycled", s.recycled},
          {"disqualified", s.disqualified},
          {"breached", s.breached},
          {"share_breached", s.share_breached},
          {"time_to_accept", StatsJson(s.to_accept)},
          {"time_to_first_touch", StatsJson(s.to_first_touch)},
          {"attempts_before_recycle",
           s.attempts_before_recycle ? json(*s.attempts_before_recycle) : json(nullptr)}};
}

json MarketingJson(const ingest::MarketingScore& m) {
  return {{"mqls", m.mqls},
          {"mql_target", m.mql_target},
          {"volume_met", m.volume_met},
          {"quality_grade", m.quality_grade},
          {"quality_share", m.quality_share},
          {"quality_share_target", m.quality_share_target},
          {"quality_met", m.quality_met},
          {"mql_to_sql", m.mql_to_sql},
          {"mql_to_sql_target", m.mql_to_sql_target},
          {"conversion_met", m.conversion_met},
          {"grade_mix", m.grade_mix}};
}

}  // namespace

std::string ScorecardJson(const ingest::Scorecard& c) {
  json teams = json::array(), reps = json::array(), stuck = json::array();
  for (const auto& t : c.teams) {
    teams.push_back({{"team", t.team.value()}, {"name", t.name}, {"sales", SalesJson(t.score)}});
  }
  for (const auto& r : c.reps) {
    reps.push_back({{"user", r.user.value()},
                    {"name", r.name},
                    {"email", r.email},
                    {"team", r.team.value()},
                    {"sales", SalesJson(r.score)}});
  }
  for (const auto& s : c.stuck) {
    stuck.push_back({{"person", s.person.value()},
                     {"stage", StageName(s.stage)},
                     {"owner", s.owner.valid() ? json(s.owner.value()) : json(nullptr)},
                     {"since", FormatTimestamp(s.since)},
                     {"why", s.why}});
  }
  return json{{"period", c.period.name},
              {"from", FormatTimestamp(c.period.from)},
              {"to", FormatTimestamp(c.period.to)},
              {"sla_version", c.sla_version},
              {"marketing", MarketingJson(c.marketing)},
              {"sales", SalesJson(c.sales)},
              {"recycle_reasons", c.recycle_reasons},
              {"disqualify_reasons", c.disqualify_reasons},
              {"teams", teams},
              {"reps", reps},
              {"stuck", stuck}}
      .dump();
}

}  // namespace tandem::api
