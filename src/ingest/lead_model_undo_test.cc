// A rolled-back write leaves the live lead model exactly as before, for people with hundreds
// of expiring-points windows too: what they stand at now and later, and what a model rebuilt
// from the journal (which never saw the write) says.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <random>
#include <sstream>
#include <thread>

#include "ingest/activities.h"
#include "ingest/default_policy.h"
#include "ingest/lead_model.h"
#include "ingest/records.h"

namespace tandem::ingest {
namespace {

using std::chrono::days;
using std::chrono::minutes;

const Timestamp kStart = *ParseTimestamp("2026-03-01T00:00:00Z");

// Activities the default policy scores: expiring points, capped points, sightings.
const std::pair<const char*, const char*> kKinds[] = {
    {"email_click", R"({"campaign":"product-update-nov"})"},
    {"email_click", R"({"campaign":"case-study-acme"})"},
    {"webinar_attended", R"({"webinar":"from-mql-to-revenue"})"},
    {"form_submit", R"({"form":"webinar-registration"})"},
    {"form_submit", R"({"form":"gated-content"})"},
    {"page_view", R"({"path":"/pricing"})"},
    // More capped rules than a person's block holds windows: caps spill into the pool.
    {"page_view", R"({"path":"/demo"})"},
    {"page_view", R"({"path":"/product/routing"})"},
    {"page_view", R"({"path":"/integrations/crm"})"},
    {"page_view", R"({"path":"/customers/acme"})"},
    {"page_view", R"({"path":"/security"})"},
    {"page_view", R"({"path":"/compare/rival"})"},
    {"page_view", R"({"path":"/docs/getting-started"})"},
    {"page_view", R"({"path":"/blog/scoring"})"},
    {"page_view", R"({"path":"/events"})"},
};
constexpr int kKindCount = sizeof(kKinds) / sizeof(kKinds[0]);

struct Fixture {
  explicit Fixture(const std::string& name) {
    dir = std::filesystem::temp_directory_path() /
          ("tandem-lead-undo-" + std::to_string(::getpid()) + "-" + name);
    std::filesystem::remove_all(dir);
    store = std::move(*store::Store::Open((dir / "t.db").string(), clock));
    leads = std::move(*LeadModel::Open(*store, EmbeddedDefaultPolicy()));
  }
  ~Fixture() {
    leads.reset();
    store.reset();
    std::filesystem::remove_all(dir);
  }
  PersonId AddPerson(int i) {
    PersonId id;
    EXPECT_TRUE(store
                    ->Write([&](store::WriteTxn& txn) {
                      auto r = CreatePerson(
                          txn,
                          {.job_title = "VP Marketing",
                           .emails = std::vector<std::string>{"p" + std::to_string(i) + "@a.io"}},
                          {});
                      if (r.ok()) id = r->person.id;
                      return r.status();
                    })
                    .ok());
    return id;
  }
  // n activities for person, one every `every` from `from`, cycling through kKinds from kind.
  std::vector<PendingActivity> Activities(PersonId person, Timestamp from, int n, minutes every,
                                          int kind = 0) {
    std::vector<PendingActivity> items;
    for (int i = 0; i < n; ++i) {
      const auto& [type, props] = kKinds[(kind + i) % kKindCount];
      items.push_back({.index = items.size(),
                       .activity = {.client_id = "u" + std::to_string(++next_id),
                                    .type = type,
                                    .person = {.person_id = person},
                                    .occurred_at = from + i * every,
                                    .properties = props}});
    }
    return items;
  }
  Status StoreItems(std::vector<PendingActivity> items, bool fail = false) {
    return store->Write([&](store::WriteTxn& txn) -> Status {
      auto r = StoreActivities(txn, std::move(items), {}, {});
      if (!r.ok()) return r.status();
      return fail ? Status(Code::kInternal, "the caller changes its mind") : Status::Ok();
    });
  }

  FakeClock clock{kStart};
  std::filesystem::path dir;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<LeadModel> leads;
  int next_id = 0;
};

// What a model shows of people: standing now and as points expire later.
std::string Show(const LeadModel& m, const std::vector<PersonId>& people, Timestamp now) {
  std::ostringstream out;
  out.precision(17);
  for (PersonId p : people) {
    for (Timestamp t : {now, now + days(30), now + days(95), now + days(200)}) {
      engine::Standing s = m.StandingOf(p, t);
      out << p.value() << ": " << s.known << " " << s.score << " " << int(s.grade.thirds) << " "
          << s.persona << " " << int(s.stage) << " " << s.stage_rule << " " << ToMicros(s.stage_at)
          << "\n";
    }
  }
  return out.str();
}

std::string ShowExplanation(const LeadModel& m, PersonId p, Timestamp now) {
  auto e = m.Explain(p, now);
  if (!e.ok()) return e.status().ToString();
  std::ostringstream out;
  out.precision(17);
  out << e->score << " " << e->decayed << " " << int(e->stage) << "\n";
  for (const auto& r : e->rules) out << r.rule << " " << r.points << " " << r.activities << "\n";
  for (const auto& s : e->stages) out << s.rule << " " << int(s.to) << "\n";
  return out.str();
}

TEST(LeadModelUndoTest, AFailedWriteForAHeavyUserLeavesTheirStandingAsBefore) {
  Fixture f("heavy");
  PersonId p = f.AddPerson(1);
  // 600 activities over 75 days: a couple of hundred expiring windows.
  ASSERT_TRUE(f.StoreItems(f.Activities(p, kStart, 600, minutes(180))).ok());
  const Timestamp now = kStart + days(76);
  const std::string standing = Show(*f.leads, {p}, now);
  const std::string explained = ShowExplanation(*f.leads, p, now);
  EXPECT_DOUBLE_EQ(f.leads->StandingOf(p, now).score, f.leads->Explain(p, now)->score);

  // Several activities scored in one write (later ones expiring older points, some late),
  // then the write fails.
  auto items = f.Activities(p, now + days(20), 10, minutes(60));
  auto late = f.Activities(p, now - days(5), 4, minutes(30), 3);
  items.insert(items.end(), late.begin(), late.end());
  for (size_t i = 0; i < items.size(); ++i) items[i].index = i;
  EXPECT_FALSE(f.StoreItems(items, /*fail=*/true).ok());

  EXPECT_EQ(Show(*f.leads, {p}, now), standing);
  EXPECT_EQ(ShowExplanation(*f.leads, p, now), explained);
  auto rebuilt = LeadModel::Open(*f.store, EmbeddedDefaultPolicy());
  ASSERT_TRUE(rebuilt.ok());
  EXPECT_EQ(Show(**rebuilt, {p}, now), standing);
  // Both go on alike (caps and sightings left in the windows would show here).
  ASSERT_TRUE(f.StoreItems(f.Activities(p, now + days(1), 30, minutes(20), 2)).ok());
  EXPECT_EQ(Show(*f.leads, {p}, now + days(2)), Show(**rebuilt, {p}, now + days(2)));
}

// Writers on several threads share group commits; a write failing inside a group is undone
// while the writes before it in the group still may be.
TEST(LeadModelUndoTest, FailedWritesInGroupCommitsLeaveTheLiveStateTheJournalGives) {
  Fixture f("group");
  std::vector<PersonId> people;
  for (int i = 0; i < 4; ++i) people.push_back(f.AddPerson(i));
  for (PersonId p : people) {
    ASSERT_TRUE(f.StoreItems(f.Activities(p, kStart, 120, minutes(720), int(p.value()))).ok());
  }
  std::mutex ids_mu;  // Fixture::Activities counts ids
  auto writer = [&](unsigned seed) {
    std::mt19937 rng(seed);
    for (int w = 0; w < 25; ++w) {
      PersonId p = people[rng() % people.size()];
      std::vector<PendingActivity> items;
      {
        std::lock_guard lock(ids_mu);
        items = f.Activities(p, kStart + days(60) + minutes(rng() % (60 * 24 * 30)),
                             1 + static_cast<int>(rng() % 6), minutes(rng() % 600),
                             static_cast<int>(rng() % kKindCount));
      }
      (void)f.StoreItems(std::move(items), rng() % 3 == 0);
    }
  };
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < 3; ++t) threads.emplace_back(writer, 17 + t);
  for (auto& t : threads) t.join();

  auto rebuilt = LeadModel::Open(*f.store, EmbeddedDefaultPolicy());
  ASSERT_TRUE(rebuilt.ok());
  const Timestamp now = kStart + days(91);
  EXPECT_EQ(Show(*f.leads, people, now), Show(**rebuilt, people, now));
  for (PersonId p : people) ASSERT_TRUE(f.StoreItems(f.Activities(p, now, 12, minutes(30))).ok());
  EXPECT_EQ(Show(*f.leads, people, now + days(1)), Show(**rebuilt, people, now + days(1)));
}

// Random writes of random activities, some failing: the live model ends as the journal
// rebuilds it.
RC_GTEST_PROP(LeadModelUndoProperty, FailedWritesLeaveTheStateTheJournalGives, ()) {
  static int run = 0;
  Fixture f("prop-" + std::to_string(++run));
  std::vector<PersonId> people;
  const int n = *rc::gen::inRange(1, 4);
  for (int i = 0; i < n; ++i) people.push_back(f.AddPerson(i));
  for (PersonId p : people) {
    RC_ASSERT(f.StoreItems(f.Activities(p, kStart, *rc::gen::inRange(0, 150), minutes(600),
                                        *rc::gen::inRange(0, kKindCount)))
                  .ok());
  }
  Timestamp clock = kStart + days(60);
  const int writes = *rc::gen::inRange(1, 25);
  for (int w = 0; w < writes; ++w) {
    std::vector<PendingActivity> items;
    for (int k = *rc::gen::inRange(1, 8); k > 0; --k) {
      clock += minutes(*rc::gen::inRange(0, 60 * 24 * 3));
      const Timestamp at = clock - minutes(*rc::gen::inRange(0, 60 * 24 * 7));
      auto one = f.Activities(people[*rc::gen::inRange<size_t>(0, people.size())], at, 1,
                              minutes(0), *rc::gen::inRange(0, kKindCount));
      one[0].index = items.size();
      items.push_back(std::move(one[0]));
    }
    const bool fail = *rc::gen::inRange(0, 3) == 0;
    RC_ASSERT(f.StoreItems(std::move(items), fail).ok() != fail);
  }
  auto rebuilt = LeadModel::Open(*f.store, EmbeddedDefaultPolicy());
  RC_ASSERT(rebuilt.ok());
  RC_ASSERT(Show(*f.leads, people, clock) == Show(**rebuilt, people, clock));
}

}  // namespace
}  // namespace tandem::ingest
