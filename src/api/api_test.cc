#include <gtest/gtest.h>
TEST(Api, Placeholder) {}
