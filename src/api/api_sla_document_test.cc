// The SLA document over real HTTP: reading it as TOML or JSON with its parsed document,
// proposing drafts, refusals with key and line, If-Match, and the two approvals.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "api/api_sla_test_fixture.h"
#include "ingest/default_sla.h"

namespace tandem::api {
namespace {

using nlohmann::json;

constexpr const char* kSla = R"(name = "Test SLA"

[marketing]
period = "month"
mql_target = 100
quality_grade = "B"
quality_share = 0.5
mql_to_sql_target = 0.3

[[lead_types]]
id = "hand_raiser"
name = "Hand-raisers"
stage_rules = ["demo_request"]
accept_within_business_hours = 4
first_touch_within_business_hours = 2
attempts = { minimum = 3, within_business_days = 5, channels = 2 }
disposition_within_business_days = 10

[[lead_types]]
id = "other"
name = "Everyone else"
default = true
accept_within_business_hours = 8
first_touch_within_business_hours = 8
attempts = { minimum = 2, within_business_days = 10, channels = 1 }
disposition_within_business_days = 20

[[recycle_reasons]]
id = "no_response"
name = "No response"
nurture_track = "re_engagement"
cool_down_days = 30

[[disqualify_reasons]]
id = "spam"
name = "Spam"
exempt_from_attempts = true

[routing]
fallback_team = "Sales EMEA"

[[routing.reps]]
email = "jonas.weber@tandem.demo"
weight = 2
)";

TEST_F(ApiSlaTest, TheDefaultSlaIsActiveAsJsonWithItsParsedDocumentAndAsToml) {
  auto r = server_.Call("GET", "/api/v1/sla", jonas_token());
  ASSERT_EQ(r.status, 200) << r.body;
  json v = Body(r);
  EXPECT_EQ(v["version"], 1);
  EXPECT_EQ(v["status"], "active");
  EXPECT_EQ(v["toml"], std::string(ingest::EmbeddedDefaultSla()));
  EXPECT_EQ(r.headers["tandem-sla-version"], "1");
  EXPECT_EQ(r.headers["etag"], "\"1\"");
  json d = v["document"];
  EXPECT_EQ(d["marketing"]["mql_target"], 300);
  EXPECT_EQ(d["marketing"]["quality_grade"], "B");
  ASSERT_EQ(d["lead_types"].size(), 2u);
  EXPECT_EQ(d["lead_types"][0]["id"], "hand_raiser");
  EXPECT_EQ(d["lead_types"][0]["accept_within_business_hours"], 2);
  EXPECT_EQ(d["lead_types"][0]["attempts"]["minimum"], 6);
  EXPECT_EQ(d["lead_types"][1]["default"], true);
  EXPECT_EQ(d["recycle_reasons"][0]["id"], "no_response");
  EXPECT_EQ(d["recycle_reasons"][0]["cool_down_days"], 60);
  EXPECT_EQ(d["disqualify_reasons"].size(), 7u);
  EXPECT_EQ(d["escalation"].size(), 3u);
  EXPECT_EQ(d["routing"]["fallback_team"], "Sales EMEA");
  EXPECT_EQ(d["routing"]["reps"][0]["capacity"], 80);
  EXPECT_EQ(d["horizon_days"], 56);
  auto t = server_.Call("GET", "/api/v1/sla", admin_, "", {{"Accept", "application/toml"}});
  EXPECT_EQ(t.status, 200);
  EXPECT_EQ(t.content_type, "application/toml");
  EXPECT_EQ(t.body, std::string(ingest::EmbeddedDefaultSla()));
  ExpectProblem(server_.Call("GET", "/api/v1/sla", ""), 401);
}

TEST_F(ApiSlaTest, AProposalIsADraftUntilMarketingAndASalesManagerApprove) {
  std::string marketing = server_.TokenFor("m@example.com", Role::kMarketing);
  auto put = Put(manager_token(), kSla);
  ASSERT_EQ(put.status, 201) << put.body;
  EXPECT_EQ(Body(put)["version"], 2);
  EXPECT_EQ(Body(put)["status"], "draft");
  EXPECT_EQ(Body(put)["document"]["name"], "Test SLA");
  EXPECT_EQ(put.headers["location"], "/api/v1/sla/versions/2");
  auto list = Body(server_.Call("GET", "/api/v1/sla/versions", admin_));
  ASSERT_EQ(list["items"].size(), 2u);
  EXPECT_EQ(list["items"][0]["version"], 2);
  EXPECT_FALSE(list["items"][0].contains("toml"));
  EXPECT_TRUE(list["next_cursor"].is_null());
  auto one =
      server_.Call("GET", "/api/v1/sla/versions/2", admin_, "", {{"Accept", "application/toml"}});
  EXPECT_EQ(one.body, kSla);
  ExpectProblem(server_.Call("GET", "/api/v1/sla/versions/9", admin_), 404);
  ExpectProblem(Approve(jonas_token(), 2), 403);  // reps do not approve
  auto first = Approve(marketing, 2);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(Body(first)["status"], "draft");
  ExpectProblem(Approve(marketing, 2), 412);  // the same side twice
  EXPECT_EQ(Body(server_.Call("GET", "/api/v1/sla", admin_))["version"], 1);
  auto second = Approve(manager_token(), 2);
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(Body(second)["status"], "active");
  auto active = server_.Call("GET", "/api/v1/sla", admin_);
  EXPECT_EQ(Body(active)["version"], 2);
  EXPECT_EQ(active.headers["tandem-sla-version"], "2");
  EXPECT_EQ(Body(server_.Call("GET", "/api/v1/sla/versions/1", admin_))["status"], "superseded");
}

TEST_F(ApiSlaTest, AnInvalidSlaIsRefusedWithKeyAndLine) {
  std::string bad = std::string(kSla) +
                    "\n[[routing.rules]]\nid = \"mars\"\nregions = [\"MARS\"]\n"
                    "team = \"Sales EMEA\"\n";
  auto r = Put(admin_, bad);
  ExpectProblem(r, 422, "routing.rules[0].regions[0]");
  int regions_line = static_cast<int>(std::count(bad.begin(), bad.end(), '\n')) - 1;
  EXPECT_EQ(Body(r)["errors"][0]["line"], regions_line) << r.body;
  auto syntax = Put(admin_, "name = \"x\"\nthis is not toml\n");
  ExpectProblem(syntax, 422);
  EXPECT_EQ(Body(syntax)["errors"][0]["line"], 2);
  ExpectProblem(Put(admin_, kSla, {}), 415);
  ExpectProblem(Put(admin_, kSla + std::string(256 * 1024, '#')), 413);
  EXPECT_EQ(Body(server_.Call("GET", "/api/v1/sla/versions", admin_))["items"].size(), 1u);
}

TEST_F(ApiSlaTest, AStaleIfMatchIsRefused) {
  Headers at1 = {{"Content-Type", "application/toml"}, {"If-Match", "1"}};
  EXPECT_EQ(Put(admin_, kSla, at1).status, 201);
  ExpectProblem(Put(admin_, kSla, at1), 412);
  EXPECT_EQ(Put(admin_, kSla, {{"Content-Type", "application/toml"}, {"If-Match", "\"2\""}}).status,
            201);
  ExpectProblem(Put(admin_, kSla, {{"Content-Type", "application/toml"}, {"If-Match", "x"}}), 400);
  ExpectProblem(Put(jonas_token(), kSla), 403);
}

}  // namespace
}  // namespace tandem::api

namespace tandem::api {
namespace {

TEST_F(ApiSlaTest, TheScorecardShowsBothSidesForAPeriodAndZerosWithoutData) {
  int64_t ada = NewLead("ada@acme.de");
  UserId owner = OwnerOf(ada);
  server_.clock().Advance(std::chrono::minutes(45));
  ASSERT_EQ(Act(TokenOf(owner), ada, {{"action", "accept"}}).status, 201);
  auto r = server_.Call("GET", "/api/v1/sla/scorecard?period=2026-11", jonas_token());
  ASSERT_EQ(r.status, 200) << r.body;
  json card = Body(r);
  EXPECT_EQ(card["period"], "2026-11");
  EXPECT_EQ(card["marketing"]["mqls"], 1);
  EXPECT_EQ(card["marketing"]["mql_target"], 300);
  EXPECT_EQ(card["marketing"]["volume_met"], false);
  EXPECT_EQ(card["sales"]["assigned"], 1);
  EXPECT_EQ(card["sales"]["accepted"], 1);
  EXPECT_EQ(card["sales"]["time_to_accept"]["median_s"], 2700.0);
  bool owner_listed = false;
  for (const auto& rep : card["reps"]) {
    if (rep["user"] == owner.value()) owner_listed = rep["sales"]["assigned"] == 1;
  }
  EXPECT_TRUE(owner_listed);
  json empty = Body(server_.Call("GET", "/api/v1/sla/scorecard?period=2025-Q1", jonas_token()));
  EXPECT_EQ(empty["marketing"]["mqls"], 0);
  EXPECT_EQ(empty["sales"]["assigned"], 0);
  EXPECT_TRUE(empty["sales"]["time_to_accept"]["median_s"].is_null());
  auto bad = server_.Call("GET", "/api/v1/sla/scorecard?period=November", jonas_token());
  EXPECT_EQ(bad.status, 422) << bad.body;
}

}  // namespace
}  // namespace tandem::api
