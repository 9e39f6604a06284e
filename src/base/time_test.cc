#include "base/time.h"

#include <gtest/gtest.h>

#include <random>

namespace tandem {
namespace {

TEST(Time, ParsesUtcAndOffsets) {
  auto a = ParseTimestamp("2026-11-02T09:14:00Z");
  auto b = ParseTimestamp("2026-11-02T10:14:00+01:00");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(*a, *b);
  EXPECT_EQ(FormatTimestamp(*a), "2026-11-02T09:14:00Z");
}

TEST(Time, KeepsMicroseconds) {
  auto t = ParseTimestamp("2026-01-31T23:59:59.123456Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(FormatTimestamp(*t), "2026-01-31T23:59:59.123456Z");
}

TEST(Time, DateAloneIsMidnightUtc) {
  EXPECT_EQ(FormatTimestamp(*ParseTimestamp("2026-03-01")), "2026-03-01T00:00:00Z");
}

TEST(Time, RejectsMalformed) {
  for (const char* s : {"", "2026-13-01", "2026-02-30", "2026-11-02T09:14:00", "yesterday",
                        "2026-11-02T25:00:00Z", "2026-11-02T09:14:00Zjunk", "2026-11-02T09:14Z"}) {
    EXPECT_FALSE(ParseTimestamp(s)) << s;
  }
}

}  // namespace
}  // namespace tandem

namespace tandem {
namespace {

// Property: every instant from 1990 to 2100, at microsecond precision, formats to text that
// parses back to the same instant.
TEST(Time, FormatThenParseIsTheIdentity) {
  std::mt19937_64 rng(20261127);
  const int64_t lo = ToMicros(*ParseTimestamp("1990-01-01")),
                hi = ToMicros(*ParseTimestamp("2100-01-01"));
  for (int i = 0; i < 100000; ++i) {
    int64_t us = lo + static_cast<int64_t>(rng() % static_cast<uint64_t>(hi - lo));
    if (i % 3 == 0) us -= us % 1000000;  // whole seconds too
    Timestamp t = FromMicros(us);
    auto back = ParseTimestamp(FormatTimestamp(t));
    ASSERT_TRUE(back) << FormatTimestamp(t);
    ASSERT_EQ(*back, t) << FormatTimestamp(t);
  }
}

}  // namespace
}  // namespace tandem
