// The live lead model: decisions journaled inside the write that caused them, undone with a
// rolled-back write, and exactly what a replay of the journal rebuilds.
#include "ingest/lead_model.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "ingest/activities.h"
#include "ingest/default_policy.h"
#include "ingest/records.h"
#include "store/journal.h"
#include "store/people.h"
#include "store/users.h"

namespace tandem::ingest {
namespace {

const Timestamp kStart = *ParseTimestamp("2026-03-01T00:00:00Z");

// A fresh store with the lead model observing it.
struct Fixture {
  explicit Fixture(const std::string& name) {
    dir = std::filesystem::temp_directory_path() /
          ("tandem-leads-" + std::to_string(::getpid()) + "-" + name);
    std::filesystem::remove_all(dir);
    store = std::move(*store::Store::Open((dir / "t.db").string(), clock));
    leads = std::move(*LeadModel::Open(*store, EmbeddedDefaultPolicy()));
  }
  ~Fixture() {
    leads.reset();
    store.reset();
    std::filesystem::remove_all(dir);
  }
  PersonId AddPerson(PersonFields f) {
    PersonId id;
    Status st = store->Write([&](store::WriteTxn& txn) {
      auto r = CreatePerson(txn, f, {});
      if (r.ok()) id = r->person.id;
      return r.status();
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
    return id;
  }
  IngestReport Post(PersonId person, const std::string& type, Timestamp at,
                    std::string properties = "{}") {
    Activity a{.client_id = "a" + std::to_string(++next_id),
               .type = type,
               .person = {.person_id = person},
               .occurred_at = at,
               .properties = std::move(properties)};
    auto r = StoreActivities(*store, {{.index = 0, .activity = a}}, {}, {});
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : IngestReport{};
  }
  std::vector<store::JournalEntry> Journal() {
    std::vector<store::JournalEntry> out;
    (void)store->Read([&](sql::Db& db) {
      out = store::ReadJournal(db, Seq(0), 100000);
      return Status::Ok();
    });
    return out;
  }

  FakeClock clock{kStart};
  std::filesystem::path dir;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<LeadModel> leads;
  int next_id = 0;
};

TEST(LeadModelTest, EachDecisionIsJournaledWithItsRuleAndCause) {
  Fixture f("journaled");
  PersonId p = f.AddPerson({.job_title = "CTO", .emails = std::vector<std::string>{"cto@acme.io"}});
  f.Post(p, "demo_request", kStart + std::chrono::hours(1), R"({"form":"demo-request"})");
  auto journal = f.Journal();
  const store::JournalEntry* activity = nullptr;
  const store::JournalEntry *scores = nullptr, *stage = nullptr;
  for (const auto& e : journal) {
    if (e.kind == "activity") activity = &e;
    if (e.kind == "scores_changed") scores = &e;
    if (e.kind == "stage_changed") stage = &e;
  }
  ASSERT_TRUE(activity && scores && stage);
  // The write's score decisions, in one entry: whose, caused by what, when, which rules.
  auto batch = nlohmann::json::parse(scores->reason);
  ASSERT_EQ(batch["decisions"].size(), 1u) << scores->reason;
  const auto& score = batch["decisions"][0];
  EXPECT_EQ(score["person"], p.value());
  EXPECT_EQ(score["cause"], activity->seq.value());
  EXPECT_EQ(score["at_us"], ToMicros(activity->occurred_at));
  EXPECT_EQ(score["policy"], 1);
  EXPECT_EQ(score["rules"][0]["rule"], "demo_request");
  EXPECT_EQ(score["score"], score["delta"]);
  EXPECT_GT(score["delta"].get<double>(), 0);
  EXPECT_EQ(stage->cause, activity->seq);
  EXPECT_EQ(stage->actor, "rule:demo_request@v1");
  EXPECT_NE(stage->reason.find("\"to\":\"mql\""), std::string::npos) << stage->reason;
  // The people view moved with the decision.
  (void)f.store->Read([&](sql::Db& db) {
    EXPECT_EQ(store::LoadPerson(db, p)->stage, Stage::kMql);
    return Status::Ok();
  });
  EXPECT_EQ(f.leads->StandingOf(p, f.clock.Now()).stage, Stage::kMql);
}

TEST(LeadModelTest, ARolledBackWriteLeavesNoTraceInTheEngine) {
  Fixture f("rollback");
  PersonId p = f.AddPerson({.emails = std::vector<std::string>{"a@acme.io"}});
  f.Post(p, "form_submit", kStart, R"({"form":"contact-us"})");
  double before = f.leads->StandingOf(p, f.clock.Now()).score;
  Activity a{.client_id = "x",
             .type = "demo_request",
             .person = {.person_id = p},
             .occurred_at = kStart + std::chrono::hours(2)};
  Status st = f.store->Write([&](store::WriteTxn& txn) {
    auto r = StoreActivities(txn, {{.index = 0, .activity = a}}, {}, {});
    EXPECT_TRUE(r.ok());
    return Status(Code::kInternal, "the caller changes its mind");
  });
  EXPECT_FALSE(st.ok());
  engine::Standing s = f.leads->StandingOf(p, f.clock.Now());
  EXPECT_EQ(s.score, before);
  EXPECT_EQ(s.stage, Stage::kLead);
}

TEST(LeadModelTest, ExplainShowsEachRuleAndTheStageStep) {
  Fixture f("explain");
  PersonId p =
      f.AddPerson({.job_title = "VP Marketing", .emails = std::vector<std::string>{"vp@acme.io"}});
  f.Post(p, "page_view", kStart, R"({"path":"/pricing"})");
  f.Post(p, "demo_request", kStart + std::chrono::hours(1), R"({"form":"demo-request"})");
  auto e = f.leads->Explain(p, kStart + std::chrono::hours(2));
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  double sum = 0;
  for (const auto& r : e->rules) sum += r.points;
  EXPECT_DOUBLE_EQ(sum, e->score);
  EXPECT_DOUBLE_EQ(e->score, f.leads->StandingOf(p, kStart + std::chrono::hours(2)).score);
  ASSERT_FALSE(e->stages.empty());
  EXPECT_EQ(e->stages.back().to, Stage::kMql);
  EXPECT_EQ(e->stages.back().rule, "demo_request");
  EXPECT_EQ(e->stages.back().policy_version, 1);
  EXPECT_EQ(f.leads->Explain(PersonId(999999), kStart).status().code(), Code::kNotFound);
}

// --- Replay: rebuilding from the journal gives exactly the live state -----------------------

const char* kTitles[] = {"CTO",     "VP Marketing",      "Head of Revenue Operations",
                         "Student", "Marketing Manager", "Software Engineer",
                         ""};
const char* kDomains[] = {"acme.io", "gmail.com", "rivalrevops.com", "uni.edu", "globex.com"};
const char* kCountries[] = {"DE", "US", "GB", "BR", "IR", "JP"};
const char* kIndustries[] = {"Software", "Logistics", "Retail", "Financial Services"};
const char* kBands[] = {"11-50", "51-200", "201-1000", "5000+"};
const char* kTypes[] = {"page_view",      "page_view",        "email_open",   "email_click",
                        "form_submit",    "content_download", "demo_request", "callback_request",
                        "meeting_held",   "webinar_attended", "unsubscribe",  "email_bounce",
                        "opportunity_won"};
const char* kProps[] = {R"({"path":"/pricing"})",
                        R"({"path":"/blog/x"})",
                        R"({"path":"/careers/y"})",
                        R"({"form":"gated-content"})",
                        R"({"form":"demo-request"})",
                        R"({"kind":"demo"})",
                        "{}"};

template <typename T, size_t N>
const T& Pick(const T (&a)[N]) {
  return a[*rc::gen::inRange<size_t>(0, N)];
}

// One random step: a person, a company, an activity, an erasure or a policy switch.
void RandomStep(Fixture& f, std::vector<PersonId>& people, std::vector<CompanyId>& companies,
                bool& switched) {
  int op = *rc::gen::inRange(0, 100);
  RecordOptions ro;
  Status st = f.store->Write([&](store::WriteTxn& txn) -> Status {
    if (op < 15 || people.empty()) {
      PersonFields pf{.job_title = std::string(Pick(kTitles)),
                      .country = std::string(Pick(kCountries))};
      pf.emails =
          std::vector<std::string>{"p" + std::to_string(people.size()) + "@" + Pick(kDomains)};
      if (!companies.empty() && *rc::gen::arbitrary<bool>())
        pf.company = companies[*rc::gen::inRange<size_t>(0, companies.size())];
      auto r = CreatePerson(txn, pf, ro);
      if (r.ok()) people.push_back(r->person.id);
      return r.status();
    }
    PersonId p = people[*rc::gen::inRange<size_t>(0, people.size())];
    if (op < 22) {
      auto r = CreateCompany(txn,
                             {.name = "C" + std::to_string(companies.size()),
                              .industry = std::string(Pick(kIndustries)),
                              .size_band = std::string(Pick(kBands))},
                             ro);
      if (r.ok()) companies.push_back(r->company.id);
      return r.status();
    }
    if (op < 27 && !companies.empty()) {
      CompanyId c = companies[*rc::gen::inRange<size_t>(0, companies.size())];
      return UpdateCompany(txn, c, {.industry = std::string(Pick(kIndustries))}, ro).status();
    }
    if (op < 32) {
      PersonFields pf{.job_title = std::string(Pick(kTitles))};
      if (!companies.empty())
        pf.company = companies[*rc::gen::inRange<size_t>(0, companies.size())];
      auto r = UpdatePerson(txn, p, pf, ro);
      return r.ok() || r.status().code() == Code::kFailedPrecondition ? Status::Ok() : r.status();
    }
    if (op < 34) {
      auto loaded = store::LoadPerson(txn.db(), p);
      if (loaded.ok() && !loaded->erased) return ErasePerson(txn, p, ro);
      return Status::Ok();
    }
    Activity a{.client_id = "r" + std::to_string(++f.next_id),
               .type = Pick(kTypes),
               .person = {.person_id = p},
               .occurred_at = kStart + std::chrono::hours(*rc::gen::inRange(0, 24 * 200)),
               .properties = Pick(kProps)};
    auto r = StoreActivities(txn, {{.index = 0, .activity = a}}, {}, {});
    return r.status();
  });
  RC_ASSERT(st.ok());
  if (!switched && op >= 98) {
    switched = true;
    std::string variant(EmbeddedDefaultPolicy());
    size_t at = variant.find("score_at_least = 100");
    RC_ASSERT(at != std::string::npos);
    variant.replace(at, 20, "score_at_least = 60");
    User admin{.id = UserId(1), .email = "admin@x.io", .role = Role::kAdmin};
    auto v = f.leads->Propose(variant, admin, std::nullopt);
    RC_ASSERT(v.ok());
    RC_ASSERT(f.leads->Approve(v->version, admin).ok());
  }
}

RC_GTEST_PROP(LeadModelReplay, RebuildingFromTheJournalGivesTheLiveState, ()) {
  static int run = 0;
  Fixture f("replay-" + std::to_string(++run));
  User admin{.email = "admin@x.io", .name = "Admin", .role = Role::kAdmin};
  RC_ASSERT(
      f.store->Write([&](store::WriteTxn& txn) { return store::InsertUser(txn, admin); }).ok());
  std::vector<PersonId> people;
  std::vector<CompanyId> companies;
  bool switched = false;
  int steps = *rc::gen::inRange(1, 120);
  for (int i = 0; i < steps; ++i) RandomStep(f, people, companies, switched);

  auto rebuilt = LeadModel::Open(*f.store, EmbeddedDefaultPolicy());
  RC_ASSERT(rebuilt.ok());
  Timestamp now = kStart + std::chrono::days(260);
  for (PersonId p : people) {
    engine::Standing live = f.leads->StandingOf(p, now);
    engine::Standing again = (*rebuilt)->StandingOf(p, now);
    RC_ASSERT(live.known == again.known);
    RC_ASSERT(live.score == again.score);
    RC_ASSERT(live.grade == again.grade);
    RC_ASSERT(live.persona == again.persona);
    RC_ASSERT(live.stage == again.stage);
    RC_ASSERT(live.stage_rule == again.stage_rule);
    RC_ASSERT(live.stage_policy_version == again.stage_policy_version);
  }
  rebuilt->reset();
}

}  // namespace
}  // namespace tandem::ingest
