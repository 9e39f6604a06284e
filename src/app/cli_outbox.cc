// tandem outbox [--status pending|delivered|failed] [--json]: the notifications the SLA's
// escalations sent or will send (e-mail, webhooks) and their delivery, from the store or
// through a running server (GET /api/v1/outbox, admin).
#include <cstdio>
#include <iostream>

#include "api/sla_json.h"
#include "app/cli.h"
#include "app/cli_documents.h"
#include "app/http_client.h"
#include "store/outbox.h"

namespace tandem::app {
namespace {

using nlohmann::json;

struct OutboxArgs {
  std::string status;  // empty: every message
  bool json = false;
};

// Every message, oldest first, as GET /api/v1/outbox gives them.
Result<json> LocalMessages(const Globals& g, const std::string& status) {
  auto store = g.OpenForRead();
  if (!store.ok()) return store.status();
  json items = json::array();
  TANDEM_RETURN_IF_ERROR((*store)->Read([&](sql::Db& db) {
    for (int64_t after = 0;;) {
      auto page = store::ListOutbox(db, status, after, 1000);
      for (const auto& m : page) items.push_back(json::parse(api::OutboxMessageJson(m)));
      if (page.size() < 1000) return Status::Ok();
      after = page.back().id;
    }
  }));
  return items;
}

Result<json> RemoteMessages(const Globals& g, const std::string& status) {
  json items = json::array();
  std::string cursor;
  do {
    std::string path = "/api/v1/outbox?limit=1000";
    if (!status.empty()) path += "&status=" + QueryEscape(status);
    if (!cursor.empty()) path += "&cursor=" + QueryEscape(cursor);
    auto page = AskApi(g, "GET", path);
    if (!page.ok()) return page.status();
    for (auto& m : (*page)["items"]) items.push_back(std::move(m));
    cursor = (*page)["next_cursor"].is_string() ? (*page)["next_cursor"].get<std::string>() : "";
  } while (!cursor.empty());
  return items;
}

std::string Text(const json& j, const char* key) {
  return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : "-";
}

int List(const Globals& g, const OutboxArgs& a) {
  if (!a.status.empty() && a.status != "pending" && a.status != "delivered" &&
      a.status != "failed") {
    return Fail(InvalidArgument("--status must be pending, delivered or failed"));
  }
  auto items = g.url.empty() ? LocalMessages(g, a.status) : RemoteMessages(g, a.status);
  if (!items.ok()) return Fail(items.status());
  if (a.json) {
    std::cout << items->dump() << "\n";
    return 0;
  }
  for (const json& m : *items) {
    std::printf("#%lld %-9s %-7s %-13s %-32s %s\n", static_cast<long long>(m.value("id", 0LL)),
                Text(m, "status").c_str(), Text(m, "channel").c_str(), Text(m, "event").c_str(),
                Text(m, "target").c_str(), Text(m, "subject").c_str());
  }
  std::printf("%zu message%s\n", items->size(), items->size() == 1 ? "" : "s");
  return 0;
}

}  // namespace

void AddOutboxCommand(CLI::App& app, Globals& g) {
  auto a = std::make_shared<OutboxArgs>();
  auto* sub = app.add_subcommand(
      "outbox", "Notifications the SLA's escalations send (e-mail, webhooks) and their delivery");
  sub->add_option("--status", a->status, "pending, delivered or failed (default: all)");
  sub->add_flag("--json", a->json, "As GET /api/v1/outbox gives them");
  AddRemoteOptions(sub, g);
  sub->callback([&g, a] {
    if (int rc = List(g, *a)) throw CLI::RuntimeError(rc);
  });
}

}  // namespace tandem::app
