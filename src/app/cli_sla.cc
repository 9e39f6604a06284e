// tandem sla show|versions|propose FILE|approve VERSION — the SLA's versions (as `tandem
// policy`, app/cli_documents.h) — and tandem queue — a rep's open leads, the earliest due
// first — directly on the store or through a running server's API with --url and --token.
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "api/sla_json.h"
#include "app/cli.h"
#include "app/cli_documents.h"
#include "app/http_client.h"
#include "engine/sla_toml.h"

namespace tandem::app {
namespace {

using nlohmann::json;

// The SLA's versions, each with its parsed document (as the API adds it).
class SlaDocuments final : public api::ModelDocuments<ingest::SlaModel> {
 public:
  using ModelDocuments::ModelDocuments;
  std::string DocumentJson(const ingest::DocumentVersion& v) const override {
    auto doc = engine::ParseSla(v.toml);
    return doc.ok() ? api::SlaDocumentJson(*doc) : "";
  }
};

struct QueueArgs {
  std::string owner;  // a user id or e-mail; with --url, also "me" (the default)
  bool json = false;
};

// "1h 20m", "2d 3h", "5m": the two largest units of a span of seconds.
std::string Span(int64_t seconds) {
  int64_t s = std::llabs(seconds);
  int64_t d = s / 86400, h = s % 86400 / 3600, m = s % 3600 / 60;
  if (d) return std::to_string(d) + "d " + std::to_string(h) + "h";
  if (h) return std::to_string(h) + "h " + std::to_string(m) + "m";
  return std::to_string(m) + "m";
}

// The unmet clock due first: "accept due in 1h 20m", "first_touch 2h 5m late"; "-" if none.
std::string NextClock(const json& lead) {
  const json* next = nullptr;
  for (const auto& c : lead["clocks"]) {
    if (c["met"].get<bool>() || !c["seconds_left"].is_number()) continue;
    if (!next || c["seconds_left"].get<int64_t>() < (*next)["seconds_left"].get<int64_t>()) {
      next = &c;
    }
  }
  if (!next) return "-";
  int64_t left = (*next)["seconds_left"].get<int64_t>();
  std::string clock = (*next)["clock"].get<std::string>();
  return left >= 0 ? clock + " due in " + Span(left) : clock + " " + Span(left) + " late";
}

std::string Text(const json& v) { return v.is_string() ? v.get<std::string>() : "-"; }

std::string Ratio(const json& lead, const char* made, const char* required) {
  return std::to_string(lead[made].get<int>()) + "/" + std::to_string(lead[required].get<int>());
}

void PrintQueue(const json& items) {
  std::printf("%-8s %-24s %-12s %-13s %-28s %-8s %s\n", "PERSON", "NAME", "LEAD_TYPE", "STAGE",
              "NEXT", "ATTEMPTS", "CHANNELS");
  for (const auto& lead : items) {
    const json& p = lead["person"];
    std::printf("%-8lld %-24s %-12s %-13s %-28s %-8s %s\n",
                static_cast<long long>(p["id"].get<int64_t>()), Text(p["name"]).c_str(),
                lead["lead_type"].get<std::string>().c_str(), Text(p["stage"]).c_str(),
                NextClock(lead).c_str(), Ratio(lead, "attempts", "attempts_required").c_str(),
                Ratio(lead, "channels", "channels_required").c_str());
  }
}

// Usage errors are kInvalidArgument (exit 2), an unknown owner kNotFound (exit 1).
Result<json> LocalQueue(const Globals& g, const QueueArgs& a) {
  if (a.owner.empty()) {
    return InvalidArgument("--owner EMAIL|ID names whose queue (with --url: the token's user)");
  }
  auto key = ParseIdOrEmail(a.owner, "--owner");
  if (!key.ok()) return key.status();
  auto store = g.OpenForWrite("tandem queue");
  if (!store.ok()) return store.status();
  auto owner = FindUser(**store, a.owner, "--owner");
  if (!owner.ok()) return owner.status();
  auto models = g.OpenModels(**store);
  if (!models.ok()) return models.status();
  return OpenLeadsJson(**store, models->sla->Queue(owner->id), g.clock.Now());
}

// Every page of the server's queue.
Result<json> RemoteQueue(const Globals& g, const QueueArgs& a) {
  std::string path = "/api/v1/queue?owner=" + QueryEscape(a.owner.empty() ? "me" : a.owner);
  json items = json::array();
  for (std::string cursor;;) {
    auto page = AskApi(g, "GET", cursor.empty() ? path : path + "&cursor=" + QueryEscape(cursor));
    if (!page.ok()) return page.status();
    for (auto& item : (*page)["items"]) items.push_back(std::move(item));
    if (!(*page)["next_cursor"].is_string()) return items;
    cursor = (*page)["next_cursor"].get<std::string>();
  }
}

int Queue(const Globals& g, const QueueArgs& a) {
  auto items = g.url.empty() ? LocalQueue(g, a) : RemoteQueue(g, a);
  if (!items.ok()) return Fail(items.status());
  if (a.json) {
    std::cout << json{{"items", *items}, {"next_cursor", nullptr}}.dump() << "\n";
  } else {
    PrintQueue(*items);
  }
  return 0;
}

}  // namespace

void AddSlaCommands(CLI::App& app, Globals& g) {
  AddDocumentCommands(app, g,
                      {.command = "sla",
                       .title = "SLA",
                       .description = "Show, propose and approve service-level agreements",
                       .port = [](Globals::Models& m) -> std::unique_ptr<api::AgreedDocumentPort> {
                         return std::make_unique<SlaDocuments>(*m.sla);
                       }});
}

void AddQueueCommand(CLI::App& app, Globals& g) {
  auto a = std::make_shared<QueueArgs>();
  auto* sub = app.add_subcommand("queue", "A rep's open leads, the earliest due first");
  sub->add_option("--owner", a->owner, "Whose leads: a user e-mail or id (--url: default you)");
  sub->add_flag("--json", a->json, "The leads as JSON, as GET /api/v1/queue gives them");
  AddRemoteOptions(sub, g);
  sub->callback([&g, a] {
    if (int rc = Queue(g, *a)) throw CLI::RuntimeError(rc);
  });
}

}  // namespace tandem::app
