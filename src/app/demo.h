// The demo company: a deterministic, realistic history for a seed and a "now".
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "base/status.h"
#include "base/time.h"
#include "store/store.h"

namespace tandem::app {

struct DemoOptions {
  uint64_t seed = 42;
  Timestamp now{};    // the history ends here
  int people = 5000;  // at least this many people (near-duplicates come on top)
  // Called once the users and teams are stored, before any activity (so that routing sees
  // the reps).
  std::function<void()> organised;
};

struct DemoSummary {
  int64_t people = 0, companies = 0, activities = 0, users = 0, teams = 0;
  int64_t duplicates = 0;     // people who are near-duplicates of another (included in people)
  Timestamp history_start{};  // the earliest activity
  std::string admin_email;    // the admin user the demo creates (or reuses)
};

// Loads the demo company into an empty store: users and teams, at least max(600, people / 8)
// companies, people with dirty data on purpose, and about 200 days of activities ending at
// now, driven by a hidden persona fit and intent per person. The same seed, now, people and
// starting store always give the same records and journal content.
//
// kFailedPrecondition if the store already holds people or a demo team name is taken;
// kInvalidArgument if people < 1. Users, teams, companies and people are written in one
// transaction; activities follow in batches, so a failure part-way leaves the records and the
// batches stored so far.
Result<DemoSummary> LoadDemo(store::Store& store, const DemoOptions& options);

}  // namespace tandem::app
