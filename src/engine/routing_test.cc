#include "engine/routing.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <map>

namespace tandem::engine {
namespace {

using ::testing::HasSubstr;

constexpr TeamId kEmea(1), kNa(2), kPool(3);
constexpr UserId kEmeaManager(100), kNaManager(200);

Rep MakeRep(int64_t id, TeamId team, int weight = 1, int capacity = 10) {
  return {UserId(id), team, Role::kSalesRep, weight, capacity};
}

// Two reps in EMEA (11, 12), two in NA (21, 22), one in the pool team (31), a sales manager
// in EMEA (19) who is no rotation member unless named.
RoutingConfig BaseConfig() {
  RoutingConfig c;
  c.teams = {{kEmea, kEmeaManager}, {kNa, kNaManager}, {kPool, UserId()}};
  c.reps = {MakeRep(11, kEmea), MakeRep(12, kEmea), MakeRep(21, kNa), MakeRep(22, kNa),
            MakeRep(31, kPool)};
  Rep manager = MakeRep(19, kEmea);
  manager.role = Role::kSalesManager;
  c.reps.push_back(manager);
  c.rules = {{"de-software", {"de"}, {}, {"Software"}, {}, kEmea, {UserId(12)}},
             {"emea", {}, {"emea"}, {}, {}, kEmea, {}},
             {"na-large", {}, {"NA"}, {}, {"1001-5000", "5000+"}, kNa, {}}};
  c.fallback_team = kPool;
  return c;
}

Router MustBuild(RoutingConfig config) {
  auto router = Router::Build(std::move(config));
  EXPECT_TRUE(router.ok()) << router.status().ToString();
  return std::move(router).value();
}

void ExpectRefused(RoutingConfig config, const std::string& field) {
  auto router = Router::Build(std::move(config));
  ASSERT_FALSE(router.ok());
  EXPECT_EQ(router.status().code(), Code::kInvalidArgument);
  std::vector<std::string> fields;
  for (const FieldError& e : router.status().errors()) fields.push_back(e.field);
  EXPECT_THAT(fields, ::testing::Contains(field)) << router.status().ToString();
}

LeadFacts Lead(std::string_view country, std::string_view industry = "",
               std::string_view size_band = "") {
  return {country, "", industry, size_band, UserId()};
}

TEST(Routing, CompanyOwnerWinsOverRules) {
  Router router = MustBuild(BaseConfig());
  LeadFacts lead = Lead("DE", "software");
  lead.company_owner = UserId(21);
  RoutingDecision d = router.Route(lead);
  EXPECT_EQ(d.step, RoutingStep::kCompanyOwner);
  EXPECT_EQ(d.owner, UserId(21));
  EXPECT_EQ(d.team, kNa);
  EXPECT_EQ(router.OpenLeads(UserId(21)), 1);
  EXPECT_EQ(d.Describe(), "company owner: user 21 open 0/10");
}

TEST(Routing, AbsentCompanyOwnerFallsThroughToRules) {
  Router router = MustBuild(BaseConfig());
  router.SetOutOfOffice(UserId(21), true);
  LeadFacts lead = Lead("FR");
  lead.company_owner = UserId(21);
  RoutingDecision d = router.Route(lead);
  EXPECT_EQ(d.step, RoutingStep::kRoundRobin);
  EXPECT_EQ(d.rule_id, "emea");
  EXPECT_EQ(d.company_owner.skip, RepSkip::kOutOfOffice);
  EXPECT_THAT(d.Describe(), HasSubstr("company owner user 21 skipped: out of office; "));
}

TEST(Routing, CompanyOwnerOutsideRoutingIsNotARep) {
  Router router = MustBuild(BaseConfig());
  LeadFacts lead = Lead("FR");
  lead.company_owner = UserId(555);
  RoutingDecision d = router.Route(lead);
  EXPECT_EQ(d.step, RoutingStep::kRoundRobin);
  EXPECT_EQ(d.company_owner.skip, RepSkip::kNotARep);
}

TEST(Routing, FirstMatchingRuleWins) {
  Router router = MustBuild(BaseConfig());
  // DE software matches both "de-software" and "emea"; the first listed decides.
  RoutingDecision d = router.Route(Lead("de", "SOFTWARE"));
  EXPECT_EQ(d.rule_id, "de-software");
  EXPECT_EQ(d.owner, UserId(12));
  EXPECT_EQ(router.Route(Lead("DE", "Retail")).rule_id, "emea");
  EXPECT_EQ(router.Route(Lead("US", "", "5000+")).rule_id, "na-large");
}

TEST(Routing, RegionIsDerivedFromCountryUnlessGiven) {
  Router router = MustBuild(BaseConfig());
  EXPECT_EQ(router.Route(Lead("gb")).rule_id, "emea");
  LeadFacts lead = Lead("", "", "1001-5000");
  lead.region = "na";
  EXPECT_EQ(router.Route(lead).rule_id, "na-large");
}

TEST(Routing, FallbackTeamWhenNoRuleMatches) {
  Router router = MustBuild(BaseConfig());
  RoutingDecision d = router.Route(Lead("US", "", "11-50"));
  EXPECT_TRUE(d.fallback_team);
  EXPECT_TRUE(d.rule_id.empty());
  EXPECT_EQ(d.team, kPool);
  EXPECT_EQ(d.owner, UserId(31));
  EXPECT_EQ(d.Describe(),
            "no rule matched, fallback team 3: user 31 by weighted round robin; "
            "candidates: user 31 weight 1 open 0/10 current 1");
}

TEST(Routing, RoundRobinHonoursWeights) {
  RoutingConfig config = BaseConfig();
  config.reps[0].weight = 3;  // user 11
  Router router = MustBuild(std::move(config));
  std::vector<int64_t> owners;
  for (int i = 0; i < 8; ++i) owners.push_back(router.Route(Lead("FR")).owner.value());
  EXPECT_EQ(owners, (std::vector<int64_t>{11, 11, 12, 11, 11, 11, 12, 11}));
}

TEST(Routing, RoundRobinTiesGoToLowestUserId) {
  Router router = MustBuild(BaseConfig());
  EXPECT_EQ(router.Route(Lead("FR")).owner, UserId(11));
  EXPECT_EQ(router.Route(Lead("FR")).owner, UserId(12));
  EXPECT_EQ(router.Route(Lead("FR")).owner, UserId(11));
}

TEST(Routing, RulesOnTheSameTeamShareTheRotation) {
  RoutingConfig config = BaseConfig();
  config.rules.insert(config.rules.begin(), {"fr", {"FR"}, {}, {}, {}, kEmea, {}});
  Router router = MustBuild(std::move(config));
  EXPECT_EQ(router.Route(Lead("FR")).owner, UserId(11));
  EXPECT_EQ(router.Route(Lead("IT")).owner, UserId(12));
}

TEST(Routing, SalesManagersAreNotInTheRotationUnlessNamed) {
  RoutingConfig config = BaseConfig();
  config.rules[0].reps = {UserId(19)};
  Router router = MustBuild(std::move(config));
  for (int i = 0; i < 4; ++i) EXPECT_NE(router.Route(Lead("FR")).owner, UserId(19));
  EXPECT_EQ(router.Route(Lead("DE", "software")).owner, UserId(19));
}

TEST(Routing, RepAtCapacityIsSkipped) {
  RoutingConfig config = BaseConfig();
  config.reps[0].capacity = 1;  // user 11
  Router router = MustBuild(std::move(config));
  EXPECT_EQ(router.Route(Lead("FR")).owner, UserId(11));
  for (int i = 0; i < 3; ++i) {
    RoutingDecision d = router.Route(Lead("FR"));
    EXPECT_EQ(d.owner, UserId(12));
    EXPECT_EQ(d.candidates[0].skip, RepSkip::kAtCapacity);
    EXPECT_THAT(d.Describe(), HasSubstr("user 11 skipped: at capacity 1/1"));
  }
  EXPECT_EQ(router.OpenLeads(UserId(11)), 1);
}

TEST(Routing, ReleasedLeadFreesCapacity) {
  RoutingConfig config = BaseConfig();
  config.reps[4].capacity = 1;  // user 31, alone in the fallback team
  Router router = MustBuild(std::move(config));
  EXPECT_EQ(router.Route(Lead("US")).owner, UserId(31));
  EXPECT_EQ(router.Route(Lead("US")).step, RoutingStep::kUnassigned);
  router.OnReleased(UserId(31));
  router.OnReleased(UserId(31));  // never below zero
  EXPECT_EQ(router.OpenLeads(UserId(31)), 0);
  EXPECT_EQ(router.Route(Lead("US")).owner, UserId(31));
  router.OnAssigned(UserId(999));  // unknown users are ignored
}

TEST(Routing, OutOfOfficeRepIsSkipped) {
  Router router = MustBuild(BaseConfig());
  router.SetOutOfOffice(UserId(11), true);
  for (int i = 0; i < 3; ++i) {
    RoutingDecision d = router.Route(Lead("FR"));
    EXPECT_EQ(d.owner, UserId(12));
    EXPECT_EQ(d.candidates[0].skip, RepSkip::kOutOfOffice);
  }
  router.SetOutOfOffice(UserId(11), false);
  EXPECT_EQ(router.Route(Lead("FR")).owner, UserId(11));
}

TEST(Routing, InactiveRepIsSkipped) {
  RoutingConfig config = BaseConfig();
  config.reps[0].active = false;
  Router router = MustBuild(std::move(config));
  EXPECT_EQ(router.Route(Lead("FR")).owner, UserId(12));
  EXPECT_EQ(router.Route(Lead("FR")).owner, UserId(12));
}

TEST(Routing, NoEligibleRepGoesToManager) {
  Router router = MustBuild(BaseConfig());
  router.SetOutOfOffice(UserId(11), true);
  router.SetOutOfOffice(UserId(12), true);
  RoutingDecision d = router.Route(Lead("FR"));
  EXPECT_EQ(d.step, RoutingStep::kTeamManager);
  EXPECT_EQ(d.owner, kEmeaManager);
  EXPECT_EQ(d.Describe(),
            "rule emea (team 1): no eligible rep, team manager user 100; candidates: "
            "user 11 skipped: out of office, user 12 skipped: out of office");
}

TEST(Routing, NoEligibleRepAndNoManagerIsUnassigned) {
  Router router = MustBuild(BaseConfig());
  router.SetOutOfOffice(UserId(31), true);
  RoutingDecision d = router.Route(Lead("US"));
  EXPECT_EQ(d.step, RoutingStep::kUnassigned);
  EXPECT_FALSE(d.owner.valid());
  EXPECT_THAT(d.Describe(), HasSubstr("no eligible rep and no team manager, unassigned"));
  EXPECT_EQ(RoutingStepName(d.step), "unassigned");
}

TEST(Routing, SameCallsSameDecisions) {
  auto run = [] {
    RoutingConfig config = BaseConfig();
    config.reps[1].weight = 2;
    config.reps[2].capacity = 3;
    Router router = MustBuild(std::move(config));
    std::vector<std::string> out;
    const char* countries[] = {"DE", "US", "FR", "BR", "JP"};
    for (int i = 0; i < 60; ++i) {
      LeadFacts lead = Lead(countries[i % 5], i % 3 ? "software" : "retail", "5000+");
      if (i % 7 == 0) lead.company_owner = UserId(21);
      if (i % 11 == 0) router.SetOutOfOffice(UserId(11), i % 22 == 0);
      RoutingDecision d = router.Route(lead);
      if (i % 4 == 0) router.OnReleased(d.owner);
      out.push_back(d.Describe());
    }
    return out;
  };
  EXPECT_EQ(run(), run());
}

TEST(Routing, BuildRefusesUnknownTeam) {
  RoutingConfig config = BaseConfig();
  config.rules[1].team = TeamId(9);
  ExpectRefused(std::move(config), "rules[1].team");
}

TEST(Routing, BuildRefusesMissingFallbackTeam) {
  RoutingConfig config = BaseConfig();
  config.fallback_team = TeamId();
  ExpectRefused(std::move(config), "fallback_team");
}

TEST(Routing, BuildRefusesRepInNoTeam) {
  RoutingConfig config = BaseConfig();
  config.reps[2].team = TeamId();
  ExpectRefused(std::move(config), "reps[2].team");
}

TEST(Routing, BuildRefusesWeightBelowOneAndNegativeCapacity) {
  RoutingConfig config = BaseConfig();
  config.reps[0].weight = 0;
  config.reps[1].capacity = -1;
  ExpectRefused(config, "reps[0].weight");
  ExpectRefused(config, "reps[1].capacity");
}

TEST(Routing, BuildRefusesDuplicateRuleIdsAndRepeatedReps) {
  RoutingConfig config = BaseConfig();
  config.rules[2].id = "emea";
  config.reps.push_back(MakeRep(11, kNa));
  ExpectRefused(config, "rules[2].id");
  ExpectRefused(config, "reps[6].id");
}

TEST(Routing, BuildRefusesUnknownCriterionValues) {
  RoutingConfig config = BaseConfig();
  config.rules[0].countries = {"DEU"};
  config.rules[1].regions = {"EUROPE"};
  config.rules[2].size_bands = {"50-200"};
  ExpectRefused(config, "rules[0].countries[0]");
  ExpectRefused(config, "rules[1].regions[0]");
  ExpectRefused(config, "rules[2].size_bands[0]");
}

TEST(Routing, BuildRefusesNamedRepOutsideTheTeam) {
  RoutingConfig config = BaseConfig();
  config.rules[0].reps = {UserId(21)};
  ExpectRefused(std::move(config), "rules[0].reps[0]");
}

TEST(Routing, RepTakingLeadsForOtherTeamsJoinsTheirRotations) {
  RoutingConfig config = BaseConfig();
  config.reps[4].lead_teams = {kPool, kNa};  // user 31 (pool team) helps NA
  config.rules[2].reps = {UserId(21), UserId(31)};
  Router router = MustBuild(std::move(config));
  std::vector<int64_t> na_large, fallback;
  for (int i = 0; i < 3; ++i) {
    na_large.push_back(router.Route(Lead("US", "", "5000+")).owner.value());
  }
  EXPECT_EQ(na_large, (std::vector<int64_t>{21, 31, 21}));
  // NA's own rotation includes the helper too.
  RoutingConfig own = BaseConfig();
  own.reps[4].lead_teams = {kPool, kNa};
  own.rules = {{"na", {}, {"NA"}, {}, {}, kNa, {}}};
  Router helped = MustBuild(std::move(own));
  std::vector<int64_t> owners;
  for (int i = 0; i < 3; ++i) owners.push_back(helped.Route(Lead("US")).owner.value());
  EXPECT_EQ(owners, (std::vector<int64_t>{21, 22, 31}));
  // Their own team still rotates to them, as they listed it.
  EXPECT_EQ(helped.Route(Lead("JP")).owner, UserId(31));
}

TEST(Routing, RepListingOnlyOtherTeamsLeavesTheirOwnRotation) {
  RoutingConfig config = BaseConfig();
  config.reps[0].lead_teams = {kNa};  // user 11 (EMEA) serves NA only
  config.rules[2].reps = {UserId(11)};
  Router router = MustBuild(std::move(config));
  for (int i = 0; i < 3; ++i) EXPECT_EQ(router.Route(Lead("FR")).owner, UserId(12));
  EXPECT_EQ(router.Route(Lead("US", "", "5000+")).owner, UserId(11));
}

TEST(Routing, BuildRefusesUnknownAlsoTeam) {
  RoutingConfig config = BaseConfig();
  config.reps[0].lead_teams = {TeamId(9)};
  ExpectRefused(std::move(config), "reps[0].lead_teams[0]");
}

// Property: whatever the reps and whatever happens between decisions, a rep never holds more
// open leads than their capacity, and nobody away or inactive is given a lead.
RC_GTEST_PROP(RoutingProperty, CapacityAndAbsenceAreRespected, ()) {
  RoutingConfig config;
  config.teams = {{kEmea, UserId(1000)}};
  config.fallback_team = kEmea;
  const int reps = *rc::gen::inRange(1, 10);
  for (int i = 0; i < reps; ++i) {
    Rep rep = MakeRep(i + 1, kEmea, *rc::gen::inRange(1, 5), *rc::gen::inRange(0, 4));
    rep.out_of_office = *rc::gen::arbitrary<bool>();
    rep.active = *rc::gen::inRange(0, 10) > 0;
    config.reps.push_back(rep);
  }
  std::map<int64_t, Rep> model;
  for (const Rep& rep : config.reps) model[rep.id.value()] = rep;
  Router router = *Router::Build(config);
  const int steps = *rc::gen::inRange(1, 200);
  for (int s = 0; s < steps; ++s) {
    const UserId user(*rc::gen::inRange(1, reps + 1));
    switch (*rc::gen::inRange(0, 4)) {
      case 0:
        router.OnReleased(user);
        model[user.value()].open_leads = std::max(0, model[user.value()].open_leads - 1);
        continue;
      case 1: {
        const bool away = *rc::gen::arbitrary<bool>();
        router.SetOutOfOffice(user, away);
        model[user.value()].out_of_office = away;
        continue;
      }
      default:
        break;
    }
    LeadFacts lead = Lead("DE");
    if (*rc::gen::arbitrary<bool>()) lead.company_owner = user;
    RoutingDecision d = router.Route(lead);
    if (d.step == RoutingStep::kTeamManager) {
      RC_ASSERT(d.owner == UserId(1000));
      for (const auto& c : d.candidates) RC_ASSERT(c.skip != RepSkip::kEligible);
      continue;
    }
    RC_ASSERT(d.step != RoutingStep::kUnassigned);
    Rep& chosen = model[d.owner.value()];
    RC_ASSERT(!chosen.out_of_office);
    RC_ASSERT(chosen.active);
    ++chosen.open_leads;
    RC_ASSERT(chosen.open_leads <= chosen.capacity);
    RC_ASSERT(router.OpenLeads(d.owner) == chosen.open_leads);
  }
}

// Property: with equal weights and room for every lead, the rotation is fair: the number of
// leads any two reps got differs by at most one, after any number of leads.
RC_GTEST_PROP(RoutingProperty, EqualWeightsShareEvenly, ()) {
  RoutingConfig config;
  config.teams = {{kEmea, UserId()}};
  config.fallback_team = kEmea;
  const int reps = *rc::gen::inRange(1, 20);
  const int leads = *rc::gen::inRange(0, 300);
  for (int i = 0; i < reps; ++i) {
    config.reps.push_back(MakeRep(*rc::gen::inRange(1, 1'000'000), kEmea, 1, leads));
  }
  auto router = Router::Build(config);
  RC_PRE(router.ok());  // the generated ids may repeat
  std::map<int64_t, int> counts;
  for (const Rep& rep : config.reps) counts[rep.id.value()] = 0;
  for (int i = 0; i < leads; ++i) {
    ++counts[router->Route(Lead(*rc::gen::element<std::string>("DE", "US", "BR"))).owner.value()];
    auto [low, high] = std::minmax_element(counts.begin(), counts.end(),
                                           [](auto& a, auto& b) { return a.second < b.second; });
    RC_ASSERT(high->second - low->second <= 1);
  }
}

}  // namespace
}  // namespace tandem::engine
