// The policy document over real HTTP: reading it as TOML or JSON, proposing drafts, the two
// approvals that bring one into effect, and explanations of a person's standing.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "api/test_server.h"
#include "ingest/default_policy.h"

namespace tandem::api {
namespace {

using nlohmann::json;
using Headers = std::vector<std::pair<std::string, std::string>>;

constexpr const char* kPolicy = R"(name = "test policy"
time_zone = "UTC"

[decay]
halve_after_days = 30

[[scoring]]
id = "demo"
activity = "demo_request"
points = 40

[[scoring]]
id = "web"
activity = "page_view"
points = 2

[[personas]]
id = "marketing_leader"
name = "Marketing leader"
  [[personas.criteria]]
  fact = "seniority"
  in = ["director", "vp", "c_level"]
  thirds = 3
  [[personas.criteria]]
  fact = "job_title"
  in = ["marketing"]
  thirds = 3

[[stages]]
id = "hot"
to = "mql"
  [[stages.when]]
  score_at_least = 30
)";

const Headers kToml = {{"Content-Type", "application/toml"}};

class ApiPolicyTest : public ::testing::Test {
 protected:
  TestReply Put(const std::string& token, const std::string& body, Headers headers = kToml) {
    return server_.Call("PUT", "/api/v1/policy", token, body, headers);
  }
  TestReply Approve(const std::string& token, int version) {
    return server_.Call("POST", "/api/v1/policy/versions/" + std::to_string(version) + "/approve",
                        token);
  }
  json Body(const TestReply& r) { return json::parse(r.body); }
  // Proposes kPolicy and has the admin bring it into effect alone (no other users yet).
  void ActivateTestPolicy() {
    auto put = Put(admin_, kPolicy);
    ASSERT_EQ(put.status, 201) << put.body;
    auto ok = Approve(admin_, Body(put)["version"]);
    ASSERT_EQ(ok.status, 200) << ok.body;
    ASSERT_EQ(Body(ok)["status"], "active");
  }

  TestServer server_;
  std::string admin_ = server_.TokenFor("admin@example.com", Role::kAdmin);
};

void ExpectProblem(const TestReply& r, int status) {
  EXPECT_EQ(r.status, status) << r.body;
  EXPECT_EQ(r.content_type, "application/problem+json");
}

TEST_F(ApiPolicyTest, TheDefaultPolicyIsActiveAsJsonAndAsToml) {
  auto r = server_.Call("GET", "/api/v1/policy", admin_);
  ASSERT_EQ(r.status, 200) << r.body;
  json v = Body(r);
  EXPECT_EQ(v["version"], 1);
  EXPECT_EQ(v["status"], "active");
  EXPECT_TRUE(v["author"].is_null());
  EXPECT_EQ(v["toml"], std::string(ingest::EmbeddedDefaultPolicy()));
  EXPECT_EQ(r.headers["tandem-policy-version"], "1");
  auto t = server_.Call("GET", "/api/v1/policy", admin_, "", {{"Accept", "application/toml"}});
  EXPECT_EQ(t.status, 200);
  EXPECT_EQ(t.content_type, "application/toml");
  EXPECT_EQ(t.body, std::string(ingest::EmbeddedDefaultPolicy()));
  ExpectProblem(server_.Call("GET", "/api/v1/policy", ""), 401);
}

TEST_F(ApiPolicyTest, AProposalIsADraftUntilApproved) {
  auto r = Put(admin_, kPolicy);
  ASSERT_EQ(r.status, 201) << r.body;
  json v = Body(r);
  EXPECT_EQ(v["version"], 2);
  EXPECT_EQ(v["status"], "draft");
  EXPECT_EQ(v["name"], "test policy");
  EXPECT_TRUE(v["approvals"]["marketing"].is_null());
  EXPECT_EQ(r.headers["location"], "/api/v1/policy/versions/2");
  EXPECT_EQ(Body(server_.Call("GET", "/api/v1/policy", admin_))["version"], 1);
  auto list = Body(server_.Call("GET", "/api/v1/policy/versions", admin_));
  ASSERT_EQ(list["items"].size(), 2u);
  EXPECT_EQ(list["items"][0]["version"], 2);
  EXPECT_FALSE(list["items"][0].contains("toml"));
  auto one = server_.Call("GET", "/api/v1/policy/versions/2", admin_, "",
                          {{"Accept", "application/toml"}});
  EXPECT_EQ(one.body, kPolicy);
  ExpectProblem(server_.Call("GET", "/api/v1/policy/versions/9", admin_), 404);
  ExpectProblem(Approve(admin_, 9), 404);
}

TEST_F(ApiPolicyTest, APolicyIsTomlText) {
  ExpectProblem(Put(admin_, kPolicy, {}), 415);
  ExpectProblem(Put(admin_, kPolicy, {{"Content-Type", "text/plain"}}), 415);
  EXPECT_EQ(Put(admin_, kPolicy, {{"Content-Type", "application/toml; charset=utf-8"}}).status,
            201);
}

TEST_F(ApiPolicyTest, ADocumentOver256KiBIsRefused) {
  std::string big = kPolicy + std::string("# ") + std::string(256 * 1024, 'x') + "\n";
  ExpectProblem(Put(admin_, big), 413);
}

TEST_F(ApiPolicyTest, AnInvalidPolicyIsRefusedWithLineAndKey) {
  std::string bad = std::string(kPolicy) +
                    "\n[[scoring]]\nid = \"x\"\nactivity = \"fax\"\n"
                    "points = 3\n";
  auto r = Put(admin_, bad);
  ExpectProblem(r, 422);
  json errors = Body(r)["errors"];
  ASSERT_FALSE(errors.empty()) << r.body;
  EXPECT_EQ(errors[0]["field"], "scoring[2].activity");
  int activity_line = static_cast<int>(std::count(bad.begin(), bad.end(), '\n')) - 1;
  EXPECT_EQ(errors[0]["line"], activity_line);
  auto syntax = Put(admin_, "name = \"x\"\nthis is not toml\n");
  ExpectProblem(syntax, 422);
  EXPECT_EQ(Body(syntax)["errors"][0]["line"], 2);
}

TEST_F(ApiPolicyTest, AStaleIfMatchIsRefused) {
  EXPECT_EQ(Put(admin_, kPolicy, {{"Content-Type", "application/toml"}, {"If-Match", "1"}}).status,
            201);
  auto stale = Put(admin_, kPolicy, {{"Content-Type", "application/toml"}, {"If-Match", "1"}});
  ExpectProblem(stale, 412);
  EXPECT_NE(Body(stale)["detail"].get<std::string>().find("not the latest (2)"), std::string::npos);
  EXPECT_EQ(
      Put(admin_, kPolicy, {{"Content-Type", "application/toml"}, {"If-Match", "\"2\""}}).status,
      201);
  ExpectProblem(Put(admin_, kPolicy, {{"Content-Type", "application/toml"}, {"If-Match", "x"}}),
                400);
}

TEST_F(ApiPolicyTest, RepsAndViewersNeitherProposeNorApprove) {
  std::string viewer = server_.TokenFor("v@example.com", Role::kViewer);
  std::string rep = server_.TokenFor("rep@example.com", Role::kSalesRep);
  ExpectProblem(Put(viewer, kPolicy), 403);
  ExpectProblem(Put(rep, kPolicy), 403);
  int v = Body(Put(admin_, kPolicy))["version"];
  ExpectProblem(Approve(viewer, v), 403);
  ExpectProblem(Approve(rep, v), 403);
  EXPECT_EQ(server_.Call("GET", "/api/v1/policy/versions", viewer).status, 200);
}

TEST_F(ApiPolicyTest, MarketingThenSalesApprovalBringsAVersionIntoEffect) {
  std::string marketing = server_.TokenFor("m@example.com", Role::kMarketing);
  std::string sales = server_.TokenFor("s@example.com", Role::kSalesManager);
  auto put = Put(sales, kPolicy);  // sales managers author policies too
  ASSERT_EQ(put.status, 201) << put.body;
  int v = Body(put)["version"];
  auto first = Approve(marketing, v);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(Body(first)["status"], "draft");
  EXPECT_TRUE(Body(first)["approvals"]["marketing"]["user"].is_number());
  ExpectProblem(Approve(marketing, v), 412);  // the same side twice
  ExpectProblem(Approve(admin_, v), 403);     // both teams have users of their own
  EXPECT_EQ(Body(server_.Call("GET", "/api/v1/policy", admin_))["version"], 1);
  auto second = Approve(sales, v);
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(Body(second)["status"], "active");
  EXPECT_EQ(second.headers["tandem-policy-version"], std::to_string(v));
  auto active = server_.Call("GET", "/api/v1/policy", admin_);
  EXPECT_EQ(Body(active)["version"], v);
  EXPECT_FALSE(Body(active)["activated_at"].is_null());
  EXPECT_EQ(Body(server_.Call("GET", "/api/v1/policy/versions/1", admin_))["status"], "superseded");
  ExpectProblem(Approve(sales, v), 412);  // no longer a draft
}

TEST_F(ApiPolicyTest, AnAdminAloneMayApproveForBothTeams) {
  ActivateTestPolicy();
  auto active = Body(server_.Call("GET", "/api/v1/policy", admin_));
  EXPECT_EQ(active["version"], 2);
  EXPECT_FALSE(active["approvals"]["marketing"].is_null());
  EXPECT_FALSE(active["approvals"]["sales"].is_null());
}

TEST_F(ApiPolicyTest, AnAdminStandsInOnlyForATeamWithoutUsers) {
  std::string marketing = server_.TokenFor("m@example.com", Role::kMarketing);
  int v = Body(Put(admin_, kPolicy))["version"];
  auto r = Approve(admin_, v);  // for sales, which has no manager
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Body(r)["status"], "draft");
  EXPECT_TRUE(Body(r)["approvals"]["marketing"].is_null());
  EXPECT_FALSE(Body(r)["approvals"]["sales"].is_null());
  ExpectProblem(Approve(admin_, v), 412);
  EXPECT_EQ(Body(Approve(marketing, v))["status"], "active");
}

TEST_F(ApiPolicyTest, ExplainShowsScoreGradeAndStage) {
  ActivateTestPolicy();
  ExpectProblem(server_.Call("GET", "/api/v1/people/999/explain", admin_), 404);
  auto made = server_.Call("POST", "/api/v1/people", admin_,
                           R"({"email":"ana@example.com","job_title":"VP Marketing"})");
  ASSERT_EQ(made.status, 201) << made.body;
  std::string id = std::to_string(Body(made)["id"].get<int64_t>());
  auto sent = server_.Call("POST", "/api/v1/activities", admin_,
                           R"([{"id":"d1","type":"demo_request","email":"ana@example.com",
                               "occurred_at":"2026-11-10T11:00:00Z"}])");
  ASSERT_EQ(Body(sent)["accepted"], 1) << sent.body;
  auto r = server_.Call("GET", "/api/v1/people/" + id + "/explain", admin_);
  ASSERT_EQ(r.status, 200) << r.body;
  json e = Body(r);
  EXPECT_EQ(e["policy_version"], 2);
  EXPECT_EQ(e["score"], 40);
  ASSERT_EQ(e["rules"].size(), 1u);
  EXPECT_EQ(e["rules"][0]["rule"], "demo");
  EXPECT_EQ(e["rules"][0]["activities"], 1);
  EXPECT_EQ(e["grade"], "B");
  EXPECT_EQ(e["persona"], "marketing_leader");
  EXPECT_EQ(e["criteria"].size(), 2u);
  EXPECT_EQ(e["stage"], "mql");
  ASSERT_FALSE(e["stages"].empty());
  EXPECT_EQ(e["stages"].back()["rule"], "hot");
  EXPECT_EQ(e["stages"].back()["policy_version"], 2);
}

TEST_F(ApiPolicyTest, APersonCarriesTheirStandingNow) {
  ActivateTestPolicy();
  auto made = server_.Call("POST", "/api/v1/people", admin_,
                           R"({"email":"ana@example.com","job_title":"VP Marketing"})");
  std::string url = "/api/v1/people/" + std::to_string(Body(made)["id"].get<int64_t>());
  (void)server_.Call("POST", "/api/v1/activities", admin_,
                     R"([{"id":"d1","type":"demo_request","email":"ana@example.com",
                         "occurred_at":"2026-11-10T11:00:00Z"}])");
  json p = Body(server_.Call("GET", url, admin_));
  EXPECT_EQ(p["lead"]["score"], 40);
  EXPECT_EQ(p["lead"]["grade"], "B");
  EXPECT_EQ(p["lead"]["persona"], "marketing_leader");
  server_.clock().Advance(std::chrono::days(30));  // one half-life: the cached record decays
  EXPECT_EQ(Body(server_.Call("GET", url, admin_))["lead"]["score"], 20);
  json list = Body(server_.Call("GET", "/api/v1/people", admin_));
  EXPECT_EQ(list["items"][0]["lead"]["score"], 20);
}

}  // namespace
}  // namespace tandem::api
