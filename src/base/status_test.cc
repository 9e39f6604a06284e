#include "base/status.h"

#include <gtest/gtest.h>

namespace tandem {
namespace {

TEST(Status, OkByDefault) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.ToString(), "ok");
}

TEST(Status, CarriesCodeMessageAndFieldErrors) {
  Status s = InvalidArgument("bad row", {{"row 3", "missing email"}});
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_EQ(s.ToString(), "invalid_argument: bad row; row 3: missing email");
}

Result<int> Half(int v) {
  if (v % 2) return InvalidArgument("odd");
  return v / 2;
}

TEST(Result, HoldsValueOrStatus) {
  EXPECT_EQ(*Half(4), 2);
  auto r = Half(3);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "odd");
}

}  // namespace
}  // namespace tandem
