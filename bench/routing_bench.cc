// Lead routing decisions on one core: 30 rules, 3 teams, 50 reps (a few away, a few named
// subsets), leads with realistic facts, some with a company owner. Leads are closed again
// after a while, so reps fill up and free up as in a working day and some decisions skip reps
// at capacity. BM_RouteAndDescribe includes building the human reason text.
// BM_RouteLatency times each call and reports p50/p99 in nanoseconds as counters.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <deque>
#include <random>
#include <string>
#include <vector>

#include "engine/routing.h"

namespace tandem::engine {
namespace {

constexpr int kReps = 50;
constexpr int kOpenAtOnce = 300;  // outstanding leads: some reps are at capacity
const std::array<const char*, 12> kCountries{"DE", "FR", "GB", "ES", "IT", "US",
                                             "CA", "BR", "MX", "JP", "AU", "IN"};
const std::array<const char*, 6> kIndustries{"Software",   "logistics", "RETAIL",
                                             "Healthcare", "Finance",   "Manufacturing"};
const std::array<const char*, 6> kBands{"1-10",     "11-50",     "51-200",
                                        "201-1000", "1001-5000", "5000+"};

RoutingConfig Config() {
  RoutingConfig c;
  for (int t = 1; t <= 3; ++t) c.teams.push_back({TeamId(t), UserId(900 + t)});
  c.fallback_team = TeamId(3);
  std::mt19937 rng(7);
  for (int i = 0; i < kReps; ++i) {
    Rep rep{UserId(100 + i), TeamId(1 + i % 3), Role::kSalesRep, 1 + static_cast<int>(rng() % 3),
            5 + static_cast<int>(rng() % 11)};
    rep.out_of_office = i % 13 == 0;
    c.reps.push_back(rep);
  }
  const char* regions[] = {"EMEA", "NA", "LATAM", "APAC"};
  for (int r = 0; r < 30; ++r) {
    RoutingRule rule;
    rule.id = "rule-" + std::to_string(r);
    rule.team = TeamId(1 + r % 3);
    if (r % 3 == 0) rule.countries = {kCountries[r % 12], kCountries[(r + 5) % 12]};
    if (r % 3 == 1) rule.regions = {regions[r % 4]};
    if (r % 2 == 0) rule.industries = {kIndustries[r % 6], kIndustries[(r + 1) % 6]};
    if (r % 4 != 3) rule.size_bands = {kBands[r % 6], kBands[(r + 2) % 6]};
    if (r % 5 == 0) {  // a named subset of the team
      for (int i = r % 3; i < kReps; i += 9) rule.reps.push_back(UserId(100 + i));
    }
    c.rules.push_back(std::move(rule));
  }
  return c;
}

std::vector<LeadFacts> Leads() {
  std::vector<LeadFacts> leads;
  std::mt19937 rng(42);
  for (int i = 0; i < 4096; ++i) {
    LeadFacts lead{kCountries[rng() % 12], "", kIndustries[rng() % 6], kBands[rng() % 6]};
    if (rng() % 5 == 0) lead.company_owner = UserId(100 + rng() % (kReps + 10));
    leads.push_back(lead);
  }
  return leads;
}

// Routes one lead and closes the oldest outstanding one.
struct Workload {
  Router router = *Router::Build(Config());
  std::vector<LeadFacts> leads = Leads();
  std::deque<UserId> open;
  size_t next = 0;

  RoutingDecision Route() {
    RoutingDecision d = router.Route(leads[next++ % leads.size()]);
    open.push_back(d.owner);
    if (open.size() > kOpenAtOnce) {
      router.OnReleased(open.front());
      open.pop_front();
    }
    return d;
  }
};

void BM_Route(benchmark::State& state) {
  Workload w;
  for (auto _ : state) benchmark::DoNotOptimize(w.Route());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Route)->Repetitions(5)->ReportAggregatesOnly(true);

void BM_RouteAndDescribe(benchmark::State& state) {
  Workload w;
  for (auto _ : state) benchmark::DoNotOptimize(w.Route().Describe());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RouteAndDescribe)->Repetitions(5)->ReportAggregatesOnly(true);

// Also reports how decisions were made, as shares of all decisions.
void BM_RouteLatency(benchmark::State& state) {
  Workload w;
  std::vector<double> ns;
  ns.reserve(1 << 20);
  std::array<double, 4> steps{};
  for (auto _ : state) {
    auto start = std::chrono::steady_clock::now();
    RoutingDecision d = w.Route();
    benchmark::DoNotOptimize(d.Describe());
    auto end = std::chrono::steady_clock::now();
    ++steps[static_cast<size_t>(d.step)];
    if (ns.size() < ns.capacity()) {
      ns.push_back(std::chrono::duration<double, std::nano>(end - start).count());
    }
  }
  std::sort(ns.begin(), ns.end());
  state.counters["p50_ns"] = ns[ns.size() / 2];
  state.counters["p99_ns"] = ns[ns.size() * 99 / 100];
  for (size_t i = 0; i < steps.size(); ++i) {
    state.counters[std::string(RoutingStepName(static_cast<RoutingStep>(i)))] =
        steps[i] / static_cast<double>(state.iterations());
  }
}
BENCHMARK(BM_RouteLatency);

}  // namespace
}  // namespace tandem::engine

BENCHMARK_MAIN();
