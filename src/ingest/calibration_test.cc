// Calibration over small stores whose outcomes and peak scores are set by hand.
#include "ingest/calibration.h"

#include <random>

#include "ingest/analysis_test_fixture.h"

namespace tandem::ingest {
namespace {

// Page views score 10, purchases 100; a call-back request fast-tracks to SQL, a purchase to
// customer. Marketers fit the one persona (grade C).
constexpr const char* kPolicy = R"(name = "calibrated"
[[scoring]]
id = "page_view"
activity = "page_view"
points = 10

[[scoring]]
id = "purchase"
activity = "purchase"
points = 100

[[personas]]
id = "marketer"
name = "Marketer"
criteria = [{ fact = "job_title", in = ["marketing"], thirds = 3 }]

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

class CalibrationTest : public AnalysisTest {
 protected:
  // n marketers who view 8 pages (peak 80) and then ask for a call-back: converted.
  void AddConverters(int n) {
    for (int i = 0; i < n; ++i) {
      std::string email = "yes" + std::to_string(i) + "@example.com";
      AddPerson(email, "Marketing Director");
      Post(email, "page_view", "2026-03-02T09:00:00Z", 8);
      Post(email, "callback_request", "2026-03-02T12:00:00Z");
    }
  }
  // n people who view `views` pages and nothing more.
  void AddBrowsers(int n, int views, const std::string& prefix = "no") {
    for (int i = 0; i < n; ++i) {
      std::string email = prefix + std::to_string(i) + "@example.com";
      AddPerson(email);
      Post(email, "page_view", "2026-03-02T09:00:00Z", views);
    }
  }
  CalibrationReport Run(CalibrationOptions options = {}) {
    auto r = Calibrate(*store_, policy_, options);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : CalibrationReport{};
  }

  std::shared_ptr<const engine::CompiledPolicy> policy_ = Compile(kPolicy, 2);
};

TEST_F(CalibrationTest, PerfectlySeparatingScoreHasAucOne) {
  AddConverters(5);
  AddBrowsers(5, 2);
  CalibrationReport r = Run();
  EXPECT_EQ(r.policy_version, 2);
  EXPECT_EQ(r.people, 10);
  EXPECT_EQ(r.converted, 5);
  EXPECT_DOUBLE_EQ(*r.rate, 0.5);
  EXPECT_DOUBLE_EQ(*r.auc, 1.0);
  EXPECT_DOUBLE_EQ(r.months, 1.0);
}

TEST_F(CalibrationTest, ConversionByScoreBandAndGrade) {
  AddConverters(5);
  AddBrowsers(5, 2);
  CalibrationReport r = Run();
  ASSERT_EQ(r.bands.size(), 4u);  // [0, 25) … [75, 100)
  EXPECT_EQ(r.bands[0].label, "[0, 25)");
  EXPECT_EQ(r.bands[0].people, 5);
  EXPECT_EQ(r.bands[0].converted, 0);
  EXPECT_EQ(r.bands[1].people, 0);
  EXPECT_FALSE(r.bands[1].rate.has_value());
  EXPECT_EQ(r.bands[3].label, "[75, 100)");
  EXPECT_EQ(r.bands[3].people, 5);
  EXPECT_DOUBLE_EQ(*r.bands[3].rate, 1.0);
  ASSERT_EQ(r.grades.size(), 13u);
  EXPECT_EQ(r.grades[0].label, "A+");
  auto grade = [&](const std::string& name) {
    for (const auto& g : r.grades) {
      if (g.label == name) return g;
    }
    return ConversionGroup{};
  };
  EXPECT_EQ(grade("C").people, 5);
  EXPECT_EQ(grade("C").converted, 5);
  EXPECT_EQ(grade("D").people, 5);
  EXPECT_EQ(grade("D").converted, 0);
}

TEST_F(CalibrationTest, ThresholdsMeetingTargets) {
  AddConverters(5);
  AddBrowsers(5, 2);
  CalibrationReport r = Run({.target_mqls_per_month = 5, .target_mql_to_sql = 0.9});
  ASSERT_TRUE(r.for_mqls_per_month.has_value());
  EXPECT_TRUE(r.for_mqls_per_month->met);
  EXPECT_EQ(r.for_mqls_per_month->score_at_least, 21);  // just above the browsers' 20
  EXPECT_EQ(r.for_mqls_per_month->people, 5);
  EXPECT_DOUBLE_EQ(r.for_mqls_per_month->mqls_per_month, 5);
  ASSERT_TRUE(r.for_mql_to_sql.has_value());
  EXPECT_TRUE(r.for_mql_to_sql->met);
  EXPECT_EQ(r.for_mql_to_sql->score_at_least, 21);
  EXPECT_DOUBLE_EQ(*r.for_mql_to_sql->rate, 1.0);
  CalibrationReport loose = Run({.target_mqls_per_month = 20, .target_mql_to_sql = 0.5});
  EXPECT_EQ(loose.for_mqls_per_month->score_at_least, 0);  // everyone fits under 20
  EXPECT_EQ(loose.for_mql_to_sql->score_at_least, 0);      // 5 of 10 convert already
}

TEST_F(CalibrationTest, UnreachableTargetsSaySo) {
  AddConverters(5);
  AddBrowsers(5, 2);
  AddBrowsers(1, 9, "keen");  // the top score, and no conversion
  CalibrationReport r = Run({.target_mqls_per_month = 0, .target_mql_to_sql = 0.9});
  EXPECT_FALSE(r.for_mql_to_sql->met);
  EXPECT_FALSE(r.for_mql_to_sql->score_at_least.has_value());
  EXPECT_FALSE(r.for_mql_to_sql->note.empty());
  EXPECT_FALSE(r.for_mqls_per_month->met);
  EXPECT_FALSE(r.for_mqls_per_month->note.empty());
}

TEST_F(CalibrationTest, PeakScoreStopsBeforeThePurchase) {
  AddPerson("buyer@example.com");
  Post("buyer@example.com", "page_view", "2026-03-02T09:00:00Z");
  Post("buyer@example.com", "purchase", "2026-03-03T09:00:00Z");  // 100 points, not counted
  AddBrowsers(1, 3);
  CalibrationReport r = Run();
  EXPECT_EQ(r.converted, 1);
  ASSERT_EQ(r.bands.size(), 2u);
  EXPECT_EQ(r.bands[0].converted, 1);  // the buyer, at 10
  EXPECT_EQ(r.bands[1].people, 1);     // the browser, at 30
  EXPECT_DOUBLE_EQ(*r.auc, 0.0);
}

TEST_F(CalibrationTest, ScoreThatTellsNothingHasAucOneHalf) {
  for (int i = 0; i < 6; ++i) {
    std::string email = "p" + std::to_string(i) + "@example.com";
    AddPerson(email);
    Post(email, "page_view", "2026-03-02T09:00:00Z", 3);
    if (i % 2) Post(email, "callback_request", "2026-03-04T09:00:00Z");
  }
  CalibrationReport r = Run();
  EXPECT_EQ(r.converted, 3);
  EXPECT_DOUBLE_EQ(*r.auc, 0.5);
}

TEST_F(CalibrationTest, MonthsSpanTheActivities) {
  AddBrowsers(1, 1);
  AddPerson("late@example.com");
  Post("late@example.com", "page_view", "2026-04-29T09:00:00Z");
  CalibrationReport r = Run();
  EXPECT_NEAR(r.months, 58.0 / (365.2425 / 12), 1e-9);
  EXPECT_EQ(FormatTimestamp(*r.first_activity), "2026-03-02T09:00:00Z");
}

TEST_F(CalibrationTest, BadOptionsAreRefused) {
  EXPECT_EQ(Calibrate(*store_, policy_, {.band_width = 0}).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(Calibrate(*store_, policy_, {.target_mql_to_sql = 1.5}).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(Calibrate(*store_, policy_, {.target_mqls_per_month = -1}).status().code(),
            Code::kInvalidArgument);
}

TEST_F(CalibrationTest, EmptyStoreHasNoAuc) {
  CalibrationReport r = Run({.target_mqls_per_month = 10});
  EXPECT_EQ(r.people, 0);
  EXPECT_FALSE(r.auc.has_value());
  EXPECT_FALSE(r.for_mqls_per_month->met);
}

TEST(AreaUnderRocTest, RandomScoresAreNearOneHalf) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> score(0, 200);
  std::vector<double> scores;
  std::vector<bool> converted;
  for (int i = 0; i < 20000; ++i) {
    scores.push_back(score(rng));
    converted.push_back(rng() % 4 == 0);
  }
  EXPECT_NEAR(*AreaUnderRoc(scores, converted), 0.5, 0.02);
}

TEST(AreaUnderRocTest, TiesCountHalf) {
  EXPECT_DOUBLE_EQ(*AreaUnderRoc({1, 1, 2, 0}, {true, false, true, false}), 0.875);
  EXPECT_FALSE(AreaUnderRoc({1, 2}, {true, true}).has_value());
}

}  // namespace
}  // namespace tandem::ingest
