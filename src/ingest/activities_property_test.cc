// Property: whatever bytes arrive as a batch, parsing never crashes, and a body that parses
// as an array accounts for every item exactly once (stored-to-be or rejected).
#include <gtest/gtest.h>

#include <random>
#include <set>

#include "ingest/activities.h"

namespace tandem::ingest {
namespace {

const Timestamp kNow = *ParseTimestamp("2026-11-10T12:00:00Z");

constexpr const char* kValid = R"([
  {"id":"a","type":"page_view","email":"x@example.com","occurred_at":"2026-11-02T09:00:00Z",
   "properties":{"path":"/pricing","n":3}},
  {"id":"b","type":"form_submit","person_id":4,"occurred_at":"2026-11-02T09:00:00+02:00"},
  {"id":"c","type":"email_open","external_id":"hubspot:9","occurred_at":"2026-11-02"}
])";

std::string Mutate(std::string s, std::mt19937& rng) {
  const std::string alphabet = "{}[]\":,0123456789abcdefxyz@.-+ \\\n\xff\xc3\x28";
  for (int n = 1 + rng() % 4; n > 0 && !s.empty(); --n) {
    size_t at = rng() % s.size();
    switch (rng() % 3) {
      case 0:
        s[at] = alphabet[rng() % alphabet.size()];
        break;
      case 1:
        s.erase(at, 1 + rng() % 3);
        break;
      default:
        s.insert(at, 1, alphabet[rng() % alphabet.size()]);
        break;
    }
  }
  return s;
}

TEST(ActivitiesProperty, AnyBodyIsEitherRefusedWholeOrFullyAccountedFor) {
  std::mt19937 rng(1127);
  int parsed_ok = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string body = Mutate(kValid, rng);
    auto r = ParseActivities(body, kNow, {});
    if (!r.ok()) {
      EXPECT_TRUE(r.status().code() == Code::kInvalidArgument ||
                  r.status().code() == Code::kTooLarge);
      continue;
    }
    ++parsed_ok;
    std::set<size_t> seen;
    for (const auto& item : r->items) EXPECT_TRUE(seen.insert(item.index).second);
    for (const auto& rej : r->rejected) {
      EXPECT_TRUE(seen.insert(rej.index).second);
      EXPECT_FALSE(rej.code.empty());
      EXPECT_FALSE(rej.reason.empty());
    }
    if (!seen.empty()) {
      EXPECT_EQ(*seen.rbegin() + 1, seen.size()) << body;
    }
  }
  EXPECT_GT(parsed_ok, 1000) << "the mutations should leave many bodies parseable";
}

}  // namespace
}  // namespace tandem::ingest
