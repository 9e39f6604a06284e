// Micro-benchmarks of the ingest path's parts, in process: parsing a batch, storing it, and
// encoding a person for GET /api/v1/people/{id}.
#include <benchmark/benchmark.h>

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
  if (state.range(0) >= 1) leads = std::move(*ingest::LeadModel::Open(*store, ingest::EmbeddedDefaultPolicy()));
  if (state.range(0) >= 2) sla = std::move(*ingest::OpenSlaModel(*store, ingest::EmbeddedDefaultSla(), *leads));
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
