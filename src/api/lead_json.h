// JSON shapes of the lead model's resources: agreed-document (policy, SLA) versions, a
// person's standing (score, grade, persona) and the explanation of it. Stateless functions;
// thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "engine/compiled_policy.h"
#include "engine/lead_engine.h"
#include "ingest/lead_model.h"

namespace tandem::api {

// A number as JSON: rounded to two decimals, trailing zeros dropped; null if not finite.
std::string JsonNumber(double v);

// One version of an agreed document (policy, SLA): {version, name, status, created_at,
// author, approvals: {marketing: {user, at} | null, sales: …}, activated_at, toml,
// document}; toml is left out when with_toml is false (lists); document (already serialised
// JSON, e.g. the parsed SLA) only when document_json is not empty.
std::string DocumentVersionJson(const ingest::DocumentVersion& v, bool with_toml = true,
                                std::string_view document_json = {});
inline std::string PolicyVersionJson(const ingest::PolicyVersion& v, bool with_toml = true) {
  return DocumentVersionJson(v, with_toml);
}

// {score, grade, persona} for a known standing; null for a person the engine does not know.
// policy is the one the standing was computed under (names its personas).
std::string StandingJson(const engine::Standing& s, const engine::CompiledPolicy& policy);

// person_json (a JSON object) with a "lead" member holding lead_json appended, so scores,
// which change with time, never enter the record cache.
std::string WithLead(std::string person_json, std::string_view lead_json);

struct ApiContext;
// WithLead of the person's standing now under the active policy.
std::string WithLeadNow(const ApiContext& ctx, std::string person_json, PersonId person);

// The whole explanation: score with each rule's points, grade with persona and criteria,
// stage with the steps that led to it.
std::string ExplanationJson(const ingest::Explanation& e);

}  // namespace tandem::api
