// Helpers shared by the policy parser's tests.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <span>
#include <sstream>
#include <string>
#include <vector>

#include "engine/policy_toml.h"

namespace tandem::engine::testing_util {

inline std::string DefaultPolicyText() {
  auto path = std::filesystem::path(__FILE__).parent_path() / "../../config/policy.toml";
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The 1-based line of the n-th (0-based) line that starts with `prefix`.
inline int LineOf(const std::string& text, std::string_view prefix, int n = 0) {
  std::istringstream in(text);
  std::string line;
  for (int i = 1; std::getline(in, line); ++i) {
    if (line.rfind(prefix, 0) == 0 && n-- == 0) return i;
  }
  return 0;
}

inline std::vector<FieldError> ErrorsOf(std::string_view doc,
                                        std::span<const std::string> custom = {}) {
  auto r = ParsePolicy(doc, custom);
  if (r.ok()) return {};
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  return r.status().errors();
}

inline std::string Show(const std::vector<FieldError>& errors) {
  std::string out;
  for (const auto& e : errors) {
    out += "\n  line " + std::to_string(e.line) + " [" + e.field + "] " + e.reason;
  }
  return out.empty() ? " (none)" : out;
}

// One error names `field` at `line` with a reason containing `why`.
inline testing::AssertionResult Has(const std::vector<FieldError>& errors, std::string_view field,
                                    int line, std::string_view why) {
  for (const auto& e : errors) {
    if (e.field == field && e.line == line && e.reason.find(why) != std::string::npos) {
      return testing::AssertionSuccess();
    }
  }
  return testing::AssertionFailure() << "no error [" << field << "] at line " << line << " \""
                                     << why << "\" among:" << Show(errors);
}

}  // namespace tandem::engine::testing_util
