#include "app/demo.h"

#include <algorithm>

#include "app/demo_desk.h"
#include "store/outbox.h"
#include "store/people.h"
#include "store/users.h"

namespace tandem::app {
namespace {

// Every person's own history, oldest first; ties broken by person and order of simulation.
std::vector<demo::Placed> Plan(const DemoOptions& options, const demo::Schedule& schedule,
                               const demo::Population& pop) {
  std::vector<demo::Placed> all;
  for (size_t i = 0; i < pop.people.size(); ++i) {
    auto drafts = demo::SimulatePerson(options.seed, schedule, pop, i);
    for (size_t k = 0; k < drafts.size(); ++k) {
      all.push_back({std::move(drafts[k]), static_cast<uint32_t>(i), static_cast<uint32_t>(k)});
    }
  }
  std::sort(all.begin(), all.end(), demo::Earlier);
  return all;
}

// The users and teams, the company and its people, in one transaction.
Status Organise(store::Store& store, const DemoOptions& options, demo::Org& org,
                demo::Population& pop) {
  return store.Write([&](store::WriteTxn& txn) {
    if (store::CountPeople(txn.db()) > 0) {
      return FailedPrecondition(
          "the store already holds people; load the demo into an empty store");
    }
    auto created = demo::CreateOrg(txn);
    if (!created.ok()) return created.status();
    org = std::move(*created);
    pop = demo::PlanPopulation(options.seed, options.people, org);
    return demo::WritePopulation(txn, pop);
  });
}

// The escalations' e-mails and webhooks belong to the history: sent when they were made.
Status MarkNotificationsSent(store::Store& store) {
  return store.Write([](store::WriteTxn& txn) {
    for (int64_t after = 0;;) {
      auto page = store::ListOutbox(txn.db(), "pending", after, 1000);
      if (page.empty()) return Status::Ok();
      for (const auto& m : page) {
        TANDEM_RETURN_IF_ERROR(store::MarkOutboxDelivered(txn, m.id, m.created_at));
      }
      after = page.back().id;
    }
  });
}

// Keeps the watch registered while the history is written.
class Watching {
 public:
  Watching(store::Store& store, demo::Watch& watch) : store_(store), watch_(watch) {
    store_.AddJournalObserver(&watch_);
  }
  ~Watching() { store_.RemoveJournalObserver(&watch_); }
  Watching(const Watching&) = delete;
  Watching& operator=(const Watching&) = delete;

 private:
  store::Store& store_;
  demo::Watch& watch_;
};

Result<std::unique_ptr<demo::Desk>> OpenDesk(store::Store& store, const DemoEngine& engine,
                                             demo::Desk::Setup setup) {
  TANDEM_RETURN_IF_ERROR(store.Read([&](sql::Db& db) {
    setup.users = store::ListUsers(db);
    setup.teams = store::ListTeams(db);
    return Status::Ok();
  }));
  setup.sla = &engine.sla;
  return demo::Desk::Open(std::move(setup));
}

}  // namespace

Timestamp DemoHistoryStart(Timestamp now) { return demo::PlanSchedule(now).start; }

Result<DemoSummary> LoadDemo(store::Store& store, const DemoEngine& engine,
                             const DemoOptions& options) {
  if (options.people < 1) return InvalidArgument("people must be at least 1");
  demo::Schedule schedule = demo::PlanSchedule(options.now);
  engine.clock.Set(schedule.start);
  demo::Org org;
  demo::Population pop;
  TANDEM_RETURN_IF_ERROR(Organise(store, options, org, pop));
  TANDEM_RETURN_IF_ERROR(engine.sla.ReloadOrganisation());
  std::vector<demo::Placed> planned = Plan(options, schedule, pop);
  DemoSummary summary{.people = static_cast<int64_t>(pop.people.size()),
                      .companies = static_cast<int64_t>(pop.companies.size()),
                      .users = org.users,
                      .teams = org.teams,
                      .duplicates = pop.duplicates,
                      .admin_email = org.admin_email};
  if (!planned.empty()) summary.history_start = planned.front().draft.at;
  demo::ActivityWriter writer(store, pop);
  auto desk = OpenDesk(
      store, engine, {.seed = options.seed, .pop = &pop, .schedule = &schedule, .writer = &writer});
  if (!desk.ok()) return desk.status();
  demo::Watch watch;
  {
    Watching watching(store, watch);
    TANDEM_RETURN_IF_ERROR(demo::RunHistory(engine.clock, engine.sla, **desk, watch, writer,
                                            std::move(planned), options.now));
  }
  TANDEM_RETURN_IF_ERROR(MarkNotificationsSent(store));
  summary.activities = writer.stored();
  const demo::Watch::Counts& heard = watch.counts();
  summary.sales.routed = heard.routed;
  summary.sales.rerouted = heard.rerouted;
  summary.sales.breaches = heard.breaches;
  summary.sales.escalations = heard.escalations;
  (*desk)->Tally(options.now, summary.sales);
  return summary;
}

}  // namespace tandem::app
