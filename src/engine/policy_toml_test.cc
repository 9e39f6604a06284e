#include "engine/policy_toml.h"

#include <gtest/gtest.h>

#include <chrono>

#include "engine/policy_toml_test_util.h"

namespace tandem::engine {
namespace {

using std::chrono::days;
using testing_util::DefaultPolicyText;
using testing_util::ErrorsOf;
using testing_util::Has;
using testing_util::LineOf;
using testing_util::Show;

constexpr const char* kRule = "[[scoring]]\nid = \"r\"\nactivity = \"page_view\"\n";

TEST(PolicyToml, DefaultPolicyParsesWithItsRulesPersonasAndStages) {
  std::string text = DefaultPolicyText();
  ASSERT_FALSE(text.empty());
  auto r = ParsePolicy(text);
  ASSERT_TRUE(r.ok()) << r.status().ToString() << Show(r.status().errors());
  const QualificationPolicy& p = *r;
  EXPECT_EQ(p.name, "Default policy");
  EXPECT_EQ(p.time_zone, "UTC");
  EXPECT_EQ(p.decay.halve_after, Duration(days(30)));
  EXPECT_EQ(p.scoring.size(), 35u);
  EXPECT_EQ(p.personas.size(), 5u);
  EXPECT_EQ(p.stages.size(), 12u);
  EXPECT_EQ(p.scoring[0].line, LineOf(text, "[[scoring]]"));
  EXPECT_EQ(p.personas[1].line, LineOf(text, "[[personas]]", 1));
  EXPECT_EQ(p.stages[2].line, LineOf(text, "[[stages]]", 2));
}

TEST(PolicyToml, DefaultPolicyValuesMapIntoTheDomain) {
  auto r = ParsePolicy(DefaultPolicyText());
  ASSERT_TRUE(r.ok());
  auto rule = [&](std::string_view id) {
    for (const auto& s : r->scoring) {
      if (s.id == id) return s;
    }
    ADD_FAILURE() << "no rule " << id;
    return ScoringRule{};
  };
  ScoringRule pricing = rule("pricing_page");
  EXPECT_EQ(pricing.points, 10);
  ASSERT_EQ(pricing.where.size(), 1u);
  EXPECT_EQ(pricing.where[0].key, "path");
  EXPECT_EQ(pricing.where[0].contains, std::vector<std::string>{"/pricing"});
  EXPECT_EQ(pricing.cap_points, 30);
  EXPECT_EQ(pricing.cap_period, CapPeriod::kWeek);
  EXPECT_FALSE(pricing.expires_after);
  EXPECT_EQ(rule("content_download").expires_after, Duration(days(90)));
  EXPECT_EQ(rule("careers_pages").points, -10);
  EXPECT_EQ(rule("careers_pages").cap_period, CapPeriod::kNone);

  const StageRule& demo = r->stages[3];
  EXPECT_EQ(demo.id, "demo_request");
  EXPECT_EQ(demo.to, Stage::kMql);
  EXPECT_TRUE(demo.fast_track);
  ASSERT_EQ(demo.when.size(), 1u);
  EXPECT_EQ(demo.when[0].kind, Condition::Kind::kActivity);
  EXPECT_EQ(demo.when[0].activity, "demo_request");
  EXPECT_EQ(demo.when[0].within, Duration(days(30)));
  const StageRule& mql = r->stages[0];
  ASSERT_EQ(mql.when.size(), 2u);
  EXPECT_EQ(mql.when[0].kind, Condition::Kind::kScoreAtLeast);
  EXPECT_EQ(mql.when[0].number, 100);
  EXPECT_EQ(mql.when[1].grade, *ParseGrade("B"));
  const Persona& revops = r->personas[0];
  EXPECT_EQ(revops.criteria[0].test.fact, Fact::kJobTitle);
  EXPECT_EQ(revops.criteria[0].thirds, 3);
}

TEST(PolicyToml, OnlyANameIsRequired) {
  auto r = ParsePolicy("name = \"Empty\"\n");
  ASSERT_TRUE(r.ok()) << Show(r.status().errors());
  EXPECT_EQ(r->time_zone, "UTC");
  EXPECT_FALSE(r->decay.halve_after);
  EXPECT_TRUE(r->scoring.empty());
  EXPECT_TRUE(r->stages.empty());
}

TEST(PolicyToml, SyntaxErrorIsOneErrorWithItsLine) {
  auto errors = ErrorsOf("name = \"x\"\n\n[[scoring]]\nid = \n");
  ASSERT_EQ(errors.size(), 1u) << Show(errors);
  EXPECT_EQ(errors[0].field, "");
  EXPECT_EQ(errors[0].line, 4);
  EXPECT_FALSE(errors[0].reason.empty());
  auto r = ParsePolicy("name = \"x\"\nname = \"y\"\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("line 2"), std::string::npos) << r.status().message();
}

TEST(PolicyToml, MissingNameIsRequired) {
  auto errors = ErrorsOf("time_zone = \"UTC\"\n");
  EXPECT_TRUE(Has(errors, "name", 1, "required"));
  EXPECT_TRUE(Has(ErrorsOf("name = \"\"\n"), "name", 1, "must not be empty"));
}

TEST(PolicyToml, UnknownKeysAreNamedWithTheirPath) {
  std::string doc = "name = \"x\"\nversion = 3\n[decay]\nhalve_after_days = 30\nhalf = 2\n" +
                    std::string(kRule) +  // lines 6-8
                    "points = 1\nwhere = [{ key = \"path\", equals = [\"/\"], regex = \"x\" }]\n"
                    "cap = { points = 3, per = \"day\", hard = true }\nbonus = 2\n"
                    "[[stages]]\nid = \"s\"\nto = \"mql\"\nwhen = [{ score_at_least = 1, "
                    "weight = 2 }]\n";
  auto errors = ErrorsOf(doc);
  EXPECT_TRUE(Has(errors, "version", 2, "unknown key"));
  EXPECT_TRUE(Has(errors, "decay.half", 5, "unknown key"));
  EXPECT_TRUE(Has(errors, "scoring[0].where[0].regex", 10, "unknown key"));
  EXPECT_TRUE(Has(errors, "scoring[0].cap.hard", 11, "unknown key"));
  EXPECT_TRUE(Has(errors, "scoring[0].bonus", 12, "unknown key"));
  EXPECT_TRUE(Has(errors, "stages[0].when[0].weight", 16, "unknown key"));
  EXPECT_EQ(errors.size(), 6u) << Show(errors);
}

TEST(PolicyToml, WrongTypesAreNamed) {
  std::string doc = "name = 3\ntime_zone = [\"UTC\"]\n[decay]\nhalve_after_days = 1.5\n" +
                    std::string(kRule) +
                    "points = \"ten\"\nexpires_after_days = \"90\"\n"
                    "[[stages]]\nid = \"s\"\nto = \"mql\"\nfast_track = \"yes\"\n"
                    "when = { score_at_least = 1 }\n";
  auto errors = ErrorsOf(doc);
  EXPECT_TRUE(Has(errors, "name", 1, "must be a string"));
  EXPECT_TRUE(Has(errors, "time_zone", 2, "must be a string"));
  EXPECT_TRUE(Has(errors, "decay.halve_after_days", 4, "must be a whole number"));
  EXPECT_TRUE(Has(errors, "scoring[0].points", 8, "must be a number"));
  EXPECT_TRUE(Has(errors, "scoring[0].expires_after_days", 9, "must be an integer"));
  EXPECT_TRUE(Has(errors, "stages[0].fast_track", 13, "true or false"));
  EXPECT_TRUE(Has(errors, "stages[0].when", 14, "array of tables"));
  EXPECT_TRUE(
      Has(ErrorsOf("name = \"x\"\n[scoring]\nid = \"a\"\n"), "scoring", 2, "array of tables"));
}

TEST(PolicyToml, OutOfRangeValues) {
  std::string doc = "name = \"x\"\n[decay]\nhalve_after_days = 0\n" + std::string(kRule) +
                    "points = 0\nexpires_after_days = 3651\n" +
                    "[[scoring]]\nid = \"big\"\n"
                    "activity = \"page_view\"\npoints = -10001\n"
                    "[[personas]]\nid = \"p\"\nname = \"P\"\ncriteria = [\n"
                    "  { fact = \"seniority\", in = [\"vp\"], thirds = 4 },\n"
                    "  { fact = \"seniority\", in = [\"vp\"], thirds = 0 },\n]\n"
                    "[[stages]]\nid = \"s\"\nto = \"sql\"\n"
                    "when = [{ activity = \"meeting_held\", within_days = 0 }]\n";
  auto errors = ErrorsOf(doc);
  EXPECT_TRUE(Has(errors, "decay.halve_after_days", 3, "between 1 and 3650"));
  EXPECT_TRUE(Has(errors, "scoring[0].points", 7, "must not be 0"));
  EXPECT_TRUE(Has(errors, "scoring[0].expires_after_days", 8, "between 1 and 3650"));
  EXPECT_TRUE(Has(errors, "scoring[1].points", 12, "between -10000 and 10000"));
  EXPECT_TRUE(Has(errors, "personas[0].criteria[0].thirds", 17, "between -3 and 3"));
  EXPECT_TRUE(Has(errors, "personas[0].criteria[1].thirds", 18, "must not be 0"));
  EXPECT_TRUE(Has(errors, "stages[0].when[0].within_days", 23, "between 1 and 3650"));
  EXPECT_EQ(errors.size(), 7u) << Show(errors);
}

TEST(PolicyToml, FractionalPointsAreAccepted) {
  auto r = ParsePolicy("name = \"x\"\n" + std::string(kRule) + "points = 2.5\n");
  ASSERT_TRUE(r.ok()) << Show(r.status().errors());
  EXPECT_EQ(r->scoring[0].points, 2.5);
  EXPECT_EQ(r->scoring[0].line, 2);
}

TEST(PolicyToml, IdsAreCheckedAndUniqueWithinTheirList) {
  std::string doc = "name = \"x\"\n" + std::string(kRule) + "points = 1\n" + kRule +
                    "points = 2\n[[scoring]]\nid = \"Bad-Id\"\nactivity = \"page_view\"\n"
                    "points = 1\n[[personas]]\nid = \"r\"\nname = \"R\"\n"
                    "criteria = [{ fact = \"region\", in = [\"NA\"], thirds = 1 }]\n"
                    "[[personas]]\nid = \"r\"\nname = \"R2\"\n"
                    "criteria = [{ fact = \"region\", in = [\"NA\"], thirds = 1 }]\n";
  auto errors = ErrorsOf(doc);
  EXPECT_TRUE(Has(errors, "scoring[1].id", 7, "duplicate id \"r\" (first at line 3)"));
  EXPECT_TRUE(Has(errors, "scoring[2].id", 11, "a-z, 0-9 and _"));
  EXPECT_TRUE(Has(errors, "personas[1].id", 19, "duplicate id \"r\" (first at line 15)"));
  EXPECT_EQ(errors.size(), 3u) << Show(errors);
}

TEST(PolicyToml, UnknownActivityTypesAreRefused) {
  std::string doc =
      "name = \"x\"\n[[scoring]]\nid = \"t\"\nactivity = \"trial_started\"\n"
      "points = 5\n[[stages]]\nid = \"s\"\nto = \"sql\"\n"
      "when = [{ activity = \"trial_started\" }]\n";
  auto errors = ErrorsOf(doc);
  EXPECT_TRUE(Has(errors, "scoring[0].activity", 4, "unknown activity type \"trial_started\""));
  EXPECT_TRUE(Has(errors, "stages[0].when[0].activity", 9, "unknown activity type"));
  EXPECT_EQ(errors.size(), 2u) << Show(errors);
}

TEST(PolicyToml, CustomActivityTypesAreAcceptedWhenPassed) {
  std::string doc =
      "name = \"x\"\n[[scoring]]\nid = \"t\"\nactivity = \"trial_started\"\n"
      "points = 5\n[[stages]]\nid = \"s\"\nto = \"sql\"\n"
      "when = [{ activity = \"trial_started\" }]\n";
  std::vector<std::string> custom{"trial_started"};
  auto r = ParsePolicy(doc, custom);
  ASSERT_TRUE(r.ok()) << Show(r.status().errors());
  EXPECT_EQ(r->scoring[0].activity, "trial_started");
  EXPECT_FALSE(r->stages[0].when[0].within);
}

TEST(PolicyToml, CapsNeedAPeriodAndOnlyLimitGains) {
  std::string doc = "name = \"x\"\n" + std::string(kRule) + "points = 1\ncap = { points = 5 }\n" +
                    "[[scoring]]\nid = \"neg\"\nactivity = \"unsubscribe\"\npoints = -5\n"
                    "cap = { points = 10, per = \"week\" }\n"
                    "[[scoring]]\nid = \"c\"\nactivity = \"email_open\"\npoints = 1\n"
                    "cap = { points = 0, per = \"fortnight\" }\n";
  auto errors = ErrorsOf(doc);
  EXPECT_TRUE(Has(errors, "scoring[0].cap.per", 6, "a cap needs a period"));
  EXPECT_TRUE(Has(errors, "scoring[1].cap", 11, "a cap limits gains"));
  EXPECT_TRUE(Has(errors, "scoring[2].cap.points", 16, "more than 0"));
  EXPECT_TRUE(Has(errors, "scoring[2].cap.per", 16, "day, week, month or ever"));
  EXPECT_EQ(errors.size(), 4u) << Show(errors);
}

TEST(PolicyToml, WhereNeedsAKeyAndATest) {
  std::string doc = "name = \"x\"\n" + std::string(kRule) + "points = 1\n" +
                    "where = [{ key = \"path\" }, { equals = [\"/\"] }, { key = \"p\", "
                    "contains = [] }, \"path\"]\n";
  auto errors = ErrorsOf(doc);
  EXPECT_TRUE(Has(errors, "scoring[0].where[0]", 6, "needs equals or contains"));
  EXPECT_TRUE(Has(errors, "scoring[0].where[1].key", 6, "required"));
  EXPECT_TRUE(Has(errors, "scoring[0].where[2].contains", 6, "must not be empty"));
  EXPECT_TRUE(Has(errors, "scoring[0].where[3]", 6, "must be a table"));
}

TEST(PolicyToml, FactValuesAreCheckedForTheirFact) {
  std::string doc =
      "name = \"x\"\n[[personas]]\nid = \"p\"\nname = \"P\"\ncriteria = [\n"
      "  { fact = \"seniority\", in = [\"director\", \"boss\"], thirds = 1 },\n"
      "  { fact = \"region\", in = [\"EU\"], thirds = 1 },\n"
      "  { fact = \"size_band\", in = [\"50-200\"], thirds = 1 },\n"
      "  { fact = \"country\", in = [\"DEU\"], thirds = 1 },\n"
      "  { fact = \"company_country\", in = [\"1A\"], thirds = 1 },\n"
      "  { fact = \"hair_colour\", in = [\"red\"], thirds = 1 },\n"
      "  { fact = \"industry\", in = [], thirds = 1 },\n"
      "  { fact = \"job_title\", in = [\"\"], thirds = 1 },\n"
      "]\n";
  auto errors = ErrorsOf(doc);
  EXPECT_TRUE(Has(errors, "personas[0].criteria[0].in[1]", 6, "not a seniority"));
  EXPECT_TRUE(Has(errors, "personas[0].criteria[1].in[0]", 7, "not a region"));
  EXPECT_TRUE(Has(errors, "personas[0].criteria[2].in[0]", 8, "not a size band"));
  EXPECT_TRUE(Has(errors, "personas[0].criteria[3].in[0]", 9, "two-letter"));
  EXPECT_TRUE(Has(errors, "personas[0].criteria[4].in[0]", 10, "two-letter"));
  EXPECT_TRUE(Has(errors, "personas[0].criteria[5].fact", 11, "unknown fact \"hair_colour\""));
  EXPECT_TRUE(Has(errors, "personas[0].criteria[6].in", 12, "must not be empty"));
  EXPECT_TRUE(Has(errors, "personas[0].criteria[7].in[0]", 13, "must not be empty"));
  EXPECT_EQ(errors.size(), 8u) << Show(errors);
}

TEST(PolicyToml, FactValuesCompareWithoutCase) {
  std::string doc =
      "name = \"x\"\n[[personas]]\nid = \"p\"\nname = \"P\"\ncriteria = [\n"
      "  { fact = \"seniority\", in = [\"VP\"], thirds = 1 },\n"
      "  { fact = \"region\", in = [\"emea\"], thirds = -1 },\n]\n";
  auto r = ParsePolicy(doc);
  ASSERT_TRUE(r.ok()) << Show(r.status().errors());
  EXPECT_EQ(r->personas[0].criteria[1].thirds, -1);
}

TEST(PolicyToml, TimeZonesMustExist) {
  auto berlin = ParsePolicy("name = \"x\"\ntime_zone = \"Europe/Berlin\"\n");
  ASSERT_TRUE(berlin.ok()) << Show(berlin.status().errors());
  EXPECT_EQ(berlin->time_zone, "Europe/Berlin");
  for (const char* zone : {"Mars/Olympus_Mons", "../../etc/passwd", "/etc/passwd", "zone.tab",
                           "Europe", "Europe/Berlin "}) {
    auto errors = ErrorsOf("name = \"x\"\ntime_zone = \"" + std::string(zone) + "\"\n");
    EXPECT_TRUE(Has(errors, "time_zone", 2, "unknown time zone")) << zone;
  }
}

TEST(PolicyToml, EveryProblemIsReportedInLineOrder) {
  std::string doc =
      "name = \"\"\n"                                        // 1
      "[[stages]]\nid = \"s\"\nto = \"mql\"\n"               // 2-4
      "when = [{ persona = [\"ghost\"] }]\n"                 // 5
      "[[scoring]]\nid = \"r\"\nactivity = \"page_view\"\n"  // 6-8
      "points = 0\n"                                         // 9
      "[decay]\nhalve_after_days = -1\n";                    // 10-11
  auto errors = ErrorsOf(doc);
  ASSERT_EQ(errors.size(), 4u) << Show(errors);
  EXPECT_EQ(errors[0].field, "name");
  EXPECT_EQ(errors[1].field, "stages[0].when[0].persona[0]");
  EXPECT_EQ(errors[2].field, "scoring[0].points");
  EXPECT_EQ(errors[3].field, "decay.halve_after_days");
  EXPECT_EQ(errors[3].line, 11);
  auto r = ParsePolicy(doc);
  EXPECT_NE(r.status().message().find("(and 3 more)"), std::string::npos);
}

}  // namespace
}  // namespace tandem::engine
