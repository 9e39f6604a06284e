// Reading a qualification policy from its TOML document, and checking it before anyone may
// store it. The format is documented in docs/POLICY.md; config/policy.toml is the default.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "base/status.h"
#include "domain/policy.h"

namespace tandem::engine {

// A policy document is at most this long; callers refuse longer ones (kTooLarge) unread. A
// real policy is a few kilobytes.
constexpr size_t kMaxPolicyBytes = 256 * 1024;

// Parses and checks text. On failure: kInvalidArgument whose errors name, for each problem,
// the key path ("scoring[3].points", "stages[1].when[0].grade_at_least"), the 1-based line
// and why: TOML syntax errors, unknown keys, wrong types, out-of-range values, duplicate ids,
// unknown activity types (builtins plus custom_types) or personas, and impossible conditions
// (a score at least 100 and below 50; a grade at least A and below C; a fact test with an
// empty list; caps without a period). Every problem found is reported, not only the first.
Result<QualificationPolicy> ParsePolicy(std::string_view text,
                                        std::span<const std::string> custom_types = {});

}  // namespace tandem::engine
