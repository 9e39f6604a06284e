// tandem policy show|versions|propose FILE|approve VERSION — the qualification policy's
// versions, directly on the store or through a running server's API with --url and --token.
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "api/lead_json.h"
#include "app/cli.h"
#include "app/http_client.h"
#include "ingest/lead_model.h"
#include "ingest/normalise.h"
#include "store/users.h"

namespace tandem::app {
namespace {

using nlohmann::json;

struct PolicyArgs {
  int version = 0;              // show (0: the active one), approve
  std::string file, user;       // propose; the acting user's e-mail without --url
  std::optional<int> if_match;  // propose
};

// What a subcommand does with the lead model (local) or the API (remote); JSON either way.
struct Action {
  const char* who;  // the store's holder while it runs (nullptr: "tandem policy")
  bool acts;        // whether the local path needs the acting user (--user)
  std::function<Result<json>(ingest::LeadModel&, const User&)> local;
  std::function<Result<json>(const Globals&)> remote;
};

Result<json> Ask(const Globals& g, const std::string& method, const std::string& path,
                 const std::string& body = "", const std::string& type = "application/json") {
  auto answer = CallApi(g.url, g.token, method, path, body, type);
  if (!answer.ok()) return answer.status();
  json j = json::parse(*answer, nullptr, false);
  if (j.is_discarded()) return FailedPrecondition("the server's answer is not JSON");
  return j;
}

Result<User> Actor(store::Store& store, const std::string& email) {
  if (email.empty()) return InvalidArgument("--user EMAIL names who acts (or use --url)");
  auto folded = ingest::NormaliseEmail(email);
  if (!folded.ok()) return InvalidArgument("--user: " + folded.status().message());
  std::optional<User> u;
  TANDEM_RETURN_IF_ERROR(store.Read([&](sql::Db& db) {
    u = store::FindUserByEmail(db, *folded);
    return Status::Ok();
  }));
  if (!u) return NotFound("no user " + *folded);
  return *u;
}

Result<json> RunLocal(const Globals& g, const Action& a, const std::string& user_email) {
  auto store = g.OpenForWrite(a.who ? a.who : "tandem policy");
  if (!store.ok()) return store.status();
  User user;
  if (a.acts) {
    auto u = Actor(**store, user_email);
    if (!u.ok()) return u.status();
    user = *u;
  }
  auto text = DefaultPolicyText(g.Resolve());
  if (!text.ok()) return text.status();
  auto leads = ingest::LeadModel::Open(**store, *text);
  if (!leads.ok()) return leads.status();
  return a.local(**leads, user);
}

int Run(const Globals& g, const Action& a, const std::string& user_email,
        const std::function<void(const json&)>& print) {
  auto out = g.url.empty() ? RunLocal(g, a, user_email) : a.remote(g);
  if (!out.ok()) {
    std::vector<FieldError> errors = out.status().errors();
    for (auto& e : errors) {
      if (e.line > 0) e.field = "line " + std::to_string(e.line) + ", " + e.field;
    }
    return Fail(Status(out.status().code(), out.status().message(), std::move(errors)));
  }
  print(*out);
  return 0;
}

json VersionJson(const ingest::PolicyVersion& v) { return json::parse(api::PolicyVersionJson(v)); }

std::string Approval(const json& a) {
  if (!a.is_object()) return "-";
  return "user " + (a["user"].is_number() ? std::to_string(a["user"].get<int64_t>()) : "-");
}

void PrintVersions(const json& list) {
  std::printf("%-8s %-11s %-24s %-27s %-10s %-10s %s\n", "VERSION", "STATUS", "NAME", "CREATED",
              "MARKETING", "SALES", "ACTIVATED");
  for (const auto& v : list["items"]) {
    std::printf("%-8d %-11s %-24s %-27s %-10s %-10s %s\n", v["version"].get<int>(),
                v["status"].get<std::string>().c_str(), v["name"].get<std::string>().c_str(),
                v["created_at"].get<std::string>().c_str(),
                Approval(v["approvals"]["marketing"]).c_str(),
                Approval(v["approvals"]["sales"]).c_str(),
                v["activated_at"].is_string() ? v["activated_at"].get<std::string>().c_str() : "-");
  }
}

// The document on stdout (so `show > file.toml` keeps it), what it is on stderr.
void PrintVersion(const json& v) {
  std::cerr << "# policy version " << v["version"].get<int>() << " ("
            << v["name"].get<std::string>() << "), " << v["status"].get<std::string>()
            << ", marketing " << Approval(v["approvals"]["marketing"]) << ", sales "
            << Approval(v["approvals"]["sales"]) << "\n";
  std::cout << v["toml"].get<std::string>();
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Action Show(int version) {
  std::string path =
      version ? "/api/v1/policy/versions/" + std::to_string(version) : "/api/v1/policy";
  return {nullptr, false,
          [version](ingest::LeadModel& m, const User&) -> Result<json> {
            if (!version) return VersionJson(m.Active());
            auto v = m.Version(version);
            if (!v.ok()) return v.status();
            return VersionJson(*v);
          },
          [path](const Globals& g) { return Ask(g, "GET", path); }};
}

Action Versions() {
  return {nullptr, false,
          [](ingest::LeadModel& m, const User&) -> Result<json> {
            json items = json::array();
            for (const auto& v : m.Versions()) items.push_back(VersionJson(v));
            return json{{"items", items}};
          },
          [](const Globals& g) { return Ask(g, "GET", "/api/v1/policy/versions"); }};
}

Action Propose(std::string text, std::optional<int> if_match) {
  return {"tandem policy propose", true,
          [text, if_match](ingest::LeadModel& m, const User& u) -> Result<json> {
            auto v = m.Propose(text, u, if_match);
            if (!v.ok()) return v.status();
            return VersionJson(*v);
          },
          [text](const Globals& g) {
            return Ask(g, "PUT", "/api/v1/policy", text, "application/toml");
          }};
}

Action Approve(int version) {
  return {"tandem policy approve", true,
          [version](ingest::LeadModel& m, const User& u) -> Result<json> {
            auto v = m.Approve(version, u);
            if (!v.ok()) return v.status();
            return VersionJson(*v);
          },
          [version](const Globals& g) {
            return Ask(g, "POST",
                       "/api/v1/policy/versions/" + std::to_string(version) + "/approve");
          }};
}

void PrintStatus(const json& v) {
  std::cout << "policy version " << v["version"].get<int>() << " is "
            << v["status"].get<std::string>() << " (marketing "
            << Approval(v["approvals"]["marketing"]) << ", sales "
            << Approval(v["approvals"]["sales"]) << ")\n";
}

void AddRemoteOptions(CLI::App* sub, Globals& g) {
  sub->add_option("--url", g.url, "Act through a running server, e.g. http://127.0.0.1:8080");
  sub->add_option("--token", g.token, "A token for --url");
}

void AddReadCommands(CLI::App* policy, Globals& g, std::shared_ptr<PolicyArgs> a) {
  auto remote = [&g](CLI::App* sub) { AddRemoteOptions(sub, g); };
  auto* show = policy->add_subcommand("show", "Print a version's TOML (default: the active one)");
  show->add_option("version", a->version, "A version number");
  remote(show);
  show->callback([&g, a] {
    if (int rc = Run(g, Show(a->version), "", PrintVersion)) throw CLI::RuntimeError(rc);
  });
  auto* versions = policy->add_subcommand("versions", "List every version, newest first");
  remote(versions);
  versions->callback([&g] {
    if (int rc = Run(g, Versions(), "", PrintVersions)) throw CLI::RuntimeError(rc);
  });
}

void AddWriteCommands(CLI::App* policy, Globals& g, std::shared_ptr<PolicyArgs> a) {
  auto remote = [&g](CLI::App* sub) { AddRemoteOptions(sub, g); };
  auto* propose = policy->add_subcommand("propose", "Store a TOML file as a new draft version");
  propose->add_option("file", a->file, "The policy document")->required();
  propose->add_option("--if-match", a->if_match, "Refuse unless this is the latest version");
  propose->add_option("--user", a->user, "Who proposes it (an e-mail; not with --url)");
  remote(propose);
  propose->callback([&g, a] {
    auto text = ReadFile(a->file);
    int rc =
        text.ok() ? Run(g, Propose(*text, a->if_match), a->user, PrintStatus) : Fail(text.status());
    if (rc) throw CLI::RuntimeError(rc);
  });
  auto* approve = policy->add_subcommand("approve", "Approve a draft for your team");
  approve->add_option("version", a->version, "The draft's version number")->required();
  approve->add_option("--user", a->user, "Who approves (an e-mail; not with --url)");
  remote(approve);
  approve->callback([&g, a] {
    if (int rc = Run(g, Approve(a->version), a->user, PrintStatus)) throw CLI::RuntimeError(rc);
  });
}

}  // namespace

void AddPolicyCommands(CLI::App& app, Globals& g) {
  auto a = std::make_shared<PolicyArgs>();
  auto* policy = app.add_subcommand("policy", "Show, propose and approve qualification policies");
  policy->require_subcommand(1);
  AddReadCommands(policy, g, a);
  AddWriteCommands(policy, g, a);
}

}  // namespace tandem::app
