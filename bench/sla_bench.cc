// SLA timers on one core: a million running clocks re-armed at random (plain, and with due
// times computed in business hours), and due clocks popped in order. Each benchmark also
// reports the timers' memory per clock.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>
#include <vector>

#include "engine/business_hours.h"
#include "engine/sla_timers.h"

namespace tandem::engine {
namespace {

constexpr uint64_t kClocks = 1'000'000;
constexpr int64_t kHourUs = 3'600'000'000;
const Timestamp kNow = FromMicros(1'790'000'000'000'000);  // 2026-09-21T14:13:20Z
constexpr int64_t kYearUs = 365 * 24 * kHourUs;

// splitmix64: cheap enough not to dominate what is measured.
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

// Keys as a caller would build them: person id and clock kind.
ClockKey KeyOf(uint64_t person) { return {person << 4 | 1}; }

void ArmAll(SlaTimers& timers, Random& rng, int64_t spread_us) {
  for (uint64_t p = 0; p < kClocks; ++p)
    timers.Arm(KeyOf(p), kNow + Duration(rng.Below(spread_us)));
}

void ReportMemory(benchmark::State& state, const SlaTimers& timers) {
  state.counters["bytes_per_clock"] =
      static_cast<double>(timers.MemoryBytes()) / static_cast<double>(timers.Size());
}

void BM_TimerRearm(benchmark::State& state) {
  Random rng;
  SlaTimers timers;
  ArmAll(timers, rng, 40 * 24 * kHourUs);
  for (auto _ : state) {
    timers.Arm(KeyOf(rng.Below(kClocks)), kNow + Duration(rng.Below(40 * 24 * kHourUs)));
  }
  state.SetItemsProcessed(state.iterations());
  ReportMemory(state, timers);
}
BENCHMARK(BM_TimerRearm);

BusinessCalendar BerlinCalendar() {
  return *BusinessCalendar::Parse("Europe/Berlin", "Mon-Fri 09:00-17:00",
                                  {"2026-10-03", "2026-12-24", "2026-12-25", "2026-12-26",
                                   "2027-01-01", "2027-03-26", "2027-03-29", "2027-05-01"});
}

// An activity at a random instant of the coming year starts a clock of 1 to 40 business hours.
void BM_TimerRearmWithBusinessHours(benchmark::State& state) {
  const BusinessCalendar calendar = BerlinCalendar();
  Random rng;
  SlaTimers timers;
  ArmAll(timers, rng, 40 * 24 * kHourUs);
  for (auto _ : state) {
    const Timestamp at = kNow + Duration(rng.Below(kYearUs));
    const Duration within = Duration((1 + rng.Below(40)) * kHourUs);
    timers.Arm(KeyOf(rng.Below(kClocks)), calendar.AddBusinessTime(at, within));
  }
  state.SetItemsProcessed(state.iterations());
  ReportMemory(state, timers);
}
BENCHMARK(BM_TimerRearmWithBusinessHours);

void BM_AddBusinessTime(benchmark::State& state) {
  const BusinessCalendar calendar = BerlinCalendar();
  Random rng;
  for (auto _ : state) {
    const Timestamp at = kNow + Duration(rng.Below(kYearUs));
    benchmark::DoNotOptimize(calendar.AddBusinessTime(at, Duration((1 + rng.Below(40)) * kHourUs)));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AddBusinessTime);

// Time advances a minute per iteration over a million clocks due within ~2 weeks (~50 fire per
// minute); an emptied structure is refilled untimed. Items are clocks fired.
void BM_TimerPopDue(benchmark::State& state) {
  Random rng;
  SlaTimers timers;
  constexpr int64_t kSpreadUs = 14 * 24 * kHourUs;
  ArmAll(timers, rng, kSpreadUs);
  const double bytes = static_cast<double>(timers.MemoryBytes()) / kClocks;
  Timestamp now = kNow;
  int64_t fired = 0;
  for (auto _ : state) {
    if (timers.Empty()) {
      state.PauseTiming();
      ArmAll(timers, rng, kSpreadUs);
      now = kNow;
      state.ResumeTiming();
    }
    now += std::chrono::minutes(1);
    fired += static_cast<int64_t>(timers.PopDue(now, [](ClockKey key, Timestamp due) {
      benchmark::DoNotOptimize(key);
      benchmark::DoNotOptimize(due);
    }));
  }
  state.SetItemsProcessed(fired);
  state.counters["bytes_per_clock"] = bytes;
}
BENCHMARK(BM_TimerPopDue);

}  // namespace
}  // namespace tandem::engine

BENCHMARK_MAIN();
