// The SLA's work over real HTTP: the queue of open leads with their clocks, sales actions
// held to the SLA, and the outbox of escalations.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "api/api_sla_test_fixture.h"

namespace tandem::api {
namespace {

using nlohmann::json;

// --- Queues and actions ---

TEST_F(ApiSlaTest, ANewMqlIsInItsOwnersQueueWithRunningClocks) {
  int64_t ada = NewLead("ada@acme.de");
  UserId owner = OwnerOf(ada);
  ASSERT_TRUE(owner == jonas_ || owner == sophie_);
  auto r = server_.Call("GET", "/api/v1/queue?owner=" + std::to_string(owner.value()), admin_);
  ASSERT_EQ(r.status, 200) << r.body;
  json q = Body(r);
  ASSERT_EQ(q["items"].size(), 1u);
  EXPECT_TRUE(q["next_cursor"].is_null());
  json item = q["items"][0];
  EXPECT_EQ(item["person"]["id"], ada);
  EXPECT_EQ(item["person"]["name"], "Ada Lovelace");
  EXPECT_EQ(item["person"]["email"], "ada@acme.de");
  EXPECT_EQ(item["lead_type"], "hand_raiser");
  EXPECT_EQ(item["accepted"], false);
  EXPECT_EQ(item["attempts_required"], 6);
  EXPECT_EQ(item["channels_required"], 2);
  ASSERT_EQ(item["clocks"].size(), 4u);
  // Tuesday 13:00 in Berlin: accept within 2 business hours, first touch within 1.
  EXPECT_EQ(item["clocks"][0]["clock"], "accept");
  EXPECT_EQ(item["clocks"][0]["due"], "2026-11-10T14:00:00Z");
  EXPECT_EQ(item["clocks"][0]["seconds_left"], 7200);
  EXPECT_EQ(item["next_due"], "2026-11-10T13:00:00Z");
  EXPECT_EQ(item["seconds_left"], 3600);
  EXPECT_EQ(Lead(ada), item);
  // The owner reads it as "me" (the default) and by e-mail.
  std::string email = owner == jonas_ ? "jonas.weber@tandem.demo" : "sophie.martin@tandem.demo";
  EXPECT_EQ(Body(server_.Call("GET", "/api/v1/queue", TokenOf(owner)))["items"][0], item);
  EXPECT_EQ(Body(server_.Call("GET", "/api/v1/queue?owner=" + email, TokenOf(owner)))["items"][0],
            item);
  EXPECT_TRUE(Body(server_.Call("GET", "/api/v1/queue", admin_))["items"].empty());
  // Late clocks count down below zero.
  server_.clock().Advance(std::chrono::hours(2));
  EXPECT_EQ(Lead(ada)["seconds_left"], -3600);
}

TEST_F(ApiSlaTest, ARepReadsOnlyTheirOwnQueue) {
  ExpectProblem(
      server_.Call("GET", "/api/v1/queue?owner=" + std::to_string(sophie_.value()), jonas_token()),
      403);
  EXPECT_EQ(server_.Call("GET", "/api/v1/queue?owner=me", jonas_token()).status, 200);
  EXPECT_EQ(
      server_.Call("GET", "/api/v1/queue?owner=" + std::to_string(jonas_.value()), manager_token())
          .status,
      200);
  ExpectProblem(server_.Call("GET", "/api/v1/queue?owner=999", admin_), 404);
  ExpectProblem(server_.Call("GET", "/api/v1/queue?owner=nobody@tandem.demo", admin_), 404);
  ExpectProblem(server_.Call("GET", "/api/v1/queue?limit=0", admin_), 422, "limit");
  ExpectProblem(server_.Call("GET", "/api/v1/people/999/lead", admin_), 404);
}

TEST_F(ApiSlaTest, AQueueIsPagedEarliestDueFirst) {
  for (const char* e : {"a@acme.de", "b@acme.de", "c@acme.de", "d@acme.de"}) {
    (void)NewLead(e);
    server_.clock().Advance(std::chrono::minutes(1));
  }
  std::string jonas = "/api/v1/queue?owner=" + std::to_string(jonas_.value());
  json all = Body(server_.Call("GET", jonas, admin_))["items"];
  ASSERT_GE(all.size(), 2u);  // weight 2 of 3 turns
  json first = Body(server_.Call("GET", jonas + "&limit=1", admin_));
  ASSERT_EQ(first["items"].size(), 1u);
  EXPECT_EQ(first["items"][0], all[0]);
  ASSERT_TRUE(first["next_cursor"].is_string());
  json second = Body(server_.Call(
      "GET", jonas + "&limit=1&cursor=" + first["next_cursor"].get<std::string>(), admin_));
  EXPECT_EQ(second["items"][0], all[1]);
  for (size_t i = 1; i < all.size(); ++i) {
    EXPECT_LE(all[i - 1]["next_due"].get<std::string>(), all[i]["next_due"].get<std::string>());
  }
}

TEST_F(ApiSlaTest, RecycleWithoutTheMinimumAttemptsIsRefusedAndChangesNothing) {
  int64_t ada = NewLead("ada@acme.de");
  const std::string& owner = TokenOf(OwnerOf(ada));
  auto attempt =
      Act(owner, ada, {{"action", "attempt"}, {"channel", "call"}, {"outcome", "no_answer"}});
  ASSERT_EQ(attempt.status, 201) << attempt.body;
  EXPECT_EQ(Body(attempt)["action"], "attempt");
  EXPECT_TRUE(Body(attempt)["stage"].is_null());
  EXPECT_EQ(Body(attempt)["lead"]["attempts"], 1);
  size_t before = Timeline(ada);
  auto r = Act(owner, ada, {{"action", "recycle"}, {"reason", "no_response"}});
  ExpectProblem(r, 422);
  json errors = Body(r)["errors"];
  ASSERT_EQ(errors.size(), 2u) << r.body;
  EXPECT_EQ(errors[0]["field"], "attempts");
  EXPECT_NE(errors[0]["reason"].get<std::string>().find("requires 6"), std::string::npos);
  EXPECT_EQ(errors[1]["field"], "channels");
  EXPECT_EQ(Timeline(ada), before);
  EXPECT_EQ(Lead(ada)["attempts"], 1);
  EXPECT_NE(Body(server_.Call("GET", Url(ada, ""), admin_))["stage"], "recycled");
}

TEST_F(ApiSlaTest, RecycleAfterTheAgreedAttemptsHandsTheLeadBack) {
  int64_t ada = NewLead("ada@acme.de");
  const std::string& owner = TokenOf(OwnerOf(ada));
  auto accepted = Act(owner, ada, {{"action", "accept"}});
  ASSERT_EQ(accepted.status, 201) << accepted.body;
  EXPECT_EQ(Body(accepted)["stage"], "sal");
  EXPECT_EQ(Body(accepted)["lead"]["clocks"][0]["met"], true);
  EXPECT_TRUE(Body(accepted)["lead"]["clocks"][0]["seconds_left"].is_null());
  ExpectProblem(Act(owner, ada, {{"action", "accept"}}), 409);  // accepted already
  for (const char* channel : {"call", "call", "email", "call", "email", "social"}) {
    ASSERT_EQ(Act(owner, ada, {{"action", "attempt"}, {"channel", channel}}).status, 201);
  }
  auto r =
      Act(owner, ada,
          {{"action", "recycle"}, {"reason", "no_response"}, {"note", "six tries, no answer"}});
  ASSERT_EQ(r.status, 201) << r.body;
  json out = Body(r);
  EXPECT_GT(out["seq"].get<int64_t>(), 0);
  EXPECT_EQ(out["action"], "recycle");
  EXPECT_EQ(out["stage"], "recycled");
  EXPECT_TRUE(out["lead"].is_null());
  EXPECT_EQ(Body(server_.Call("GET", Url(ada, ""), admin_))["stage"], "recycled");
  ExpectProblem(server_.Call("GET", Url(ada, "/lead"), admin_), 404);
  ExpectProblem(Act(owner, ada, {{"action", "attempt"}, {"channel", "call"}}), 409);  // no lead
}

TEST_F(ApiSlaTest, OnlyTheOwnerOrAManagerActsAndViewersNever) {
  int64_t ada = NewLead("ada@acme.de");
  UserId owner = OwnerOf(ada);
  std::string viewer = server_.TokenFor("v@example.com", Role::kViewer);
  ExpectProblem(Act(viewer, ada, {{"action", "accept"}}), 403);
  ExpectProblem(Act(TokenOf(OtherRep(owner)), ada, {{"action", "accept"}}), 403);
  ExpectProblem(Act(TokenOf(owner), ada, {{"action", "reassign"}, {"to", OtherRep(owner).value()}}),
                403);
  EXPECT_EQ(Lead(ada)["accepted"], false);
  auto r = Act(manager_token(), ada, {{"action", "accept"}});
  EXPECT_EQ(r.status, 201) << r.body;
  ExpectProblem(Act(admin_, 999, {{"action", "accept"}}), 404);
}

TEST_F(ApiSlaTest, AManagerReassignsALeadToAnotherRep) {
  int64_t ada = NewLead("ada@acme.de");
  UserId other = OtherRep(OwnerOf(ada));
  ExpectProblem(Act(manager_token(), ada, {{"action", "reassign"}}), 422, "to");
  auto r = Act(manager_token(), ada, {{"action", "reassign"}, {"to", other.value()}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(Body(r)["owner"], other.value());
  EXPECT_EQ(Body(r)["lead"]["owner"], other.value());
  json q = Body(server_.Call("GET", "/api/v1/queue", TokenOf(other)));
  ASSERT_EQ(q["items"].size(), 1u);
  EXPECT_EQ(q["items"][0]["person"]["id"], ada);
}

TEST_F(ApiSlaTest, AnActionIsValidatedStrictly) {
  int64_t ada = NewLead("ada@acme.de");
  const std::string& owner = TokenOf(OwnerOf(ada));
  ExpectProblem(Act(owner, ada, {{"action", "call_back"}}), 422, "action");
  ExpectProblem(Act(owner, ada, json::object()), 422, "action");
  ExpectProblem(Act(owner, ada, {{"action", 3}}), 422, "action");
  ExpectProblem(Act(owner, ada, {{"action", "attempt"}, {"channel", "fax"}}), 422, "channel");
  ExpectProblem(Act(owner, ada, {{"action", "attempt"}}), 422, "channel");
  ExpectProblem(Act(owner, ada, {{"action", "accept"}, {"colour", "red"}}), 422, "colour");
  ExpectProblem(Act(owner, ada, {{"action", "reassign"}, {"to", "jonas"}}), 422, "to");
  ExpectProblem(Act(owner, ada, {{"action", "accept"}, {"note", 7}}), 422, "note");
  ExpectProblem(Act(owner, ada, {{"action", "accept"}, {"at", "yesterday"}}), 422, "at");
  ExpectProblem(Act(owner, ada, {{"action", "accept"}, {"at", "2026-11-11T12:00:00Z"}}), 422, "at");
  ExpectProblem(Act(owner, ada, {{"action", "recycle"}, {"reason", "bored"}}), 422, "reason");
  ExpectProblem(Act(owner, ada, {{"action", "qualify"}}), 422, "fields.budget");
  ExpectProblem(Act(owner, ada, {{"action", "qualify"}, {"fields", "all of them"}}), 422, "fields");
  ExpectProblem(Act(owner, ada, {{"action", "qualify"}, {"fields", {{"budget", 5}}}}), 422,
                "fields.budget");
  ExpectProblem(server_.Call("POST", Url(ada, "/actions"), owner, "{not json"), 400);
  ExpectProblem(server_.Call("POST", Url(ada, "/actions"), owner, "[]"), 400);
  ExpectProblem(server_.Call("POST", Url(ada, "/actions"), owner,
                             json{{"action", "accept"}, {"note", std::string(70000, 'x')}}.dump()),
                413);
  EXPECT_EQ(Lead(ada)["accepted"], false);
  auto past = Act(owner, ada, {{"action", "accept"}, {"at", "2026-11-10T11:30:00Z"}});
  EXPECT_EQ(past.status, 201) << past.body;
  auto qualified = Act(owner, ada,
                       {{"action", "qualify"},
                        {"fields", {{"need", "One view of each lead"},
                                    {"budget", "expected"},
                                    {"timeline", "next_quarter"}}}});
  EXPECT_EQ(qualified.status, 201) << qualified.body;
  EXPECT_EQ(Body(qualified)["stage"], "sql");
}

// --- The outbox ---

TEST_F(ApiSlaTest, EscalationsThatFellDueAreListedInTheOutbox) {
  (void)NewLead("ada@acme.de");
  auto empty = server_.Call("GET", "/api/v1/outbox", admin_);
  ASSERT_EQ(empty.status, 200) << empty.body;
  EXPECT_TRUE(Body(empty)["items"].empty());
  server_.clock().Set(*ParseTimestamp("2026-11-10T15:00:00Z"));  // past first touch and accept
  auto fired = server_.sla().FireDue(server_.clock().Now());
  ASSERT_TRUE(fired.ok()) << fired.status().ToString();
  ASSERT_GT(*fired, 0u);
  json all = Body(server_.Call("GET", "/api/v1/outbox", admin_))["items"];
  ASSERT_GE(all.size(), 2u);
  bool manager_mail = false;
  for (const auto& m : all) {
    EXPECT_EQ(m["status"], "pending");
    EXPECT_FALSE(m.contains("body"));
    EXPECT_GT(m["seq"].get<int64_t>(), 0);
    manager_mail |= m["channel"] == "email" && m["target"] == "katrin.vogel@tandem.demo";
  }
  EXPECT_TRUE(manager_mail) << all.dump();
  EXPECT_EQ(Body(server_.Call("GET", "/api/v1/outbox?status=pending", admin_))["items"], all);
  EXPECT_TRUE(
      Body(server_.Call("GET", "/api/v1/outbox?status=delivered", admin_))["items"].empty());
  json page = Body(server_.Call("GET", "/api/v1/outbox?limit=1", admin_));
  ASSERT_EQ(page["items"].size(), 1u);
  json next = Body(server_.Call(
      "GET", "/api/v1/outbox?limit=1&cursor=" + page["next_cursor"].get<std::string>(), admin_));
  EXPECT_EQ(next["items"][0], all[1]);
  ExpectProblem(server_.Call("GET", "/api/v1/outbox?status=lost", admin_), 422, "status");
  ExpectProblem(server_.Call("GET", "/api/v1/outbox", manager_token()), 403);
}

// Every schema the SLA routes name is in the document.
void CollectRefs(const json& j, std::vector<std::string>& out) {
  if (j.is_object()) {
    if (auto it = j.find("$ref"); it != j.end()) out.push_back(it->get<std::string>());
    for (const auto& [k, v] : j.items()) CollectRefs(v, out);
  } else if (j.is_array()) {
    for (const auto& v : j) CollectRefs(v, out);
  }
}

TEST_F(ApiSlaTest, RoutingThatCannotBeBuiltIsReportedAndItsLeadsAreQueuedUnassigned) {
  json healthy = Body(server_.Call("GET", "/api/v1/sla/routing", manager_token()));
  EXPECT_EQ(healthy["routing"], "ok");
  EXPECT_TRUE(healthy["errors"].empty());
  // The Americas team is renamed outside the SLA, which still routes to it by name.
  Status st = server_.store().Write([](store::WriteTxn& t) {
    return t.db().Exec("UPDATE teams SET name = 'Sales US' WHERE name = 'Sales Americas'");
  });
  ASSERT_TRUE(st.ok()) << st.ToString();
  ASSERT_TRUE(server_.sla().ReloadOrganisation().ok());
  int64_t p = NewLead("ada@acme.de");
  json broken = Body(server_.Call("GET", "/api/v1/sla/routing", manager_token()));
  EXPECT_EQ(broken["routing"], "broken");
  EXPECT_EQ(broken["errors"][0],
            json({{"field", "routing.rules[1].team"},
                  {"reason", "no team named 'Sales Americas'"}}));
  EXPECT_EQ(broken["unassigned"], 1);
  json waiting = Body(server_.Call("GET", "/api/v1/queue?owner=unassigned", manager_token()));
  ASSERT_EQ(waiting["items"].size(), 1u);
  EXPECT_EQ(waiting["items"][0]["person"]["id"], p);
  ExpectProblem(server_.Call("GET", "/api/v1/queue?owner=unassigned", jonas_token()), 403);
}

TEST_F(ApiSlaTest, TheApiDocumentDescribesTheSlaRoutes) {
  json doc = Body(server_.Call("GET", "/api/v1/openapi.json", ""));
  auto schema_of = [&](const char* path, const char* method, const char* code) {
    return doc["paths"][path][method]["responses"][code]["content"]["application/json"]["schema"]
              ["$ref"];
  };
  EXPECT_EQ(schema_of("/api/v1/queue", "get", "200"), "#/components/schemas/QueuePage");
  EXPECT_EQ(schema_of("/api/v1/people/{id}/actions", "post", "201"),
            "#/components/schemas/ActionOutcome");
  EXPECT_EQ(schema_of("/api/v1/sla", "get", "200"), "#/components/schemas/SlaVersion");
  EXPECT_EQ(schema_of("/api/v1/outbox", "get", "200"), "#/components/schemas/OutboxPage");
  EXPECT_EQ(schema_of("/api/v1/sla/routing", "get", "200"),
            "#/components/schemas/RoutingHealth");
  std::vector<std::string> refs;
  CollectRefs(doc, refs);
  for (const auto& ref : refs) {
    std::string name = ref.substr(ref.rfind('/') + 1);
    EXPECT_TRUE(doc["components"]["schemas"].contains(name)) << ref << " is not defined";
  }
}

}  // namespace
}  // namespace tandem::api
