#include "app/demo.h"

#include <gtest/gtest.h>

TEST(Demo, Placeholder) { SUCCEED(); }
