// The demo company: a deterministic, realistic history for a seed and a "now".
#pragma once

#include <cstdint>
#include <string>

#include "base/status.h"
#include "base/time.h"
#include "store/store.h"

namespace tandem::app {

struct DemoOptions {
  uint64_t seed = 42;
  Timestamp now{};     // the history ends here
  int people = 5000;   // at least this many people
};

struct DemoSummary {
  int64_t people = 0, companies = 0, activities = 0, users = 0, teams = 0;
  std::string admin_email;  // the admin user the demo creates
};

// Loads the demo company into an empty store. kFailedPrecondition if the store already holds
// people. The same seed, now and people always give the same records and journal content.
Result<DemoSummary> LoadDemo(store::Store& store, const DemoOptions& options);

}  // namespace tandem::app
