// tandem token create|list|revoke — directly on the store, or through a server's API with
// --url and --token when a server holds the store.
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/cli.h"
#include "app/http_client.h"
#include "ingest/normalise.h"
#include "store/users.h"

namespace tandem::app {
namespace {

using nlohmann::json;

struct TokenArgs {
  std::string user, role = "viewer", label;
  int expires_days = 0;
  int64_t revoke_id = 0;
};

std::optional<Timestamp> Expiry(const Globals& g, const TokenArgs& a) {
  if (a.expires_days <= 0) return std::nullopt;
  return g.clock.Now() + std::chrono::days(a.expires_days);
}

// Through the API: reports the server's problem detail on failure.
Result<json> Call(const Globals& g, const std::string& method, const std::string& path,
                  const json& body = nullptr) {
  auto r = HttpCall(g.url, method, path, g.token, body.is_null() ? "" : body.dump());
  if (!r.ok()) return r.status();
  json j = json::parse(r->body, nullptr, false);
  if (r->status >= 300) {
    std::string detail = j.is_object() ? j.value("detail", r->body) : r->body;
    return Status(Code::kFailedPrecondition,
                  "server answered " + std::to_string(r->status) + ": " + detail);
  }
  return j;
}

int CreateRemote(const Globals& g, const TokenArgs& a) {
  auto users = Call(g, "GET", "/api/v1/users");
  if (!users.ok()) return Fail(users.status());
  bool exists = false;
  for (const auto& u : (*users)["items"]) exists = exists || u["email"] == a.user;
  if (!exists) {
    auto made = Call(g, "POST", "/api/v1/users", {{"email", a.user}, {"role", a.role}});
    if (!made.ok()) return Fail(made.status());
  }
  json req = {{"user", a.user}, {"label", a.label}};
  if (auto e = Expiry(g, a)) req["expires_at"] = FormatTimestamp(*e);
  auto tok = Call(g, "POST", "/api/v1/tokens", req);
  if (!tok.ok()) return Fail(tok.status());
  std::cout << (*tok)["token"].get<std::string>() << "\n";
  return 0;
}

int Create(const Globals& g, const TokenArgs& a) {
  auto email = ingest::NormaliseEmail(a.user);
  if (!email.ok()) return Fail(InvalidArgument("--user: " + email.status().message()));
  auto role = ParseRole(a.role);
  if (!role)
    return Fail(
        InvalidArgument("--role must be admin, marketing, sales_manager, "
                        "sales_rep or viewer"));
  if (!g.url.empty())
    return CreateRemote(
        g, {.user = *email, .role = a.role, .label = a.label, .expires_days = a.expires_days});
  auto store = g.OpenForWrite("tandem token create");
  if (!store.ok()) return Fail(store.status());
  store::NewToken out;
  bool created_user = false;
  Status st = (*store)->Write([&](store::WriteTxn& t) {
    auto user = store::FindUserByEmail(t.db(), *email);
    if (!user) {
      User u{.email = *email, .role = *role};
      TANDEM_RETURN_IF_ERROR(store::InsertUser(t, u));
      user = u;
      created_user = true;
    }
    auto tok = store::CreateToken(t, *user, a.label, Expiry(g, a));
    if (tok.ok()) out = std::move(*tok);
    return tok.status();
  });
  if (!st.ok()) return Fail(st);
  std::cerr << (created_user ? "created user " : "token for ") << *email << " (role "
            << RoleName(out.info.role) << "); it is shown once:\n";
  std::cout << out.secret << "\n";
  return 0;
}

void PrintTokens(const json& items) {
  std::printf("%-6s %-32s %-14s %-12s %-21s %s\n", "ID", "USER", "ROLE", "LABEL", "EXPIRES",
              "STATE");
  for (const auto& t : items) {
    std::string expires = t["expires_at"].is_null() ? "-" : t["expires_at"].get<std::string>();
    std::printf("%-6lld %-32s %-14s %-12s %-21s %s\n",
                static_cast<long long>(t["id"].get<int64_t>()),
                t["user_email"].get<std::string>().c_str(), t["role"].get<std::string>().c_str(),
                t["label"].get<std::string>().c_str(), expires.c_str(),
                t["revoked_at"].is_null() ? "active" : "revoked");
  }
}

int List(const Globals& g) {
  if (!g.url.empty()) {
    auto r = Call(g, "GET", "/api/v1/tokens");
    if (!r.ok()) return Fail(r.status());
    PrintTokens((*r)["items"]);
    return 0;
  }
  auto store = g.OpenForRead();
  if (!store.ok()) return Fail(store.status());
  json items = json::array();
  (void)(*store)->Read([&](sql::Db& db) {
    for (const auto& t : store::ListTokens(db)) {
      items.push_back(
          {{"id", t.id.value()},
           {"user_email", t.user_email},
           {"role", RoleName(t.role)},
           {"label", t.label},
           {"expires_at", t.expires_at ? json(FormatTimestamp(*t.expires_at)) : json(nullptr)},
           {"revoked_at", t.revoked_at ? json(1) : json(nullptr)}});
    }
    return Status::Ok();
  });
  PrintTokens(items);
  return 0;
}

int Revoke(const Globals& g, int64_t id) {
  if (!g.url.empty()) {
    auto r = Call(g, "DELETE", "/api/v1/tokens/" + std::to_string(id));
    if (!r.ok()) return Fail(r.status());
  } else {
    auto store = g.OpenForWrite("tandem token revoke");
    if (!store.ok()) return Fail(store.status());
    Status st =
        (*store)->Write([&](store::WriteTxn& t) { return store::RevokeToken(t, TokenId(id)); });
    if (!st.ok()) return Fail(st);
  }
  std::cout << "token " << id << " revoked\n";
  return 0;
}

}  // namespace

void AddTokenCommands(CLI::App& app, Globals& g) {
  auto a = std::make_shared<TokenArgs>();
  auto* token = app.add_subcommand("token", "Create, list and revoke API tokens");
  token->require_subcommand(1);
  auto remote = [&g](CLI::App* sub) {
    sub->add_option("--url", g.url, "Act through a running server, e.g. http://127.0.0.1:8080");
    sub->add_option("--token", g.token, "An admin token for --url");
  };
  auto* create = token->add_subcommand(
      "create", "Create a token (and the user, if new); prints the token alone on the last line");
  create->add_option("--user", a->user, "The user's e-mail")->required();
  create->add_option("--role", a->role,
                     "Role for a new user: admin, marketing, sales_manager, sales_rep, viewer");
  create->add_option("--label", a->label, "A note to tell tokens apart");
  create->add_option("--expires-days", a->expires_days, "Expire after this many days");
  remote(create);
  create->callback([&g, a] {
    if (int rc = Create(g, *a)) throw CLI::RuntimeError(rc);
  });
  auto* list = token->add_subcommand("list", "List tokens (never their secrets)");
  remote(list);
  list->callback([&g] {
    if (int rc = List(g)) throw CLI::RuntimeError(rc);
  });
  auto* revoke = token->add_subcommand("revoke", "Revoke a token by id");
  revoke->add_option("id", a->revoke_id, "Token id (see token list)")->required();
  remote(revoke);
  revoke->callback([&g, a] {
    if (int rc = Revoke(g, a->revoke_id)) throw CLI::RuntimeError(rc);
  });
}

}  // namespace tandem::app
