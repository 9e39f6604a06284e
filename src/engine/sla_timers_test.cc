#include "engine/sla_timers.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <chrono>
#include <map>
#include <set>
#include <utility>
#include <vector>

namespace tandem::engine {
namespace {

using std::chrono::minutes;
using Fired = std::vector<std::pair<uint64_t, Timestamp>>;

const Timestamp kT0 = FromMicros(1'790'000'000'000'000);

Timestamp T(int m) { return kT0 + minutes(m); }

Fired PopAll(SlaTimers& timers, Timestamp now) {
  Fired fired;
  timers.PopDue(now, [&](ClockKey key, Timestamp due) { fired.emplace_back(key.value, due); });
  return fired;
}

TEST(SlaTimers, ClocksFireInDueOrder) {
  SlaTimers timers;
  timers.Arm({3}, T(30));
  timers.Arm({1}, T(10));
  timers.Arm({2}, T(20));
  EXPECT_EQ(timers.Size(), 3u);
  EXPECT_EQ(PopAll(timers, T(60)), (Fired{{1, T(10)}, {2, T(20)}, {3, T(30)}}));
  EXPECT_TRUE(timers.Empty());
}

TEST(SlaTimers, PopDueFiresOnlyClocksDueAtOrBeforeNow) {
  SlaTimers timers;
  timers.Arm({1}, T(10));
  timers.Arm({2}, T(11));
  EXPECT_EQ(PopAll(timers, T(10) - std::chrono::microseconds(1)), Fired{});
  EXPECT_EQ(PopAll(timers, T(10)), (Fired{{1, T(10)}}));
  EXPECT_EQ(timers.NextDue(), T(11));
  EXPECT_EQ(timers.DueOf({1}), std::nullopt);
}

TEST(SlaTimers, ClocksDueTogetherFireInKeyOrder) {
  SlaTimers timers;
  for (uint64_t key : {7, 3, 9, 1, 5}) timers.Arm({key}, T(10));
  timers.Arm({2}, T(5));
  EXPECT_EQ(PopAll(timers, T(10)),
            (Fired{{2, T(5)}, {1, T(10)}, {3, T(10)}, {5, T(10)}, {7, T(10)}, {9, T(10)}}));
}

TEST(SlaTimers, RearmingEarlierMakesAClockFireSooner) {
  SlaTimers timers;
  timers.Arm({1}, T(10));
  timers.Arm({2}, T(20));
  timers.Arm({2}, T(5));
  EXPECT_EQ(timers.Size(), 2u);
  EXPECT_EQ(timers.DueOf({2}), T(5));
  EXPECT_EQ(PopAll(timers, T(60)), (Fired{{2, T(5)}, {1, T(10)}}));
}

TEST(SlaTimers, RearmingLaterMakesAClockFireLater) {
  SlaTimers timers;
  timers.Arm({1}, T(10));
  timers.Arm({2}, T(20));
  timers.Arm({1}, T(30));
  EXPECT_EQ(timers.NextDue(), T(20));
  EXPECT_EQ(PopAll(timers, T(25)), (Fired{{2, T(20)}}));
  EXPECT_EQ(PopAll(timers, T(30)), (Fired{{1, T(30)}}));
}

TEST(SlaTimers, CancelledClockNeverFires) {
  SlaTimers timers;
  timers.Arm({1}, T(10));
  timers.Arm({2}, T(20));
  EXPECT_TRUE(timers.Cancel({1}));
  EXPECT_FALSE(timers.Cancel({1}));
  EXPECT_FALSE(timers.Cancel({42}));
  EXPECT_EQ(PopAll(timers, T(60)), (Fired{{2, T(20)}}));
}

TEST(SlaTimers, NextDueIsTheEarliestOrNothing) {
  SlaTimers timers;
  EXPECT_EQ(timers.NextDue(), std::nullopt);
  timers.Arm({1}, T(10));
  timers.Arm({2}, T(5));
  EXPECT_EQ(timers.NextDue(), T(5));
}

TEST(SlaTimers, FireMayRearmAndCancelClocks) {
  SlaTimers timers;
  timers.Arm({1}, T(10));
  timers.Arm({2}, T(20));
  timers.Arm({3}, T(30));
  Fired fired;
  timers.PopDue(T(25), [&](ClockKey key, Timestamp due) {
    fired.emplace_back(key.value, due);
    if (key.value == 1) timers.Arm({1}, T(40));  // escalation: the same clock, later
    if (key.value == 1) timers.Cancel({2});
  });
  EXPECT_EQ(fired, (Fired{{1, T(10)}}));
  EXPECT_EQ(timers.DueOf({1}), T(40));
  EXPECT_EQ(timers.Size(), 2u);
}

TEST(SlaTimers, ManyClocksSurviveGrowthAndCancels) {
  SlaTimers timers;
  constexpr uint64_t kClocks = 100'000;
  for (uint64_t k = 0; k < kClocks; ++k) timers.Arm({k << 8 | 3}, T(static_cast<int>(k % 977)));
  for (uint64_t k = 0; k < kClocks; k += 2) EXPECT_TRUE(timers.Cancel({k << 8 | 3}));
  EXPECT_EQ(timers.Size(), kClocks / 2);
  for (uint64_t k = 1; k < kClocks; k += 2) {
    EXPECT_EQ(timers.DueOf({k << 8 | 3}), T(static_cast<int>(k % 977)));
  }
  Timestamp last = T(0);
  size_t n = timers.PopDue(T(1000), [&](ClockKey, Timestamp due) {
    EXPECT_LE(last, due);
    last = due;
  });
  EXPECT_EQ(n, kClocks / 2);
}

TEST(SlaTimers, AMillionClocksTakeAtMostSixtyFourBytesEach) {
  SlaTimers timers;
  constexpr uint64_t kClocks = 1'000'000;
  for (uint64_t k = 0; k < kClocks; ++k) timers.Arm({k * 7919}, T(static_cast<int>(k % 10007)));
  EXPECT_LE(timers.MemoryBytes(), 64 * kClocks);
  EXPECT_EQ(timers.Size(), kClocks);
}

// Random operations on a few keys and due times (so ties and re-arms are common), checked
// against a model: a map of armed clocks and the multimap of due times they imply.
RC_GTEST_PROP(SlaTimersProperty, BehavesLikeAnOrderedModel, ()) {
  SlaTimers timers;
  std::map<uint64_t, Timestamp> armed;
  const int steps = *rc::gen::inRange(0, 400);
  for (int step = 0; step < steps; ++step) {
    const int op = *rc::gen::inRange(0, 10);
    const uint64_t key = *rc::gen::inRange<uint64_t>(0, 40);
    const Timestamp at = T(*rc::gen::inRange(0, 30));
    if (op < 6) {
      timers.Arm({key}, at);
      armed[key] = at;
    } else if (op < 8) {
      RC_ASSERT(timers.Cancel({key}) == (armed.erase(key) == 1));
    } else {
      std::multimap<Timestamp, uint64_t> due;
      for (const auto& [k, t] : armed) due.emplace(t, k);  // keys ascending within a time
      Fired expected;
      for (auto it = due.begin(); it != due.end() && it->first <= at; ++it) {
        expected.emplace_back(it->second, it->first);
        armed.erase(it->second);
      }
      RC_ASSERT(PopAll(timers, at) == expected);
    }
    RC_ASSERT(timers.Size() == armed.size());
    std::optional<Timestamp> next;
    for (const auto& [k, t] : armed) next = next ? std::min(*next, t) : t;
    RC_ASSERT(timers.NextDue() == next);
    RC_ASSERT(timers.DueOf({key}) ==
              (armed.count(key) ? std::optional<Timestamp>(armed[key]) : std::nullopt));
  }
}

}  // namespace
}  // namespace tandem::engine
