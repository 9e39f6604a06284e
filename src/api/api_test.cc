// The API over real HTTP: authentication, roles, problem+json, the OpenAPI document, activities.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "api/test_server.h"

namespace tandem::api {
namespace {

using nlohmann::json;

class ApiTest : public ::testing::Test {
 protected:
  TestServer server_;
  std::string admin_ = server_.TokenFor("admin@example.com", Role::kAdmin);
};

void ExpectProblem(const TestReply& r, int status, const std::string& field = "") {
  EXPECT_EQ(r.status, status) << r.body;
  EXPECT_EQ(r.content_type, "application/problem+json");
  json j = json::parse(r.body);
  EXPECT_TRUE(j.contains("type") && j.contains("title") && j.contains("detail"));
  EXPECT_EQ(j["status"], status);
  if (!field.empty()) {
    bool named = false;
    for (const auto& e : j["errors"]) named = named || e["field"] == field;
    EXPECT_TRUE(named) << "no error names " << field << ": " << r.body;
  }
}

TEST_F(ApiTest, HealthNeedsNoToken) {
  auto r = server_.Call("GET", "/health", "");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(json::parse(r.body)["status"], "ok");
}

TEST_F(ApiTest, EveryOtherCallNeedsAValidToken) {
  ExpectProblem(server_.Call("GET", "/api/v1/people", ""), 401);
  ExpectProblem(server_.Call("GET", "/api/v1/people", "tdm_not-a-token"), 401);
  std::string t = server_.TokenFor("temp@example.com", Role::kAdmin);
  EXPECT_EQ(server_.Call("GET", "/api/v1/people", t).status, 200);  // now known to the server
  auto list = json::parse(server_.Call("GET", "/api/v1/tokens", admin_).body);
  int64_t id = list["items"].back()["id"];
  EXPECT_EQ(server_.Call("DELETE", "/api/v1/tokens/" + std::to_string(id), admin_).status, 200);
  ExpectProblem(server_.Call("GET", "/api/v1/people", t), 401);
}

TEST_F(ApiTest, ExpiredTokenIsRefused) {
  auto r = server_.Call("POST", "/api/v1/tokens", admin_,
                        R"({"user":"admin@example.com","expires_at":"2026-11-10T13:00:00Z"})");
  ASSERT_EQ(r.status, 201) << r.body;
  std::string t = json::parse(r.body)["token"];
  EXPECT_EQ(server_.Call("GET", "/api/v1/me", t).status, 200);
  server_.clock().Advance(std::chrono::hours(2));
  ExpectProblem(server_.Call("GET", "/api/v1/me", t), 401);
}

TEST_F(ApiTest, ViewerWritesNothingAndSalesCannotConfigure) {
  std::string viewer = server_.TokenFor("v@example.com", Role::kViewer);
  std::string rep = server_.TokenFor("rep@example.com", Role::kSalesRep);
  ExpectProblem(server_.Call("POST", "/api/v1/people", viewer, R"({"email":"a@example.com"})"),
                403);
  EXPECT_EQ(server_.Call("GET", "/api/v1/people", viewer).status, 200);
  EXPECT_EQ(server_.Call("POST", "/api/v1/people", rep, R"({"email":"a@example.com"})").status,
            201);
  ExpectProblem(server_.Call("POST", "/api/v1/activity-types", rep, R"({"name":"trial"})"), 403);
  ExpectProblem(server_.Call("POST", "/api/v1/tokens", rep, "{}"), 403);
}

TEST_F(ApiTest, OpenApiDocumentListsEveryRoute) {
  auto r = server_.Call("GET", "/api/v1/openapi.json", "");
  ASSERT_EQ(r.status, 200);
  json doc = json::parse(r.body);
  EXPECT_EQ(doc["openapi"], "3.1.0");
  for (const auto& route : server_.api().router().routes()) {
    std::string method = route.method;
    for (char& c : method) c = static_cast<char>(std::tolower(c));
    EXPECT_TRUE(doc["paths"].contains(route.pattern) &&
                doc["paths"][route.pattern].contains(method))
        << route.method << " " << route.pattern << " is missing from the OpenAPI document";
  }
}

TEST_F(ApiTest, WrongTypesInAdminBodiesAreNamedNotCrashes) {
  ExpectProblem(server_.Call("POST", "/api/v1/activity-types", admin_, R"({"name":7})"), 422,
                "name");
  ExpectProblem(server_.Call("POST", "/api/v1/activity-types", admin_, R"({"name":"Bad Name"})"),
                422, "name");
  ExpectProblem(server_.Call("POST", "/api/v1/tokens", admin_, R"({"user":["x"]})"), 422, "user");
  ExpectProblem(server_.Call("POST", "/api/v1/users", admin_, R"({"email":1,"role":"viewer"})"),
                422, "email");
  EXPECT_EQ(
      server_.Call("POST", "/api/v1/activity-types", admin_, R"({"name":"trial_started"})").status,
      201);
}

TEST_F(ApiTest, UnknownPathsAndMethods) {
  ExpectProblem(server_.Call("GET", "/api/v1/nothing", admin_), 404);
  ExpectProblem(server_.Call("DELETE", "/api/v1/people", admin_), 405);
  ExpectProblem(server_.Call("GET", "/api/v1/people/abc", admin_), 404);
  ExpectProblem(server_.Call("GET", "/api/v1/people/%zz", admin_), 400);
}

constexpr const char* kBatch = R"([
  {"id":"w1","type":"form_submit","email":"ana@example.com","occurred_at":"2026-11-02T09:14:00Z",
   "properties":{"form":"contact-us"}},
  {"id":"w2","type":"page_view","email":"ana@example.com","occurred_at":"2026-11-02T09:15:00Z"},
  {"id":"w3","type":"page_view","occurred_at":"2026-11-02T09:15:00Z"}
])";

TEST_F(ApiTest, ActivitiesAnswerCountsAndEachRejection) {
  auto r = server_.Call("POST", "/api/v1/activities", admin_, kBatch);
  ASSERT_EQ(r.status, 200) << r.body;
  json j = json::parse(r.body);
  EXPECT_EQ(j["accepted"], 2);
  EXPECT_EQ(j["duplicates"], 0);
  ASSERT_EQ(j["rejected"].size(), 1u);
  EXPECT_EQ(j["rejected"][0]["index"], 2);
  EXPECT_EQ(j["rejected"][0]["code"], "missing_field");
  j = json::parse(server_.Call("POST", "/api/v1/activities", admin_, kBatch).body);
  EXPECT_EQ(j["accepted"], 0);
  EXPECT_EQ(j["duplicates"], 2);
}

TEST_F(ApiTest, EveryItemRejectedStillAnswers200) {
  auto r = server_.Call("POST", "/api/v1/activities", admin_, R"([{"id":1},{"type":2}])");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(json::parse(r.body)["rejected"].size(), 2u);
}

TEST_F(ApiTest, MalformedBodiesAre400) {
  ExpectProblem(server_.Call("POST", "/api/v1/activities", admin_, "[{\"id\":"), 400, "body");
  ExpectProblem(server_.Call("POST", "/api/v1/activities", admin_, "{\"a\":1}"), 400, "body");
  ExpectProblem(server_.Call("POST", "/api/v1/activities", admin_, "[\"\xc3\x28\"]"), 400, "body");
  ExpectProblem(server_.Call("POST", "/api/v1/people", admin_, "not json"), 400, "body");
  ExpectProblem(server_.Call("POST", "/api/v1/people", admin_, "{\"first_name\":\"\xff\"}"), 400,
                "body");
}

TEST_F(ApiTest, MoreThanTenThousandActivitiesIs413) {
  std::string body = "[";
  for (int i = 0; i < 10001; ++i) body += (i ? ",{}" : "{}");
  body += "]";
  ExpectProblem(server_.Call("POST", "/api/v1/activities", admin_, body), 413);
}

TEST(ApiLimits, BodyOverTheLimitIs413AndChangesNothing) {
  TestServer small(1024);
  std::string admin = small.TokenFor("admin@example.com", Role::kAdmin);
  std::string body = "[" + std::string(2000, ' ') + "]";
  auto r = small.Call("POST", "/api/v1/activities", admin, body);
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.content_type, "application/problem+json");
  EXPECT_EQ(small.Call("GET", "/health", "").status, 200);
}

}  // namespace
}  // namespace tandem::api
