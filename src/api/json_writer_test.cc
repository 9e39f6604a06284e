#include "api/json_writer.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>

namespace tandem::api {
namespace {

TEST(JsonWriter, WritesNestedValues) {
  JsonWriter w;
  w.BeginObject().Key("a").Int(-7).Key("b").BeginArray().String("x").Null().Bool(true).EndArray();
  w.Key("c").BeginObject().EndObject().Key("d").Raw("[1,2]").EndObject();
  EXPECT_EQ(w.str(), R"({"a":-7,"b":["x",null,true],"c":{},"d":[1,2]})");
}

// Property: any valid UTF-8 text written as a key and a value reads back the same.
TEST(JsonWriter, StringsRoundTripThroughAJsonParser) {
  std::mt19937 rng(99);
  const std::vector<std::string> pieces{"a",    "\"", "\\", "\n", "\t",   "\x01", "\x1f", "é",
                                        "日本", "😀",  " ",  "/",  "\x7f", "{",    "]"};
  for (int i = 0; i < 2000; ++i) {
    std::string s;
    for (int n = rng() % 12; n > 0; --n) s += pieces[rng() % pieces.size()];
    JsonWriter w;
    w.BeginObject().Key(s).String(s).EndObject();
    auto j = nlohmann::json::parse(w.str());
    ASSERT_EQ(j.begin().key(), s);
    ASSERT_EQ(j.begin().value().get<std::string>(), s);
  }
}

}  // namespace
}  // namespace tandem::api
