// tandem action PERSON KIND — a sales action on a lead, checked against the SLA (docs/SLA.md),
// directly on the store (the acting user named by --user) or through a running server's API
// with --url and --token. Exit codes: 0 done, 1 refused (each field error on its own line),
// 2 bad usage, 3 the store is held by a server.
#include <iostream>

#include "api/sla_json.h"
#include "app/cli.h"
#include "app/cli_documents.h"
#include "app/http_client.h"

namespace tandem::app {
namespace {

using nlohmann::json;

struct ActionArgs {
  std::string person, kind, channel, outcome, reason, to, note, at, user;
  std::vector<std::string> fields;  // qualify: ID=VALUE
  bool json = false;
};

// The action the arguments describe, but for `to` (resolved by each path). kInvalidArgument
// for an unknown kind or channel or a malformed time.
Result<SalesAction> Parse(const ActionArgs& a) {
  SalesAction act;
  auto kind = ParseSalesAction(a.kind);
  if (!kind) {
    return InvalidArgument(
        "KIND must be one of accept, reject, attempt, connect, qualify, "
        "recycle, disqualify, reassign");
  }
  act.kind = *kind;
  if (!a.channel.empty()) {
    act.channel = ParseContactChannel(a.channel);
    if (!act.channel) return InvalidArgument("--channel must be call, email, social or meeting");
  }
  if (!a.at.empty()) {
    act.at = ParseTimestamp(a.at);
    if (!act.at) return InvalidArgument("--at must be an RFC 3339 time");
  }
  act.outcome = a.outcome;
  act.reason = a.reason;
  act.note = a.note;
  for (const std::string& f : a.fields) {
    size_t eq = f.find('=');
    if (eq == std::string::npos || eq == 0) {
      return InvalidArgument("--field takes ID=VALUE (e.g. --field budget=confirmed), not '" + f +
                             "'");
    }
    act.fields[f.substr(0, eq)] = f.substr(eq + 1);
  }
  return act;
}

// What a successful action printed: the action's JSON (api/sla_json.h, ActionOutcomeJson).
void PrintOutcome(const json& out, int64_t person) {
  const json& lead = out["lead"];
  std::string stage = out["stage"].is_string() ? out["stage"].get<std::string>()
                      : lead.is_object() && lead["person"]["stage"].is_string()
                          ? lead["person"]["stage"].get<std::string>()
                          : "-";
  std::cout << "person " << person << ": " << out["action"].get<std::string>() << " recorded (seq "
            << out["seq"].get<int64_t>() << "); stage " << stage << ", owner "
            << (out["owner"].is_number() ? std::to_string(out["owner"].get<int64_t>()) : "-");
  if (lead.is_object()) {
    std::cout << ", attempts " << lead["attempts"].get<int>() << "/"
              << lead["attempts_required"].get<int>() << ", channels "
              << lead["channels"].get<int>() << "/" << lead["channels_required"].get<int>();
  } else {
    std::cout << ", lead closed";
  }
  std::cout << "\n";
}

int Print(const ActionArgs& a, const json& out, int64_t person) {
  if (a.json) {
    std::cout << out.dump() << "\n";
  } else {
    PrintOutcome(out, person);
  }
  return 0;
}

int Local(const Globals& g, const ActionArgs& a, SalesAction act) {
  auto store = g.OpenForWrite("tandem action");
  if (!store.ok()) return Fail(store.status());
  auto actor = FindActor(**store, a.user);
  if (!actor.ok()) return Fail(actor.status());
  auto person = FindPerson(**store, a.person);
  if (!person.ok()) return Fail(person.status());
  if (!a.to.empty()) {
    auto to = FindUser(**store, a.to, "--to");
    if (!to.ok()) return Fail(to.status());
    act.to = to->id;
  }
  auto models = g.OpenModels(**store);
  if (!models.ok()) return Fail(models.status());
  auto outcome = models->sla->Act(*person, act, *actor);
  if (!outcome.ok()) return Refused(outcome.status());
  std::string lead = "null";
  if (auto view = models->sla->LeadOf(*person)) {
    lead = OpenLeadsJson(**store, {*view}, g.clock.Now()).at(0).dump();
  }
  return Print(a, json::parse(api::ActionOutcomeJson(*outcome, act.kind, lead)), person->value());
}

// The id the server knows `who` by: an id as it is, an e-mail looked up in the list at `path`
// (items with "id"): its first item when the server filters it (?email=, by_email), else the
// item whose "email" it is.
Result<int64_t> RemoteId(const Globals& g, const std::string& who, const std::string& option,
                         const std::string& path, bool by_email) {
  auto key = ParseIdOrEmail(who, option);
  if (!key.ok()) return key.status();
  if (key->id) return key->id;
  auto page = AskApi(g, "GET", by_email ? path + "?email=" + QueryEscape(key->email) : path);
  if (!page.ok()) return page.status();
  for (const auto& item : (*page)["items"]) {
    if (by_email || item.value("email", "") == key->email) return item["id"].get<int64_t>();
  }
  return NotFound(option + ": nobody has the e-mail " + key->email);
}

json Body(const ActionArgs& a, const SalesAction& act, int64_t to) {
  json body{{"action", SalesActionName(act.kind)}};
  if (act.channel) body["channel"] = ContactChannelName(*act.channel);
  for (auto [key, value] : {std::pair{"outcome", &a.outcome}, std::pair{"reason", &a.reason},
                            std::pair{"note", &a.note}}) {
    if (!value->empty()) body[key] = *value;
  }
  if (to) body["to"] = to;
  if (act.at) body["at"] = FormatTimestamp(*act.at);
  if (!act.fields.empty()) body["fields"] = act.fields;
  return body;
}

int Remote(const Globals& g, const ActionArgs& a, const SalesAction& act) {
  auto person = RemoteId(g, a.person, "PERSON", "/api/v1/people", true);
  if (!person.ok()) return Fail(person.status());
  int64_t to = 0;
  if (!a.to.empty()) {
    auto id = RemoteId(g, a.to, "--to", "/api/v1/users", false);
    if (!id.ok()) return Fail(id.status());
    to = *id;
  }
  auto out = AskApi(g, "POST", "/api/v1/people/" + std::to_string(*person) + "/actions",
                    Body(a, act, to).dump());
  if (!out.ok()) return Refused(out.status());
  return Print(a, *out, *person);
}

int Act(const Globals& g, const ActionArgs& a) {
  auto act = Parse(a);
  if (!act.ok()) return Fail(act.status());
  if (g.url.empty() && a.user.empty()) {
    return Fail(InvalidArgument("--user EMAIL names who acts (or use --url and --token)"));
  }
  return g.url.empty() ? Local(g, a, *act) : Remote(g, a, *act);
}

}  // namespace

void AddActionCommand(CLI::App& app, Globals& g) {
  auto a = std::make_shared<ActionArgs>();
  auto* sub = app.add_subcommand("action", "Record a sales action on a lead, held to the SLA");
  sub->add_option("person", a->person, "The person: an id or an e-mail")->required();
  sub->add_option("kind", a->kind,
                  "accept, reject, attempt, connect, qualify, recycle, disqualify or reassign")
      ->required();
  sub->add_option("--channel", a->channel, "attempt, connect: call, email, social or meeting");
  sub->add_option("--outcome", a->outcome, "attempt: e.g. no_answer, voicemail");
  sub->add_option("--reason", a->reason, "recycle, disqualify: an id from the SLA's list");
  sub->add_option("--to", a->to, "reassign: the new owner (a user id or e-mail)");
  sub->add_option("--note", a->note, "Free text kept with the action");
  sub->add_option("--field", a->fields,
                  "qualify: ID=VALUE for each of the SLA's qualify_fields (repeatable)");
  sub->add_option("--at", a->at, "When it happened, RFC 3339 (default: now)");
  sub->add_option("--user", a->user, "Who acts (an e-mail or id; not with --url)");
  sub->add_flag("--json", a->json, "The outcome as JSON, as the API answers");
  AddRemoteOptions(sub, g);
  sub->callback([&g, a] {
    if (int rc = Act(g, *a)) throw CLI::RuntimeError(rc);
  });
}

}  // namespace tandem::app
