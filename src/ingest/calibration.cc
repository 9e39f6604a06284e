// Calibrate: the journal replayed once under the active policy, each person's outcome, peak
// score and grade collected on the way; the statistics are in calibration_stats.cc.
#include "ingest/calibration.h"

#include <chrono>
#include <cmath>

#include "ingest/backtest_internal.h"
#include "ingest/calibration_internal.h"

namespace tandem::ingest {
namespace {

using internal::ScoredPerson;

constexpr double kDaysPerMonth = 365.2425 / 12;

// Each person's outcome so far. Once converted, nothing about them changes any more.
struct PersonOutcome {
  double peak = 0;
  int8_t grade = Grade::kStart;
  bool active = false, converted = false;
};

// The active policy applied to the whole journal, collecting outcomes. Consume runs on one
// thread at a time; read the results once the replay is over.
class OutcomeReplay {
 public:
  explicit OutcomeReplay(std::shared_ptr<const engine::CompiledPolicy> policy)
      : engine_(std::move(policy)) {}

  void Consume(const DecodedBatch& batch) {
    for (const DecodedEntry& e : batch.entries()) {
      if (e.kind == DecodedEntry::Kind::kActivity) {
        run_.push_back(&e);
        events_.push_back(e.AsActivity());
        continue;
      }
      RunActivities();
      ApplyRecord(e);
    }
    RunActivities();
  }
  std::vector<ScoredPerson> Scored() const;
  int64_t first_at = std::numeric_limits<int64_t>::max(), last_at = internal::kNever;

 private:
  void RunActivities();
  void ApplyRecord(const DecodedEntry& e);
  void Note(const engine::Decision& d, double& row_peak);
  PersonOutcome& At(int64_t id) {
    auto i = static_cast<size_t>(id);
    if (i >= people_.size()) people_.resize(std::max(i + 1, people_.size() * 3 / 2));
    return people_[i];
  }

  engine::LeadEngine engine_;
  engine::DecisionLog log_;
  std::vector<const DecodedEntry*> run_;  // consecutive activities not yet applied
  std::vector<engine::ActivityEvent> events_;
  std::vector<PersonOutcome> people_;  // by person id
};

// The run goes to the engine in one call; its decisions come back in the order of the
// activities that caused them, so each activity's are taken in turn.
void OutcomeReplay::RunActivities() {
  if (run_.empty()) return;
  engine_.OnActivities(events_, log_);
  size_t next = 0;
  for (const DecodedEntry* e : run_) {
    At(e->subject).active = true;
    // A sale is the outcome itself: its points must not count towards the score before it.
    if (internal::IsSaleActivity(e->type)) At(e->subject).converted = true;
    first_at = std::min(first_at, ToMicros(e->at));
    last_at = std::max(last_at, ToMicros(e->at));
    double row_peak = -INFINITY;
    for (; next < log_.decisions.size() && log_.decisions[next].cause == e->seq; ++next) {
      Note(log_.decisions[next], row_peak);
    }
    // The activity's points count only if it did not convert the person (its score decision
    // comes before the stage decision it leads to).
    PersonOutcome& o = At(e->subject);
    if (row_peak > -INFINITY && !o.converted) o.peak = std::max(o.peak, row_peak);
  }
  run_.clear();
  events_.clear();
  log_.Clear();
}

void OutcomeReplay::ApplyRecord(const DecodedEntry& e) {
  internal::ApplyRecord(engine_, e, log_);
  if (e.kind == DecodedEntry::Kind::kErased) At(e.subject) = {};
  double unused = -INFINITY;  // records carry no score decisions
  for (const engine::Decision& d : log_.decisions) Note(d, unused);
  log_.Clear();
}

void OutcomeReplay::Note(const engine::Decision& d, double& row_peak) {
  PersonOutcome& o = At(d.person.value());
  if (o.converted) return;
  switch (d.kind) {
    case engine::Decision::Kind::kScore:
      row_peak = std::max(row_peak, d.score_after);
      break;
    case engine::Decision::Kind::kGrade:
      o.grade = static_cast<int8_t>(d.grade_after.thirds);
      break;
    case engine::Decision::Kind::kStage:
      o.converted = internal::Reaches(d, internal::kSqlRank);
      break;
  }
}

std::vector<ScoredPerson> OutcomeReplay::Scored() const {
  std::vector<ScoredPerson> out;
  for (const PersonOutcome& o : people_) {
    if (!o.active && !o.converted) continue;
    out.push_back({.peak = o.peak, .grade = o.grade, .converted = o.converted});
  }
  return out;
}

Status CheckOptions(const CalibrationOptions& o) {
  if (!(o.band_width > 0) || !std::isfinite(o.band_width)) {
    return InvalidArgument("the band width must be a positive number",
                           {{"band_width", "must be > 0"}});
  }
  if (o.target_mqls_per_month &&
      (!(*o.target_mqls_per_month >= 0) || !std::isfinite(*o.target_mqls_per_month))) {
    return InvalidArgument("the MQL volume target must be a number of MQLs a month, 0 or more",
                           {{"max_mqls_per_month", "must be ≥ 0"}});
  }
  if (o.target_mql_to_sql && !(*o.target_mql_to_sql >= 0 && *o.target_mql_to_sql <= 1)) {
    return InvalidArgument("the MQL to SQL target is a share between 0 and 1 (0.4 for 40 %)",
                           {{"min_mql_to_sql", "must be between 0 and 1"}});
  }
  return Status::Ok();
}

}  // namespace

Result<CalibrationReport> Calibrate(store::Store& store,
                                    std::shared_ptr<const engine::CompiledPolicy> active,
                                    const CalibrationOptions& options) {
  TANDEM_RETURN_IF_ERROR(CheckOptions(options));
  const auto started = std::chrono::steady_clock::now();
  CalibrationReport report{.policy_version = active->version(),
                           .policy_name = active->policy().name,
                           .band_width = options.band_width};
  OutcomeReplay replay(std::move(active));
  const BatchConsumer consumers[] = {[&replay](const DecodedBatch& b) { replay.Consume(b); }};
  auto stats = FanOutJournal(store, consumers);
  if (!stats.ok()) return stats.status();
  report.entries_read = stats->entries;
  report.activities_read = stats->activities;
  if (replay.last_at != internal::kNever) {
    report.first_activity = FromMicros(replay.first_at);
    report.last_activity = FromMicros(replay.last_at);
    double days = static_cast<double>(replay.last_at - replay.first_at) / 86'400'000'000.0;
    report.months = std::max(1.0, days / kDaysPerMonth);
  }
  internal::FillStatistics(replay.Scored(), options, report);
  report.elapsed_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now() - started)
                          .count();
  return report;
}

}  // namespace tandem::ingest
