// The HTTP API under /api/v1: authentication, role checks, dispatch to the routes, and
// problem+json for every error.
//
// Thread-safety: Handle() may be called concurrently; the store serialises writes.
#pragma once

#include <memory>
#include <string>

#include "api/http.h"
#include "api/record_cache.h"
#include "api/router.h"
#include "api/token_cache.h"
#include "base/time.h"
#include "ingest/lead_model.h"
#include "ingest/sla_model.h"
#include "store/store.h"

namespace tandem::api {

struct ApiOptions {
  std::string phone_region = "US";
  std::string version = "0.1.0";
};

class Api {
 public:
  Api(store::Store& store, ingest::LeadModel& leads, ingest::SlaModel& sla, const Clock& clock,
      ApiOptions options);
  ~Api();

  // Takes the request by value: the body (up to the size limit) is moved, never copied.
  Response Handle(Request request) const;
  const Router& router() const { return router_; }
  // The OpenAPI 3.1 document, built from the route table.
  const std::string& OpenApiDocument() const { return openapi_; }

 private:
  Response Dispatch(Request request) const;

  store::Store& store_;
  ingest::LeadModel& leads_;
  ingest::SlaModel& sla_;
  const Clock& clock_;
  ApiOptions options_;
  Router router_;
  std::string openapi_;
  mutable TokenCache tokens_;
  mutable RecordCache records_;
};

// Shared by the route files: what every handler needs.
struct ApiContext {
  store::Store& store;
  ingest::LeadModel& leads;  // policy versions, standings, explanations
  ingest::SlaModel& sla;     // SLA versions, open leads, sales actions
  const Clock& clock;
  const ApiOptions& options;
  TokenCache& tokens;    // routes that change tokens or roles must Clear() it
  RecordCache& records;  // kept current by the store's change notifications
};

void AddPeopleRoutes(Router& router, const ApiContext& ctx);
void AddCompanyRoutes(Router& router, const ApiContext& ctx);
void AddActivityRoutes(Router& router, const ApiContext& ctx);
void AddAdminRoutes(Router& router, const ApiContext& ctx);
void AddImportRoutes(Router& router, const ApiContext& ctx);
void AddPolicyRoutes(Router& router, const ApiContext& ctx);
void AddPolicyAnalysisRoutes(Router& router, const ApiContext& ctx);
void AddSlaRoutes(Router& router, const ApiContext& ctx);     // SLA documents, queues, outbox
void AddActionRoutes(Router& router, const ApiContext& ctx);  // sales actions
std::string BuildOpenApiDocument(const Router& router, const std::string& version);

}  // namespace tandem::api
