// /api/v1/policy: the qualification policy's versions, proposals and approvals (DESIGN.md,
// "Policy and SLA documents"); and /api/v1/people/{id}/explain, why a person stands where
// they do under it.
#include "api/api.h"
#include "api/document_routes.h"
#include "api/json_codec.h"
#include "api/lead_json.h"
#include "api/list_page.h"
#include "api/problem.h"
#include "engine/policy_toml.h"

namespace tandem::api {
namespace {

Response Explain(const ApiContext& ctx, const Call& c) {
  auto id = ParseIdSegment(c.params.at("id"), "person");
  if (!id.ok()) return Problem(id.status());
  auto e = ctx.leads.Explain(PersonId(*id), ctx.clock.Now());
  return e.ok() ? Json(200, ExplanationJson(*e)) : Problem(e.status());
}

}  // namespace

void AddPolicyRoutes(Router& r, const ApiContext& ctx) {
  AddDocumentRoutes(r,
                    {.segment = "policy",
                     .name = "policy",
                     .a_name = "a policy",
                     .long_name = "qualification policy",
                     .version_header = "Tandem-Policy-Version",
                     .max_bytes = engine::kMaxPolicyBytes},
                    std::make_shared<ModelDocuments<ingest::LeadModel>>(ctx.leads));
  auto bind = [&ctx](auto fn) { return Bind(ctx, fn); };
  r.Add({"GET", "/api/v1/people/{id}/explain", Permission::kRead,
         "Why a person has their score, grade and stage under the active policy", bind(Explain)});
}

}  // namespace tandem::api
