// Property: whatever an editor does to a valid policy (a line deleted or duplicated, a
// character changed), the parser never crashes, and it either accepts the text or says what
// is wrong, where: every error has a line inside the document and names its key (only a TOML
// syntax error, reported alone, may name none).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <sstream>

#include "engine/policy_toml.h"
#include "engine/policy_toml_test_util.h"

namespace tandem::engine {
namespace {

const std::string& DefaultPolicyText() {
  static const std::string text = testing_util::DefaultPolicyText();
  return text;
}

// A small document using every kind of key, so mutations reach every reader quickly.
constexpr const char* kCompact = R"(name = "p"
time_zone = "Europe/Berlin"
[decay]
halve_after_days = 30
[[scoring]]
id = "pricing"
activity = "page_view"
points = 10
where = [{ key = "path", contains = ["/pricing"], equals = ["/pricing"] }]
cap = { points = 30, per = "week" }
expires_after_days = 90
[[scoring]]
id = "careers"
activity = "page_view"
points = -5
[[personas]]
id = "lead"
name = "Leader"
criteria = [
  { fact = "seniority", in = ["vp", "c_level"], thirds = 3 },
  { fact = "region", in = ["EMEA"], thirds = -1 },
]
[[stages]]
id = "mql"
to = "mql"
fast_track = false
description = "fit and score"
when = [{ score_at_least = 100 }, { grade_at_least = "B" }, { persona = ["lead"] }]
[[stages]]
id = "sql"
to = "sql"
when = [{ activity = "meeting_held", where = [{ key = "kind", equals = ["demo"] }], within_days = 30 }, { fact = "country", in = ["DE"] }, { student = true }]
)";

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// Applies 1-4 random edits to `text`.
std::string Mutate(const std::string& text) {
  std::vector<std::string> lines = Lines(text);
  int edits = *rc::gen::inRange(1, 5);
  for (int i = 0; i < edits && !lines.empty(); ++i) {
    size_t at = *rc::gen::inRange<size_t>(0, lines.size());
    switch (*rc::gen::inRange(0, 3)) {
      case 0:
        lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(at));
        break;
      case 1:
        lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(at), lines[at]);
        break;
      default: {
        std::string& line = lines[at];
        if (line.empty()) break;
        size_t pos = *rc::gen::inRange<size_t>(0, line.size());
        line[pos] = *rc::gen::elementOf(std::string("\"'[]{}=,.#-_ 0123456789aAzZ\t\xff"));
        break;
      }
    }
  }
  std::string out;
  for (const auto& line : lines) out += line + "\n";
  return out;
}

void CheckOutcome(const std::string& text) {
  Result<QualificationPolicy> r = ParsePolicy(text);
  if (r.ok()) return;
  RC_ASSERT(r.status().code() == Code::kInvalidArgument);
  const auto& errors = r.status().errors();
  RC_ASSERT(!errors.empty());
  int lines = static_cast<int>(Lines(text).size());
  bool syntax = errors.size() == 1 && errors[0].field.empty();
  for (const FieldError& e : errors) {
    RC_ASSERT(e.line >= 1);
    RC_ASSERT(e.line <= lines + 1);
    RC_ASSERT(!e.reason.empty());
    if (!syntax) RC_ASSERT(!e.field.empty());
  }
}

TEST(PolicyTomlProperty, BothDocumentsParse) {
  ASSERT_TRUE(ParsePolicy(kCompact).ok()) << ParsePolicy(kCompact).status().ToString();
  ASSERT_TRUE(ParsePolicy(DefaultPolicyText()).ok());
}

RC_GTEST_PROP(PolicyTomlProperty, EditedCompactPolicyParsesOrSaysWhereItIsWrong, ()) {
  CheckOutcome(Mutate(kCompact));
}

RC_GTEST_PROP(PolicyTomlProperty, EditedDefaultPolicyParsesOrSaysWhereItIsWrong, ()) {
  CheckOutcome(Mutate(DefaultPolicyText()));
}

}  // namespace
}  // namespace tandem::engine
