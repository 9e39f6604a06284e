#include "app/cli_documents.h"

#include <charconv>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "api/lead_json.h"
#include "api/sla_json.h"
#include "app/http_client.h"
#include "ingest/normalise.h"
#include "store/people.h"
#include "store/users.h"

namespace tandem::app {
namespace {

using nlohmann::json;

struct DocumentArgs {
  int version = 0;              // show (0: the active one), approve
  std::string file, user;       // propose; the acting user's e-mail without --url
  std::optional<int> if_match;  // propose
  bool toml = false, json = false;
};

// One subcommand: what it does with the document's model (local) or the API (remote).
struct Step {
  std::string name;  // show, versions, propose, approve
  bool acts;         // whether the local path needs the acting user (--user)
  std::function<Result<json>(api::AgreedDocumentPort&, const User&)> local;
  std::string method, path, body, content_type = "application/json";
};

using Printer = std::function<void(const DocumentCommand&, const json&)>;

// A refused document's errors name their line first: "line 12, lead_types[0].id".
Status WithLines(const Status& st) {
  std::vector<FieldError> errors = st.errors();
  for (auto& e : errors) {
    if (e.line > 0) e.field = "line " + std::to_string(e.line) + ", " + e.field;
  }
  return Status(st.code(), st.message(), std::move(errors));
}

int Print(const DocumentCommand& doc, const DocumentArgs& a, const Printer& print,
          const json& out) {
  if (a.json) {
    std::cout << out.dump() << "\n";
  } else {
    print(doc, out);
  }
  return 0;
}

int RunLocal(const Globals& g, const DocumentCommand& doc, const Step& s, const DocumentArgs& a,
             const Printer& print) {
  auto store = g.OpenForWrite("tandem " + doc.command + " " + s.name);
  if (!store.ok()) return Fail(store.status());
  User user;
  if (s.acts) {
    auto u = FindActor(**store, a.user);
    if (!u.ok()) return Fail(u.status());
    user = *u;
  }
  auto models = g.OpenModels(**store);
  if (!models.ok()) return Fail(models.status());
  auto out = s.local(*doc.port(*models), user);
  if (!out.ok()) return Refused(WithLines(out.status()));
  return Print(doc, a, print, *out);
}

int Run(const Globals& g, const DocumentCommand& doc, const Step& s, const DocumentArgs& a,
        const Printer& print) {
  if (g.url.empty()) return RunLocal(g, doc, s, a, print);
  auto out = AskApi(g, s.method, s.path, s.body, s.content_type);
  if (!out.ok()) return Refused(WithLines(out.status()));
  return Print(doc, a, print, *out);
}

json VersionJson(const api::AgreedDocumentPort& port, const ingest::DocumentVersion& v,
                 bool whole) {
  return json::parse(api::DocumentVersionJson(v, whole, whole ? port.DocumentJson(v) : ""));
}

std::string Approval(const json& a) {
  if (!a.is_object()) return "-";
  return "user " + (a["user"].is_number() ? std::to_string(a["user"].get<int64_t>()) : "-");
}

void PrintVersions(const DocumentCommand&, const json& list) {
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

std::string Summary(const DocumentCommand& doc, const json& v) {
  return doc.title + " version " + std::to_string(v["version"].get<int>()) + " (" +
         v["name"].get<std::string>() + ") is " + v["status"].get<std::string>() + " (marketing " +
         Approval(v["approvals"]["marketing"]) + ", sales " + Approval(v["approvals"]["sales"]) +
         ")";
}

// The document on stdout (so `show > file.toml` keeps it), what it is on stderr.
void PrintVersion(const DocumentCommand& doc, const json& v) {
  std::cerr << "# " << Summary(doc, v) << "\n";
  std::cout << v["toml"].get<std::string>();
}

void PrintToml(const DocumentCommand&, const json& v) { std::cout << v["toml"].get<std::string>(); }

void PrintStatus(const DocumentCommand& doc, const json& v) {
  std::cout << Summary(doc, v) << "\n";
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string Root(const DocumentCommand& doc) { return "/api/v1/" + doc.command; }

Step Show(const DocumentCommand& doc, int version) {
  std::string path = version ? Root(doc) + "/versions/" + std::to_string(version) : Root(doc);
  return {"show", false,
          [version](api::AgreedDocumentPort& m, const User&) -> Result<json> {
            if (!version) return VersionJson(m, m.Active(), true);
            auto v = m.Version(version);
            if (!v.ok()) return v.status();
            return VersionJson(m, *v, true);
          },
          "GET", path};
}

Step Versions(const DocumentCommand& doc) {
  return {"versions", false,
          [](api::AgreedDocumentPort& m, const User&) -> Result<json> {
            json items = json::array();
            for (const auto& v : m.Versions()) items.push_back(VersionJson(m, v, false));
            return json{{"items", items}, {"next_cursor", nullptr}};
          },
          "GET", Root(doc) + "/versions"};
}

Step Propose(const DocumentCommand& doc, std::string text, std::optional<int> if_match) {
  std::string body = text;
  return {"propose",
          true,
          [text = std::move(text), if_match](api::AgreedDocumentPort& m,
                                             const User& u) -> Result<json> {
            auto v = m.Propose(text, u, if_match);
            if (!v.ok()) return v.status();
            return VersionJson(m, *v, true);
          },
          "PUT",
          Root(doc),
          std::move(body),
          "application/toml"};
}

Step Approve(const DocumentCommand& doc, int version) {
  return {"approve", true,
          [version](api::AgreedDocumentPort& m, const User& u) -> Result<json> {
            auto v = m.Approve(version, u);
            if (!v.ok()) return v.status();
            return VersionJson(m, *v, true);
          },
          "POST", Root(doc) + "/versions/" + std::to_string(version) + "/approve"};
}

void Throw(int rc) {
  if (rc) throw CLI::RuntimeError(rc);
}

void AddReadCommands(CLI::App* cmd, Globals& g, std::shared_ptr<const DocumentCommand> doc,
                     std::shared_ptr<DocumentArgs> a) {
  auto* show = cmd->add_subcommand("show", "Print a version's TOML (default: the active one)");
  show->add_option("version", a->version, "A version number");
  auto* toml = show->add_flag("--toml", a->toml, "The TOML alone, without the summary");
  show->add_flag("--json", a->json, "The version as JSON")->excludes(toml);
  AddRemoteOptions(show, g);
  show->callback([&g, doc, a] {
    Throw(Run(g, *doc, Show(*doc, a->version), *a, a->toml ? PrintToml : PrintVersion));
  });
  auto* versions = cmd->add_subcommand("versions", "List every version, newest first");
  versions->add_flag("--json", a->json, "The list as JSON");
  AddRemoteOptions(versions, g);
  versions->callback([&g, doc, a] { Throw(Run(g, *doc, Versions(*doc), *a, PrintVersions)); });
}

void AddWriteCommands(CLI::App* cmd, Globals& g, std::shared_ptr<const DocumentCommand> doc,
                      std::shared_ptr<DocumentArgs> a) {
  auto* propose = cmd->add_subcommand("propose", "Store a TOML file as a new draft version");
  propose->add_option("file", a->file, "The " + doc->title + " document")->required();
  propose->add_option("--if-match", a->if_match, "Refuse unless this is the latest version");
  propose->add_option("--user", a->user, "Who proposes it (an e-mail; not with --url)");
  propose->add_flag("--json", a->json, "The new version as JSON");
  AddRemoteOptions(propose, g);
  propose->callback([&g, doc, a] {
    auto text = ReadFile(a->file);
    Throw(text.ok() ? Run(g, *doc, Propose(*doc, *text, a->if_match), *a, PrintStatus)
                    : Fail(text.status()));
  });
  auto* approve = cmd->add_subcommand("approve", "Approve a draft for your team");
  approve->add_option("version", a->version, "The draft's version number")->required();
  approve->add_option("--user", a->user, "Who approves (an e-mail; not with --url)");
  approve->add_flag("--json", a->json, "The version as JSON");
  AddRemoteOptions(approve, g);
  approve->callback(
      [&g, doc, a] { Throw(Run(g, *doc, Approve(*doc, a->version), *a, PrintStatus)); });
}

}  // namespace

void AddDocumentCommands(CLI::App& app, Globals& g, DocumentCommand doc) {
  auto shared = std::make_shared<const DocumentCommand>(std::move(doc));
  auto a = std::make_shared<DocumentArgs>();
  auto* cmd = app.add_subcommand(shared->command, shared->description);
  cmd->require_subcommand(1);
  AddReadCommands(cmd, g, shared, a);
  AddWriteCommands(cmd, g, shared, a);
}

void AddRemoteOptions(CLI::App* sub, Globals& g) {
  sub->add_option("--url", g.url, "Act through a running server, e.g. http://127.0.0.1:8080");
  sub->add_option("--token", g.token, "A token for --url");
}

Result<json> AskApi(const Globals& g, const std::string& method, const std::string& path,
                    const std::string& body, const std::string& content_type) {
  auto answer = CallApi(g.url, g.token, method, path, body, content_type);
  if (!answer.ok()) return answer.status();
  json j = json::parse(*answer, nullptr, false);
  if (j.is_discarded()) return FailedPrecondition("the server's answer is not JSON");
  return j;
}

Result<User> FindActor(store::Store& store, const std::string& email) {
  if (email.empty()) return InvalidArgument("--user EMAIL names who acts (or use --url)");
  return FindUser(store, email, "--user");
}

Result<IdOrEmail> ParseIdOrEmail(const std::string& who, const std::string& option) {
  int64_t id = 0;
  auto [end, ec] = std::from_chars(who.data(), who.data() + who.size(), id);
  if (ec == std::errc() && end == who.data() + who.size() && id > 0) return IdOrEmail{id, ""};
  auto folded = ingest::NormaliseEmail(who);
  if (!folded.ok()) {
    return InvalidArgument(option + " takes an id or an e-mail: " + folded.status().message());
  }
  return IdOrEmail{0, *folded};
}

Result<User> FindUser(store::Store& store, const std::string& who, const std::string& option) {
  auto key = ParseIdOrEmail(who, option);
  if (!key.ok()) return key.status();
  std::optional<User> u;
  TANDEM_RETURN_IF_ERROR(store.Read([&](sql::Db& db) {
    if (key->id == 0) {
      u = store::FindUserByEmail(db, key->email);
    } else if (auto loaded = store::LoadUser(db, UserId(key->id)); loaded.ok()) {
      u = *loaded;
    }
    return Status::Ok();
  }));
  if (!u) return NotFound("no user " + (key->id ? std::to_string(key->id) : key->email));
  return *u;
}

Result<PersonId> FindPerson(store::Store& store, const std::string& who) {
  auto key = ParseIdOrEmail(who, "PERSON");
  if (!key.ok()) return key.status();
  std::optional<PersonId> id;
  TANDEM_RETURN_IF_ERROR(store.Read([&](sql::Db& db) {
    if (key->id > 0) {
      if (store::LoadPerson(db, PersonId(key->id)).ok()) id = PersonId(key->id);
    } else {
      id = store::FindPersonByEmail(db, key->email);
    }
    return Status::Ok();
  }));
  if (!id) return NotFound("no person " + (key->id > 0 ? std::to_string(key->id) : key->email));
  return *id;
}

json OpenLeadsJson(store::Store& store, const std::vector<ingest::OpenLeadView>& leads,
                   Timestamp now) {
  json out = json::array();
  // A person who cannot be read (erased meanwhile) is listed without a name.
  (void)store.Read([&](sql::Db& db) {
    for (const auto& lead : leads) {
      auto p = store::LoadPerson(db, lead.person);
      out.push_back(json::parse(api::OpenLeadJson(lead, p.ok() ? &*p : nullptr, now)));
    }
    return Status::Ok();
  });
  return out;
}

int Refused(const Status& st) {
  int rc = Fail(st);
  return rc == 2 ? 1 : rc;
}

}  // namespace tandem::app
