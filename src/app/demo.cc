#include "app/demo.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include "app/demo_world.h"
#include "ingest/activities.h"
#include "store/people.h"

namespace tandem::app {
namespace {

constexpr size_t kBatch = 10'000;  // one transaction each

struct Tagged {
  demo::Draft draft;
  uint32_t person = 0, order = 0;
};

// Every person's history, oldest first; ties broken by person and order of simulation.
std::vector<Tagged> Simulate(const DemoOptions& options, const demo::Org& org,
                             const demo::Population& pop) {
  demo::Schedule schedule = demo::PlanSchedule(options.now);
  std::vector<Tagged> all;
  for (size_t i = 0; i < pop.people.size(); ++i) {
    auto drafts = demo::SimulatePerson(options.seed, schedule, org, pop, i);
    for (size_t k = 0; k < drafts.size(); ++k) {
      all.push_back({std::move(drafts[k]), static_cast<uint32_t>(i), static_cast<uint32_t>(k)});
    }
  }
  std::sort(all.begin(), all.end(), [](const Tagged& a, const Tagged& b) {
    if (a.draft.at != b.draft.at) return a.draft.at < b.draft.at;
    return a.person != b.person ? a.person < b.person : a.order < b.order;
  });
  return all;
}

// "demo-0000042": numbered per source in time order, so ids are stable for a seed and now.
std::string ClientId(int64_t n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "demo-%07lld", static_cast<long long>(n));
  return buf;
}

Result<int64_t> StoreHistory(store::Store& store, std::vector<Tagged> all,
                             const demo::Population& pop) {
  std::map<std::string_view, int64_t> per_source;
  int64_t stored = 0;
  for (size_t from = 0; from < all.size(); from += kBatch) {
    std::vector<ingest::PendingActivity> batch;
    size_t to = std::min(all.size(), from + kBatch);
    for (size_t i = from; i < to; ++i) {
      demo::Draft& d = all[i].draft;
      Activity a{.client_id = ClientId(++per_source[d.source]),
                 .source = std::string(d.source),
                 .type = std::string(d.type),
                 .person = {.person_id = pop.people[all[i].person].id},
                 .occurred_at = d.at,
                 .properties = std::move(d.properties)};
      batch.push_back({.index = i - from, .activity = std::move(a)});
    }
    auto report = ingest::StoreActivities(store, std::move(batch), {}, {.actor = "demo"});
    if (!report.ok()) return report.status();
    if (!report->rejected.empty()) {
      return Internal("the demo made an activity the store refused: " +
                      report->rejected.front().reason);
    }
    stored += report->accepted;
  }
  return stored;
}

}  // namespace

Result<DemoSummary> LoadDemo(store::Store& store, const DemoOptions& options) {
  if (options.people < 1) return InvalidArgument("people must be at least 1");
  demo::Org org;
  demo::Population pop;
  Status st = store.Write([&](store::WriteTxn& txn) {
    if (store::CountPeople(txn.db()) > 0) {
      return FailedPrecondition(
          "the store already holds people; load the demo into an empty "
          "store");
    }
    auto created = demo::CreateOrg(txn);
    if (!created.ok()) return created.status();
    org = std::move(*created);
    pop = demo::PlanPopulation(options.seed, options.people, org);
    return demo::WritePopulation(txn, pop);
  });
  if (!st.ok()) return st;
  if (options.organised) options.organised();
  std::vector<Tagged> all = Simulate(options, org, pop);
  DemoSummary summary{.people = static_cast<int64_t>(pop.people.size()),
                      .companies = static_cast<int64_t>(pop.companies.size()),
                      .users = org.users,
                      .teams = org.teams,
                      .duplicates = pop.duplicates,
                      .admin_email = org.admin_email};
  if (!all.empty()) summary.history_start = all.front().draft.at;
  auto stored = StoreHistory(store, std::move(all), pop);
  if (!stored.ok()) return stored.status();
  summary.activities = *stored;
  return summary;
}

}  // namespace tandem::app
