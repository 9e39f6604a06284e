#include "base/strings.h"

#include <gtest/gtest.h>

namespace tandem {
namespace {

TEST(Strings, TrimAndLower) {
  EXPECT_EQ(Trim("  a b \r\n"), "a b");
  EXPECT_EQ(AsciiLower("AbC@Ex.COM"), "abc@ex.com");
}

TEST(Strings, SplitKeepsEmptyFields) {
  auto parts = Split("a,,b,", ',');
  ASSERT_EQ(parts.size(), 4u);
  EXPECT_EQ(parts[1], "");
  EXPECT_EQ(parts[3], "");
}

TEST(Strings, Utf8Validation) {
  EXPECT_TRUE(IsValidUtf8("plain"));
  EXPECT_TRUE(IsValidUtf8("Zoë Łukasz 日本"));
  EXPECT_FALSE(IsValidUtf8("\xff"));
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));      // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));  // surrogate
  EXPECT_FALSE(IsValidUtf8("\xe6\x97"));      // truncated
}

}  // namespace
}  // namespace tandem
