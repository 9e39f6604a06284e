#include "api/api.h"

#include "api/problem.h"
#include "base/strings.h"
#include "store/schema.h"
#include "store/users.h"

namespace tandem::api {
namespace {

bool Allowed(Permission p, Role role) {
  switch (p) {
    case Permission::kPublic:
    case Permission::kRead:
      return true;
    case Permission::kWrite:
      return RoleMayWriteRecords(role);
    case Permission::kConfigure:
      return RoleMayChangeConfiguration(role);
    case Permission::kAdmin:
      return role == Role::kAdmin;
  }
  return false;
}

Result<TokenInfo> Authenticate(store::Store& store, TokenCache& cache, const Request& req,
                               Timestamp now) {
  std::string auth = req.Header("authorization");
  if (auth.empty()) {
    return Status(Code::kUnauthenticated, "no token: send Authorization: Bearer <token>");
  }
  if (!StartsWith(AsciiLower(auth.substr(0, 7)), "bearer ")) {
    return Status(Code::kUnauthenticated, "the Authorization header must be 'Bearer <token>'");
  }
  std::string hash = store::TokenHash(Trim(std::string_view(auth).substr(7)));
  std::optional<TokenInfo> token = cache.Find(hash);
  if (!token) {
    Status st = store.Read([&](sql::Db& db) {
      token = store::FindTokenByHash(db, hash);
      return Status::Ok();
    });
    if (!st.ok()) return st;
    if (!token) return Status(Code::kUnauthenticated, "unknown token");
    cache.Put(hash, *token);
  }
  TANDEM_RETURN_IF_ERROR(store::CheckTokenUsable(*token, now));
  return *token;
}

constexpr const char* kIndexPage = R"(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Tandem</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:44rem;margin:3rem auto;padding:0 1rem}
code{background:#f3f3f3;padding:0 .3em}</style></head>
<body><h1>Tandem</h1>
<p>One person record, one lead model and one SLA for marketing and sales.</p>
<ul>
<li>API: <code>/api/v1</code>, every call with <code>Authorization: Bearer &lt;token&gt;</code>
(<code>make run</code> keeps an admin token in <code>var/admin.token</code>).</li>
<li>The API document: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a> (OpenAPI 3.1).</li>
<li>Liveness: <a href="/health">/health</a>.</li>
</ul></body></html>
)";

}  // namespace

Api::Api(store::Store& store, ingest::LeadModel& leads, ingest::SlaModel& sla, const Clock& clock,
         ApiOptions options)
    : store_(store), leads_(leads), sla_(sla), clock_(clock), options_(std::move(options)) {
  store_.OnRecordsChanged([this](const std::vector<int64_t>& ids) { records_.Invalidate(ids); });
  ApiContext ctx{store_, leads_, sla_, clock_, options_, tokens_, records_};
  router_.Add({"GET", "/health", Permission::kPublic, "Liveness and version; no token needed",
               [this](const Call&) {
                 return Json(200, "{\"status\":\"ok\",\"version\":\"" + options_.version +
                                      "\",\"schema\":" +
                                      std::to_string(store::LatestSchemaVersion()) + "}");
               }});
  router_.Add({"GET", "/api/v1/openapi.json", Permission::kPublic,
               "This API's OpenAPI 3.1 document",
               [this](const Call&) { return Json(200, openapi_); }});
  router_.Add({"GET", "/", Permission::kPublic, "A page that points to the API and its document",
               [](const Call&) {
                 Response r;
                 r.content_type = "text/html; charset=utf-8";
                 r.body = kIndexPage;
                 return r;
               }});
  AddPeopleRoutes(router_, ctx);
  AddCompanyRoutes(router_, ctx);
  AddActivityRoutes(router_, ctx);
  AddAdminRoutes(router_, ctx);
  AddImportRoutes(router_, ctx);
  AddPolicyRoutes(router_, ctx);
  AddPolicyAnalysisRoutes(router_, ctx);
  AddSlaRoutes(router_, ctx);
  AddActionRoutes(router_, ctx);
  openapi_ = BuildOpenApiDocument(router_, options_.version);
}

Api::~Api() { store_.OnRecordsChanged(nullptr); }

Response Api::Handle(Request in) const {
  try {
    return Dispatch(std::move(in));
  } catch (const std::exception& e) {
    return Problem(Internal(std::string("unexpected error: ") + e.what()));
  }
}

Response Api::Dispatch(Request req) const {
  auto target = ParseTarget(req.target);
  if (!target) return Problem(InvalidArgument("malformed percent-encoding in the URL"), 400);
  req.path = std::move(target->first);
  req.query = std::move(target->second);
  std::map<std::string, std::string> params;
  bool path_known = false;
  const Route* route = router_.Match(req.method, req.path, params, &path_known);
  if (!route) {
    if (path_known) {
      return Problem(
          Status(Code::kInvalidArgument, "method " + req.method + " is not allowed on " + req.path),
          405);
    }
    return Problem(NotFound("no such endpoint: " + req.path));
  }
  Call call{req, std::move(params), {}};
  if (route->permission != Permission::kPublic) {
    auto who = Authenticate(store_, tokens_, req, clock_.Now());
    if (!who.ok()) return Problem(who.status());
    if (!Allowed(route->permission, who->role)) {
      return Problem(Status(Code::kPermissionDenied, "role " + std::string(RoleName(who->role)) +
                                                         " may not " + req.method + " " +
                                                         route->pattern));
    }
    call.caller = std::move(*who);
  }
  return route->handler(call);
}

}  // namespace tandem::api
