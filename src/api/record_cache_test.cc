#include "api/record_cache.h"

#include <gtest/gtest.h>

namespace tandem::api {
namespace {

TEST(RecordCache, KeepsWhatWasRenderedUntilItsRowChanges) {
  RecordCache c;
  c.Offer(7, "{\"v\":1}", c.generation());
  EXPECT_EQ(c.Find(7), "{\"v\":1}");
  c.Invalidate({7});
  EXPECT_FALSE(c.Find(7));
}

TEST(RecordCache, AnOfferMadeAcrossAnInvalidationIsRefused) {
  RecordCache c;
  uint64_t before_snapshot = c.generation();
  c.Invalidate({9});  // a commit lands while the reader renders from an older snapshot
  c.Offer(9, "{\"v\":\"old\"}", before_snapshot);
  EXPECT_FALSE(c.Find(9));
}

}  // namespace
}  // namespace tandem::api
