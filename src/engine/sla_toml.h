// Reading an SLA from its TOML document, and checking it before anyone may store it. The
// format is documented in docs/SLA.md; config/sla.toml is the default.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "domain/policy.h"
#include "domain/sla.h"
#include "engine/policy_toml.h"

namespace tandem::engine {

// An SLA document is at most this long; ParseSla refuses longer ones (kTooLarge) unread.
constexpr size_t kMaxSlaBytes = kMaxPolicyBytes;

// What the document may refer to outside itself. Each list, when not empty, is checked: a
// name not in it is refused. An empty list skips its check (e.g. no policy at hand).
struct SlaContext {
  std::vector<std::string> stage_rules;  // policy stage rule ids a lead type may name
  std::vector<std::string> teams;        // team names
  std::vector<std::string> users;        // user e-mails, any case
  std::vector<std::string> webhooks;     // webhook names configured in tandem.toml
};

// The stage rules of `policy` that hand a person to sales (those moving to mql or sql), as
// SlaContext::stage_rules; the other lists empty.
SlaContext SlaContextFor(const QualificationPolicy& policy);

// Parses and checks text. kTooLarge when text is over kMaxSlaBytes. Otherwise, on failure,
// kInvalidArgument whose errors name, for each problem, the key path
// ("lead_types[1].attempts.channels", "routing.rules[0].regions[1]"), the 1-based line and
// why: TOML syntax errors, unknown keys, wrong types, durations that are zero or negative,
// a first touch or accept deadline or attempt window ending after the disposition deadline,
// attempts below 1, more distinct channels than attempts or than the four channels there are,
// duplicate ids and rep e-mails, a stage rule in two lead types or unknown to the context,
// not exactly one default lead type, escalation steps whose `at` does not strictly increase,
// unknown channels, actions, regions, size bands, teams, users or webhooks, empty reason
// lists, negative cool-downs and shares outside [0, 1]. Every problem found is reported, not
// only the first. The horizon is the document's `horizon_days` or, when absent, LongestClock.
Result<SlaDocument> ParseSla(std::string_view text, const SlaContext& ctx = {});

}  // namespace tandem::engine
