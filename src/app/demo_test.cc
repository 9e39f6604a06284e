#include "app/demo.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>

#include "domain/activity_type.h"
#include "ingest/records.h"
#include "store/journal.h"
#include "store/people.h"
#include "store/users.h"

namespace tandem::app {
namespace {

const Timestamp kNow = *ParseTimestamp("2026-11-10T00:00:00Z");

// A store in its own temporary directory, removed when done.
class TempStore {
 public:
  explicit TempStore(const std::string& name) : clock_(kNow) {
    dir_ = std::filesystem::temp_directory_path() /
           ("tandem-demo-" + std::to_string(::getpid()) + "-" + name);
    std::filesystem::remove_all(dir_);
    auto opened = store::Store::Open((dir_ / "t.db").string(), clock_);
    EXPECT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(*opened);
  }
  ~TempStore() {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  store::Store& operator*() { return *store_; }

  // Runs a query returning one integer.
  int64_t Count(const std::string& sql) {
    int64_t n = -1;
    EXPECT_TRUE(store_
                    ->Read([&](sql::Db& db) {
                      auto s = db.Prepare(sql);
                      if (!s.ok()) return s.status();
                      if ((*s)->Step()) n = (*s)->Int(0);
                      return (*s)->status();
                    })
                    .ok());
    return n;
  }

  // A digest of every journal row's content and every person row.
  std::string Digest() {
    std::string text;
    EXPECT_TRUE(store_
                    ->Read([&](sql::Db& db) {
                      for (Seq after;;) {
                        auto rows = store::ReadJournal(db, after, 5000);
                        if (rows.empty()) break;
                        for (const auto& e : rows) {
                          text += e.kind + '|' + std::to_string(e.subject) + '|' + e.type + '|' +
                                  e.source + '|' + e.client_id + '|' +
                                  std::to_string(ToMicros(e.occurred_at)) + '|' + e.payload + '\n';
                        }
                        after = rows.back().seq;
                      }
                      return Status::Ok();
                    })
                    .ok());
    return store::ContentDigest(text + PeopleText());
  }

 private:
  std::string PeopleText() {
    std::string text;
    EXPECT_TRUE(store_
                    ->Read([&](sql::Db& db) {
                      for (int64_t after = 0;;) {
                        auto page = store::ListPeople(db, {}, after, 1000);
                        if (!page.ok()) return page.status();
                        if (page->empty()) return Status::Ok();
                        for (const Person& p : *page) {
                          text += std::to_string(p.id.value()) + p.first_name + '|' + p.last_name +
                                  '|' + p.job_title + '|' + p.country + '|' +
                                  std::to_string(p.company_id.value()) + '|' +
                                  std::to_string(p.owner.value()) + '|';
                          for (const auto& e : p.emails) text += e + ',';
                          for (const auto& ph : p.phones) text += ph.raw + '/' + ph.e164 + ',';
                          text += std::to_string(p.consent.size()) + '\n';
                        }
                        after = page->back().id.value();
                      }
                    })
                    .ok());
    return text;
  }

  FakeClock clock_;
  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
};

// The default-size demo, loaded once for the tests that only read it.
class DemoAtDefaultSize : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    store_ = new TempStore("default");
    auto started = std::chrono::steady_clock::now();
    auto loaded = LoadDemo(**store_, {.seed = 42, .now = kNow});
    auto elapsed = std::chrono::steady_clock::now() - started;
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    summary_ = *loaded;
    std::cout << "LoadDemo (default size): "
              << std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count() << " ms; "
              << summary_.people << " people (" << summary_.duplicates << " near-duplicates), "
              << summary_.companies << " companies, " << summary_.activities << " activities, "
              << summary_.users << " users, " << summary_.teams << " teams\n";
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
      "SELECT 1000 * SUM(j.subject IS NOT NULL) / COUNT(DISTINCT p.id) FROM people p "
      "LEFT JOIN journal j ON j.subject = p.id AND j.type IN ('demo_request', "
      "'callback_request') WHERE p.id " +
      filter);
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

DemoOptions Small(uint64_t seed) { return {.seed = seed, .now = kNow, .people = 600}; }

TEST(Demo, SameSeedAndNowGiveIdenticalContent) {
  TempStore a("same-a"), b("same-b");
  auto la = LoadDemo(*a, Small(7));
  auto lb = LoadDemo(*b, Small(7));
  ASSERT_TRUE(la.ok()) << la.status().ToString();
  ASSERT_TRUE(lb.ok()) << lb.status().ToString();
  EXPECT_EQ(la->activities, lb->activities);
  EXPECT_GE(la->people, 600);
  EXPECT_EQ(a.Digest(), b.Digest());
}

TEST(Demo, AnotherSeedGivesAnotherCompany) {
  TempStore a("seed-a"), b("seed-b");
  ASSERT_TRUE(LoadDemo(*a, Small(7)).ok());
  ASSERT_TRUE(LoadDemo(*b, Small(8)).ok());
  EXPECT_NE(a.Digest(), b.Digest());
}

TEST(Demo, LoadingIntoAStoreWithPeopleIsRefused) {
  TempStore s("refused");
  ASSERT_TRUE(
      (*s).Write([](store::WriteTxn& txn) {
            return ingest::CreatePerson(txn, {.emails = {{"ana@example.com"}}}, {}).status();
          })
          .ok());
  auto loaded = LoadDemo(*s, Small(7));
  EXPECT_EQ(loaded.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(s.Count("SELECT COUNT(*) FROM users"), 0);
  EXPECT_EQ(s.Count("SELECT COUNT(*) FROM people"), 1);
}

}  // namespace
}  // namespace tandem::app
