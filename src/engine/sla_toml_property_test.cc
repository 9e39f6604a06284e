// The default SLA document, and a property: whatever an editor does to a valid SLA (a line
// deleted or duplicated, a character changed), the parser never crashes, and it either accepts
// the text or says what is wrong, where: every error has a line inside the document and names
// its key (only a TOML syntax error, reported alone, may name none).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <fstream>
#include <sstream>

#include "engine/policy_toml_test_util.h"
#include "engine/sla_toml.h"

namespace tandem::engine {
namespace {

using std::chrono::days;
using std::chrono::hours;
using testing_util::LineOf;
using testing_util::Show;

std::string ConfigText(const std::string& file) {
  std::ifstream in(std::string(TANDEM_CONFIG_DIR) + "/" + file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

const std::string& DefaultSlaText() {
  static const std::string text = ConfigText("sla.toml");
  return text;
}

// The default policy's rules, the demo company's sales teams and reps, the demo's webhook.
SlaContext DemoContext() {
  SlaContext ctx = SlaContextFor(*ParsePolicy(ConfigText("policy.toml")));
  EXPECT_EQ(ctx.stage_rules.size(), 6u);  // the rules to mql or sql, no disqualifiers
  ctx.teams = {"Sales EMEA", "Sales Americas"};
  for (const char* rep :
       {"jonas.weber", "sophie.martin", "luca.rossi", "emma.devries", "oliver.hughes", "ana.souza",
        "ethan.miller", "camila.reyes", "ryan.chen"}) {
    ctx.users.push_back(std::string(rep) + "@tandem.demo");
  }
  ctx.webhooks = {"sales-alerts"};
  return ctx;
}

TEST(SlaToml, DefaultSlaParsesAgainstTheDefaultPolicyAndDemoCompany) {
  const std::string& text = DefaultSlaText();
  ASSERT_FALSE(text.empty());
  auto r = ParseSla(text, DemoContext());
  ASSERT_TRUE(r.ok()) << r.status().ToString() << Show(r.status().errors());
  const SlaDocument& sla = *r;
  EXPECT_EQ(sla.name, "Default SLA");
  EXPECT_EQ(sla.marketing.period, CommitmentPeriod::kMonth);
  EXPECT_EQ(sla.marketing.mql_target, 300);
  EXPECT_EQ(sla.marketing.quality_grade, *ParseGrade("B"));
  EXPECT_DOUBLE_EQ(sla.marketing.quality_share, 0.6);
  EXPECT_DOUBLE_EQ(sla.marketing.mql_to_sql_target, 0.35);
  ASSERT_EQ(sla.lead_types.size(), 2u);
  const LeadType& hand = sla.lead_types[0];
  EXPECT_EQ(hand.stage_rules, (std::vector<std::string>{"demo_request", "callback_request"}));
  EXPECT_FALSE(hand.is_default);
  EXPECT_EQ(hand.accept_within, hours(2));
  EXPECT_EQ(hand.first_touch_within, hours(1));
  EXPECT_EQ(hand.attempts.attempts, 6);
  EXPECT_EQ(hand.attempts.within, days(10));
  EXPECT_EQ(hand.attempts.channels, 2);
  EXPECT_EQ(hand.disposition_within, days(15));
  EXPECT_EQ(hand.line, LineOf(text, "[[lead_types]]"));
  EXPECT_TRUE(sla.lead_types[1].is_default);
  EXPECT_EQ(&LeadTypeFor(sla, "callback_request"), &hand);
  EXPECT_EQ(&LeadTypeFor(sla, "some_new_rule"), &sla.lead_types[1]);
  EXPECT_EQ(sla.recycle_reasons.size(), 5u);
  EXPECT_EQ(FindRecycleReason(sla, "no_budget")->cool_down, days(90));
  EXPECT_EQ(sla.disqualify_reasons.size(), 7u);
  EXPECT_TRUE(FindDisqualifyReason(sla, "spam")->exempt_from_attempts);
  EXPECT_FALSE(FindDisqualifyReason(sla, "no_fit")->exempt_from_attempts);
  ASSERT_EQ(sla.escalation.size(), 3u);
  EXPECT_EQ(sla.escalation[1].action, EscalationAction::kAlertManager);
  EXPECT_EQ(sla.escalation[1].channels,
            (std::vector<NotifyChannel>{NotifyChannel::kEmail, NotifyChannel::kWebhook}));
  EXPECT_EQ(sla.escalation[1].webhook, "sales-alerts");
  EXPECT_EQ(sla.routing.fallback_team, "Sales EMEA");
  ASSERT_EQ(sla.routing.rules.size(), 2u);
  EXPECT_EQ(sla.routing.rules[1].regions, (std::vector<std::string>{"NA", "LATAM"}));
  EXPECT_EQ(sla.routing.reps.size(), 9u);
  EXPECT_EQ(sla.routing.reps[0].weight, 2);
  EXPECT_EQ(sla.routing.reps[1].weight, 1);
  EXPECT_EQ(sla.routing.reps[0].capacity, 80);
  EXPECT_TRUE(sla.horizon_derived);
  EXPECT_EQ(sla.horizon, days(56));  // 20 business days, twice, as calendar days
}

// A small document using every kind of key, so mutations reach every reader quickly.
constexpr const char* kCompact = R"(name = "s"
horizon_days = 30
[marketing]
period = "quarter"
mql_target = 900
quality_grade = "B-"
quality_share = 0.5
mql_to_sql_target = 0.3
[[lead_types]]
id = "fast"
name = "Fast"
stage_rules = ["demo_request"]
accept_within_business_hours = 0.5
first_touch_within_business_hours = 0.25
attempts = { minimum = 3, within_business_days = 5, channels = 3 }
disposition_within_business_days = 10
[[lead_types]]
id = "rest"
name = "Rest"
default = true
accept_within_business_hours = 8
first_touch_within_business_hours = 8
attempts = { minimum = 2, within_business_days = 5, channels = 1 }
disposition_within_business_days = 10
[[recycle_reasons]]
id = "later"
name = "Later"
nurture_track = "nurture"
cool_down_days = 0
[[disqualify_reasons]]
id = "spam"
name = "Spam"
exempt_from_attempts = true
[[escalation]]
at = 1
action = "alert_manager"
channels = ["email", "webhook"]
webhook = "alerts"
[[escalation]]
at = 2
action = "reassign"
[routing]
fallback_team = "Sales"
[[routing.rules]]
id = "big_de"
countries = ["DE"]
regions = ["EMEA"]
industries = ["software"]
size_bands = ["201-1000", "5000+"]
team = "Sales"
reps = ["a@example.com"]
[[routing.reps]]
email = "a@example.com"
weight = 3
capacity = 20
teams = ["Sales"]
)";

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// Applies 1-4 random edits to `text`.
std::string Mutate(const std::string& text) {
  std::vector<std::string> lines = Lines(text);
  int edits = *rc::gen::inRange(1, 5);
  for (int i = 0; i < edits && !lines.empty(); ++i) {
    size_t at = *rc::gen::inRange<size_t>(0, lines.size());
    switch (*rc::gen::inRange(0, 3)) {
      case 0:
        lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(at));
        break;
      case 1:
        lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(at), lines[at]);
        break;
      default: {
        std::string& line = lines[at];
        if (line.empty()) break;
        size_t pos = *rc::gen::inRange<size_t>(0, line.size());
        line[pos] = *rc::gen::elementOf(std::string("\"'[]{}=,.#-_@ 0123456789aAzZ\t\xff"));
        break;
      }
    }
  }
  std::string out;
  for (const auto& line : lines) out += line + "\n";
  return out;
}

void CheckOutcome(const std::string& text, const SlaContext& ctx) {
  Result<SlaDocument> r = ParseSla(text, ctx);
  if (r.ok()) {
    RC_ASSERT(r->horizon.count() > 0);
    RC_ASSERT(std::count_if(r->lead_types.begin(), r->lead_types.end(),
                            [](const LeadType& t) { return t.is_default; }) == 1);
    return;
  }
  RC_ASSERT(r.status().code() == Code::kInvalidArgument);
  const auto& errors = r.status().errors();
  RC_ASSERT(!errors.empty());
  int lines = static_cast<int>(Lines(text).size());
  bool syntax = errors.size() == 1 && errors[0].field.empty();
  for (const FieldError& e : errors) {
    RC_ASSERT(e.line >= 1);
    RC_ASSERT(e.line <= lines + 1);
    RC_ASSERT(!e.reason.empty());
    if (!syntax) RC_ASSERT(!e.field.empty());
  }
}

TEST(SlaTomlProperty, CompactDocumentParses) {
  auto r = ParseSla(kCompact);
  ASSERT_TRUE(r.ok()) << r.status().ToString() << Show(r.status().errors());
  EXPECT_EQ(r->horizon, days(30));
  EXPECT_FALSE(r->horizon_derived);
  EXPECT_EQ(r->lead_types[0].accept_within, std::chrono::minutes(30));
  EXPECT_EQ(r->lead_types[0].first_touch_within, std::chrono::minutes(15));
  EXPECT_EQ(r->marketing.period, CommitmentPeriod::kQuarter);
  EXPECT_EQ(r->recycle_reasons[0].cool_down, days(0));
  EXPECT_EQ(r->escalation[1].action, EscalationAction::kReassign);
  EXPECT_TRUE(r->escalation[1].channels.empty());
  const auto& rule = r->routing.rules[0];
  EXPECT_EQ(rule.countries, std::vector<std::string>{"DE"});
  EXPECT_EQ(rule.size_bands, (std::vector<std::string>{"201-1000", "5000+"}));
  EXPECT_EQ(rule.reps, std::vector<std::string>{"a@example.com"});
  EXPECT_EQ(r->routing.reps[0].teams, std::vector<std::string>{"Sales"});
}

RC_GTEST_PROP(SlaTomlProperty, EditedCompactSlaParsesOrSaysWhereItIsWrong, ()) {
  CheckOutcome(Mutate(kCompact), {});
}

RC_GTEST_PROP(SlaTomlProperty, EditedDefaultSlaParsesOrSaysWhereItIsWrong, ()) {
  static const SlaContext ctx = DemoContext();
  CheckOutcome(Mutate(DefaultSlaText()), ctx);
}

}  // namespace
}  // namespace tandem::engine
