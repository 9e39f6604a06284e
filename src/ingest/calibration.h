// Calibration: how well the active policy's score and grade predict who converts, from the
// outcomes the journal recorded, and which score threshold would meet a stated target.
//
// Definitions (the journal replayed once under the active policy, from its start):
// - Converted: a rule moved the person from below SQL to SQL, opportunity or customer, or the
//   person has an opportunity_won or purchase activity. The first such entry is their
//   conversion event.
// - Not converted: everyone else with at least one activity. Once sales actions exist, people
//   recycled or disqualified by sales count here too (they are not converted). Erased people
//   leave the population with their data.
// - Score: each person's PEAK score before their conversion event (converted; the points of
//   the converting entry itself left out) or over the whole history (not converted) — what a
//   "score at least s" rule would have seen while the outcome was still open. The peak starts
//   at 0, the score everyone starts with.
// - Grade: the grade at the same cut-off (just before the conversion event, or at the end).
// - AUC: the probability that a converted person's score is above a not-converted one's
//   (Mann–Whitney, ties counted half); 0.5 is no better than chance.
// - Thresholds are whole scores s; "reaching s" means a peak score ≥ s. MQLs per month are
//   the people reaching s divided by the months between the first and last activity (at least
//   one month).
//
// Deterministic: same journal and policy, same report (elapsed_ms aside).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "base/time.h"
#include "engine/compiled_policy.h"
#include "store/store.h"

namespace tandem::ingest {

struct CalibrationOptions {
  std::optional<double> target_mqls_per_month;  // "at most N MQLs a month"; ≥ 0
  std::optional<double> target_mql_to_sql;      // "at least this share convert"; in [0, 1]
  double band_width = 25;                       // score bands [0, w), [w, 2w) …; > 0
};

// People in one score band or grade, and how many converted.
struct ConversionGroup {
  std::string label;           // "[25, 50)", "≥ 2500" for the last open band; "B+" for grades
  double low = 0;              // bands: the band's lower bound
  std::optional<double> high;  // bands: its upper bound; unset for the open last band
  int64_t people = 0, converted = 0;
  std::optional<double> rate;  // unset without people
};

// The lowest threshold meeting a target, and what it gives.
struct ThresholdAnswer {
  double target = 0;
  bool met = false;
  std::optional<int64_t> score_at_least;  // unset when no threshold meets the target
  int64_t people = 0, converted = 0;      // reaching the threshold
  double mqls_per_month = 0;
  std::optional<double> rate;
  std::string note;  // why the target was not met, when it was not
};

struct CalibrationReport {
  int policy_version = 0;
  std::string policy_name;
  int64_t people = 0, converted = 0;
  std::optional<double> rate;
  std::optional<Timestamp> first_activity, last_activity;
  double months = 1;
  double band_width = 25;
  std::vector<ConversionGroup> bands;   // ascending; every band up to the highest score
  std::vector<ConversionGroup> grades;  // A+ down to F
  std::optional<double> auc;            // unset unless both outcomes occur
  std::optional<ThresholdAnswer> for_mqls_per_month, for_mql_to_sql;  // for the targets given
  int64_t entries_read = 0, activities_read = 0;
  int64_t elapsed_ms = 0;
};

// At most this many bands; higher scores share the last, open band.
inline constexpr int kMaxBands = 200;

// Replays store's journal under active (REQUIRES: not null) and reports as described above,
// from a snapshot of the store. kInvalidArgument for a band width ≤ 0, a negative volume
// target or a rate target outside [0, 1] (the field names the option); the store's error if
// reading fails.
Result<CalibrationReport> Calibrate(store::Store& store,
                                    std::shared_ptr<const engine::CompiledPolicy> active,
                                    const CalibrationOptions& options);

// The statistics alone, for one score and outcome per person (exposed for tests).
// REQUIRES: scores.size() == converted.size().
std::optional<double> AreaUnderRoc(const std::vector<double>& scores,
                                   const std::vector<bool>& converted);

}  // namespace tandem::ingest
