// Backtest: a candidate qualification policy and the active one replayed side by side over the
// whole journal, so marketing and sales see what a change would have done to last quarter's
// MQLs and SQLs before they approve it (DESIGN.md, principle 2).
//
// Both policies apply to the whole history from its start; the journal's own policy
// activations are ignored, as the point is to compare the two on the same inputs. The journal
// is read once (ingest/journal_batches.h): each activity is decoded and each profile folded
// once, and both engines, on two threads, take the same batches. Same journal and policies,
// same report (elapsed_ms aside).
//
// Definitions (per side, for decisions whose time lies in [from, to)):
// - An MQL is a person a rule moves from below MQL (subscriber, lead, recycled) to MQL or any
//   later funnel stage — fast tracks that skip MQL count, as sales got the lead all the same.
//   A person counts once per week and once in the total, however often they re-enter.
// - An SQL likewise: moved from below SQL to SQL, opportunity or customer.
// - mql_to_sql: of the people counted as MQL, the share who reached SQL at or after that
//   moment, by the end of the replay (not only before `to`).
// - mql_to_customer: the share who reached customer by a rule, or have an opportunity_won or
//   purchase activity, at or after that moment.
// - The persona and grade mix is each MQL's standing at the moment they became one (the
//   first time in the week, or in the window for the total).
// - A person differs when their final stages under the two policies differ.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/ids.h"
#include "base/status.h"
#include "base/time.h"
#include "domain/stage.h"
#include "engine/compiled_policy.h"
#include "store/store.h"

namespace tandem::ingest {

struct BacktestOptions {
  std::optional<Timestamp> from, to;  // count decisions at or after from, before to
};

// A count of MQLs by persona id ("none" for no persona) or grade name ("A+" … "F").
struct MixItem {
  std::string name;
  int64_t mqls = 0;
};

// One policy's figures for a week or the whole window.
struct BacktestFigures {
  int64_t mqls = 0, sqls = 0;
  int64_t mqls_reaching_sql = 0, mqls_reaching_customer = 0;
  std::optional<double> mql_to_sql, mql_to_customer;  // shares; unset without MQLs
  std::vector<MixItem> personas;  // the policy's persona order, then "none"; counts > 0
  std::vector<MixItem> grades;    // A+ down to F; counts > 0
};

// An ISO week (Monday 00:00 UTC onwards).
struct BacktestWeek {
  std::string week;  // "2026-W14"
  Timestamp starts{};
  BacktestFigures active, candidate;
};

struct StageDifference {
  PersonId person;
  Stage active = Stage::kLead, candidate = Stage::kLead;
};

struct BacktestReport {
  BacktestOptions window;
  int active_version = 0;
  std::string active_name, candidate_name;
  // Every week from the first to the last with an MQL or SQL on either side, ascending.
  std::vector<BacktestWeek> weeks;
  BacktestFigures active, candidate;  // the whole window
  int64_t people_differing = 0;
  std::vector<StageDifference> differences;  // the first kMaxDifferences by person id
  int64_t entries_read = 0, activities_read = 0, people = 0;
  int64_t elapsed_ms = 0;
};

inline constexpr size_t kMaxDifferences = 100;

// Replays store's journal under active and candidate side by side (see above).
// REQUIRES: active and candidate are not null. kInvalidArgument if from is not before to; the
// store's error if reading fails. Takes seconds on millions of activities: it reads a snapshot
// and may run while the store is written.
Result<BacktestReport> RunBacktest(store::Store& store,
                                   std::shared_ptr<const engine::CompiledPolicy> active,
                                   std::shared_ptr<const engine::CompiledPolicy> candidate,
                                   const BacktestOptions& options);

// A candidate policy document, checked against store's activity types and compiled (as
// version 0: it was never stored). kTooLarge over 256 KiB; kInvalidArgument with one error
// per problem (field = key path, line) if it does not parse or check.
Result<std::shared_ptr<const engine::CompiledPolicy>> CompileCandidate(store::Store& store,
                                                                       std::string_view toml);

// The active policy as stored, compiled, without replaying the journal. kNotFound if the
// store holds no policy yet (ingest::LeadModel::Open installs the default one).
Result<std::shared_ptr<const engine::CompiledPolicy>> LoadActivePolicy(store::Store& store);

}  // namespace tandem::ingest
