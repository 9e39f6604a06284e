// The lead engine alone, on one core: activities already decoded in memory, run through the
// default policy (config/policy.toml, built in), every decision recorded in a DecisionLog.
// Also reports the engine's memory: bytes of per-person state, and the windowed entries
// (caps, expiring points, last-seen activities) per activity held.
#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "engine/compiled_policy.h"
#include "engine/lead_engine.h"
#include "engine/policy_toml.h"
#include "ingest/default_policy.h"

namespace tandem::engine {
namespace {

const int kPeople = std::getenv("BENCH_PEOPLE") ? std::atoi(std::getenv("BENCH_PEOPLE")) : 1'000'000;
constexpr int kActivities = 10'000'000;

struct Kind {
  const char* type;
  std::vector<Property> props;
  double weight;
};

// A realistic mix: mostly page views and e-mail engagement, a few forms and sales touches.
std::vector<Kind> Kinds() {
  return {
      {"page_view", {{"path", "/blog/lead-scoring"}, {"referrer", "google"}}, 30},
      {"page_view", {{"path", "/pricing"}, {"referrer", "internal"}}, 6},
      {"page_view", {{"path", "/product/routing"}, {"referrer", "internal"}}, 8},
      {"page_view", {{"path", "/careers/engineering"}}, 2},
      {"page_view", {{"path", "/docs/api"}}, 4},
      {"email_open", {{"campaign", "nov-newsletter"}}, 15},
      {"email_click", {{"campaign", "nov-newsletter"}, {"url", "/blog/x"}}, 7},
      {"email_bounce", {{"campaign", "nov-newsletter"}}, 0.5},
      {"form_submit", {{"form", "gated-content"}, {"asset", "guide"}}, 3},
      {"form_submit", {{"form", "newsletter-signup"}}, 1},
      {"form_submit", {{"form", "webinar-registration"}, {"webinar", "w1"}}, 1},
      {"content_download", {{"asset", "guide"}, {"format", "pdf"}}, 3},
      {"webinar_attended", {{"webinar", "w1"}}, 1.5},
      {"demo_request", {{"form", "demo-request"}, {"page", "/pricing"}}, 0.3},
      {"callback_request", {{"form", "callback-request"}}, 0.2},
      {"unsubscribe", {{"campaign", "nov-newsletter"}}, 0.4},
      {"call_logged", {{"outcome", "connected"}}, 0.8},
      {"meeting_held", {{"kind", "discovery"}}, 0.3},
      {"opportunity_won", {{"amount", "24000"}}, 0.05},
  };
}

const std::array<const char*, 6> kTitles{"CTO", "IT Director", "Marketing Manager",
                                         "Software Engineer", "VP Sales", "Student"};
const std::array<const char*, 4> kIndustries{"Software", "Logistics", "Retail", "Healthcare"};
const std::array<const char*, 4> kBands{"11-50", "51-200", "201-1000", "1001-5000"};
const std::array<const char*, 5> kCountries{"DE", "US", "GB", "FR", "BR"};

struct Workload {
  std::shared_ptr<const CompiledPolicy> policy;
  std::vector<Kind> kinds;
  std::vector<ActivityEvent> events;
};

const Workload& Load() {
  static const Workload* w = [] {
    auto* out = new Workload;
    auto parsed = ParsePolicy(ingest::EmbeddedDefaultPolicy());
    if (!parsed.ok()) std::abort();
    out->policy = *CompiledPolicy::Compile(std::move(*parsed), 1);
    out->kinds = Kinds();
    std::vector<double> weights;
    for (const auto& k : out->kinds) weights.push_back(k.weight);
    std::mt19937_64 rng(42);
    std::discrete_distribution<int> pick(weights.begin(), weights.end());
    std::uniform_int_distribution<int> person(1, kPeople);
    Timestamp start = *ParseTimestamp("2026-05-01T00:00:00Z");
    out->events.reserve(kActivities);
    for (int i = 0; i < kActivities; ++i) {
      const Kind& k = out->kinds[pick(rng)];
      Timestamp at = start + std::chrono::seconds(static_cast<int64_t>(i) * 200 * 86400 /
                                                  kActivities);
      out->events.push_back({PersonId(person(rng)), Seq(i + 1), at, k.type, k.props});
    }
    return out;
  }();
  return *w;
}

void Profiles(LeadEngine& engine, DecisionLog& log) {
  std::mt19937_64 rng(7);
  Timestamp at = *ParseTimestamp("2026-05-01T00:00:00Z");
  for (int p = 1; p <= kPeople; ++p) {
    Profile profile{.job_title = kTitles[rng() % kTitles.size()],
                    .country = kCountries[rng() % kCountries.size()],
                    .email = "p" + std::to_string(p) + "@example.com",
                    .industry = kIndustries[rng() % kIndustries.size()],
                    .size_band = kBands[rng() % kBands.size()]};
    engine.OnProfile(PersonId(p), profile, at, Seq(p), log);
    log.Clear();
  }
}

// Each iteration: a fresh engine with every profile applied (not timed), then one timed pass
// over all 10,000,000 activities in time order. Then the memory figures.
void BM_EngineActivities(benchmark::State& state) {
  const Workload& w = Load();
  size_t decisions = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto engine = std::make_unique<LeadEngine>(w.policy);
    DecisionLog log;
    Profiles(*engine, log);
    state.ResumeTiming();
    for (size_t i = 0; i < w.events.size(); i += 4096) {
      size_t n = std::min<size_t>(4096, w.events.size() - i);
      engine->OnActivities(std::span(w.events).subspan(i, n), log);
      decisions += log.decisions.size();
      log.Clear();
    }
    state.PauseTiming();
    double people = static_cast<double>(engine->PeopleCount());
    state.counters["state_bytes_per_person"] = static_cast<double>(engine->StateBytes()) / people;
    state.counters["window_entries_per_person"] =
        static_cast<double>(engine->WindowEntries()) / people;
    state.counters["overflow_bytes_per_person"] =
        static_cast<double>(engine->WindowBytes()) / people;
    engine.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(w.events.size()));
  state.counters["rules"] = static_cast<double>(w.policy->policy().scoring.size() +
                                                w.policy->policy().stages.size());
  state.counters["personas"] = static_cast<double>(w.policy->policy().personas.size());
  state.counters["decisions_per_activity"] =
      static_cast<double>(decisions) /
      static_cast<double>(state.iterations() * static_cast<int64_t>(w.events.size()));
}
BENCHMARK(BM_EngineActivities)->Unit(benchmark::kMillisecond)->Iterations(2);

}  // namespace
}  // namespace tandem::engine

BENCHMARK_MAIN();
