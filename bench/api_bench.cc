// The API handler's own cost, in process and without HTTP: GET /api/v1/people/{id} against
// GET /health, through Api::Handle (authentication, routing, store read, JSON).
#include <benchmark/benchmark.h>

#include <filesystem>

#include "api/api.h"
#include "ingest/default_policy.h"
#include "ingest/default_sla.h"
#include "ingest/records.h"
#include "store/users.h"

namespace tandem {
namespace {

struct Fixture {
  FakeClock clock{*ParseTimestamp("2026-11-01T00:00:00Z")};
  std::filesystem::path dir = std::filesystem::temp_directory_path() / "tandem-api-bench";
  std::unique_ptr<store::Store> store;
  std::unique_ptr<ingest::LeadModel> leads;
  std::unique_ptr<ingest::SlaModel> sla;
  std::unique_ptr<api::Api> api;
  std::string token;

  Fixture() {
    std::filesystem::remove_all(dir);
    store = std::move(*store::Store::Open((dir / "a.db").string(), clock));
    (void)store->Write([&](store::WriteTxn& t) {
      User u{.email = "bench@example.com", .role = Role::kAdmin};
      TANDEM_RETURN_IF_ERROR(store::InsertUser(t, u));
      token = store::CreateToken(t, u, "bench", std::nullopt)->secret;
      for (int i = 0; i < 1000; ++i) {
        ingest::PersonFields f;
        f.emails = std::vector<std::string>{"p" + std::to_string(i) + "@example.com"};
        f.first_name = "Ana";
        f.last_name = "López";
        f.job_title = "VP Marketing";
        f.phones = std::vector<std::string>{"+44 20 7946 0018"};
        TANDEM_RETURN_IF_ERROR(ingest::CreatePerson(t, f, {}).status());
      }
      return Status::Ok();
    });
    leads = std::move(*ingest::LeadModel::Open(*store, ingest::EmbeddedDefaultPolicy()));
    sla = std::move(*ingest::OpenSlaModel(*store, ingest::EmbeddedDefaultSla(), *leads));
    api = std::make_unique<api::Api>(*store, *leads, *sla, clock, api::ApiOptions{});
  }
  ~Fixture() {
    api.reset();
    sla.reset();
    leads.reset();
    store.reset();
    std::filesystem::remove_all(dir);
  }
};

Fixture& F() {
  static Fixture f;
  return f;
}

api::Request Get(const std::string& target) {
  api::Request r;
  r.method = "GET";
  r.target = target;
  r.headers["authorization"] = "Bearer " + F().token;
  return r;
}

void BM_HandleHealth(benchmark::State& state) {
  api::Request r = Get("/health");
  for (auto _ : state) benchmark::DoNotOptimize(F().api->Handle(r));
}
BENCHMARK(BM_HandleHealth);

void BM_HandleGetPerson(benchmark::State& state) {
  int i = 0;
  for (auto _ : state) {
    api::Request r = Get("/api/v1/people/" + std::to_string(1 + i++ % 1000));
    auto res = F().api->Handle(r);
    if (res.status != 200) state.SkipWithError("not 200");
  }
}
BENCHMARK(BM_HandleGetPerson);

}  // namespace
}  // namespace tandem

BENCHMARK_MAIN();
