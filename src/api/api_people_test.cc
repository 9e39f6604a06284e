// People and companies over real HTTP: create, read, update, list, timeline, erase.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "api/test_server.h"

namespace tandem::api {
namespace {

using nlohmann::json;

class PeopleApiTest : public ::testing::Test {
 protected:
  json Ok(const std::string& method, const std::string& target, const std::string& body = "",
          int status = 200) {
    auto r = server_.Call(method, target, admin_, body);
    EXPECT_EQ(r.status, status) << method << " " << target << ": " << r.body;
    return json::parse(r.body);
  }

  TestServer server_;
  std::string admin_ = server_.TokenFor("admin@example.com", Role::kAdmin);
};

TEST_F(PeopleApiTest, CreateReadAndPatchAPerson) {
  json p = Ok("POST", "/api/v1/people",
              R"({"email":" Ana@Example.COM ","first_name":"Ana","phone":"020 7946 0018",
                  "external_id":"hubspot:7","custom":{"tier":"gold"}})",
              201);
  EXPECT_EQ(p["emails"][0], "ana@example.com");
  EXPECT_EQ(p["phones"][0]["e164"], "+442079460018");
  EXPECT_EQ(p["stage"], "lead");
  std::string url = "/api/v1/people/" + std::to_string(p["id"].get<int64_t>());
  EXPECT_EQ(Ok("GET", url)["external_ids"][0], "hubspot:7");
  json patched = Ok("PATCH", url, R"({"job_title":"VP Sales","custom":{"region":"north"}})");
  EXPECT_EQ(patched["job_title"], "VP Sales");
  EXPECT_EQ(patched["custom"]["tier"], "gold");
  EXPECT_EQ(patched["custom"]["region"], "north");
}

TEST_F(PeopleApiTest, ReadsAreNeverStaleAfterAWrite) {
  json p = Ok("POST", "/api/v1/people", R"({"email":"c@example.com","first_name":"Cy"})", 201);
  std::string url = "/api/v1/people/" + std::to_string(p["id"].get<int64_t>());
  EXPECT_EQ(Ok("GET", url)["first_name"], "Cy");  // now cached
  Ok("PATCH", url, R"({"first_name":"Cyd"})");
  EXPECT_EQ(Ok("GET", url)["first_name"], "Cyd");
  Ok("POST", "/api/v1/activities",
     R"([{"id":"u1","type":"unsubscribe","email":"c@example.com",
          "occurred_at":"2026-11-02T09:00:00Z"}])");
  EXPECT_EQ(Ok("GET", url)["consent"]["email"]["state"], "opted_out");
  Ok("POST", url + "/erase");
  EXPECT_TRUE(Ok("GET", url)["erased"]);
}

TEST_F(PeopleApiTest, StageCannotBePatched) {
  json p = Ok("POST", "/api/v1/people", R"({"email":"a@example.com"})", 201);
  std::string url = "/api/v1/people/" + std::to_string(p["id"].get<int64_t>());
  auto r = server_.Call("PATCH", url, admin_, R"({"stage":"customer","first_name":"X"})");
  EXPECT_EQ(r.status, 422);
  EXPECT_NE(r.body.find("\"field\":\"stage\""), std::string::npos) << r.body;
  EXPECT_EQ(Ok("GET", url)["first_name"], "") << "a rejected request changes nothing";
}

TEST_F(PeopleApiTest, BadFieldsAreNamed) {
  auto r = server_.Call("POST", "/api/v1/people", admin_,
                        R"({"email":"a@example.com","first_name":5,"colour":"red"})");
  EXPECT_EQ(r.status, 422);
  for (const char* field : {"first_name", "colour"}) {
    EXPECT_NE(r.body.find(std::string("\"field\":\"") + field + "\""), std::string::npos)
        << field << " not named in " << r.body;
  }
  r = server_.Call("POST", "/api/v1/people", admin_, R"({"email":"not-an-email"})");
  EXPECT_EQ(r.status, 422);
  EXPECT_NE(r.body.find("\"field\":\"emails[0]\""), std::string::npos) << r.body;
  EXPECT_EQ(server_.Call("POST", "/api/v1/people", admin_, R"({"first_name":"Nobody"})").status,
            422);
}

TEST_F(PeopleApiTest, AnEmailBelongsToOnePerson) {
  Ok("POST", "/api/v1/people", R"({"email":"a@example.com"})", 201);
  auto r = server_.Call("POST", "/api/v1/people", admin_, R"({"email":"A@example.com"})");
  EXPECT_EQ(r.status, 409) << r.body;
}

TEST_F(PeopleApiTest, ListFiltersAndCursorPaging) {
  for (int i = 0; i < 7; ++i) {
    Ok("POST", "/api/v1/people", "{\"email\":\"p" + std::to_string(i) + "@example.com\"}", 201);
  }
  json page1 = Ok("GET", "/api/v1/people?limit=3");
  ASSERT_EQ(page1["items"].size(), 3u);
  std::vector<int64_t> ids;
  json page = page1;
  while (true) {
    for (const auto& p : page["items"]) ids.push_back(p["id"]);
    if (page["next_cursor"].is_null()) break;
    page = Ok("GET", "/api/v1/people?limit=3&cursor=" + page["next_cursor"].get<std::string>());
  }
  EXPECT_EQ(ids.size(), 7u);  // before the extra person below
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
  EXPECT_EQ(Ok("GET", "/api/v1/people?email=P3%40Example.com")["items"].size(), 1u);
  Ok("POST", "/api/v1/people", R"({"email":"özil@example.com"})", 201);
  EXPECT_EQ(Ok("GET", "/api/v1/people?email=%C3%96ZIL%40example.com")["items"].size(), 1u);
  EXPECT_EQ(server_.Call("GET", "/api/v1/people?email=nobody", admin_).status, 422);
  EXPECT_EQ(Ok("GET", "/api/v1/people?stage=lead")["items"].size(), 8u);
  EXPECT_EQ(Ok("GET", "/api/v1/people?stage=customer")["items"].size(), 0u);
  EXPECT_EQ(Ok("GET", "/api/v1/people?updated_since=2030-01-01")["items"].size(), 0u);
  EXPECT_EQ(server_.Call("GET", "/api/v1/people?stage=bogus", admin_).status, 422);
  EXPECT_EQ(server_.Call("GET", "/api/v1/people?limit=5000", admin_).status, 422);
  EXPECT_EQ(server_.Call("GET", "/api/v1/people?cursor=xyz", admin_).status, 422);
}

TEST_F(PeopleApiTest, CompaniesAndTheirPeople) {
  json c = Ok("POST", "/api/v1/companies",
              R"({"name":"Acme","domain":"https://www.acme.example/","size_band":"51-200",
                  "country":"de"})",
              201);
  EXPECT_EQ(c["domain"], "acme.example");
  EXPECT_EQ(c["country"], "DE");
  EXPECT_EQ(
      server_.Call("POST", "/api/v1/companies", admin_, R"({"name":"X","size_band":"9"})").status,
      422);
  EXPECT_EQ(
      server_
          .Call("POST", "/api/v1/companies", admin_, R"({"name":"Acme 2","domain":"acme.example"})")
          .status,
      409);
  int64_t cid = c["id"];
  Ok("POST", "/api/v1/people",
     "{\"email\":\"x@acme.example\",\"company_id\":" + std::to_string(cid) + "}", 201);
  EXPECT_EQ(Ok("GET", "/api/v1/people?company=" + std::to_string(cid))["items"].size(), 1u);
  EXPECT_EQ(Ok("GET", "/api/v1/companies?domain=acme.example")["items"].size(), 1u);
  EXPECT_EQ(Ok("PATCH", "/api/v1/companies/" + std::to_string(cid),
               R"({"industry":"retail"})")["industry"],
            "retail");
}

TEST_F(PeopleApiTest, TimelineIsNewestFirstAndPaged) {
  std::string batch = "[";
  for (int i = 0; i < 5; ++i) {
    batch += (i ? "," : "") + std::string("{\"id\":\"t") + std::to_string(i) +
             "\",\"type\":\"page_view\",\"email\":\"t@example.com\",\"occurred_at\":\"2026-11-0" +
             std::to_string(i + 1) + "T10:00:00Z\"}";
  }
  Ok("POST", "/api/v1/activities", batch + "]");
  int64_t id = Ok("GET", "/api/v1/people?email=t@example.com")["items"][0]["id"];
  std::string url = "/api/v1/people/" + std::to_string(id) + "/timeline?limit=2";
  json p1 = Ok("GET", url);
  ASSERT_EQ(p1["items"].size(), 2u);
  EXPECT_EQ(p1["items"][0]["kind"], "person_changed");  // created now, after the activities
  // Walk every page: the activities newest first (score decisions stay off the timeline).
  std::vector<json> items(p1["items"].begin(), p1["items"].end());
  auto next = [](const json& page) {
    return page["next_cursor"].is_string() ? page["next_cursor"].get<std::string>() : "";
  };
  for (std::string cursor = next(p1); !cursor.empty();) {
    json page = Ok("GET", url + "&cursor=" + cursor);
    items.insert(items.end(), page["items"].begin(), page["items"].end());
    cursor = next(page);
  }
  std::vector<std::string> ids;
  for (const json& e : items) {
    EXPECT_NE(e["kind"], "score_changed");
    if (e["kind"] == "activity") ids.push_back(e["id"]);
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"t4", "t3", "t2", "t1", "t0"}));
  EXPECT_EQ(server_.Call("GET", "/api/v1/people/999/timeline", admin_).status, 404);
}

TEST_F(PeopleApiTest, ErasureLeavesTheDecisions) {
  json p = Ok("POST", "/api/v1/people", R"({"email":"gone@example.com","first_name":"Gone"})", 201);
  std::string url = "/api/v1/people/" + std::to_string(p["id"].get<int64_t>());
  Ok("POST", url + "/erase");
  json after = Ok("GET", url);
  EXPECT_TRUE(after["erased"]);
  EXPECT_TRUE(after["emails"].empty());
  EXPECT_EQ(after["first_name"], "");
  json tl = Ok("GET", url + "/timeline");
  EXPECT_EQ(tl["items"][0]["kind"], "erased");
  EXPECT_EQ(tl["items"].size(), 2u);
  EXPECT_EQ(tl.dump().find("Gone"), std::string::npos);
}

}  // namespace
}  // namespace tandem::api
