// tandem demo: loads the demo company into an empty store.
#include <chrono>
#include <iostream>
#include <map>
#include <string>

#include "app/cli.h"
#include "app/demo.h"

namespace tandem::app {
namespace {

struct DemoArgs {
  uint64_t seed = 42;
  std::string now;
  int people = 5000;
};

// The store, with the demo's clock: every write is stamped with the simulated time. A bulk
// load into an empty store: commits do not wait for the disk (WAL keeps the store
// consistent; a crash loses the last commits, and the demo can be loaded again).
Result<std::unique_ptr<store::Store>> OpenDemoStore(const Globals& g, const DemoClock& clock) {
  Config c = g.Resolve();
  return store::Store::Open(c.db_path, clock, {.holder = "tandem demo", .synchronous_full = false});
}

// "accept 1102, attempt 1714, …"
std::string Counts(const std::map<std::string, int64_t>& counts, int64_t* total = nullptr) {
  std::string out;
  for (const auto& [name, n] : counts) {
    out += (out.empty() ? "" : ", ") + name + " " + std::to_string(n);
    if (total) *total += n;
  }
  return out;
}

void PrintSales(const DemoSales& sales, Timestamp now) {
  int64_t actions = 0, overdue = 0;
  std::string kinds = Counts(sales.actions, &actions), queues;
  for (const DemoQueue& q : sales.queues) {
    if (q.open == 0) continue;
    overdue += q.overdue;
    queues += (queues.empty() ? "" : ", ") + q.name + " " + std::to_string(q.open);
    if (q.overdue > 0) queues += " (" + std::to_string(q.overdue) + " overdue)";
  }
  std::cout << "sales: " << sales.routed << " leads routed as they became MQL or SQL, "
            << sales.rerouted << " moved on (rejected, reassigned, escalated)\n"
            << "  " << actions << " actions: " << kinds << "\n"
            << "  hand-back reasons: " << Counts(sales.reasons) << "\n"
            << "  " << sales.touches << " attempts logged in the CRM; " << sales.refused
            << " premature hand-backs refused by the SLA\n"
            << "SLA: " << sales.breaches << " breaches, " << sales.escalations << " escalations\n"
            << "open leads at " << FormatTimestamp(now) << ": " << sales.open_leads << " ("
            << overdue << " overdue): " << queues << "\n";
}

void Print(const std::string& path, double secs, const DemoSummary& s, Timestamp now) {
  std::cout << "demo company loaded into " << path << " in " << secs << " s: " << s.people
            << " people, " << s.companies << " companies, " << s.activities << " activities, "
            << s.users << " users in " << s.teams << " teams; history ends " << FormatTimestamp(now)
            << "\n";
  PrintSales(s.sales, now);
  std::cout << "admin user: " << s.admin_email << "\n";
}

int Demo(const Globals& g, const DemoArgs& a) {
  DemoOptions opt{.seed = a.seed, .people = a.people};
  if (a.now.empty()) {
    opt.now = std::chrono::floor<std::chrono::days>(g.clock.Now());
  } else {
    auto t = ParseTimestamp(a.now);
    if (!t) return Fail(InvalidArgument("--now must be an RFC 3339 time or a date"));
    opt.now = *t;
  }
  DemoClock clock(DemoHistoryStart(opt.now));
  auto store = OpenDemoStore(g, clock);
  if (!store.ok()) return Fail(store.status());
  auto models = g.OpenModels(**store);
  if (!models.ok()) return Fail(models.status());
  auto started = std::chrono::steady_clock::now();
  auto summary = LoadDemo(**store, {.clock = clock, .sla = *models->sla}, opt);
  if (!summary.ok()) return Fail(summary.status());
  auto secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  Print((*store)->path(), secs, *summary, opt.now);
  return 0;
}

}  // namespace

void AddDemoCommand(CLI::App& app, Globals& g) {
  auto args = std::make_shared<DemoArgs>();
  auto* sub = app.add_subcommand("demo", "Load the demo company into an empty store");
  sub->add_option("--seed", args->seed, "Random seed (same seed and --now, same company)");
  sub->add_option("--now", args->now, "End of the history (default: today, 00:00 UTC)");
  sub->add_option("--people", args->people, "How many people (default 5000)")
      ->check(CLI::Range(100, 2'000'000));
  sub->callback([&g, args] {
    if (int rc = Demo(g, *args)) throw CLI::RuntimeError(rc);
  });
}

}  // namespace tandem::app
