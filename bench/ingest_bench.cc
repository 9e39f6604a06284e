// Micro-benchmarks of the ingest path's parts, in process: parsing a batch, storing it, and
// encoding a person for GET /api/v1/people/{id}.
#include <benchmark/benchmark.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "api/json_codec.h"
#include "ingest/activities.h"
#include "ingest/default_policy.h"
#include "ingest/default_sla.h"
#include "ingest/lead_model.h"
#include "ingest/sla_model.h"
#include "store/journal.h"
#include "store/people.h"

namespace tandem {
namespace {

std::string Batch(int n, int offset) {
  std::string b = "[";
  for (int i = 0; i < n; ++i) {
    b += (i ? "," : "");
    b += "{\"id\":\"b-" + std::to_string(offset + i) + "\",\"type\":\"page_view\",\"email\":\"p" +
         std::to_string(i % 500) +
         "@bench.example\",\"occurred_at\":\"2026-10-01T10:00:00Z\",\"source\":\"bench\","
         "\"properties\":{\"path\":\"/pricing\"}}";
  }
  return b + "]";
}

const Timestamp kNow = *ParseTimestamp("2026-11-01T00:00:00Z");

void BM_ParseBatchOf1000(benchmark::State& state) {
  std::string body = Batch(1000, 0);
  for (auto _ : state) {
    auto parsed = ingest::ParseActivities(body, kNow, {});
    benchmark::DoNotOptimize(parsed);
  }
  state.SetItemsProcessed(state.iterations() * 1000);
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(body.size()));
}
BENCHMARK(BM_ParseBatchOf1000);

// Parse and store batches of 1,000 into a fresh store (durable commits, as the server does);
// argument 0: the foundation's path, 1: with the lead model scoring each activity, 2: and the
// SLA model watching the journal (the server).
void BM_StoreBatchOf1000(benchmark::State& state) {
  auto dir = std::filesystem::temp_directory_path() / "tandem-bench-store";
  std::filesystem::remove_all(dir);
  FakeClock clock(kNow);
  auto store = std::move(*store::Store::Open((dir / "b.db").string(), clock));
  std::unique_ptr<ingest::LeadModel> leads;
  std::unique_ptr<ingest::SlaModel> sla;
  if (state.range(0) >= 1)
    leads = std::move(*ingest::LeadModel::Open(*store, ingest::EmbeddedDefaultPolicy()));
  if (state.range(0) >= 2)
    sla = std::move(*ingest::OpenSlaModel(*store, ingest::EmbeddedDefaultSla(), *leads));
  int offset = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::string body = Batch(1000, offset);
    offset += 1000;
    state.ResumeTiming();
    auto parsed = ingest::ParseActivities(body, kNow, {});
    auto r = ingest::StoreActivities(*store, std::move(parsed->items), {}, {});
    if (!r.ok() || r->accepted != 1000) state.SkipWithError("store failed");
  }
  state.SetItemsProcessed(state.iterations() * 1000);
  sla.reset();
  leads.reset();
  store.reset();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_StoreBatchOf1000)->Unit(benchmark::kMillisecond)->Arg(0)->Arg(1)->Arg(2);

// Heavy users: a batch of n activities, each for another of kHeavyPeople people, the k-th
// activity of the run (offset + i) kHeavyStep after the one before, from kHeavyStart. Four
// kinds in five score points that expire after 90 or 180 days (config/policy.toml), so each
// person holds one expiring window per such activity in the last 90 days: about 300 here, as
// people with more than 1,000 activities in six months do.
constexpr int kHeavyPeople = 1000;
constexpr auto kHeavyStep = std::chrono::seconds(26);
const Timestamp kHeavyStart = kNow - std::chrono::days(120);

std::string HeavyBatch(int n, int offset) {
  static const char* kKinds[] = {
      R"("type":"email_click","properties":{"campaign":"product-update-nov"})",
      R"("type":"email_click","properties":{"campaign":"case-study-acme"})",
      R"("type":"webinar_attended","properties":{"webinar":"from-mql-to-revenue"})",
      R"("type":"form_submit","properties":{"form":"webinar-registration"})",
      R"("type":"page_view","properties":{"path":"/pricing"})"};
  std::string b = "[";
  for (int i = 0; i < n; ++i) {
    const int k = offset + i;
    b += (i ? "," : "");
    b += "{\"id\":\"h-" + std::to_string(k) + "\",\"email\":\"h" +
         std::to_string(k % kHeavyPeople) + "@heavy.example\",\"occurred_at\":\"" +
         FormatTimestamp(kHeavyStart + k * kHeavyStep) + "\",\"source\":\"bench\"," +
         kKinds[(k / kHeavyPeople) % 5] + "}";
  }
  return b + "]";
}

// BM_StoreBatchOf1000 with heavy users (HeavyBatch): 100 days of history stored before timing
// (330 activities a person), then batches of 1,000 more, one activity a person in each.
// Argument 0: the foundation's path, 1: with the lead model, whose per-write undo (for each
// person the write touches) is what this shows. A fixed iteration count keeps the people's
// window lists the same from run to run.
void BM_StoreBatchOf1000Heavy(benchmark::State& state) {
  auto dir = std::filesystem::temp_directory_path() / "tandem-bench-heavy";
  std::filesystem::remove_all(dir);
  FakeClock clock(kNow);
  auto store = std::move(*store::Store::Open((dir / "b.db").string(), clock));
  std::unique_ptr<ingest::LeadModel> leads;
  if (state.range(0) >= 1) {
    leads = std::move(*ingest::LeadModel::Open(*store, ingest::EmbeddedDefaultPolicy()));
  }
  int offset = 0;
  const int history = static_cast<int>(std::chrono::days(100) / kHeavyStep);
  for (; offset < history; offset += 1000) {
    auto parsed = ingest::ParseActivities(HeavyBatch(1000, offset), kNow, {});
    auto r = ingest::StoreActivities(*store, std::move(parsed->items), {}, {});
    if (!r.ok() || r->accepted != 1000) state.SkipWithError("history failed");
  }
  for (auto _ : state) {
    state.PauseTiming();
    std::string body = HeavyBatch(1000, offset);
    offset += 1000;
    state.ResumeTiming();
    auto parsed = ingest::ParseActivities(body, kNow, {});
    auto r = ingest::StoreActivities(*store, std::move(parsed->items), {}, {});
    if (!r.ok() || r->accepted != 1000) state.SkipWithError("store failed");
  }
  state.SetItemsProcessed(state.iterations() * 1000);
  leads.reset();
  store.reset();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_StoreBatchOf1000Heavy)->Unit(benchmark::kMillisecond)->Iterations(50)->Arg(0)->Arg(1);

void BM_PersonJson(benchmark::State& state) {
  Person p;
  p.id = PersonId(42);
  p.emails = {"ana.lopez@example.com"};
  p.phones = {{"+442079460018", "020 7946 0018"}};
  p.first_name = "Ana";
  p.last_name = "López";
  p.job_title = "VP Marketing";
  p.country = "GB";
  p.custom = {{"lead_source", "webinar"}};
  for (auto _ : state) benchmark::DoNotOptimize(api::PersonJson(p));
}
BENCHMARK(BM_PersonJson);

void BM_ContentDigest(benchmark::State& state) {
  std::string text(200, 'x');
  for (auto _ : state) benchmark::DoNotOptimize(store::ContentDigest(text));
}
BENCHMARK(BM_ContentDigest);

}  // namespace
}  // namespace tandem

BENCHMARK_MAIN();
