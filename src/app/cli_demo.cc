// tandem demo: loads the demo company into an empty store.
#include <chrono>
#include <iostream>

#include "app/cli.h"
#include "app/demo.h"

namespace tandem::app {
namespace {

struct DemoArgs {
  uint64_t seed = 42;
  std::string now;
  int people = 5000;
};

int Demo(const Globals& g, const DemoArgs& a) {
  DemoOptions opt{.seed = a.seed, .people = a.people};
  if (a.now.empty()) {
    opt.now = std::chrono::floor<std::chrono::days>(g.clock.Now());
  } else {
    auto t = ParseTimestamp(a.now);
    if (!t) return Fail(InvalidArgument("--now must be an RFC 3339 time or a date"));
    opt.now = *t;
  }
  auto store = g.OpenForWrite("tandem demo");
  if (!store.ok()) return Fail(store.status());
  auto models = g.OpenModels(**store);
  if (!models.ok()) return Fail(models.status());
  opt.organised = [&models] { (void)models->sla->ReloadOrganisation(); };
  auto started = std::chrono::steady_clock::now();
  auto summary = LoadDemo(**store, opt);
  if (!summary.ok()) return Fail(summary.status());
  auto secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cout << "demo company loaded into " << (*store)->path() << " in " << secs
            << " s: " << summary->people << " people, " << summary->companies << " companies, "
            << summary->activities << " activities, " << summary->users << " users in "
            << summary->teams << " teams; history ends " << FormatTimestamp(opt.now) << "\n"
            << "admin user: " << summary->admin_email << "\n";
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
