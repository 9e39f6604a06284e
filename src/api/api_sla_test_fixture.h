// Test support for the SLA's API tests: a real server with the teams and users the default
// SLA routes to (Sales EMEA in Berlin with a manager and two reps, Sales Americas with one),
// and helpers to make leads and act on them over HTTP.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "api/test_server.h"
#include "store/users.h"

namespace tandem::api {

using Headers = std::vector<std::pair<std::string, std::string>>;

inline const Headers kToml = {{"Content-Type", "application/toml"}};

class ApiSlaTest : public ::testing::Test {
 protected:
  ApiSlaTest() {
    // The default SLA routes to both teams: without either its router is not built.
    Team emea{.name = "Sales EMEA", .time_zone = "Europe/Berlin"};
    Team americas{.name = "Sales Americas", .time_zone = "America/New_York"};
    Status st = server_.store().Write([&](store::WriteTxn& t) {
      TANDEM_RETURN_IF_ERROR(store::InsertTeam(t, emea));
      return store::InsertTeam(t, americas);
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
    manager_ = AddUser("katrin.vogel@tandem.demo", Role::kSalesManager, emea.id);
    st = server_.store().Write(
        [&](store::WriteTxn& t) { return store::SetTeamManager(t, emea.id, manager_); });
    EXPECT_TRUE(st.ok()) << st.ToString();
    jonas_ = AddUser("jonas.weber@tandem.demo", Role::kSalesRep, emea.id);
    sophie_ = AddUser("sophie.martin@tandem.demo", Role::kSalesRep, emea.id);
    (void)AddUser("ana.souza@tandem.demo", Role::kSalesRep, americas.id);
    EXPECT_TRUE(server_.sla().ReloadOrganisation().ok());
    tokens_[manager_.value()] = server_.TokenFor("katrin.vogel@tandem.demo", Role::kSalesManager);
    tokens_[jonas_.value()] = server_.TokenFor("jonas.weber@tandem.demo", Role::kSalesRep);
    tokens_[sophie_.value()] = server_.TokenFor("sophie.martin@tandem.demo", Role::kSalesRep);
  }

  UserId AddUser(const std::string& email, Role role, TeamId team) {
    User u{.email = email, .name = email.substr(0, email.find('@')), .role = role, .team = team};
    EXPECT_TRUE(
        server_.store().Write([&](store::WriteTxn& t) { return store::InsertUser(t, u); }).ok());
    return u.id;
  }

  static nlohmann::json Body(const TestReply& r) { return nlohmann::json::parse(r.body); }
  static std::string Url(int64_t person, const std::string& rest) {
    return "/api/v1/people/" + std::to_string(person) + rest;
  }

  // A person in Germany who asks for a demo now: an MQL routed to a rep of Sales EMEA.
  int64_t NewLead(const std::string& email) {
    auto made = server_.Call(
        "POST", "/api/v1/people", admin_,
        nlohmann::json{
            {"email", email}, {"first_name", "Ada"}, {"last_name", "Lovelace"}, {"country", "DE"}}
            .dump());
    EXPECT_EQ(made.status, 201) << made.body;
    nlohmann::json activity =
        nlohmann::json::array({{{"id", "demo-" + email},
                                {"type", "demo_request"},
                                {"email", email},
                                {"occurred_at", FormatTimestamp(server_.clock().Now())}}});
    auto sent = server_.Call("POST", "/api/v1/activities", admin_, activity.dump());
    EXPECT_EQ(Body(sent)["accepted"], 1) << sent.body;
    return Body(made)["id"].get<int64_t>();
  }

  TestReply Act(const std::string& token, int64_t person, const nlohmann::json& body) {
    return server_.Call("POST", Url(person, "/actions"), token, body.dump());
  }
  nlohmann::json Lead(int64_t person) {
    return Body(server_.Call("GET", Url(person, "/lead"), admin_));
  }
  UserId OwnerOf(int64_t person) { return UserId(Lead(person)["owner"].get<int64_t>()); }
  const std::string& TokenOf(UserId user) { return tokens_.at(user.value()); }
  const std::string& jonas_token() { return TokenOf(jonas_); }
  const std::string& manager_token() { return TokenOf(manager_); }
  UserId OtherRep(UserId rep) { return rep == jonas_ ? sophie_ : jonas_; }
  size_t Timeline(int64_t person) {
    return Body(server_.Call("GET", Url(person, "/timeline?limit=1000"), admin_))["items"].size();
  }

  TestReply Put(const std::string& token, const std::string& body, Headers headers = kToml) {
    return server_.Call("PUT", "/api/v1/sla", token, body, headers);
  }
  TestReply Approve(const std::string& token, int version) {
    return server_.Call("POST", "/api/v1/sla/versions/" + std::to_string(version) + "/approve",
                        token);
  }

  TestServer server_;
  std::string admin_ = server_.TokenFor("admin@example.com", Role::kAdmin);
  UserId manager_, jonas_, sophie_;
  std::map<int64_t, std::string> tokens_;
};

inline void ExpectProblem(const TestReply& r, int status, const std::string& field = "") {
  EXPECT_EQ(r.status, status) << r.body;
  EXPECT_EQ(r.content_type, "application/problem+json");
  if (field.empty()) return;
  bool named = false;
  nlohmann::json body = nlohmann::json::parse(r.body);
  for (const auto& e : body["errors"]) named = named || e["field"] == field;
  EXPECT_TRUE(named) << field << " not named in " << r.body;
}

}  // namespace tandem::api
