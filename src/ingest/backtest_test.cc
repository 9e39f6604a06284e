// Backtests over a small store whose figures are worked out by hand for two policies that
// differ only in their MQL threshold (active 100, candidate 50).
#include "ingest/backtest.h"

#include "ingest/analysis_test_fixture.h"
#include "ingest/lead_model.h"

namespace tandem::ingest {
namespace {

// Page views score 10; a call-back request fast-tracks to SQL; a purchase to customer. A
// marketer fits the one persona (grade C); everyone else stays at D with no persona.
std::string PolicyWithMqlAt(int score) {
  return R"(name = "mql at )" + std::to_string(score) + R"("
[[scoring]]
id = "page_view"
activity = "page_view"
points = 10

[[personas]]
id = "marketer"
name = "Marketer"
criteria = [{ fact = "job_title", in = ["marketing"], thirds = 3 }]

[[stages]]
id = "mql"
to = "mql"
when = [{ score_at_least = )" +
         std::to_string(score) + R"( }]

[[stages]]
id = "callback"
to = "sql"
fast_track = true
when = [{ activity = "callback_request", within_days = 30 }]

[[stages]]
id = "bought"
to = "customer"
fast_track = true
when = [{ activity = "purchase" }]
)";
}

class BacktestTest : public AnalysisTest {
 protected:
  // p1: 6 views in W10: an MQL for the candidate only, and stays one.
  // p2 (marketer): 10 views in W10 (an MQL for both), a call-back in W11 (SQL for both).
  // p3: 5 views in W12 (an MQL for the candidate), a purchase in W13 (customer for both; for
  //     the active policy that is also its MQL and SQL moment).
  // p4: 2 views in W10: nothing.
  void SetUp() override {
    AnalysisTest::SetUp();
    p1_ = AddPerson("p1@example.com");
    p2_ = AddPerson("p2@example.com", "Marketing Manager");
    p3_ = AddPerson("p3@example.com");
    p4_ = AddPerson("p4@example.com");
    Post("p1@example.com", "page_view", "2026-03-02T09:00:00Z", 6);
    Post("p2@example.com", "page_view", "2026-03-03T09:00:00Z", 10);
    Post("p4@example.com", "page_view", "2026-03-04T09:00:00Z", 2);
    Post("p2@example.com", "callback_request", "2026-03-10T09:00:00Z");
    Post("p3@example.com", "page_view", "2026-03-16T09:00:00Z", 5);
    Post("p3@example.com", "purchase", "2026-03-24T09:00:00Z");
  }

  BacktestReport Run(BacktestOptions options = {}) {
    auto r = RunBacktest(*store_, active_, candidate_, options);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : BacktestReport{};
  }

  std::shared_ptr<const engine::CompiledPolicy> active_ = Compile(PolicyWithMqlAt(100), 3);
  std::shared_ptr<const engine::CompiledPolicy> candidate_ = Compile(PolicyWithMqlAt(50));
  PersonId p1_, p2_, p3_, p4_;
};

std::vector<std::pair<std::string, int64_t>> Mix(const std::vector<MixItem>& items) {
  std::vector<std::pair<std::string, int64_t>> out;
  for (const auto& m : items) out.emplace_back(m.name, m.mqls);
  return out;
}

using Pairs = std::vector<std::pair<std::string, int64_t>>;

TEST_F(BacktestTest, TotalsCountEachPersonOnceWithTheirConversion) {
  BacktestReport r = Run();
  EXPECT_EQ(r.active_version, 3);
  EXPECT_EQ(r.active.mqls, 2);  // p2, p3 (by its purchase)
  EXPECT_EQ(r.active.sqls, 2);
  EXPECT_EQ(r.active.mqls_reaching_sql, 2);
  EXPECT_DOUBLE_EQ(*r.active.mql_to_sql, 1.0);
  EXPECT_DOUBLE_EQ(*r.active.mql_to_customer, 0.5);
  EXPECT_EQ(r.candidate.mqls, 3);  // p1, p2, p3
  EXPECT_EQ(r.candidate.sqls, 2);
  EXPECT_DOUBLE_EQ(*r.candidate.mql_to_sql, 2.0 / 3);
  EXPECT_DOUBLE_EQ(*r.candidate.mql_to_customer, 1.0 / 3);
  EXPECT_EQ(r.activities_read, 25);
  EXPECT_EQ(r.people, 4);
}

TEST_F(BacktestTest, MixIsTheStandingWhenPeopleBecameMql) {
  BacktestReport r = Run();
  EXPECT_EQ(Mix(r.active.personas), (Pairs{{"marketer", 1}, {"none", 1}}));
  EXPECT_EQ(Mix(r.active.grades), (Pairs{{"C", 1}, {"D", 1}}));
  EXPECT_EQ(Mix(r.candidate.personas), (Pairs{{"marketer", 1}, {"none", 2}}));
  EXPECT_EQ(Mix(r.candidate.grades), (Pairs{{"C", 1}, {"D", 2}}));
}

TEST_F(BacktestTest, WeeksAreIsoWeeksFromFirstToLast) {
  BacktestReport r = Run();
  ASSERT_EQ(r.weeks.size(), 4u);
  EXPECT_EQ(r.weeks[0].week, "2026-W10");
  EXPECT_EQ(r.weeks[0].starts, *ParseTimestamp("2026-03-02"));
  EXPECT_EQ(r.weeks[0].active.mqls, 1);
  EXPECT_EQ(r.weeks[0].candidate.mqls, 2);
  EXPECT_EQ(r.weeks[1].week, "2026-W11");
  EXPECT_EQ(r.weeks[1].active.sqls, 1);
  EXPECT_EQ(r.weeks[1].candidate.sqls, 1);
  EXPECT_EQ(r.weeks[2].week, "2026-W12");
  EXPECT_EQ(r.weeks[2].active.mqls, 0);
  EXPECT_FALSE(r.weeks[2].active.mql_to_sql.has_value());
  EXPECT_EQ(r.weeks[2].candidate.mqls, 1);
  EXPECT_EQ(r.weeks[3].week, "2026-W13");
  EXPECT_EQ(r.weeks[3].active.mqls, 1);
  EXPECT_EQ(r.weeks[3].active.sqls, 1);
  EXPECT_EQ(r.weeks[3].candidate.mqls, 0);
  EXPECT_EQ(r.weeks[3].candidate.sqls, 1);
}

TEST_F(BacktestTest, PeopleWhoseFinalStageDiffersAreListed) {
  BacktestReport r = Run();
  EXPECT_EQ(r.people_differing, 1);
  ASSERT_EQ(r.differences.size(), 1u);
  EXPECT_EQ(r.differences[0].person, p1_);
  EXPECT_EQ(r.differences[0].active, Stage::kLead);
  EXPECT_EQ(r.differences[0].candidate, Stage::kMql);
}

TEST_F(BacktestTest, WindowCountsOnlyDecisionsInsideButRatesLookToTheEnd) {
  BacktestReport r =
      Run({.from = *ParseTimestamp("2026-03-09"), .to = *ParseTimestamp("2026-03-23")});
  EXPECT_EQ(r.active.mqls, 0);
  EXPECT_EQ(r.active.sqls, 1);                     // p2's call-back
  EXPECT_EQ(r.candidate.mqls, 1);                  // p3 in W12 ...
  EXPECT_DOUBLE_EQ(*r.candidate.mql_to_sql, 1.0);  // ... who bought in W13, after the window
  ASSERT_EQ(r.weeks.size(), 2u);
  EXPECT_EQ(r.weeks[0].week, "2026-W11");
  EXPECT_EQ(r.people_differing, 1);  // final stages do not depend on the window
}

TEST_F(BacktestTest, EmptyWindowIsRefused) {
  auto r =
      RunBacktest(*store_, active_, candidate_,
                  {.from = *ParseTimestamp("2026-03-09"), .to = *ParseTimestamp("2026-03-09")});
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
}

bool SameFigures(const BacktestFigures& a, const BacktestFigures& b) {
  return a.mqls == b.mqls && a.sqls == b.sqls && a.mqls_reaching_sql == b.mqls_reaching_sql &&
         a.mqls_reaching_customer == b.mqls_reaching_customer &&
         Mix(a.personas) == Mix(b.personas) && Mix(a.grades) == Mix(b.grades);
}

TEST_F(BacktestTest, SameInputSameOutput) {
  BacktestReport a = Run(), b = Run();
  ASSERT_EQ(a.weeks.size(), b.weeks.size());
  for (size_t i = 0; i < a.weeks.size(); ++i) {
    EXPECT_EQ(a.weeks[i].week, b.weeks[i].week);
    EXPECT_TRUE(SameFigures(a.weeks[i].active, b.weeks[i].active));
    EXPECT_TRUE(SameFigures(a.weeks[i].candidate, b.weeks[i].candidate));
  }
  EXPECT_TRUE(SameFigures(a.active, b.active));
  EXPECT_TRUE(SameFigures(a.candidate, b.candidate));
  EXPECT_EQ(a.people_differing, b.people_differing);
}

TEST_F(BacktestTest, JournalPolicySwitchesAreIgnored) {
  // The lead model installs a default policy (a policy_activated entry) and journals its
  // decisions; neither changes what the two policies are compared on.
  auto model = LeadModel::Open(*store_, PolicyWithMqlAt(10));
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  Post("p4@example.com", "page_view", "2026-03-25T09:00:00Z");
  BacktestReport r = Run();
  EXPECT_EQ(r.active.mqls, 2);
  EXPECT_EQ(r.candidate.mqls, 3);
}

TEST_F(BacktestTest, CandidateDocumentIsCheckedAgainstTheStore) {
  auto ok = CompileCandidate(*store_, PolicyWithMqlAt(50));
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ((*ok)->version(), 0);
  auto bad = CompileCandidate(*store_,
                              "name = \"x\"\n[[scoring]]\nid = \"a\"\nactivity = "
                              "\"no_such_type\"\npoints = 1\n");
  ASSERT_EQ(bad.status().code(), Code::kInvalidArgument);
  ASSERT_FALSE(bad.status().errors().empty());
  EXPECT_GT(bad.status().errors()[0].line, 0);
  auto huge = CompileCandidate(*store_, std::string(300 * 1024, '#'));
  EXPECT_EQ(huge.status().code(), Code::kTooLarge);
}

TEST_F(BacktestTest, ActivePolicyIsLoadedWithoutReplay) {
  EXPECT_EQ(LoadActivePolicy(*store_).status().code(), Code::kNotFound);
  ASSERT_TRUE(LeadModel::Open(*store_, PolicyWithMqlAt(100)).ok());
  auto active = LoadActivePolicy(*store_);
  ASSERT_TRUE(active.ok()) << active.status().ToString();
  EXPECT_EQ((*active)->version(), 1);
  EXPECT_EQ((*active)->policy().name, "mql at 100");
}

// A policy may test one activity type's properties in more distinct ways (here 70) than the
// engine tracks as bits (64 per type); it then tests rule by rule, and must score as a policy
// saying the same in one rule does.
TEST_F(BacktestTest, ManyDistinctPropertyTestsOnOneTypeScoreAsOneRuleDoes) {
  std::string one =
      "name = \"one rule\"\n[[scoring]]\nid = \"pages\"\nactivity = "
      "\"page_view\"\npoints = 10\nwhere = [{ key = \"path\", equals = [";
  std::string many = "name = \"a rule per page\"\n";
  for (int i = 0; i < 70; ++i) {
    const std::string path = "/p" + std::to_string(i);
    one += (i ? ", \"" : "\"") + path + "\"";
    many += "[[scoring]]\nid = \"page" + std::to_string(i) +
            "\"\nactivity = \"page_view\"\npoints = 10\nwhere = [{ key = \"path\", equals = [\"" +
            path + "\"] }]\n";
  }
  one += "] }]\n";
  const std::string mql =
      "[[stages]]\nid = \"mql\"\nto = \"mql\"\nwhen = [{ score_at_least = 30 }]\n";
  Post("p1@example.com", "page_view", "2026-04-06T09:00:00Z", 3, R"({"path":"/p3"})");
  Post("p2@example.com", "page_view", "2026-04-06T09:00:00Z", 2, R"({"path":"/p69"})");
  Post("p3@example.com", "page_view", "2026-04-06T09:00:00Z", 3, R"({"path":"/p70"})");
  Post("p4@example.com", "page_view", "2026-04-06T09:00:00Z", 4, R"({"referrer":"/p1"})");
  auto r = RunBacktest(*store_, Compile(one + mql), Compile(many + mql), {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->active.mqls, 1);
  EXPECT_EQ(r->candidate.mqls, 1);
  EXPECT_EQ(r->people_differing, 0);
}

}  // namespace
}  // namespace tandem::ingest
