#include "api/document_routes.h"

#include <charconv>

#include "api/json_codec.h"
#include "api/json_writer.h"
#include "api/lead_json.h"
#include "api/problem.h"
#include "base/strings.h"

namespace tandem::api {
namespace {

// The routes' shared state: immutable after AddDocumentRoutes.
struct Document {
  DocumentNames names;
  std::shared_ptr<AgreedDocumentPort> port;
};
using DocumentPtr = std::shared_ptr<const Document>;

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
Result<std::optional<int>> IfMatch(const Document& d, const Request& r) {
  std::string_view v = Trim(r.Header("if-match"));
  if (v.empty() || v == "*") return std::optional<int>();
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  int n = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || end != v.data() + v.size() || n < 0) {
    return InvalidArgument("If-Match must be " + d.names.a_name + " version number",
                           {{"If-Match", "not a version number"}});
  }
  return std::optional<int>(n);
}

// A version as TOML (for Accept: application/toml) or JSON, tagged with its number.
Response VersionResponse(const Document& d, const Request& req, const ingest::DocumentVersion& v,
                         int status) {
  Response r;
  if (WantsToml(req)) {
    r.status = status;
    r.content_type = "application/toml";
    r.body = v.toml;
  } else {
    r = Json(status, DocumentVersionJson(v, /*with_toml=*/true, d.port->DocumentJson(v)));
  }
  r.headers.emplace_back("ETag", "\"" + std::to_string(v.version) + "\"");
  r.headers.emplace_back(d.names.version_header, std::to_string(v.version));
  return r;
}

Response GetActive(const Document& d, const Call& c) {
  ingest::DocumentVersion v = d.port->Active();
  if (v.version == 0) return Problem(NotFound("no " + d.names.name + " is active"));
  return VersionResponse(d, c.request, v, 200);
}

// The body's checks before the model's: TOML media type (415), size (413), UTF-8 (422).
Status CheckBody(const Document& d, const Request& req, int* http_status) {
  if (MediaType(req.Header("content-type")) != "application/toml") {
    *http_status = 415;
    return InvalidArgument(d.names.a_name +
                           " is sent as TOML text with Content-Type: application/toml");
  }
  if (req.body.size() > d.names.max_bytes) {
    return Status(Code::kTooLarge, d.names.a_name + " document is at most " +
                                       std::to_string(d.names.max_bytes / 1024) + " KiB");
  }
  if (!IsValidUtf8(req.body)) {
    return InvalidArgument("the " + d.names.name + " is not UTF-8 text", {{"body", "not UTF-8"}});
  }
  return Status::Ok();
}

Response Propose(const Document& d, const Call& c) {
  const Request& req = c.request;
  int http_status = 0;
  if (Status st = CheckBody(d, req, &http_status); !st.ok()) return Problem(st, http_status);
  auto if_match = IfMatch(d, req);
  if (!if_match.ok()) return Problem(if_match.status(), 400);
  auto v = d.port->Propose(req.body, CallerOf(c), *if_match);
  if (!v.ok()) return Problem(v.status());
  Response r = VersionResponse(d, req, *v, 201);
  r.headers.emplace_back("Location",
                         "/api/v1/" + d.names.segment + "/versions/" + std::to_string(v->version));
  return r;
}

Response ListVersions(const Document& d, const Call&) {
  JsonWriter w;
  w.BeginObject().Key("items").BeginArray();
  for (const auto& v : d.port->Versions()) w.Raw(DocumentVersionJson(v, /*with_toml=*/false));
  w.EndArray().Key("next_cursor").Null();
  return Json(200, std::move(w.EndObject().str()));
}

Result<int> VersionParam(const Document& d, const Call& c) {
  std::string what = d.names.name + " version";
  auto v = ParseIdSegment(c.params.at("v"), what.c_str());
  if (!v.ok()) return v.status();
  if (*v > 1'000'000'000) return NotFound("no " + what + " " + c.params.at("v"));
  return static_cast<int>(*v);
}

Response GetVersion(const Document& d, const Call& c) {
  auto n = VersionParam(d, c);
  if (!n.ok()) return Problem(n.status());
  auto v = d.port->Version(*n);
  return v.ok() ? VersionResponse(d, c.request, *v, 200) : Problem(v.status());
}

Response Approve(const Document& d, const Call& c) {
  auto n = VersionParam(d, c);
  if (!n.ok()) return Problem(n.status());
  auto v = d.port->Approve(*n, CallerOf(c));
  return v.ok() ? VersionResponse(d, c.request, *v, 200) : Problem(v.status());
}

RouteHandler Handler(DocumentPtr d, Response (*fn)(const Document&, const Call&)) {
  return [d = std::move(d), fn](const Call& c) { return fn(*d, c); };
}

}  // namespace

User CallerOf(const Call& c) {
  return User{.id = c.caller.user, .email = c.caller.user_email, .role = c.caller.role};
}

void AddDocumentRoutes(Router& r, const DocumentNames& names,
                       std::shared_ptr<AgreedDocumentPort> port) {
  auto d = std::make_shared<const Document>(Document{names, std::move(port)});
  std::string base = "/api/v1/" + names.segment;
  // The models check roles: anyone may read; proposing and approving have rules of their own.
  r.Add({"GET", base, Permission::kRead,
         "The active " + names.long_name + " (TOML for Accept: application/toml, else JSON)",
         Handler(d, GetActive)});
  r.Add({"PUT", base, Permission::kRead,
         "Propose a new " + names.name +
             " version as a draft (TOML body; If-Match: <version>; marketing, sales managers "
             "and admins)",
         Handler(d, Propose)});
  r.Add({"GET", base + "/versions", Permission::kRead,
         "Every " + names.name + " version, newest first (without their text)",
         Handler(d, ListVersions)});
  r.Add({"GET", base + "/versions/{v}", Permission::kRead,
         "One " + names.name + " version (TOML for Accept: application/toml, else JSON)",
         Handler(d, GetVersion)});
  r.Add({"POST", base + "/versions/{v}/approve", Permission::kRead,
         "Approve a draft for the caller's team (marketing or sales manager; an admin for a "
         "team with no user); with both approvals it takes effect now",
         Handler(d, Approve)});
}

}  // namespace tandem::api
