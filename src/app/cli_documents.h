// What the subcommands that act on the lead and SLA models share: the agreed documents'
// subcommands (`tandem policy`, `tandem sla`) and the pieces every acting subcommand uses —
// the local path (a store opened for writing, the acting user named by --user) and the remote
// path (a running server's API with --url and --token, the token's user acting).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "api/document_routes.h"
#include "app/cli.h"
#include "domain/user.h"
#include "ingest/sla_model.h"
#include "store/store.h"

namespace tandem::app {

// One agreed document's subcommands (DESIGN.md, "Policy and SLA documents"):
//   show [VERSION] [--toml | --json]   the TOML on stdout and a summary on stderr; --toml the
//                                      TOML alone; --json the version as the API gives it
//   versions [--json]                  every version, newest first, one a line
//   propose FILE [--if-match V] [--user EMAIL]   a new draft; a refused file prints each
//                                      problem as "line N, KEY: reason" on stderr
//   approve VERSION [--user EMAIL]     the acting user's side approves a draft
// propose and approve print "<title> version N is <status> (marketing …, sales …)" or, with
// --json, the version. Exit codes as Fail.
struct DocumentCommand {
  std::string command;      // the subcommand and the API's path segment: "policy", "sla"
  std::string title;        // in what is printed: "policy", "SLA"
  std::string description;  // the subcommand's help
  // The document's model over the models of a store opened for writing.
  std::function<std::unique_ptr<api::AgreedDocumentPort>(Globals::Models&)> port;
};

void AddDocumentCommands(CLI::App& app, Globals& g, DocumentCommand doc);

// --- Shared by every acting subcommand ---

// Adds --url and --token to sub.
void AddRemoteOptions(CLI::App* sub, Globals& g);

// One call to g.url's API, the answer parsed: errors as CallApi (app/http_client.h);
// kFailedPrecondition if a 2xx answer is not JSON.
Result<nlohmann::json> AskApi(const Globals& g, const std::string& method, const std::string& path,
                              const std::string& body = "",
                              const std::string& content_type = "application/json");

// An id (a positive integer) or else an e-mail, folded as stored.
struct IdOrEmail {
  int64_t id = 0;  // 0: an e-mail
  std::string email;
};
// kInvalidArgument, naming `option`, if who is neither an id nor an e-mail.
Result<IdOrEmail> ParseIdOrEmail(const std::string& who, const std::string& option);

// The user an e-mail names (any case). kInvalidArgument if email is empty ("--user EMAIL
// names who acts") or malformed; kNotFound if no user has it.
Result<User> FindActor(store::Store& store, const std::string& email);

// The user `who` names: a user id or an e-mail. kInvalidArgument if it is neither;
// kNotFound if no user has it. `option` names the option in messages ("--to").
Result<User> FindUser(store::Store& store, const std::string& who, const std::string& option);

// The person (an id, or an e-mail of theirs) `who` names. kInvalidArgument if it is neither;
// kNotFound if nobody has it.
Result<PersonId> FindPerson(store::Store& store, const std::string& who);

// leads as the API gives them at now (api/sla_json.h, OpenLeadJson), with their people's
// names read from the store.
nlohmann::json OpenLeadsJson(store::Store& store, const std::vector<ingest::OpenLeadView>& leads,
                             Timestamp now);

// Prints st as Fail does and returns the exit code for a refusal: 1, or 3 when a server
// holds the store (a model's or server's kInvalidArgument is a refusal, not bad usage).
int Refused(const Status& st);

}  // namespace tandem::app
