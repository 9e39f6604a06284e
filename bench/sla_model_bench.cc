// The SLA model's in-memory state at scale, on one core: a million open leads with their four
// clocks running (bytes per clock, open leads and timers together), and re-arming a lead's
// timer after a step — the business-hours due time of each unmet clock included.
#include <benchmark/benchmark.h>

#include <cstdint>

#include "engine/sla_toml.h"
#include "ingest/default_sla.h"
#include "ingest/sla_model_impl.h"

namespace tandem::ingest {
namespace {

constexpr int64_t kLeads = 1'000'000;
const Timestamp kStart = *ParseTimestamp("2026-11-02T08:30:00Z");  // Monday morning

struct Random {
  uint64_t state = 0x9e3779b97f4a7c15ULL;
  uint64_t Next() {
    uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  int64_t Below(int64_t n) { return static_cast<int64_t>(Next() % static_cast<uint64_t>(n)); }
};

// A model state with kLeads open leads in a Berlin team, started over a working week, each
// with the default SLA's clocks (2 h, 1 h, 10 and 15 business days) armed.
SlaModel::Impl& Loaded() {
  static SlaModel::Impl* impl = [] {
    auto* m = new SlaModel::Impl;
    auto doc = engine::ParseSla(EmbeddedDefaultSla());
    m->versions[1] = std::make_shared<const SlaDocument>(std::move(*doc));
    m->default_calendar =
        std::move(*engine::BusinessCalendar::Parse("Europe/Berlin", "Mon-Fri 09:00-17:00", {}));
    m->SwitchTo(1);
    m->leads.reserve(kLeads);
    m->timers.Reserve(kLeads);
    Random rng;
    const int64_t hour = 3'600'000'000, day = 8 * hour;
    for (int64_t p = 1; p <= kLeads; ++p) {
      sla::OpenLead lead{.start_us = ToMicros(kStart) + rng.Below(5 * 24 * hour),
                         .owner = UserId(1 + p % 50),
                         .team = TeamId(1),
                         .sla_version = 1,
                         .attempts_required = 6,
                         .channels_required = 2,
                         .clocks_running = true};
      lead.clocks = {sla::Clock{.allowed_us = 2 * hour}, sla::Clock{.allowed_us = hour},
                     sla::Clock{.allowed_us = 10 * day}, sla::Clock{.allowed_us = 15 * day}};
      m->Arm(PersonId(p), m->leads.emplace(p, lead).first->second);
    }
    return m;
  }();
  return *impl;
}

void BM_OpenLeadsMemory(benchmark::State& state) {
  SlaModel::Impl& m = Loaded();
  for (auto _ : state) benchmark::DoNotOptimize(m.MemoryBytes());
  double clocks = static_cast<double>(m.leads.size()) * kSlaClockCount;
  state.counters["open_leads"] = static_cast<double>(m.leads.size());
  state.counters["bytes_per_clock"] = static_cast<double>(m.MemoryBytes()) / clocks;
  state.counters["bytes_per_lead"] = static_cast<double>(m.MemoryBytes()) / m.leads.size();
  state.counters["timer_bytes_per_clock"] = static_cast<double>(m.timers.MemoryBytes()) / clocks;
}
BENCHMARK(BM_OpenLeadsMemory)->Iterations(1)->Unit(benchmark::kMillisecond);

// A step fired: the clock moves to its next step and the lead's timer is re-armed at the
// earliest next step of its unmet clocks (four business-hours computations and a re-arm).
void BM_ReArmAfterStep(benchmark::State& state) {
  SlaModel::Impl& m = Loaded();
  Random rng;
  for (auto _ : state) {
    PersonId p(1 + rng.Below(kLeads));
    sla::OpenLead& lead = m.leads.find(p.value())->second;
    sla::Clock& c = lead.clocks[rng.Below(kSlaClockCount)];
    c.next_step = static_cast<uint8_t>((c.next_step + 1) % m.steps.at.size());
    m.Arm(p, lead);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ReArmAfterStep)->Unit(benchmark::kNanosecond);

}  // namespace
}  // namespace tandem::ingest
BENCHMARK_MAIN();
