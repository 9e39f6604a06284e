// RunBacktest: two sides replayed from one read of the journal; the policies they compare.
// The figures are put together in backtest_report.cc.
#include "ingest/backtest.h"

#include <chrono>

#include "engine/policy_toml.h"
#include "ingest/backtest_internal.h"
#include "store/documents.h"

namespace tandem::ingest {
namespace internal {

SideReplay::SideReplay(std::shared_ptr<const engine::CompiledPolicy> policy,
                       const BacktestOptions& window)
    : engine_(std::move(policy)),
      from_(window.from ? ToMicros(*window.from) : std::numeric_limits<int64_t>::min()),
      to_(window.to ? ToMicros(*window.to) : std::numeric_limits<int64_t>::max()) {}

void SideReplay::Consume(const DecodedBatch& batch) {
  for (const DecodedEntry& e : batch.entries()) {
    tally_.last_at = std::max(tally_.last_at, ToMicros(e.at));
    if (e.kind == DecodedEntry::Kind::kActivity) {
      events_.push_back(e.AsActivity());
      if (IsSaleActivity(e.type)) {
        int64_t& at = tally_.MarksOf(e.subject).customer_at;
        at = std::max(at, ToMicros(e.at));
      }
      continue;
    }
    RunActivities();
    ApplyRecord(engine_, e, log_);
    NoteDecisions();
  }
  RunActivities();
}

// Consecutive activities go to the engine in one call (it fetches people's state ahead).
// Activities change no one's grade or persona, so the standings noted after the run are
// those each decision was made with.
void SideReplay::RunActivities() {
  if (events_.empty()) return;
  engine_.OnActivities(events_, log_);
  events_.clear();
  NoteDecisions();
}

void SideReplay::NoteDecisions() {
  for (const engine::Decision& d : log_.decisions) {
    if (d.kind == engine::Decision::Kind::kStage) Note(d);
  }
  log_.Clear();
}

// Called once the entry that caused d is fully applied, so StandingOf gives the grade and
// persona the person had when d was made.
void SideReplay::Note(const engine::Decision& d) {
  const int64_t t = ToMicros(d.at), person = d.person.value();
  if (Reaches(d, kSqlRank)) {
    int64_t& at = tally_.MarksOf(person).sql_at;
    at = std::max(at, t);
    if (InWindow(t)) tally_.sqls.push_back({.person = person, .at = t});
  }
  if (Reaches(d, kCustomerRank)) {
    int64_t& at = tally_.MarksOf(person).customer_at;
    at = std::max(at, t);
  }
  if (Reaches(d, kMqlRank) && InWindow(t)) {
    engine::Standing s = engine_.StandingOf(d.person, d.at);
    tally_.mqls.push_back({.person = person,
                           .at = t,
                           .persona = static_cast<int8_t>(s.persona),
                           .grade = static_cast<int8_t>(s.grade.thirds)});
  }
}

}  // namespace internal

namespace {

std::vector<std::string> CustomTypes(store::Store& store, Status& st) {
  std::vector<std::string> custom;
  st = store.Read([&](sql::Db& db) {
    custom = store::ListCustomActivityTypes(db);
    return Status::Ok();
  });
  return custom;
}

}  // namespace

Result<BacktestReport> RunBacktest(store::Store& store,
                                   std::shared_ptr<const engine::CompiledPolicy> active,
                                   std::shared_ptr<const engine::CompiledPolicy> candidate,
                                   const BacktestOptions& options) {
  if (options.from && options.to && *options.from >= *options.to) {
    return InvalidArgument("the backtest window is empty: from must be before to",
                           {{"from", "not before to"}});
  }
  const auto started = std::chrono::steady_clock::now();
  BacktestReport report{.window = options,
                        .active_version = active->version(),
                        .active_name = active->policy().name,
                        .candidate_name = candidate->policy().name};
  internal::SideReplay a(std::move(active), options), c(std::move(candidate), options);
  const BatchConsumer consumers[] = {[&a](const DecodedBatch& b) { a.Consume(b); },
                                     [&c](const DecodedBatch& b) { c.Consume(b); }};
  auto stats = FanOutJournal(store, consumers);
  if (!stats.ok()) return stats.status();
  report.entries_read = stats->entries;
  report.activities_read = stats->activities;
  internal::Summarise(a, c, report);
  report.elapsed_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now() - started)
                          .count();
  return report;
}

Result<std::shared_ptr<const engine::CompiledPolicy>> CompileCandidate(store::Store& store,
                                                                       std::string_view toml) {
  if (toml.size() > engine::kMaxPolicyBytes) {
    return Status(Code::kTooLarge, "a policy document is at most 256 KiB");
  }
  Status st;
  std::vector<std::string> custom = CustomTypes(store, st);
  if (!st.ok()) return st;
  return engine::CompiledPolicy::FromToml(toml, 0, custom);
}

Result<std::shared_ptr<const engine::CompiledPolicy>> LoadActivePolicy(store::Store& store) {
  std::optional<store::DocumentRecord> active;
  std::vector<std::string> custom;
  TANDEM_RETURN_IF_ERROR(store.Read([&](sql::Db& db) {
    active = store::ActiveDocumentVersion(db, store::Document::kPolicy);
    custom = store::ListCustomActivityTypes(db);
    return Status::Ok();
  }));
  if (!active) return NotFound("the store holds no active policy yet");
  auto compiled = engine::CompiledPolicy::FromToml(active->toml, active->version, custom);
  if (!compiled.ok()) {
    return Internal("the active policy (version " + std::to_string(active->version) +
                    ") no longer checks: " + compiled.status().message());
  }
  return compiled;
}

}  // namespace tandem::ingest
