// /api/v1/policy: the qualification policy's versions, proposals and approvals (DESIGN.md,
// "Policy and SLA documents"); and /api/v1/people/{id}/explain, why a person stands where
// they do under it.
#include <charconv>

#include "api/api.h"
#include "api/json_codec.h"
#include "api/lead_json.h"
#include "api/list_page.h"
#include "api/problem.h"
#include "base/strings.h"
#include "engine/policy_toml.h"

namespace tandem::api {
namespace {

User Caller(const Call& c) {
  return User{.id = c.caller.user, .email = c.caller.user_email, .role = c.caller.role};
}

// The media type of a header value, without parameters, lower-cased.
std::string MediaType(const std::string& value) {
  return AsciiLower(Trim(std::string_view(value).substr(0, value.find(';'))));
}

bool WantsToml(const Request& r) {
  std::string accept = r.Header("accept");
  for (auto part : Split(accept, ',')) {
    if (MediaType(std::string(part)) == "application/toml") return true;
  }
  return false;
}

// If-Match: a version number, bare or quoted as its ETag; absent or "*" means any version.
Result<std::optional<int>> IfMatch(const Request& r) {
  std::string_view v = Trim(r.Header("if-match"));
  if (v.empty() || v == "*") return std::optional<int>();
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  int n = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || end != v.data() + v.size() || n < 0) {
    return InvalidArgument("If-Match must be a policy version number",
                           {{"If-Match", "not a version number"}});
  }
  return std::optional<int>(n);
}

// A version as TOML (for Accept: application/toml) or JSON, tagged with its number.
Response VersionResponse(const Request& req, const ingest::PolicyVersion& v, int status) {
  Response r;
  if (WantsToml(req)) {
    r.status = status;
    r.content_type = "application/toml";
    r.body = v.toml;
  } else {
    r = Json(status, PolicyVersionJson(v));
  }
  r.headers.emplace_back("ETag", "\"" + std::to_string(v.version) + "\"");
  r.headers.emplace_back("Tandem-Policy-Version", std::to_string(v.version));
  return r;
}

Response GetActive(const ApiContext& ctx, const Call& c) {
  ingest::PolicyVersion v = ctx.leads.Active();
  if (v.version == 0) return Problem(NotFound("no policy is active"));
  return VersionResponse(c.request, v, 200);
}

Response Propose(const ApiContext& ctx, const Call& c) {
  const Request& req = c.request;
  if (MediaType(req.Header("content-type")) != "application/toml") {
    return Problem(InvalidArgument("a policy is sent as TOML text with Content-Type: "
                                   "application/toml"),
                   415);
  }
  if (req.body.size() > engine::kMaxPolicyBytes) {
    return Problem(Status(Code::kTooLarge, "a policy document is at most 256 KiB"));
  }
  if (!IsValidUtf8(req.body)) {
    return Problem(InvalidArgument("the policy is not UTF-8 text", {{"body", "not UTF-8"}}));
  }
  auto if_match = IfMatch(req);
  if (!if_match.ok()) return Problem(if_match.status(), 400);
  auto v = ctx.leads.Propose(req.body, Caller(c), *if_match);
  if (!v.ok()) return Problem(v.status());
  Response r = VersionResponse(req, *v, 201);
  r.headers.emplace_back("Location", "/api/v1/policy/versions/" + std::to_string(v->version));
  return r;
}

Response ListVersions(const ApiContext& ctx, const Call&) {
  JsonWriter w;
  w.BeginObject().Key("items").BeginArray();
  for (const auto& v : ctx.leads.Versions()) w.Raw(PolicyVersionJson(v, /*with_toml=*/false));
  w.EndArray().Key("next_cursor").Null();
  return Json(200, std::move(w.EndObject().str()));
}

Result<int> VersionParam(const Call& c) {
  auto v = ParseIdSegment(c.params.at("v"), "policy version");
  if (!v.ok()) return v.status();
  if (*v > 1'000'000'000) return NotFound("no policy version " + c.params.at("v"));
  return static_cast<int>(*v);
}

Response GetVersion(const ApiContext& ctx, const Call& c) {
  auto n = VersionParam(c);
  if (!n.ok()) return Problem(n.status());
  auto v = ctx.leads.Version(*n);
  return v.ok() ? VersionResponse(c.request, *v, 200) : Problem(v.status());
}

Response Approve(const ApiContext& ctx, const Call& c) {
  auto n = VersionParam(c);
  if (!n.ok()) return Problem(n.status());
  auto v = ctx.leads.Approve(*n, Caller(c));
  return v.ok() ? VersionResponse(c.request, *v, 200) : Problem(v.status());
}

Response Explain(const ApiContext& ctx, const Call& c) {
  auto id = ParseIdSegment(c.params.at("id"), "person");
  if (!id.ok()) return Problem(id.status());
  auto e = ctx.leads.Explain(PersonId(*id), ctx.clock.Now());
  return e.ok() ? Json(200, ExplanationJson(*e)) : Problem(e.status());
}

}  // namespace

void AddPolicyRoutes(Router& r, const ApiContext& ctx) {
  auto bind = [&ctx](auto fn) { return Bind(ctx, fn); };
  r.Add({"GET", "/api/v1/policy", Permission::kRead,
         "The active qualification policy (TOML for Accept: application/toml, else JSON)",
         bind(GetActive)});
  r.Add({"PUT", "/api/v1/policy", Permission::kRead,
         "Propose a new policy version as a draft (TOML body; If-Match: <version>; marketing, "
         "sales managers and admins)",
         bind(Propose)});
  r.Add({"GET", "/api/v1/policy/versions", Permission::kRead,
         "Every policy version, newest first (without their text)", bind(ListVersions)});
  r.Add({"GET", "/api/v1/policy/versions/{v}", Permission::kRead,
         "One policy version (TOML for Accept: application/toml, else JSON)", bind(GetVersion)});
  r.Add({"POST", "/api/v1/policy/versions/{v}/approve", Permission::kRead,
         "Approve a draft for the caller's team (marketing or sales manager; an admin for a "
         "team with no user); with both approvals it takes effect now",
         bind(Approve)});
  r.Add({"GET", "/api/v1/people/{id}/explain", Permission::kRead,
         "Why a person has their score, grade and stage under the active policy", bind(Explain)});
}

}  // namespace tandem::api
