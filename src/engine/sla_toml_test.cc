#include "engine/sla_toml.h"

#include <gtest/gtest.h>

#include "engine/policy_toml_test_util.h"

namespace tandem::engine {
namespace {

using testing_util::Has;
using testing_util::LineOf;
using testing_util::Show;

// A small valid document in parts, so a test replaces one part and finds its lines by text.
struct Doc {
  std::string top = "name = \"SLA\"\n";
  std::string marketing =
      "[marketing]\nperiod = \"month\"\nmql_target = 300\nquality_grade = \"B\"\n"
      "quality_share = 0.6\nmql_to_sql_target = 0.35\n";
  std::string lead_types =
      "[[lead_types]]\nid = \"any\"\nname = \"Any\"\ndefault = true\n"
      "accept_within_business_hours = 8\nfirst_touch_within_business_hours = 8\n"
      "attempts = { minimum = 4, within_business_days = 10, channels = 2 }\n"
      "disposition_within_business_days = 20\n";
  std::string reasons =
      "[[recycle_reasons]]\nid = \"no_response\"\nname = \"No response\"\n"
      "nurture_track = \"re_engagement\"\ncool_down_days = 60\n"
      "[[disqualify_reasons]]\nid = \"spam\"\nname = \"Spam\"\nexempt_from_attempts = true\n";
  std::string escalation;
  std::string routing = "[routing]\nfallback_team = \"Sales EMEA\"\n";

  std::string Text() const { return top + marketing + lead_types + reasons + escalation + routing; }
};

// A lead type with the given stage rules and deadlines.
std::string LeadType(const std::string& id, const std::string& rules, const std::string& hours,
                     const std::string& attempts, const std::string& days) {
  return "[[lead_types]]\nid = \"" + id + "\"\nname = \"T\"\nstage_rules = [" + rules +
         "]\naccept_within_business_hours = " + hours +
         "\nfirst_touch_within_business_hours = " + hours + "\nattempts = { " + attempts +
         " }\ndisposition_within_business_days = " + days + "\n";
}
constexpr const char* kAttempts = "minimum = 4, within_business_days = 10, channels = 2";

std::vector<FieldError> ErrorsOf(const std::string& text, const SlaContext& ctx = {}) {
  auto r = ParseSla(text, ctx);
  if (r.ok()) return {};
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  return r.status().errors();
}

TEST(SlaToml, AZeroHorizonAndHoursFinerThanMinutesAreRefused) {
  Doc doc;
  doc.top += "horizon_days = 0\n";
  doc.lead_types.replace(doc.lead_types.find("hours = 8"), 9, "hours = 0.01");
  std::string text = doc.Text();
  auto errors = ErrorsOf(text);
  EXPECT_TRUE(Has(errors, "horizon_days", 2, "between 1 and 3650"));
  EXPECT_TRUE(Has(errors, "lead_types[0].accept_within_business_hours",
                  LineOf(text, "accept_within"), "whole number of minutes"));
  EXPECT_EQ(errors.size(), 2u) << Show(errors);
}

TEST(SlaToml, QualifyFieldsAreReadAndCheckedWithTheirLines) {
  Doc doc;
  doc.reasons +=
      "[[qualify_fields]]\nid = \"need\"\nname = \"Need\"\n"
      "[[qualify_fields]]\nid = \"budget\"\nname = \"Budget\"\nvalues = [\"yes\", \"no\"]\n";
  auto sla = ParseSla(doc.Text(), {});
  ASSERT_TRUE(sla.ok()) << sla.status().ToString();
  ASSERT_EQ(sla->qualify_fields.size(), 2u);
  EXPECT_TRUE(sla->qualify_fields[0].values.empty());  // free text
  EXPECT_EQ(sla->qualify_fields[1].values, (std::vector<std::string>{"yes", "no"}));
  doc.reasons +=
      "[[qualify_fields]]\nid = \"budget\"\nname = \"Again\"\nvalues = []\n"
      "[[qualify_fields]]\nid = \"when\"\nname = \"When\"\nvalues = [\"now\", \"now\"]\n"
      "colour = \"red\"\n";
  std::string text = doc.Text();
  auto errors = ErrorsOf(text);
  EXPECT_TRUE(Has(errors, "qualify_fields[2].id", LineOf(text, "id = \"budget\"", 1), "duplicate id"));
  EXPECT_TRUE(Has(errors, "qualify_fields[2].values", LineOf(text, "values = []"), "empty"));
  EXPECT_TRUE(Has(errors, "qualify_fields[3].values", LineOf(text, "values = [\"now\""),
                  "repeated value \"now\""));
  EXPECT_TRUE(Has(errors, "qualify_fields[3].colour", LineOf(text, "colour"), "unknown key"));
}

TEST(SlaToml, SyntaxErrorIsOneErrorWithItsLine) {
  auto errors = ErrorsOf("name = \"x\"\n\n[marketing]\nperiod = \n");
  ASSERT_EQ(errors.size(), 1u) << Show(errors);
  EXPECT_EQ(errors[0].field, "");
  EXPECT_EQ(errors[0].line, 4);
  auto r = ParseSla("name = \"x\"\nname = \"y\"\n");
  EXPECT_NE(r.status().message().find("the SLA is invalid: line 2"), std::string::npos)
      << r.status().message();
}

TEST(SlaToml, DocumentOver256KiBIsTooLarge) {
  std::string text = Doc().Text() + "#" + std::string(kMaxSlaBytes, 'x') + "\n";
  auto r = ParseSla(text);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kTooLarge);
}

TEST(SlaToml, MissingSectionsAreRequired) {
  auto errors = ErrorsOf("name = \"x\"\n");
  for (const char* key :
       {"marketing", "lead_types", "recycle_reasons", "disqualify_reasons", "routing"}) {
    EXPECT_TRUE(Has(errors, key, 1, "required")) << key;
  }
  EXPECT_EQ(errors.size(), 5u) << Show(errors);
}

TEST(SlaToml, UnknownKeysAreNamedWithTheirPath) {
  Doc doc;
  doc.top += "version = 2\n";
  doc.lead_types.replace(doc.lead_types.find("channels = 2"), 12, "channels = 2, calls = 3");
  doc.escalation = "[[escalation]]\nat = 1\naction = \"reassign\"\nsms = true\n";
  doc.routing += "[[routing.reps]]\nemail = \"a@b.co\"\nquota = 3\n";
  std::string text = doc.Text();
  auto errors = ErrorsOf(text);
  EXPECT_TRUE(Has(errors, "version", 2, "unknown key"));
  EXPECT_TRUE(Has(errors, "lead_types[0].attempts.calls", LineOf(text, "attempts"), "unknown"));
  EXPECT_TRUE(Has(errors, "escalation[0].sms", LineOf(text, "sms"), "unknown key"));
  EXPECT_TRUE(Has(errors, "routing.reps[0].quota", LineOf(text, "quota"), "unknown key"));
  EXPECT_EQ(errors.size(), 4u) << Show(errors);
}

TEST(SlaToml, WrongTypesAreNamed) {
  Doc doc;
  doc.top = "name = 3\n";
  doc.marketing.replace(doc.marketing.find("300"), 3, "\"300\"");
  doc.lead_types.replace(doc.lead_types.find("default = true"), 14, "default = \"yes\"");
  doc.routing = "[routing]\nfallback_team = [\"Sales EMEA\"]\n";
  std::string text = doc.Text();
  auto errors = ErrorsOf(text);
  EXPECT_TRUE(Has(errors, "name", 1, "must be a string"));
  EXPECT_TRUE(Has(errors, "marketing.mql_target", LineOf(text, "mql_target"), "an integer"));
  EXPECT_TRUE(Has(errors, "lead_types[0].default", LineOf(text, "default"), "true or false"));
  EXPECT_TRUE(Has(errors, "routing.fallback_team", LineOf(text, "fallback"), "a string"));
}

TEST(SlaToml, ZeroOrNegativeDurationsAreRefused) {
  Doc doc;
  doc.lead_types = LeadType("t", "\"r\"", "0",
                            "minimum = 4, within_business_days = -1, "
                            "channels = 2",
                            "0");
  doc.lead_types += "default = true\n";
  std::string text = doc.Text();
  auto errors = ErrorsOf(text);
  EXPECT_TRUE(Has(errors, "lead_types[0].accept_within_business_hours",
                  LineOf(text, "accept_within"), "more than 0"));
  EXPECT_TRUE(Has(errors, "lead_types[0].first_touch_within_business_hours",
                  LineOf(text, "first_touch"), "more than 0"));
  EXPECT_TRUE(Has(errors, "lead_types[0].attempts.within_business_days", LineOf(text, "attempts"),
                  "between 1 and 365"));
  EXPECT_TRUE(Has(errors, "lead_types[0].disposition_within_business_days",
                  LineOf(text, "disposition"), "between 1 and 365"));
  EXPECT_EQ(errors.size(), 4u) << Show(errors);
}

TEST(SlaToml, DeadlinesEndingAfterTheDispositionAreRefused) {
  Doc doc;
  doc.lead_types = LeadType("t", "\"r\"", "17",
                            "minimum = 4, within_business_days = 3, "
                            "channels = 2",
                            "2") +
                   "default = true\n";
  std::string text = doc.Text();
  auto errors = ErrorsOf(text);
  EXPECT_TRUE(Has(errors, "lead_types[0].first_touch_within_business_hours",
                  LineOf(text, "first_touch"),
                  "after the disposition deadline (2 business days, "
                  "counted as 16 business hours)"));
  EXPECT_TRUE(Has(errors, "lead_types[0].accept_within_business_hours", LineOf(text, "accept"),
                  "after the disposition deadline"));
  EXPECT_TRUE(Has(errors, "lead_types[0].attempts.within_business_days", LineOf(text, "attempts"),
                  "after the disposition deadline"));
  EXPECT_EQ(errors.size(), 3u) << Show(errors);
}

TEST(SlaToml, AttemptMinimumsAreChecked) {
  Doc doc;
  doc.lead_types =
      LeadType("a", "\"r0\"", "8", "minimum = 0, within_business_days = 5, channels = 1", "20") +
      "default = true\n" +
      LeadType("b", "\"r1\"", "8",
               "minimum = 2, within_business_days = 5, "
               "channels = 3",
               "20") +
      LeadType("c", "\"r2\"", "8",
               "minimum = 9, within_business_days = 5, "
               "channels = 5",
               "20");
  std::string text = doc.Text();
  auto errors = ErrorsOf(text);
  EXPECT_TRUE(Has(errors, "lead_types[0].attempts.minimum", LineOf(text, "attempts", 0),
                  "between 1 and 100"));
  EXPECT_TRUE(Has(errors, "lead_types[1].attempts.channels", LineOf(text, "attempts", 1),
                  "at most minimum (2): each channel needs an attempt"));
  EXPECT_TRUE(Has(errors, "lead_types[2].attempts.channels", LineOf(text, "attempts", 2),
                  "between 1 and 4"));
  EXPECT_EQ(errors.size(), 3u) << Show(errors);
}

TEST(SlaToml, IdsAndRepEmailsAreUnique) {
  Doc doc;
  doc.lead_types += LeadType("any", "\"r\"", "8", kAttempts, "20");
  doc.reasons += "[[disqualify_reasons]]\nid = \"spam\"\nname = \"Again\"\n";
  doc.routing +=
      "[[routing.rules]]\nid = \"x\"\nregions = [\"NA\"]\nteam = \"T\"\n"
      "[[routing.rules]]\nid = \"x\"\nregions = [\"NA\"]\nteam = \"T\"\n"
      "[[routing.reps]]\nemail = \"a@b.co\"\n[[routing.reps]]\nemail = \"A@b.co\"\n";
  std::string text = doc.Text();
  auto errors = ErrorsOf(text);
  EXPECT_TRUE(Has(errors, "lead_types[1].id", LineOf(text, "id = \"any\"", 1), "duplicate id"));
  EXPECT_TRUE(Has(errors, "disqualify_reasons[1].id", LineOf(text, "id = \"spam\"", 1),
                  "duplicate id \"spam\""));
  EXPECT_TRUE(Has(errors, "routing.rules[1].id", LineOf(text, "id = \"x\"", 1), "duplicate id"));
  EXPECT_TRUE(Has(
      errors, "routing.reps[1].email", LineOf(text, "email", 1),
      "duplicate e-mail \"a@b.co\" (first at line " + std::to_string(LineOf(text, "email")) + ")"));
  EXPECT_EQ(errors.size(), 4u) << Show(errors);
}

TEST(SlaToml, AStageRuleBelongsToOneLeadType) {
  Doc doc;
  doc.lead_types += LeadType("a", "\"demo_request\", \"demo_request\"", "8", kAttempts, "20") +
                    LeadType("b", "\"demo_request\"", "8", kAttempts, "20");
  std::string text = doc.Text();
  auto errors = ErrorsOf(text);
  EXPECT_TRUE(
      Has(errors, "lead_types[1].stage_rules[1]", LineOf(text, "stage_rules", 0), "listed twice"));
  EXPECT_TRUE(Has(errors, "lead_types[2].stage_rules[0]", LineOf(text, "stage_rules", 1),
                  "\"demo_request\" is already in lead_types[1]"));
  EXPECT_EQ(errors.size(), 2u) << Show(errors);
}

TEST(SlaToml, StageRulesMustBeThePolicysWhenItIsKnown) {
  Doc doc;
  doc.lead_types +=
      LeadType("a", "\"demo_requets\", \"disqualify_student\"", "8", kAttempts, "20") +
      LeadType("b", "", "8", kAttempts, "20");
  std::string text = doc.Text();
  EXPECT_TRUE(Has(ErrorsOf(text), "lead_types[2].stage_rules", LineOf(text, "stage_rules", 1),
                  "must not be empty"));
  doc.lead_types.resize(doc.lead_types.rfind("[[lead_types]]"));
  text = doc.Text();
  SlaContext ctx{.stage_rules = {"demo_request", "mql_score_and_fit"}};
  auto errors = ErrorsOf(text, ctx);
  int line = LineOf(text, "stage_rules");
  EXPECT_TRUE(Has(errors, "lead_types[1].stage_rules[0]", line, "unknown stage rule"));
  EXPECT_TRUE(Has(errors, "lead_types[1].stage_rules[1]", line,
                  "unknown stage rule \"disqualify_student\""));
  EXPECT_EQ(errors.size(), 2u) << Show(errors);
  EXPECT_TRUE(ParseSla(text).ok()) << "without a policy the names are not checked";
}

TEST(SlaToml, ExactlyOneLeadTypeIsTheDefault) {
  Doc doc;
  doc.lead_types = LeadType("a", "\"r\"", "8", kAttempts, "20");
  std::string text = doc.Text();
  EXPECT_TRUE(Has(ErrorsOf(text), "lead_types", LineOf(text, "[[lead_types]]"), "no default"));
  doc.lead_types +=
      "default = true\n" + LeadType("b", "\"r2\"", "8", kAttempts, "20") + "default = true\n";
  text = doc.Text();
  auto errors = ErrorsOf(text);
  EXPECT_TRUE(Has(errors, "lead_types[1].default", LineOf(text, "default", 1),
                  "only one lead type may be the default (lead_types[0] is)"));
  EXPECT_EQ(errors.size(), 1u) << Show(errors);
  doc.lead_types = "lead_types = []\n";
  doc.top += doc.lead_types;
  doc.lead_types.clear();
  EXPECT_TRUE(Has(ErrorsOf(doc.Text()), "lead_types", 2, "must not be empty"));
}

TEST(SlaToml, EscalationStepsStrictlyIncrease) {
  Doc doc;
  doc.escalation =
      "[[escalation]]\nat = 1.0\naction = \"reassign\"\n"
      "[[escalation]]\nat = 1\naction = \"reassign\"\n"
      "[[escalation]]\nat = 0.5\naction = \"reassign\"\n"
      "[[escalation]]\nat = 0\naction = \"reassign\"\n";
  std::string text = doc.Text();
  auto errors = ErrorsOf(text);
  EXPECT_TRUE(Has(errors, "escalation[1].at", LineOf(text, "at = ", 1),
                  "more than escalation[0].at (1): steps go in strictly increasing order"));
  EXPECT_TRUE(Has(errors, "escalation[2].at", LineOf(text, "at = ", 2), "escalation[0].at"));
  EXPECT_TRUE(Has(errors, "escalation[3].at", LineOf(text, "at = ", 3), "more than 0"));
  EXPECT_EQ(errors.size(), 3u) << Show(errors);
}

TEST(SlaToml, EscalationActionsChannelsAndWebhooksAreChecked) {
  Doc doc;
  doc.escalation =
      "[[escalation]]\nat = 0.5\naction = \"page_owner\"\nchannels = [\"email\"]\n"
      "[[escalation]]\nat = 1\naction = \"alert_manager\"\nchannels = [\"sms\", \"webhook\"]\n"
      "[[escalation]]\nat = 1.5\naction = \"remind_owner\"\n"
      "[[escalation]]\nat = 2\naction = \"reassign\"\nwebhook = \"x\"\n"
      "[[escalation]]\nat = 3\naction = \"reassign\"\nchannels = [\"webhook\", \"webhook\"]\n"
      "webhook = \"ops-alerts\"\n";
  std::string text = doc.Text();
  SlaContext ctx;
  ctx.webhooks = {"sales-alerts"};
  auto errors = ErrorsOf(text, ctx);
  EXPECT_TRUE(Has(errors, "escalation[0].action", LineOf(text, "action"), "unknown action"));
  EXPECT_TRUE(Has(errors, "escalation[1].channels[0]", LineOf(text, "channels", 1),
                  "unknown channel \"sms\" (email, webhook)"));
  EXPECT_TRUE(Has(errors, "escalation[1].webhook", LineOf(text, "[[escalation]]", 1),
                  "required: the webhook channel needs a webhook name"));
  EXPECT_TRUE(Has(errors, "escalation[2].channels", LineOf(text, "[[escalation]]", 2),
                  "required: remind_owner needs at least one channel"));
  EXPECT_TRUE(Has(errors, "escalation[3].webhook", LineOf(text, "webhook = ", 0),
                  "only a step with the webhook channel"));
  EXPECT_TRUE(Has(errors, "escalation[4].channels[1]", LineOf(text, "channels", 2), "twice"));
  EXPECT_TRUE(Has(errors, "escalation[4].webhook", LineOf(text, "webhook = ", 1),
                  "unknown webhook \"ops-alerts\""));
  EXPECT_EQ(errors.size(), 7u) << Show(errors);
}

TEST(SlaToml, ReasonListsMustNotBeEmpty) {
  Doc doc;
  doc.top += "recycle_reasons = []\ndisqualify_reasons = []\n";
  doc.reasons.clear();
  auto errors = ErrorsOf(doc.Text());
  EXPECT_TRUE(Has(errors, "recycle_reasons", 2, "must not be empty"));
  EXPECT_TRUE(Has(errors, "disqualify_reasons", 3, "must not be empty"));
  EXPECT_EQ(errors.size(), 2u) << Show(errors);
}

TEST(SlaToml, NegativeCoolDownAndBadTracksAreRefused) {
  Doc doc;
  doc.reasons.replace(doc.reasons.find("= 60"), 4, "= -1");
  doc.reasons.replace(doc.reasons.find("re_engagement"), 13, "Re Engagement");
  std::string text = doc.Text();
  auto errors = ErrorsOf(text);
  EXPECT_TRUE(Has(errors, "recycle_reasons[0].cool_down_days", LineOf(text, "cool_down"),
                  "between 0 and 3650"));
  EXPECT_TRUE(Has(errors, "recycle_reasons[0].nurture_track", LineOf(text, "nurture"), "a-z"));
  EXPECT_EQ(errors.size(), 2u) << Show(errors);
}

TEST(SlaToml, SharesOutsideZeroToOneAndUnknownValuesInMarketing) {
  Doc doc;
  doc.marketing =
      "[marketing]\nperiod = \"week\"\nmql_target = 0\nquality_grade = \"B++\"\n"
      "quality_share = 60\nmql_to_sql_target = -0.1\n";
  std::string text = doc.Text();
  auto errors = ErrorsOf(text);
  EXPECT_TRUE(Has(errors, "marketing.period", 3, "month or quarter"));
  EXPECT_TRUE(Has(errors, "marketing.mql_target", 4, "between 1 and"));
  EXPECT_TRUE(Has(errors, "marketing.quality_grade", 5, "not a grade"));
  EXPECT_TRUE(Has(errors, "marketing.quality_share", 6, "between 0 and 1"));
  EXPECT_TRUE(Has(errors, "marketing.mql_to_sql_target", 7, "between 0 and 1"));
  EXPECT_EQ(errors.size(), 5u) << Show(errors);
}

TEST(SlaToml, RoutingValuesAreChecked) {
  Doc doc;
  doc.routing +=
      "[[routing.rules]]\nid = \"a\"\nregions = [\"EMEA\", \"EU\"]\nsize_bands = [\"50-200\"]\n"
      "countries = [\"DEU\"]\nteam = \"Sales EMEA\"\n"
      "[[routing.rules]]\nid = \"b\"\nteam = \"Sales EMEA\"\n"
      "[[routing.rules]]\nid = \"c\"\ncountries = [\"us\"]\nregions = [\"emea\"]\n"
      "team = \"Sales EMEA\"\nreps = [\"sam\", \"jo@x.io\"]\n"
      "[[routing.reps]]\nemail = \"jo@x.io\"\nweight = 0\ncapacity = -5\n"
      "teams = [\"Sales Americas\"]\n";
  std::string text = doc.Text();
  auto errors = ErrorsOf(text);
  EXPECT_TRUE(Has(errors, "routing.rules[0].regions[1]", LineOf(text, "regions"), "not a region"));
  EXPECT_TRUE(
      Has(errors, "routing.rules[0].size_bands[0]", LineOf(text, "size_bands"), "not a size band"));
  EXPECT_TRUE(
      Has(errors, "routing.rules[0].countries[0]", LineOf(text, "countries"), "two-letter"));
  EXPECT_TRUE(Has(errors, "routing.rules[1]", LineOf(text, "[[routing.rules]]", 1),
                  "a rule needs countries, regions, industries or size_bands"));
  EXPECT_TRUE(
      Has(errors, "routing.rules[2].regions", LineOf(text, "regions", 1), "can never match"));
  EXPECT_TRUE(Has(errors, "routing.rules[2].reps[0]", LineOf(text, "reps"), "not an e-mail"));
  EXPECT_TRUE(Has(errors, "routing.rules[2].reps[1]", LineOf(text, "reps"),
                  "does not take leads for \"Sales EMEA\""));
  EXPECT_TRUE(Has(errors, "routing.reps[0].weight", LineOf(text, "weight"), "between 1 and"));
  EXPECT_TRUE(Has(errors, "routing.reps[0].capacity", LineOf(text, "capacity"), "between 1"));
  EXPECT_EQ(errors.size(), 9u) << Show(errors);
}

TEST(SlaToml, TeamsAndUsersMustExistWhenKnown) {
  Doc doc;
  doc.routing =
      "[routing]\nfallback_team = \"Sales APAC\"\n[[routing.rules]]\nid = \"a\"\n"
      "industries = [\"software\"]\nteam = \"Sales EMEA\"\n"
      "reps = [\"Jonas.Weber@tandem.demo\", \"nobody@tandem.demo\"]\n";
  std::string text = doc.Text();
  SlaContext ctx{.teams = {"Sales EMEA"}, .users = {"jonas.weber@tandem.demo"}};
  auto errors = ErrorsOf(text, ctx);
  EXPECT_TRUE(Has(errors, "routing.fallback_team", LineOf(text, "fallback_team"),
                  "unknown team \"Sales APAC\""));
  EXPECT_TRUE(Has(errors, "routing.rules[0].reps[1]", LineOf(text, "reps"),
                  "unknown user \"nobody@tandem.demo\""));
  EXPECT_EQ(errors.size(), 2u) << Show(errors);
  EXPECT_TRUE(ParseSla(text).ok());
}

TEST(SlaToml, EveryProblemIsReportedInLineOrder) {
  Doc doc;
  doc.top = "name = \"\"\n";
  doc.reasons.replace(doc.reasons.find("= 60"), 4, "= -1");
  doc.marketing.replace(doc.marketing.find("0.6"), 3, "1.5");
  auto r = ParseSla(doc.Text());
  ASSERT_FALSE(r.ok());
  const auto& errors = r.status().errors();
  ASSERT_EQ(errors.size(), 3u) << Show(errors);
  EXPECT_EQ(errors[0].field, "name");
  EXPECT_EQ(errors[1].field, "marketing.quality_share");
  EXPECT_EQ(errors[2].field, "recycle_reasons[0].cool_down_days");
  EXPECT_NE(r.status().message().find("(and 2 more)"), std::string::npos);
}

}  // namespace
}  // namespace tandem::engine
