#include "app/demo.h"

#include <gtest/gtest.h>

#include <chrono>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "app/demo_test_store.h"
#include "domain/activity_type.h"
#include "ingest/calibration.h"
#include "ingest/records.h"
#include "store/users.h"

namespace tandem::app {
namespace {

const Timestamp kNow = *ParseTimestamp("2026-11-10T00:00:00Z");

// The default-size demo, loaded once for the tests that only read it.
class DemoAtDefaultSize : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    store_ = new TempStore("default", kNow);
    auto started = std::chrono::steady_clock::now();
    auto loaded = store_->Load({.seed = 42, .now = kNow});
    auto elapsed = std::chrono::steady_clock::now() - started;
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    summary_ = *loaded;
    std::cout << "LoadDemo (default size): "
              << std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count() << " ms; "
              << summary_.people << " people (" << summary_.duplicates << " near-duplicates), "
              << summary_.companies << " companies, " << summary_.activities << " activities, "
              << summary_.users << " users, " << summary_.teams << " teams; "
              << summary_.sales.routed << " leads routed, " << summary_.sales.breaches
              << " breaches, " << summary_.sales.open_leads << " open leads\n";
  }
  static void TearDownTestSuite() {
    delete store_;
    store_ = nullptr;
  }

  static TempStore* store_;
  static DemoSummary summary_;
};

TempStore* DemoAtDefaultSize::store_ = nullptr;
DemoSummary DemoAtDefaultSize::summary_;

TEST_F(DemoAtDefaultSize, MeetsTheMinimums) {
  EXPECT_GE(summary_.people, 5000);
  EXPECT_GE(summary_.companies, 600);
  EXPECT_GE(summary_.activities, 150'000);
  EXPECT_EQ(store_->Count("SELECT COUNT(*) FROM people"), summary_.people);
  EXPECT_EQ(store_->Count("SELECT COUNT(*) FROM companies"), summary_.companies);
  EXPECT_EQ(store_->Count("SELECT COUNT(*) FROM journal WHERE kind = 'activity'"),
            summary_.activities);
  EXPECT_EQ(summary_.admin_email, "admin@tandem.demo");
}

TEST_F(DemoAtDefaultSize, HistorySpansSixMonthsAndEndsByNow) {
  int64_t first = store_->Count("SELECT MIN(occurred_at) FROM journal WHERE kind = 'activity'");
  int64_t last = store_->Count("SELECT MAX(occurred_at) FROM journal WHERE kind = 'activity'");
  EXPECT_LE(last, ToMicros(kNow));
  EXPECT_GE(last, ToMicros(kNow - std::chrono::days(2)));
  EXPECT_LE(first, ToMicros(kNow - std::chrono::days(183)));
  EXPECT_EQ(first, ToMicros(summary_.history_start));
}

TEST_F(DemoAtDefaultSize, EveryBuiltinActivityTypeOccurs) {
  for (const ActivityTypeInfo& t : BuiltinActivityTypes()) {
    EXPECT_GT(
        store_->Count("SELECT COUNT(*) FROM journal WHERE type = '" + std::string(t.name) + "'"), 0)
        << t.name;
  }
  // Page views are the bulk; requests are rare.
  int64_t views = store_->Count("SELECT COUNT(*) FROM journal WHERE type = 'page_view'");
  int64_t demos = store_->Count("SELECT COUNT(*) FROM journal WHERE type = 'demo_request'");
  EXPECT_GT(views, summary_.activities / 3);
  EXPECT_LT(demos, summary_.people / 5);
}

TEST_F(DemoAtDefaultSize, UsersFormThreeTeamsWithSalesInTwoTimeZones) {
  std::vector<Team> teams;
  std::vector<User> users;
  ASSERT_TRUE((**store_)
                  .Read([&](sql::Db& db) {
                    teams = store::ListTeams(db);
                    users = store::ListUsers(db);
                    return Status::Ok();
                  })
                  .ok());
  ASSERT_EQ(teams.size(), 3u);
  std::set<std::string> sales_zones;
  for (const Team& t : teams) {
    EXPECT_TRUE(t.manager.valid()) << t.name;
    std::map<Role, int> roles;
    for (const User& u : users) roles[u.role] += u.team == t.id;
    if (t.name.starts_with("Sales")) {
      sales_zones.insert(t.time_zone);
      EXPECT_EQ(roles[Role::kSalesManager], 1) << t.name;
      EXPECT_GE(roles[Role::kSalesRep], 4) << t.name;
      EXPECT_LE(roles[Role::kSalesRep], 5) << t.name;
    } else {
      EXPECT_GE(roles[Role::kMarketing], 3) << t.name;
    }
  }
  EXPECT_EQ(sales_zones.size(), 2u);
  int admins = 0, viewers = 0;
  for (const User& u : users) {
    admins += u.role == Role::kAdmin && u.email == summary_.admin_email;
    viewers += u.role == Role::kViewer;
  }
  EXPECT_EQ(admins, 1);
  EXPECT_EQ(viewers, 1);
  EXPECT_EQ(static_cast<int64_t>(users.size()), summary_.users);
}

TEST_F(DemoAtDefaultSize, CompaniesUseReferenceValues) {
  EXPECT_EQ(store_->Count("SELECT COUNT(*) FROM companies WHERE size_band NOT IN "
                          "('1-10','11-50','51-200','201-1000','1001-5000','5000+')"),
            0);
  EXPECT_EQ(store_->Count("SELECT COUNT(*) FROM companies WHERE length(country) != 2 "
                          "OR country != upper(country) OR domain IS NULL"),
            0);
  EXPECT_GE(store_->Count("SELECT COUNT(DISTINCT industry) FROM companies"), 8);
  int64_t owned = store_->Count("SELECT COUNT(*) FROM companies WHERE owner_id IS NOT NULL");
  EXPECT_GT(owned, summary_.companies / 4);
  EXPECT_LT(owned, summary_.companies);
}

TEST_F(DemoAtDefaultSize, PeopleCarrySomeDirtyData) {
  double n = static_cast<double>(summary_.people);
  double no_title = store_->Count("SELECT COUNT(*) FROM people WHERE job_title IS NULL");
  double no_phone = store_->Count(
      "SELECT COUNT(*) FROM people WHERE id NOT IN (SELECT person_id FROM person_phones)");
  double bad_phone = store_->Count("SELECT COUNT(*) FROM person_phones WHERE e164 IS NULL");
  EXPECT_GT((no_title + no_phone) / n, 0.03);
  EXPECT_LT((no_title + no_phone) / n, 0.10);
  EXPECT_GT(bad_phone / n, 0.01);
  EXPECT_LT(bad_phone / n, 0.08);
  EXPECT_GT(summary_.duplicates, summary_.people / 100);
  EXPECT_GT(store_->Count("SELECT COUNT(*) FROM person_emails WHERE email LIKE '%@gmail.com'"), 0);
}

TEST_F(DemoAtDefaultSize, AFewPercentUnsubscribe) {
  double unsubscribed =
      store_->Count("SELECT COUNT(DISTINCT subject) FROM journal WHERE type = 'unsubscribe'");
  EXPECT_GT(unsubscribed / summary_.people, 0.01);
  EXPECT_LT(unsubscribed / summary_.people, 0.08);
  EXPECT_EQ(store_->Count("SELECT COUNT(*) FROM people WHERE consent LIKE '%opted_out%'"),
            unsubscribed);
}

TEST_F(DemoAtDefaultSize, MostActivityHappensOnWeekdays) {
  // strftime('%w'): 0 is Sunday, 6 Saturday.
  double weekend = store_->Count(
      "SELECT COUNT(*) FROM journal WHERE kind = 'activity' AND "
      "strftime('%w', occurred_at / 1000000, 'unixepoch') IN ('0', '6')");
  EXPECT_LT(weekend / summary_.activities, 0.15);
}

// Demo and call-back requests per 1000 people among those matching `filter`.
int64_t RequestsPerMille(TempStore& s, const std::string& filter) {
  return s.Count(
      "SELECT 1000 * (SELECT COUNT(*) FROM journal WHERE type IN ('demo_request', "
      "'callback_request') AND subject IN (SELECT id FROM people WHERE id " +
      filter + ")) / (SELECT COUNT(*) FROM people WHERE id " + filter + ")");
}

TEST_F(DemoAtDefaultSize, BuyersAskedForSalesFarMoreOften) {
  const std::string buyers =
      "IN (SELECT subject FROM journal WHERE type IN ('opportunity_won', 'purchase'))";
  EXPECT_GE(store_->Count("SELECT COUNT(DISTINCT subject) FROM journal WHERE type IN "
                          "('opportunity_won', 'purchase')"),
            30);
  int64_t with = RequestsPerMille(*store_, buyers);
  int64_t without = RequestsPerMille(*store_, "NOT " + buyers);
  EXPECT_GT(with, 4 * without) << "requests per 1000: buyers " << with << ", others " << without;
}

// The policy's score ranks who converts well above chance, and the conversion rate is a
// plausible one: the hidden truth drives what sales qualifies and what deals close.
TEST_F(DemoAtDefaultSize, CalibrationFindsTheHiddenSignal) {
  auto report = ingest::Calibrate(**store_, store_->leads().ActivePolicy(), {});
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  ASSERT_TRUE(report->auc.has_value());
  EXPECT_GT(*report->auc, 0.8);
  ASSERT_TRUE(report->rate.has_value());
  EXPECT_GT(*report->rate, 0.04);
  EXPECT_LT(*report->rate, 0.2);
}

// --- The SLA story: leads routed as they happen, and worked through the SLA model ---

TEST_F(DemoAtDefaultSize, EachEntryIsRecordedAtItsSimulatedTime) {
  EXPECT_EQ(store_->Count("SELECT COUNT(*) FROM journal a JOIN journal b ON b.seq = a.seq + 1 "
                          "WHERE b.recorded_at < a.recorded_at"),
            0);
  EXPECT_EQ(store_->Count("SELECT COUNT(*) FROM journal WHERE recorded_at < occurred_at"), 0);
  EXPECT_GE(store_->Count("SELECT MIN(recorded_at) FROM journal"),
            ToMicros(DemoHistoryStart(kNow)));
  EXPECT_LE(store_->Count("SELECT MAX(recorded_at) FROM journal"), ToMicros(kNow));
}

TEST_F(DemoAtDefaultSize, LeadsAreRoutedWhenTheyBecomeMqlsAndTheirClocksStartThen) {
  EXPECT_GT(summary_.sales.routed, 300);
  EXPECT_EQ(store_->Count("SELECT COUNT(*) FROM journal WHERE kind = 'assigned'"),
            summary_.sales.routed + summary_.sales.rerouted);
  EXPECT_EQ(store_->Count("SELECT COUNT(*) FROM journal WHERE kind = 'sla_started'"),
            summary_.sales.routed + summary_.sales.rerouted);
  const std::string routed =
      "SELECT COUNT(*) FROM journal a JOIN journal c ON c.seq = a.cause WHERE a.kind = "
      "'assigned' AND a.actor LIKE 'routing@%' AND ";
  // Within the hour of the stage change; at once when a demo or call-back request made it.
  EXPECT_EQ(store_->Count(routed + "(a.occurred_at < c.occurred_at OR a.occurred_at > "
                                   "c.occurred_at + 3600000000)"),
            0);
  const std::string by_request =
      " AND c.cause IN (SELECT seq FROM journal WHERE type IN ('demo_request', "
      "'callback_request'))";
  EXPECT_GT(store_->Count(routed + "1" + by_request), 100);
  EXPECT_EQ(store_->Count(routed + "a.occurred_at != c.occurred_at" + by_request), 0);
}

TEST_F(DemoAtDefaultSize, TheJournalTellsTheWholeSlaStory) {
  for (const char* kind : {"assigned", "sla_started", "sla_breached", "escalated", "action"}) {
    EXPECT_GT(
        store_->Count(std::string("SELECT COUNT(*) FROM journal WHERE kind = '") + kind + "'"), 0)
        << kind;
  }
  const std::string action =
      "SELECT COUNT(*) FROM journal WHERE kind = 'action' AND json_extract(reason, '$.action') ";
  for (const char* a :
       {"accept", "reject", "attempt", "connect", "qualify", "recycle", "disqualify", "reassign"}) {
    EXPECT_GT(store_->Count(action + "= '" + a + "'"), 0) << a;
  }
  EXPECT_EQ(store_->Count(action + "IN ('recycle', 'disqualify') AND json_extract(reason, "
                                   "'$.reason') IS NULL"),
            0);
  EXPECT_GE(store_->Count("SELECT COUNT(DISTINCT json_extract(reason, '$.reason')) FROM journal "
                          "WHERE kind = 'action' AND json_extract(reason, '$.action') = 'recycle'"),
            4);
  EXPECT_GT(store_->Count(action + "= 'disqualify' AND json_extract(reason, '$.reason') = "
                                   "'duplicate'"),
            0);
  // The ladder's last step moved some leads on; every escalation's notifications are sent.
  EXPECT_GT(store_->Count("SELECT COUNT(*) FROM journal WHERE kind = 'assigned' AND actor LIKE "
                          "'escalation@%'"),
            0);
  EXPECT_GT(store_->Count("SELECT COUNT(*) FROM outbox WHERE status = 'delivered'"), 0);
  EXPECT_EQ(store_->Count("SELECT COUNT(*) FROM outbox WHERE status != 'delivered'"), 0);
}

// Every recycle (and disqualify for a reason not exempt) comes after the attempts and channels
// the lead's type requires, counted from the journal as the SLA model counts them; the
// premature ones the reps tried were refused and left nothing behind.
TEST_F(DemoAtDefaultSize, NoLeadIsHandedBackWithoutTheRequiredAttempts) {
  struct Lead {
    bool open = false;
    int attempts = 0, required = 0, channels_required = 0;
    std::set<std::string> channels;
  };
  auto doc = store_->sla().ActiveDocument();
  ASSERT_TRUE(doc);
  std::map<int64_t, Lead> leads;
  int checked = 0;
  store_->ForEachEntry([&](const store::JournalEntry& e) {
    static const std::map<std::string, std::string> kTouch{
        {"call_logged", "call"}, {"sales_email_sent", "email"}, {"meeting_held", "meeting"}};
    Lead& lead = leads[e.subject];
    auto r = nlohmann::json::parse(e.reason, nullptr, false);
    if (e.kind == "activity" && lead.open && kTouch.contains(e.type)) {
      ++lead.attempts;
      lead.channels.insert(kTouch.at(e.type));
    } else if (e.kind == "assigned") {
      if (!lead.open) lead = {.open = true};
      lead.required = r.value("attempts_required", 0);
      lead.channels_required = r.value("channels_required", 0);
    } else if (e.kind == "stage_changed") {
      std::string to = r.value("to", std::string());
      if (to == "opportunity" || to == "customer" || to == "lapsed") lead.open = false;
    } else if (e.kind == "action") {
      std::string a = r.value("action", std::string()), reason = r.value("reason", std::string());
      if (a == "attempt" || a == "connect") {
        ++lead.attempts;
        if (r.contains("channel")) lead.channels.insert(r["channel"].get<std::string>());
      }
      const DisqualifyReason* exempt = FindDisqualifyReason(*doc, reason);
      if (a == "recycle" || (a == "disqualify" && exempt && !exempt->exempt_from_attempts)) {
        EXPECT_GE(lead.attempts, lead.required) << "person " << e.subject << ": " << a;
        EXPECT_GE(static_cast<int>(lead.channels.size()), lead.channels_required)
            << "person " << e.subject << ": " << a;
        ++checked;
      }
      if (a == "qualify" || a == "recycle" || a == "disqualify") lead.open = false;
    }
  });
  EXPECT_GT(checked, 200);
  EXPECT_GT(summary_.sales.refused, 0);
}

TEST_F(DemoAtDefaultSize, BreachesGatherOnTheSlowAndSloppyReps) {
  int64_t breaches = store_->Count("SELECT COUNT(*) FROM journal WHERE kind = 'sla_breached'");
  int64_t two = store_->Count(
      "SELECT SUM(n) FROM (SELECT COUNT(*) AS n FROM journal WHERE kind = 'sla_breached' GROUP "
      "BY json_extract(reason, '$.owner') ORDER BY n DESC LIMIT 2)");
  EXPECT_EQ(breaches, summary_.sales.breaches);
  EXPECT_GT(breaches, 50);
  EXPECT_GT(2 * two, breaches) << "two of nine reps hold " << two << " of " << breaches;
}

TEST_F(DemoAtDefaultSize, RepsHaveOpenLeadsWhenTheHistoryEnds) {
  int with_leads = 0, overdue = 0, recent = 0;
  for (const DemoQueue& q : summary_.sales.queues) {
    with_leads += q.open > 0;
    overdue += static_cast<int>(q.overdue);
  }
  EXPECT_GE(with_leads, 6);
  EXPECT_GT(overdue, 0);
  EXPECT_EQ(static_cast<int64_t>(store_->sla().OpenLeads()), summary_.sales.open_leads);
  std::vector<User> users;
  ASSERT_TRUE((**store_)
                  .Read([&](sql::Db& db) {
                    users = store::ListUsers(db);
                    return Status::Ok();
                  })
                  .ok());
  for (const User& u : users) {
    for (const auto& lead : store_->sla().Queue(u.id)) {
      recent += lead.assigned_at > kNow - std::chrono::days(3);
    }
  }
  EXPECT_GT(recent, 5);
}

DemoOptions Small(uint64_t seed) { return {.seed = seed, .now = kNow, .people = 600}; }

TEST(Demo, SameSeedAndNowGiveIdenticalContent) {
  TempStore a("same-a", kNow), b("same-b", kNow);
  auto la = a.Load(Small(7));
  auto lb = b.Load(Small(7));
  ASSERT_TRUE(la.ok()) << la.status().ToString();
  ASSERT_TRUE(lb.ok()) << lb.status().ToString();
  EXPECT_EQ(la->activities, lb->activities);
  EXPECT_EQ(la->sales.actions, lb->sales.actions);
  EXPECT_EQ(la->sales.breaches, lb->sales.breaches);
  EXPECT_GT(la->sales.routed, 0);
  EXPECT_GE(la->people, 600);
  // Journal rows, recorded_at included (it follows the demo's clock), and people.
  EXPECT_EQ(a.Digest(), b.Digest());
  EXPECT_EQ(a.clock().Now(), kNow);
}

TEST(Demo, AnotherSeedGivesAnotherCompany) {
  TempStore a("seed-a", kNow), b("seed-b", kNow);
  ASSERT_TRUE(a.Load(Small(7)).ok());
  ASSERT_TRUE(b.Load(Small(8)).ok());
  EXPECT_NE(a.Digest(), b.Digest());
}

TEST(Demo, LoadingIntoAStoreWithPeopleIsRefused) {
  TempStore s("refused", kNow);
  ASSERT_TRUE(
      (*s).Write([](store::WriteTxn& txn) {
            return ingest::CreatePerson(txn, {.emails = {{"ana@example.com"}}}, {}).status();
          })
          .ok());
  auto loaded = s.Load(Small(7));
  EXPECT_EQ(loaded.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(s.Count("SELECT COUNT(*) FROM users"), 0);
  EXPECT_EQ(s.Count("SELECT COUNT(*) FROM people"), 1);
}

}  // namespace
}  // namespace tandem::app
