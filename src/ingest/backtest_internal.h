// What backtests and calibration share: how a stage decision counts in the funnel, and one
// side of a backtest (a policy's replay and its tally). Internal to ingest.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
#include <string_view>
#include <vector>

#include "engine/lead_engine.h"
#include "ingest/backtest.h"
#include "ingest/journal_batches.h"

namespace tandem::ingest::internal {

inline constexpr int64_t kNever = std::numeric_limits<int64_t>::min();
inline constexpr int kMqlRank = 2, kSqlRank = 4, kCustomerRank = 6;

// Position in the forward funnel as figures count it: subscriber 0, lead and recycled 1 (back
// in nurture), mql 2, sal 3, sql 4, opportunity 5, customer 6; disqualified and lapsed -1.
inline int FunnelRank(Stage s) {
  switch (s) {
    case Stage::kSubscriber:
      return 0;
    case Stage::kLead:
    case Stage::kRecycled:
      return 1;
    case Stage::kMql:
      return 2;
    case Stage::kSal:
      return 3;
    case Stage::kSql:
      return 4;
    case Stage::kOpportunity:
      return 5;
    case Stage::kCustomer:
      return 6;
    default:
      return -1;
  }
}

// Whether a stage decision moved someone from below `rank` in the funnel to it or beyond.
inline bool Reaches(const engine::Decision& d, int rank) {
  int before = FunnelRank(d.stage_before), after = FunnelRank(d.stage_after);
  return d.kind == engine::Decision::Kind::kStage && before >= 0 && before < rank && after >= rank;
}

// A profile change or an erasure, as the engine takes it.
inline void ApplyRecord(engine::LeadEngine& engine, const DecodedEntry& e,
                        engine::DecisionLog& log) {
  if (e.kind == DecodedEntry::Kind::kProfile) {
    engine.OnProfile(PersonId(e.subject), *e.profile, e.at, e.seq, log);
  } else if (e.kind == DecodedEntry::Kind::kErased) {
    engine.Forget(PersonId(e.subject));
  }
}

// Activities that record a sale whatever the policy says: outcomes, not behaviour.
inline bool IsSaleActivity(std::string_view type) {
  return type == "opportunity_won" || type == "purchase";
}

// What one side of a backtest counted. Times are microseconds since the epoch.
struct SideTally {
  struct Marks {
    int64_t sql_at = kNever, customer_at = kNever;  // the latest time each was reached
  };
  struct Moment {
    int64_t person = 0, at = 0;
    int8_t persona = -1, grade = 0;  // the standing then (MQLs only)
  };
  std::vector<Marks> marks;        // by person id
  std::vector<Moment> mqls, sqls;  // entries in the window, in journal order
  int64_t last_at = kNever;        // the latest entry's time

  Marks& MarksOf(int64_t person) {
    auto i = static_cast<size_t>(person);
    if (i >= marks.size()) marks.resize(std::max(i + 1, marks.size() * 3 / 2));
    return marks[i];
  }
};

// One policy applied to the whole journal, counting MQLs and SQLs in a window.
// Consume runs on one thread at a time; read the results once the replay is over.
class SideReplay {
 public:
  SideReplay(std::shared_ptr<const engine::CompiledPolicy> policy, const BacktestOptions& window);
  void Consume(const DecodedBatch& batch);
  const engine::LeadEngine& engine() const { return engine_; }
  const SideTally& tally() const { return tally_; }

 private:
  void RunActivities();
  void NoteDecisions();
  void Note(const engine::Decision& d);
  bool InWindow(int64_t t) const { return t >= from_ && t < to_; }

  engine::LeadEngine engine_;
  engine::DecisionLog log_;
  std::vector<engine::ActivityEvent> events_;  // a run of activities not yet applied
  SideTally tally_;
  int64_t from_, to_;
};

// Fills report's weeks, totals and differences from the two finished sides.
void Summarise(const SideReplay& active, const SideReplay& candidate, BacktestReport& report);

}  // namespace tandem::ingest::internal
