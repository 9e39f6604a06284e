// Users, teams and tokens: /api/v1/me, /users, /teams, /tokens.
#include <nlohmann/json.hpp>

#include "api/api.h"
#include "api/json_codec.h"
#include "api/list_page.h"
#include "api/problem.h"
#include "ingest/normalise.h"
#include "store/users.h"

namespace tandem::api {
namespace {

using nlohmann::json;

json UserToJson(const User& u) {
  return {{"id", u.id.value()},
          {"email", u.email},
          {"name", u.name},
          {"role", RoleName(u.role)},
          {"team", u.team.valid() ? json(u.team.value()) : json(nullptr)},
          {"out_of_office", u.out_of_office}};
}

json TokenToJson(const TokenInfo& t) {
  auto opt = [](const std::optional<Timestamp>& v) {
    return v ? json(FormatTimestamp(*v)) : json(nullptr);
  };
  return {{"id", t.id.value()},
          {"user", t.user.value()},
          {"user_email", t.user_email},
          {"role", RoleName(t.role)},
          {"label", t.label},
          {"created_at", FormatTimestamp(t.created_at)},
          {"expires_at", opt(t.expires_at)},
          {"revoked_at", opt(t.revoked_at)}};
}

Response Items(json items) {
  return Json(200, json{{"items", std::move(items)}, {"next_cursor", nullptr}}.dump());
}

Response Me(const ApiContext&, const Call& c) { return Json(200, TokenToJson(c.caller).dump()); }

Response ListUsers(const ApiContext& ctx, const Call&) {
  json items = json::array();
  Status st = ctx.store.Read([&](sql::Db& db) {
    for (const auto& u : store::ListUsers(db)) items.push_back(UserToJson(u));
    return Status::Ok();
  });
  return st.ok() ? Items(std::move(items)) : Problem(st);
}

Response ListTeams(const ApiContext& ctx, const Call&) {
  json items = json::array();
  Status st = ctx.store.Read([&](sql::Db& db) {
    for (const auto& t : store::ListTeams(db)) {
      items.push_back({{"id", t.id.value()},
                       {"name", t.name},
                       {"manager", t.manager.valid() ? json(t.manager.value()) : json(nullptr)},
                       {"time_zone", t.time_zone},
                       {"business_hours", t.business_hours},
                       {"holidays", t.holidays}});
    }
    return Status::Ok();
  });
  return st.ok() ? Items(std::move(items)) : Problem(st);
}

// Creates a user with a role; tokens for them come from POST /api/v1/tokens.
Response CreateUser(const ApiContext& ctx, const Call& c) {
  auto body = ParseObjectBody(c.request.body);
  if (!body.ok()) return Problem(body.status(), 400);
  std::vector<FieldError> errors;
  auto text = [&](const char* k) { return OptionalString(*body, k, "", errors); };
  User u;
  auto email = ingest::NormaliseEmail(text("email"));
  if (!email.ok())
    errors.push_back({"email", email.status().message()});
  else
    u.email = *email;
  u.name = text("name");
  auto role = ParseRole(text("role"));
  if (!role)
    errors.push_back({"role", "one of admin, marketing, sales_manager, sales_rep, viewer"});
  else
    u.role = *role;
  if (!errors.empty()) return Problem(InvalidArgument("invalid user", std::move(errors)));
  Status st = ctx.store.Write([&](store::WriteTxn& t) { return store::InsertUser(t, u); });
  return st.ok() ? Json(201, UserToJson(u).dump()) : Problem(st);
}

Response CreateToken(const ApiContext& ctx, const Call& c) {
  auto body = ParseObjectBody(c.request.body.empty() ? "{}" : c.request.body);
  if (!body.ok()) return Problem(body.status(), 400);
  std::vector<FieldError> errors;
  std::string email = OptionalString(*body, "user", c.caller.user_email, errors);
  std::string label = OptionalString(*body, "label", "", errors);
  if (!errors.empty()) return Problem(InvalidArgument("invalid token", std::move(errors)));
  std::optional<Timestamp> expires;
  if (body->contains("expires_at")) {
    auto t = (*body)["expires_at"].is_string()
                 ? ParseTimestamp((*body)["expires_at"].get<std::string>())
                 : std::nullopt;
    if (!t) return Problem(InvalidArgument("invalid token", {{"expires_at", "RFC 3339 time"}}));
    expires = t;
  }
  store::NewToken out;
  Status st = ctx.store.Write([&](store::WriteTxn& t) {
    auto user = store::FindUserByEmail(t.db(), email);
    if (!user) return NotFound("no user with e-mail " + email);
    auto tok = store::CreateToken(t, *user, label, expires);
    if (tok.ok()) out = std::move(*tok);
    return tok.status();
  });
  if (!st.ok()) return Problem(st);
  json j = TokenToJson(out.info);
  j["token"] = out.secret;
  return Json(201, j.dump());
}

Response ListTokens(const ApiContext& ctx, const Call&) {
  json items = json::array();
  Status st = ctx.store.Read([&](sql::Db& db) {
    for (const auto& t : store::ListTokens(db)) items.push_back(TokenToJson(t));
    return Status::Ok();
  });
  return st.ok() ? Items(std::move(items)) : Problem(st);
}

Response RevokeToken(const ApiContext& ctx, const Call& c) {
  auto id = ParseIdSegment(c.params.at("id"), "token");
  if (!id.ok()) return Problem(id.status());
  Status st =
      ctx.store.Write([&](store::WriteTxn& t) { return store::RevokeToken(t, TokenId(*id)); });
  ctx.tokens.Clear();
  return st.ok() ? Json(200, json{{"id", *id}, {"revoked", true}}.dump()) : Problem(st);
}

}  // namespace

void AddAdminRoutes(Router& r, const ApiContext& ctx) {
  auto bind = [&ctx](auto fn) { return Bind(ctx, fn); };
  r.Add({"GET", "/api/v1/me", Permission::kRead, "The caller's token and role", bind(Me)});
  r.Add({"GET", "/api/v1/users", Permission::kRead, "List users", bind(ListUsers)});
  r.Add({"POST", "/api/v1/users", Permission::kAdmin, "Create a user", bind(CreateUser)});
  r.Add({"GET", "/api/v1/teams", Permission::kRead, "List teams", bind(ListTeams)});
  r.Add({"GET", "/api/v1/tokens", Permission::kAdmin, "List tokens (never their secrets)",
         bind(ListTokens)});
  r.Add({"POST", "/api/v1/tokens", Permission::kAdmin,
         "Create a token for a user; the secret is shown once", bind(CreateToken)});
  r.Add({"DELETE", "/api/v1/tokens/{id}", Permission::kAdmin, "Revoke a token", bind(RevokeToken)});
}

}  // namespace tandem::api
