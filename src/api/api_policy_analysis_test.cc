// The policy analyses over real HTTP: a backtest of a TOML candidate against the active
// (default) policy, and the calibration of the active policy.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "api/test_server.h"

namespace tandem::api {
namespace {

using nlohmann::json;
using Headers = std::vector<std::pair<std::string, std::string>>;

// Three page views make an MQL; nothing else counts.
constexpr const char* kCandidate = R"(name = "views only"
[[scoring]]
id = "page_view"
activity = "page_view"
points = 10

[[stages]]
id = "mql"
to = "mql"
when = [{ score_at_least = 30 }]
)";

const Headers kToml = {{"Content-Type", "application/toml"}};

class ApiPolicyAnalysisTest : public ::testing::Test {
 protected:
  // Ana views three pages (an MQL for the candidate only); Bob asks for a demo (an MQL by the
  // default policy's fast track only). Both in ISO week 2026-W45.
  void SetUp() override {
    auto r = server_.Call("POST", "/api/v1/activities", admin_, R"([
      {"id":"1","type":"page_view","email":"ana@example.com","occurred_at":"2026-11-02T09:00:00Z"},
      {"id":"2","type":"page_view","email":"ana@example.com","occurred_at":"2026-11-02T09:01:00Z"},
      {"id":"3","type":"page_view","email":"ana@example.com","occurred_at":"2026-11-02T09:02:00Z"},
      {"id":"4","type":"demo_request","email":"bob@example.com","occurred_at":"2026-11-03T10:00:00Z"}
    ])");
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_EQ(json::parse(r.body)["accepted"], 4) << r.body;
  }
  TestReply Backtest(const std::string& token, const std::string& body,
                     const std::string& query = "", Headers headers = kToml) {
    return server_.Call("POST", "/api/v1/policy/backtest" + query, token, body, headers);
  }

  TestServer server_;
  std::string admin_ = server_.TokenFor("admin@example.com", Role::kAdmin);
  std::string viewer_ = server_.TokenFor("viewer@example.com", Role::kViewer);
};

void ExpectProblem(const TestReply& r, int status) {
  EXPECT_EQ(r.status, status) << r.body;
  EXPECT_EQ(r.content_type, "application/problem+json");
}

TEST_F(ApiPolicyAnalysisTest, BacktestComparesTheCandidateWithTheActivePolicy) {
  auto r = Backtest(viewer_, kCandidate);  // any authenticated user may run it
  ASSERT_EQ(r.status, 200) << r.body;
  json b = json::parse(r.body);
  EXPECT_EQ(b["active"]["version"], 1);
  EXPECT_EQ(b["candidate"]["name"], "views only");
  EXPECT_EQ(b["total"]["active"]["mqls"], 1);
  EXPECT_EQ(b["total"]["candidate"]["mqls"], 1);
  EXPECT_EQ(b["total"]["candidate"]["personas"]["none"], 1);
  ASSERT_EQ(b["weeks"].size(), 1u);
  EXPECT_EQ(b["weeks"][0]["week"], "2026-W45");
  EXPECT_EQ(b["weeks"][0]["starts"], "2026-11-02");
  EXPECT_EQ(b["differing"]["people"], 2);
  ASSERT_EQ(b["differing"]["items"].size(), 2u);
  EXPECT_EQ(b["read"]["activities"], 4);
  EXPECT_TRUE(b["window"]["from"].is_null());
}

TEST_F(ApiPolicyAnalysisTest, BacktestWindowComesFromTheQuery) {
  auto r = Backtest(admin_, kCandidate, "?from=2026-11-03&to=2026-11-04");
  ASSERT_EQ(r.status, 200) << r.body;
  json b = json::parse(r.body);
  EXPECT_EQ(b["window"]["from"], "2026-11-03T00:00:00Z");
  EXPECT_EQ(b["total"]["active"]["mqls"], 1);     // Bob, on the 3rd
  EXPECT_EQ(b["total"]["candidate"]["mqls"], 0);  // Ana was on the 2nd
  ExpectProblem(Backtest(admin_, kCandidate, "?from=yesterday"), 422);
  ExpectProblem(Backtest(admin_, kCandidate, "?from=2026-11-04&to=2026-11-03"), 422);
}

TEST_F(ApiPolicyAnalysisTest, AnInvalidCandidateIsRefusedWithKeyAndLine) {
  auto r = Backtest(admin_, std::string(kCandidate) +
                                "\n[[scoring]]\nid = \"x\"\n"
                                "activity = \"fax\"\npoints = 1\n");
  ExpectProblem(r, 422);
  json errors = json::parse(r.body)["errors"];
  ASSERT_FALSE(errors.empty()) << r.body;
  EXPECT_EQ(errors[0]["field"], "scoring[1].activity");
  EXPECT_GT(errors[0]["line"].get<int>(), 10);
}

TEST_F(ApiPolicyAnalysisTest, TheCandidateIsTomlOfAtMost256KiB) {
  ExpectProblem(Backtest(admin_, kCandidate, "", {{"Content-Type", "application/json"}}), 415);
  ExpectProblem(Backtest(admin_, kCandidate + std::string(300 * 1024, '#')), 413);
  ExpectProblem(Backtest("", kCandidate), 401);
}

TEST_F(ApiPolicyAnalysisTest, CalibrationOfTheActivePolicy) {
  auto r = server_.Call("GET", "/api/v1/policy/calibration?max_mqls_per_month=1&min_mql_to_sql=0.5",
                        viewer_);
  ASSERT_EQ(r.status, 200) << r.body;
  json b = json::parse(r.body);
  EXPECT_EQ(b["policy"]["version"], 1);
  EXPECT_EQ(b["people"], 2);
  EXPECT_EQ(b["converted"], 0);  // nobody reached SQL yet
  EXPECT_TRUE(b["auc"].is_null());
  EXPECT_EQ(b["band_width"], 25);
  EXPECT_EQ(b["grades"].size(), 13u);
  EXPECT_TRUE(b["targets"]["max_mqls_per_month"]["met"].get<bool>());
  EXPECT_FALSE(b["targets"]["min_mql_to_sql"]["met"].get<bool>());
  EXPECT_TRUE(b["targets"]["min_mql_to_sql"]["note"].is_string());
}

TEST_F(ApiPolicyAnalysisTest, CalibrationTargetsAreChecked) {
  ExpectProblem(server_.Call("GET", "/api/v1/policy/calibration?min_mql_to_sql=40", admin_), 422);
  ExpectProblem(server_.Call("GET", "/api/v1/policy/calibration?max_mqls_per_month=x", admin_),
                422);
  ExpectProblem(server_.Call("GET", "/api/v1/policy/calibration?band_width=0", admin_), 422);
}

TEST_F(ApiPolicyAnalysisTest, BothRoutesAreInTheApiDocument) {
  json doc = json::parse(server_.Call("GET", "/api/v1/openapi.json", "").body);
  EXPECT_TRUE(doc["paths"]["/api/v1/policy/backtest"]["post"]["requestBody"].is_object());
  EXPECT_EQ(doc["paths"]["/api/v1/policy/calibration"]["get"]["parameters"].size(), 3u);
}

}  // namespace
}  // namespace tandem::api
