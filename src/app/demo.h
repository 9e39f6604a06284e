// The demo company: a deterministic, realistic history for a seed and a "now", with sales
// working the leads the SLA routes to them.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "app/demo_clock.h"
#include "base/status.h"
#include "base/time.h"
#include "ingest/sla_model.h"
#include "store/store.h"

namespace tandem::app {

struct DemoOptions {
  uint64_t seed = 42;
  Timestamp now{};    // the history ends here
  int people = 5000;  // at least this many people (near-duplicates come on top)
};

// One sales user's queue when the history ends.
struct DemoQueue {
  std::string name;
  int64_t open = 0;     // open leads
  int64_t overdue = 0;  // of which a clock is past due
};

// What sales did with the leads the SLA model routed to them.
struct DemoSales {
  int64_t routed = 0;    // leads routed as people became MQL or SQL
  int64_t rerouted = 0;  // leads moved on: rejected, reassigned by a manager or an escalation
  std::map<std::string, int64_t> actions;  // by kind ("accept", "recycle", …), as journaled
  std::map<std::string, int64_t> reasons;  // recycle and disqualify reasons ("no_response", …)
  int64_t refused = 0;      // hand-backs the SLA refused (too few attempts or channels)
  int64_t touches = 0;      // contact attempts logged in the CRM (activities)
  int64_t breaches = 0;     // sla_breached entries
  int64_t escalations = 0;  // escalated entries (reminders, reassignments)
  int64_t open_leads = 0;
  std::vector<DemoQueue> queues;  // every sales rep and manager, in user order
};

struct DemoSummary {
  int64_t people = 0, companies = 0, activities = 0, users = 0, teams = 0;
  int64_t duplicates = 0;     // people who are near-duplicates of another (included in people)
  Timestamp history_start{};  // the earliest activity
  std::string admin_email;    // the admin user the demo creates (or reuses)
  DemoSales sales;
};

// Where the history begins for a given end: the demo's clock starts here.
Timestamp DemoHistoryStart(Timestamp now);

// What the demo writes through.
struct DemoEngine {
  DemoClock& clock;       // the clock the store was opened with
  ingest::SlaModel& sla;  // the SLA model over the store, beside its lead model
};

// Loads the demo company into an empty store: users and teams, at least max(600, people / 8)
// companies, people with dirty data on purpose, and about 200 days of activities ending at
// now, driven by a hidden persona fit and intent per person. The history is written in time
// order with engine.clock following it, so the SLA model routes each MQL when it happens and
// starts its clocks then, and its escalations fire at their due times; the reps and managers
// then work their leads through SlaModel::Act at simulated times (accept, attempts on several
// channels, connect, qualify, recycle and disqualify with the SLA's reasons, now and then a
// reject or a reassignment), some slower or sloppier than others, so breaches gather on them
// and a few premature recycles are refused. Qualified leads go on to meetings and deals won
// or lost as the hidden truth decides. Leads assigned in the last days stay open. The
// notifications the history's escalations put in the outbox are marked delivered at the time
// they were made (they belong to the past). The clock ends at now.
//
// The same seed, now, people and starting store always give the same records and journal
// content, recorded_at included.
//
// REQUIRES: store was opened with engine.clock, which shows a time at or before
// DemoHistoryStart(now); engine.sla is open over store.
// kFailedPrecondition if the store already holds people or a demo team name is taken;
// kInvalidArgument if people < 1; kInternal if the engine refuses what the demo makes (other
// than the premature recycles it means to be refused). Users, teams, companies and people
// are written in one transaction; the history follows in many, so a failure part-way leaves
// what was stored so far.
Result<DemoSummary> LoadDemo(store::Store& store, const DemoEngine& engine,
                             const DemoOptions& options);

}  // namespace tandem::app
