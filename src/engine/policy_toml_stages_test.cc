#include "engine/policy_toml_test_util.h"

namespace tandem::engine {
namespace {

using testing_util::ErrorsOf;
using testing_util::Has;
using testing_util::Show;

TEST(PolicyTomlStages, DuplicateStageIds) {
  std::string stage = "[[stages]]\nid = \"s\"\nto = \"mql\"\nwhen = [{ score_at_least = 1 }]\n";
  auto errors = ErrorsOf("name = \"x\"\n" + stage + stage);
  EXPECT_TRUE(Has(errors, "stages[1].id", 7, "first at line 3"));
}

TEST(PolicyTomlStages, UnknownPersonaIsRefused) {
  std::string doc =
      "name = \"x\"\n[[personas]]\nid = \"cfo\"\nname = \"CFO\"\n"
      "criteria = [{ fact = \"job_title\", in = [\"cfo\"], thirds = 3 }]\n"
      "[[stages]]\nid = \"s\"\nto = \"mql\"\n"
      "when = [{ persona = [\"cfo\",\n  \"ceo\"] }]\n";
  auto errors = ErrorsOf(doc);
  EXPECT_TRUE(Has(errors, "stages[0].when[0].persona[1]", 10, "unknown persona \"ceo\""));
  EXPECT_EQ(errors.size(), 1u) << Show(errors);
}

std::string Stage(std::string_view when) {
  return "name = \"x\"\n"
         "[[personas]]\nid = \"a\"\nname = \"A\"\n"
         "criteria = [{ fact = \"region\", in = [\"NA\"], thirds = 1 }]\n"
         "[[personas]]\nid = \"b\"\nname = \"B\"\n"
         "criteria = [{ fact = \"region\", in = [\"EMEA\"], thirds = 1 }]\n"
         "[[stages]]\nid = \"s\"\nto = \"mql\"\nwhen = [\n" +
         std::string(when) + "]\n";  // conditions start on line 14
}

TEST(PolicyTomlStages, ImpossibleConditionPairsAreRefused) {
  auto score = ErrorsOf(Stage("{ score_at_least = 100 },\n{ score_below = 50 },\n"));
  EXPECT_TRUE(Has(score, "stages[0].when[1].score_below", 15,
                  "can never hold together with stages[0].when[0]: no score is at least 100 "
                  "and below 50"));
  auto equal = ErrorsOf(Stage("{ score_below = 50 },\n{ score_at_least = 50 },\n"));
  EXPECT_TRUE(Has(equal, "stages[0].when[1].score_at_least", 15, "no score"));
  auto grade = ErrorsOf(Stage("{ grade_at_least = \"A\" },\n{ grade_below = \"C\" },\n"));
  EXPECT_TRUE(
      Has(grade, "stages[0].when[1].grade_below", 15, "no grade is at least A and below C"));
  auto fact =
      ErrorsOf(Stage("{ fact = \"industry\", in = [\"software\"] },\n"
                     "{ fact = \"industry\", in = [\"retail\"] },\n"));
  EXPECT_TRUE(Has(fact, "stages[0].when[1].fact", 15, "no industry is in both lists"));
  auto persona = ErrorsOf(Stage("{ persona = [\"a\"] },\n{ persona = [\"b\"] },\n"));
  EXPECT_TRUE(Has(persona, "stages[0].when[1].persona", 15, "one persona"));
  auto region =
      ErrorsOf(Stage("{ fact = \"region\", in = [\"APAC\"] },\n"
                     "{ fact = \"country\", in = [\"DE\", \"FR\"] },\n"));
  EXPECT_TRUE(Has(region, "stages[0].when[1].fact", 15, "countries"));
  auto below_f = ErrorsOf(Stage("{ grade_below = \"F\" },\n"));
  EXPECT_TRUE(Has(below_f, "stages[0].when[0].grade_below", 14, "no grade is below F"));
}

TEST(PolicyTomlStages, PossibleCombinationsAreAccepted) {
  for (const char* when :
       {"{ score_at_least = 50 },\n{ score_below = 100 },\n",
        "{ grade_at_least = \"C\" },\n{ grade_below = \"A\" },\n",
        "{ fact = \"job_title\", in = [\"vp\"] },\n{ fact = \"job_title\", in = [\"sales\"] },\n",
        "{ fact = \"industry\", in = [\"Software\", \"media\"] },\n"
        "{ fact = \"industry\", in = [\"software\"] },\n",
        "{ persona = [\"a\", \"b\"] },\n{ persona = [\"b\"] },\n",
        "{ fact = \"region\", in = [\"emea\"] },\n{ fact = \"country\", in = [\"de\", \"US\"] },\n",
        "{ score_at_least = 10 },\n{ grade_below = \"B\" },\n{ free_mail = true },\n"
        "{ student = true },\n"}) {
    auto r = ParsePolicy(Stage(when));
    EXPECT_TRUE(r.ok()) << when << Show(r.status().errors());
  }
}

TEST(PolicyTomlStages, DisqualifierMayTestScoreAndGrade) {
  std::string doc =
      "name = \"x\"\n[[stages]]\nid = \"cold\"\nto = \"disqualified\"\n"
      "when = [{ score_below = -50 }, { grade_below = \"D\" }]\n"
      "[[stages]]\nid = \"won\"\nto = \"customer\"\n"
      "when = [{ activity = \"opportunity_won\" }]\n";
  auto r = ParsePolicy(doc);
  ASSERT_TRUE(r.ok()) << Show(r.status().errors());
  EXPECT_EQ(r->stages[0].to, Stage::kDisqualified);
  EXPECT_FALSE(r->stages[1].fast_track);
}

TEST(PolicyTomlStages, ConditionNeedsExactlyOneKind) {
  auto errors =
      ErrorsOf(Stage("{ score_at_least = 1, grade_at_least = \"B\" },\n{ },\n"
                     "{ in = [\"x\"] },\n"));
  EXPECT_TRUE(Has(errors, "stages[0].when[0]", 14, "exactly one of"));
  EXPECT_TRUE(Has(errors, "stages[0].when[0]", 14, "found score_at_least, grade_at_least"));
  EXPECT_TRUE(Has(errors, "stages[0].when[1]", 15, "exactly one of"));
  EXPECT_TRUE(Has(errors, "stages[0].when[2]", 16, "exactly one of"));
  EXPECT_EQ(errors.size(), 3u) << Show(errors);
}

TEST(PolicyTomlStages, KeysOfAnotherConditionKindAreRefused) {
  auto errors =
      ErrorsOf(Stage("{ score_at_least = 1, in = [\"x\"] },\n"
                     "{ free_mail = true, within_days = 3 },\n"
                     "{ free_mail = false },\n"));
  EXPECT_TRUE(Has(errors, "stages[0].when[0].in", 14, "only a fact condition"));
  EXPECT_TRUE(Has(errors, "stages[0].when[1].within_days", 15, "only an activity condition"));
  EXPECT_TRUE(Has(errors, "stages[0].when[2].free_mail", 16, "must be true"));
}

TEST(PolicyTomlStages, PersonasAndStagesNeedTheirParts) {
  std::string doc =
      "name = \"x\"\n[[personas]]\nid = \"p\"\ncriteria = []\n"
      "[[stages]]\nid = \"s\"\nto = \"lead\"\nwhen = []\n"
      "[[stages]]\nid = \"t\"\n";
  auto errors = ErrorsOf(doc);
  EXPECT_TRUE(Has(errors, "personas[0].name", 2, "required"));
  EXPECT_TRUE(Has(errors, "personas[0].criteria", 4, "must not be empty"));
  EXPECT_TRUE(Has(errors, "stages[0].to", 7, "must be mql, sql, opportunity, customer or"));
  EXPECT_TRUE(Has(errors, "stages[0].when", 8, "must not be empty"));
  EXPECT_TRUE(Has(errors, "stages[1].to", 9, "required"));
  EXPECT_TRUE(Has(errors, "stages[1].when", 9, "required"));
  EXPECT_EQ(errors.size(), 6u) << Show(errors);
}

}  // namespace
}  // namespace tandem::engine
