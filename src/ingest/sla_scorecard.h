// The SLA scorecard (GET /api/v1/sla/scorecard, `tandem sla report`): both sides'
// commitments for one period against what the journal says happened — marketing's MQL
// volume, quality and MQL → SQL rate; sales' time to accept and to first touch, attempts
// before a recycle, breaches, recycle and disqualify reasons — per team and rep, and the
// leads stuck now.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/ids.h"
#include "base/status.h"
#include "base/time.h"
#include "domain/sla.h"
#include "domain/stage.h"
#include "store/store.h"

namespace tandem::ingest {

// A period: a calendar month ("2026-11") or quarter ("2026-Q4") in UTC.
struct ScorePeriod {
  std::string name;
  Timestamp from{}, to{};  // [from, to)
};
// kInvalidArgument unless text is YYYY-MM or YYYY-Qn.
Result<ScorePeriod> ParseScorePeriod(std::string_view text);

struct DurationStats {
  int64_t count = 0;
  std::optional<Duration> median, p90;
};

// What one owner (or a team, or all of sales) did with the leads assigned in the period.
struct SalesScore {
  int64_t assigned = 0;       // leads assigned in the period
  int64_t accepted = 0, qualified = 0, recycled = 0, disqualified = 0;
  int64_t breached = 0;       // of the assigned leads, those with at least one breach
  double share_breached = 0;  // breached / assigned (0 without leads)
  // Business time from assignment, in the owner's team's calendar (as the SLA clocks count).
  DurationStats to_accept, to_first_touch;
  std::optional<double> attempts_before_recycle;  // mean over the period's recycles
};

struct RepScore {
  UserId user;
  std::string name, email;
  TeamId team;
  SalesScore score;
};

struct TeamScore {
  TeamId team;
  std::string name;
  SalesScore score;
};

struct MarketingScore {
  int64_t mqls = 0, mql_target = 0;
  std::string quality_grade;  // the bar: this grade or better
  double quality_share = 0, quality_share_target = 0;
  double mql_to_sql = 0, mql_to_sql_target = 0;  // of the period's MQLs, those SQL since
  std::map<std::string, int64_t> grade_mix;      // grade at MQL → MQLs
  bool volume_met = false, quality_met = false, conversion_met = false;
};

struct StuckLead {
  PersonId person;
  Stage stage = Stage::kMql;
  UserId owner;
  Timestamp since{};  // in the stage since, or untouched since (SQL)
  std::string why;    // "MQL for 21 days", "SQL untouched for 9 days"
};

struct Scorecard {
  ScorePeriod period;
  int sla_version = 0;
  MarketingScore marketing;
  SalesScore sales;
  std::map<std::string, int64_t> recycle_reasons, disqualify_reasons;
  std::vector<TeamScore> teams;  // every team with a sales member, by id
  std::vector<RepScore> reps;    // every sales user, by id
  std::vector<StuckLead> stuck;  // as of now, longest first
};

// Builds the scorecard of period from the journal under the SLA doc (version sla_version),
// with stuck leads as of now (MQL for more than 14 days, SQL untouched for more than 7).
// A period without data gives zeros.
Result<Scorecard> BuildScorecard(store::Store& store, const SlaDocument& doc, int sla_version,
                                 const ScorePeriod& period, Timestamp now);

}  // namespace tandem::ingest
