// The SLA model over a real store: MQLs routed with clocks in business hours, escalations
// journaled with their outbox messages, sales actions held to the SLA, and state rebuilt from
// the journal after a restart.
#include "ingest/sla_model.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>

#include "ingest/activities.h"
#include "ingest/default_policy.h"
#include "ingest/default_sla.h"
#include "ingest/lead_model.h"
#include "ingest/records.h"
#include "ingest/sla_scorecard.h"
#include "store/journal.h"
#include "store/outbox.h"
#include "store/people.h"
#include "store/users.h"

namespace tandem::ingest {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

// Monday 2 March 2026, 09:00 in Berlin.
const Timestamp kMonday9 = *ParseTimestamp("2026-03-02T08:00:00Z");

struct Fixture {
  // americas: the name of the second sales team (the default SLA routes to "Sales Americas").
  explicit Fixture(const std::string& name, std::string americas = "Sales Americas")
      : americas_name(std::move(americas)) {
    dir = std::filesystem::temp_directory_path() /
          ("tandem-sla-" + std::to_string(::getpid()) + "-" + name);
    std::filesystem::remove_all(dir);
    store = std::move(*store::Store::Open((dir / "t.db").string(), clock));
    Organise();
    Open();
  }
  ~Fixture() {
    Close();
    store.reset();
    std::filesystem::remove_all(dir);
  }
  void Open() {
    leads = std::move(*LeadModel::Open(*store, EmbeddedDefaultPolicy()));
    auto s = SlaModel::Open(*store, EmbeddedDefaultSla(), {});
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    sla = std::move(*s);
  }
  void Close() {
    sla.reset();
    leads.reset();
  }
  UserId AddUser(const std::string& email, Role role, TeamId team) {
    User u{.email = email, .name = email.substr(0, email.find('@')), .role = role, .team = team};
    EXPECT_TRUE(store->Write([&](store::WriteTxn& t) { return store::InsertUser(t, u); }).ok());
    return u.id;
  }
  void Organise() {
    Team emea{.name = "Sales EMEA", .time_zone = "Europe/Berlin"};
    Team americas{.name = americas_name, .time_zone = "America/New_York"};
    ASSERT_TRUE(store
                    ->Write([&](store::WriteTxn& t) {
                      TANDEM_RETURN_IF_ERROR(store::InsertTeam(t, emea));
                      return store::InsertTeam(t, americas);
                    })
                    .ok());
    manager = AddUser("katrin.vogel@tandem.demo", Role::kSalesManager, emea.id);
    ASSERT_TRUE(store
                    ->Write([&](store::WriteTxn& t) {
                      return store::SetTeamManager(t, emea.id, manager);
                    })
                    .ok());
    jonas = AddUser("jonas.weber@tandem.demo", Role::kSalesRep, emea.id);
    sophie = AddUser("sophie.martin@tandem.demo", Role::kSalesRep, emea.id);
    ana = AddUser("ana.souza@tandem.demo", Role::kSalesRep, americas.id);
  }
  PersonId AddPerson(const std::string& email, const std::string& country) {
    PersonId id;
    EXPECT_TRUE(store
                    ->Write([&](store::WriteTxn& txn) {
                      auto r = CreatePerson(
                          txn, {.first_name = "Ada", .last_name = "Lovelace", .country = country,
                                .emails = std::vector<std::string>{email}},
                          {});
                      if (r.ok()) id = r->person.id;
                      return r.status();
                    })
                    .ok());
    return id;
  }
  void Post(PersonId person, const std::string& type, Timestamp at) {
    Activity a{.client_id = "a" + std::to_string(++next_id),
               .type = type,
               .person = {.person_id = person},
               .occurred_at = at,
               .properties = "{}"};
    auto r = StoreActivities(*store, {{.index = 0, .activity = a}}, {}, {});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_EQ(r->accepted, 1);
  }
  // A new MQL by demo request, now.
  PersonId NewMql(const std::string& email, const std::string& country = "DE") {
    PersonId p = AddPerson(email, country);
    Post(p, "demo_request", clock.Now());
    return p;
  }
  std::vector<store::JournalEntry> Journal(const std::string& kind) {
    std::vector<store::JournalEntry> out;
    (void)store->Read([&](sql::Db& db) {
      for (auto& e : store::ReadJournal(db, Seq(0), 100000)) {
        if (e.kind == kind) out.push_back(std::move(e));
      }
      return Status::Ok();
    });
    return out;
  }
  std::vector<store::OutboxRecord> Outbox() {
    std::vector<store::OutboxRecord> out;
    (void)store->Read([&](sql::Db& db) {
      out = store::ListOutbox(db, 0, 1000);
      return Status::Ok();
    });
    return out;
  }
  User Who(UserId id, Role role) { return User{.id = id, .role = role}; }
  Result<ActionOutcome> Act(PersonId p, SalesAction a, UserId by, Role role = Role::kSalesRep) {
    return sla->Act(p, a, Who(by, role));
  }
  void Attempt(PersonId p, UserId by, ContactChannel ch) {
    auto r = Act(p, {.kind = SalesActionKind::kAttempt, .channel = ch}, by);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }

  FakeClock clock{kMonday9};
  std::filesystem::path dir;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<LeadModel> leads;
  std::unique_ptr<SlaModel> sla;
  // Proposes toml as a new SLA version and approves it for both sides.
  void Adopt(const std::string& toml) {
    UserId marketer = AddUser("mia.marketing@tandem.demo", Role::kMarketing, TeamId());
    auto v = sla->Propose(toml, Who(marketer, Role::kMarketing), std::nullopt);
    ASSERT_TRUE(v.ok()) << v.status().ToString();
    ASSERT_TRUE(sla->Approve(v->version, Who(marketer, Role::kMarketing)).ok());
    auto active = sla->Approve(v->version, Who(manager, Role::kSalesManager));
    ASSERT_TRUE(active.ok()) << active.status().ToString();
    ASSERT_EQ(sla->Active().version, v->version);
  }

  std::string americas_name;
  UserId manager, jonas, sophie, ana;
  int next_id = 0;
};

TEST(SlaModelTest, AnMqlIsRoutedByTerritoryAndItsClocksRunInBusinessHours) {
  Fixture f("routed");
  PersonId p = f.NewMql("ada@acme.de");
  auto lead = f.sla->LeadOf(p);
  ASSERT_TRUE(lead.has_value());
  EXPECT_TRUE(lead->owner == f.jonas || lead->owner == f.sophie);
  EXPECT_EQ(lead->lead_type, "hand_raiser");
  ASSERT_EQ(lead->clocks.size(), 4u);
  // Accept within 2 business hours of Monday 09:00 Berlin: 11:00 Berlin.
  EXPECT_EQ(lead->clocks[0].due, *ParseTimestamp("2026-03-02T10:00:00Z"));
  auto assigned = f.Journal("assigned");
  ASSERT_EQ(assigned.size(), 1u);
  EXPECT_EQ(assigned[0].cause, f.Journal("stage_changed")[0].seq);
  EXPECT_NE(assigned[0].reason.find("\"step\":\"round_robin\""), std::string::npos)
      << assigned[0].reason;
  EXPECT_EQ(f.Journal("sla_started").size(), 1u);
  (void)f.store->Read([&](sql::Db& db) {
    EXPECT_EQ(store::LoadPerson(db, p)->owner, lead->owner);
    return Status::Ok();
  });
  // An American lead goes to the Americas team.
  PersonId q = f.NewMql("bob@acme.com", "US");
  EXPECT_EQ(f.sla->LeadOf(q)->owner, f.ana);
}

TEST(SlaModelTest, ABreachFiresAtItsDueTimeAndEscalatesByEmailAndWebhook) {
  Fixture f("breach");
  PersonId p = f.NewMql("ada@acme.de");
  UserId owner = f.sla->LeadOf(p)->owner;
  EXPECT_EQ(*f.sla->FireDue(f.clock.Now()), 0u);
  f.clock.Set(*ParseTimestamp("2026-03-02T10:00:00Z"));
  ASSERT_TRUE(f.sla->FireDue(f.clock.Now()).ok());
  auto breaches = f.Journal("sla_breached");
  bool accept_breached = false;
  for (const auto& b : breaches) {
    if (b.reason.find("\"clock\":\"accept\"") == std::string::npos) continue;
    accept_breached = true;
    EXPECT_EQ(b.occurred_at, *ParseTimestamp("2026-03-02T10:00:00Z"));
  }
  EXPECT_TRUE(accept_breached);
  EXPECT_FALSE(f.Journal("escalated").empty());  // reminders at half time fired first
  bool manager_mail = false, webhook = false, owner_mail = false;
  for (const auto& m : f.Outbox()) {
    manager_mail |= m.channel == "email" && m.target == "katrin.vogel@tandem.demo" &&
                    m.event == "sla_breached";
    owner_mail |= m.channel == "email" && m.target != "katrin.vogel@tandem.demo";
    webhook |= m.channel == "webhook" && m.target == "sales-alerts";
  }
  EXPECT_TRUE(manager_mail);
  EXPECT_TRUE(owner_mail);
  EXPECT_TRUE(webhook);
  // First touch was due at 09:00; at twice its time (10:00) the lead goes to someone else,
  // whose clocks start afresh; the breach stays on record.
  EXPECT_EQ(f.Journal("assigned").size(), 2u);
  UserId next = f.sla->LeadOf(p)->owner;
  EXPECT_NE(next, owner);
  EXPECT_FALSE(f.sla->LeadOf(p)->clocks[0].breached);
  // The people concerned hear of the reassignment: the earlier owner, the new one and the
  // manager, once each, each mail naming the new owner.
  std::map<std::string, int> told;
  for (const auto& m : f.Outbox()) {
    if (m.channel != "email" || m.body.find("(reassign)") == std::string::npos) continue;
    ++told[m.target];
    EXPECT_NE(m.body.find("Reassigned to: "), std::string::npos) << m.body;
    EXPECT_EQ(m.subject.rfind("SLA escalation: first_touch", 0), 0u) << m.subject;
  }
  auto email_of = [](UserId u, const Fixture& fx) {
    return u == fx.jonas ? "jonas.weber@tandem.demo" : "sophie.martin@tandem.demo";
  };
  EXPECT_EQ(told, (std::map<std::string, int>{{email_of(owner, f), 1},
                                              {email_of(next, f), 1},
                                              {"katrin.vogel@tandem.demo", 1}}));
}

TEST(SlaModelTest, AnAcceptedLeadStopsItsAcceptClockAndMovesToSal) {
  Fixture f("accept");
  PersonId p = f.NewMql("ada@acme.de");
  UserId owner = f.sla->LeadOf(p)->owner;
  auto r = f.Act(p, {.kind = SalesActionKind::kAccept}, owner);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->stage, Stage::kSal);
  EXPECT_TRUE(f.sla->LeadOf(p)->clocks[0].met);
  EXPECT_EQ(f.leads->StandingOf(p, f.clock.Now()).stage, Stage::kSal);
  EXPECT_EQ(f.Act(p, {.kind = SalesActionKind::kAccept}, owner).status().code(),
            Code::kFailedPrecondition);
  f.Attempt(p, owner, ContactChannel::kCall);
  f.clock.Set(*ParseTimestamp("2026-03-02T10:30:00Z"));
  ASSERT_TRUE(f.sla->FireDue(f.clock.Now()).ok());
  for (const auto& b : f.Journal("sla_breached")) {
    EXPECT_EQ(b.reason.find("\"clock\":\"accept\""), std::string::npos) << b.reason;
  }
}

TEST(SlaModelTest, RecycleWithoutMinimumAttemptsIsRefusedSayingWhatIsMissing) {
  Fixture f("premature");
  PersonId p = f.NewMql("ada@acme.de");
  UserId owner = f.sla->LeadOf(p)->owner;
  f.Attempt(p, owner, ContactChannel::kCall);
  size_t actions = f.Journal("action").size();
  auto r = f.Act(p, {.kind = SalesActionKind::kRecycle, .reason = "no_response"}, owner);
  ASSERT_EQ(r.status().code(), Code::kInvalidArgument);
  ASSERT_EQ(r.status().errors().size(), 2u);
  EXPECT_EQ(r.status().errors()[0].field, "attempts");
  EXPECT_NE(r.status().errors()[0].reason.find("requires 6"), std::string::npos)
      << r.status().errors()[0].reason;
  EXPECT_NE(r.status().errors()[0].reason.find("1 made"), std::string::npos);
  EXPECT_EQ(r.status().errors()[1].field, "channels");
  EXPECT_EQ(f.Journal("action").size(), actions);  // nothing journaled
  EXPECT_TRUE(f.sla->LeadOf(p).has_value());
}

TEST(SlaModelTest, RecycleAfterTheAgreedAttemptsHoldsTheLeadForItsCoolDown) {
  Fixture f("recycle");
  PersonId p = f.NewMql("ada@acme.de");
  UserId owner = f.sla->LeadOf(p)->owner;
  for (int i = 0; i < 5; ++i) f.Attempt(p, owner, ContactChannel::kCall);
  f.Post(p, "sales_email_sent", f.clock.Now());  // a CRM touch counts as an attempt
  EXPECT_EQ(f.sla->LeadOf(p)->attempts, 6);
  EXPECT_EQ(f.sla->LeadOf(p)->channels, 2);
  auto r = f.Act(p, {.kind = SalesActionKind::kRecycle, .reason = "no_response"}, owner);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->stage, Stage::kRecycled);
  EXPECT_FALSE(f.sla->LeadOf(p).has_value());
  EXPECT_EQ(f.leads->StandingOf(p, f.clock.Now()).stage, Stage::kRecycled);
  // Within the cool-down a new demo request does not make an MQL again.
  f.clock.Advance(hours(24));
  f.Post(p, "demo_request", f.clock.Now());
  EXPECT_EQ(f.leads->StandingOf(p, f.clock.Now()).stage, Stage::kRecycled);
  EXPECT_FALSE(f.sla->LeadOf(p).has_value());
  // After it, it does, and the lead is routed again.
  f.clock.Advance(hours(24 * 120));
  f.Post(p, "demo_request", f.clock.Now());
  EXPECT_EQ(f.leads->StandingOf(p, f.clock.Now()).stage, Stage::kMql);
  EXPECT_TRUE(f.sla->LeadOf(p).has_value());
}

TEST(SlaModelTest, UnknownReasonsAreRefusedWithTheAgreedList) {
  Fixture f("reasons");
  PersonId p = f.NewMql("ada@acme.de");
  UserId owner = f.sla->LeadOf(p)->owner;
  auto r = f.Act(p, {.kind = SalesActionKind::kRecycle, .reason = "boring"}, owner);
  ASSERT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(r.status().errors()[0].field, "reason");
  EXPECT_NE(r.status().message().find("no_response"), std::string::npos) << r.status().message();
  auto d = f.Act(p, {.kind = SalesActionKind::kDisqualify}, owner);
  EXPECT_EQ(d.status().code(), Code::kInvalidArgument);
}

TEST(SlaModelTest, QualifyRecordsTheFactsTheSlaAsksFor) {
  Fixture f("qualify");
  PersonId p = f.NewMql("ada@acme.de");
  UserId owner = f.sla->LeadOf(p)->owner;
  auto bare = f.Act(p, {.kind = SalesActionKind::kQualify}, owner);
  ASSERT_EQ(bare.status().code(), Code::kInvalidArgument);
  std::vector<std::string> fields;
  for (const FieldError& e : bare.status().errors()) fields.push_back(e.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"fields.need", "fields.budget", "fields.timeline"}));
  EXPECT_NE(bare.status().errors()[1].reason.find("approved, expected, none"), std::string::npos);
  SalesAction wrong{.kind = SalesActionKind::kQualify,
                    .fields = {{"need", "One list for both teams"},
                               {"budget", "lots"},
                               {"timeline", "this_quarter"},
                               {"mood", "keen"}}};
  auto refused = f.Act(p, wrong, owner);
  ASSERT_EQ(refused.status().code(), Code::kInvalidArgument);
  ASSERT_EQ(refused.status().errors().size(), 2u);
  EXPECT_EQ(refused.status().errors()[0].field, "fields.budget");
  EXPECT_EQ(refused.status().errors()[1].field, "fields.mood");
  EXPECT_TRUE(f.Journal("action").empty());  // nothing recorded
  wrong.fields.erase("mood");
  wrong.fields["budget"] = "approved";
  auto ok = f.Act(p, wrong, owner);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->stage, Stage::kSql);
  auto actions = f.Journal("action");
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_NE(actions[0].reason.find("\"fields\":[\"budget\",\"need\",\"timeline\"]"),
            std::string::npos)
      << actions[0].reason;
  EXPECT_NE(actions[0].payload.find("\"budget\":\"approved\""), std::string::npos)
      << actions[0].payload;
  EXPECT_FALSE(f.sla->LeadOf(p).has_value());  // qualified: sales' lead is closed
}

TEST(SlaModelTest, ExemptDisqualifyReasonsNeedNoAttempts) {
  Fixture f("exempt");
  PersonId p = f.NewMql("ada@acme.de");
  UserId owner = f.sla->LeadOf(p)->owner;
  EXPECT_EQ(f.Act(p, {.kind = SalesActionKind::kDisqualify, .reason = "no_fit"}, owner)
                .status()
                .code(),
            Code::kInvalidArgument);
  auto r = f.Act(p, {.kind = SalesActionKind::kDisqualify, .reason = "duplicate"}, owner);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->stage, Stage::kDisqualified);
  EXPECT_FALSE(f.sla->LeadOf(p).has_value());
}

TEST(SlaModelTest, OnlyTheOwnerOrAManagerActsAndOnlyAManagerReassigns) {
  Fixture f("roles");
  PersonId p = f.NewMql("ada@acme.de");
  UserId owner = f.sla->LeadOf(p)->owner;
  UserId other = owner == f.jonas ? f.sophie : f.jonas;
  EXPECT_EQ(f.Act(p, {.kind = SalesActionKind::kAccept}, other).status().code(),
            Code::kPermissionDenied);
  EXPECT_EQ(f.Act(p, {.kind = SalesActionKind::kReassign, .to = other}, owner).status().code(),
            Code::kPermissionDenied);
  auto r = f.Act(p, {.kind = SalesActionKind::kReassign, .to = other}, f.manager,
                 Role::kSalesManager);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->owner, other);
  EXPECT_EQ(f.sla->LeadOf(p)->owner, other);
  EXPECT_EQ(f.Journal("sla_started").size(), 2u);  // the new owner's clocks
}

TEST(SlaModelTest, ARepListingOtherTeamsTakesTheirLeadsInstead) {
  Fixture f("lead-teams");
  // The default SLA with the fixture's reps only, sophie (EMEA) serving the Americas.
  std::string toml(EmbeddedDefaultSla());
  ASSERT_NE(toml.find("[[routing.reps]]"), std::string::npos);
  toml = toml.substr(0, toml.find("[[routing.reps]]")) +
         "[[routing.reps]]\nemail = \"jonas.weber@tandem.demo\"\n"
         "[[routing.reps]]\nemail = \"sophie.martin@tandem.demo\"\nteams = [\"Sales Americas\"]\n"
         "[[routing.reps]]\nemail = \"ana.souza@tandem.demo\"\nweight = 2\n";
  f.Adopt(toml);
  // Americas' rotation: ana (weight 2) first, then sophie.
  EXPECT_EQ(f.sla->LeadOf(f.NewMql("a@acme.com", "US"))->owner, f.ana);
  EXPECT_EQ(f.sla->LeadOf(f.NewMql("b@acme.com", "US"))->owner, f.sophie);
  // EMEA's rotation no longer includes her.
  for (int i = 0; i < 3; ++i) {
    PersonId p = f.NewMql("de" + std::to_string(i) + "@acme.de", "DE");
    EXPECT_EQ(f.sla->LeadOf(p)->owner, f.jonas);
  }
}

TEST(SlaModelTest, RoutingThatCannotBeBuiltIsReportedAndLeadsWaitUnassigned) {
  // The organisation has no team called "Sales Americas", which the SLA routes to.
  Fixture f("broken-routing", "Sales US");
  Status st = f.sla->RoutingStatus();
  ASSERT_EQ(st.code(), Code::kFailedPrecondition);
  ASSERT_FALSE(st.errors().empty());
  EXPECT_EQ(st.errors()[0].field, "routing.rules[1].team");
  EXPECT_EQ(st.errors()[0].reason, "no team named 'Sales Americas'");
  PersonId p = f.NewMql("ada@acme.de");
  // The MQL is journaled as assigned to nobody, saying why, and waits without clocks.
  auto assigned = f.Journal("assigned");
  ASSERT_EQ(assigned.size(), 1u);
  EXPECT_NE(assigned[0].reason.find("\"step\":\"unassigned\""), std::string::npos);
  EXPECT_NE(assigned[0].reason.find("no team named 'Sales Americas'"), std::string::npos)
      << assigned[0].reason;
  EXPECT_TRUE(f.Journal("sla_started").empty());
  auto waiting = f.sla->Queue(UserId());
  ASSERT_EQ(waiting.size(), 1u);
  EXPECT_EQ(waiting[0].person, p);
  // A manager hands it to a rep, whose clocks start.
  auto r = f.Act(p, {.kind = SalesActionKind::kReassign, .to = f.jonas}, f.manager,
                 Role::kSalesManager);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(f.sla->LeadOf(p)->owner, f.jonas);
  EXPECT_EQ(f.Journal("sla_started").size(), 1u);
  EXPECT_TRUE(f.sla->Queue(UserId()).empty());
}

TEST(SlaModelTest, RoutingChangesAreToldToTheListener) {
  Fixture f("routing-listener", "Sales US");
  std::vector<std::string> told;
  f.sla->OnRoutingChanged([&](const Status& st) { told.push_back(st.ToString()); });
  ASSERT_TRUE(f.store
                  ->Write([&](store::WriteTxn& t) {
                    Team americas{.name = "Sales Americas", .time_zone = "America/New_York"};
                    return store::InsertTeam(t, americas);
                  })
                  .ok());
  ASSERT_TRUE(f.sla->ReloadOrganisation().ok());
  EXPECT_TRUE(f.sla->RoutingStatus().ok());
  EXPECT_EQ(told, std::vector<std::string>{"ok"});
}

TEST(SlaModelTest, ARejectedLeadGoesToAnotherRep) {
  Fixture f("reject");
  PersonId p = f.NewMql("ada@acme.de");
  UserId owner = f.sla->LeadOf(p)->owner;
  EXPECT_EQ(f.Act(p, {.kind = SalesActionKind::kReject}, owner).status().code(),
            Code::kInvalidArgument);
  auto r = f.Act(p, {.kind = SalesActionKind::kReject, .reason = "existing partner"}, owner);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_NE(f.sla->LeadOf(p)->owner, owner);
}

TEST(SlaModelTest, ClocksSurviveARestartAndStepsDueMeanwhileFireOnceInOrder) {
  Fixture f("restart");
  PersonId p = f.NewMql("ada@acme.de");
  auto before = f.sla->LeadOf(p);
  f.Close();
  f.clock.Set(*ParseTimestamp("2026-03-03T08:00:00Z"));  // a day later
  f.Open();
  auto after = f.sla->LeadOf(p);
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->owner, before->owner);
  EXPECT_EQ(after->clocks[0].due, before->clocks[0].due);
  ASSERT_TRUE(f.sla->FireDue(f.clock.Now()).ok());
  auto fired = f.Journal("sla_breached");
  ASSERT_FALSE(fired.empty());
  for (size_t i = 1; i < fired.size(); ++i) {
    EXPECT_LE(fired[i - 1].occurred_at, fired[i].occurred_at);
  }
  size_t steps = fired.size() + f.Journal("escalated").size();
  EXPECT_EQ(*f.sla->FireDue(f.clock.Now()), 0u);
  f.Close();
  f.Open();
  EXPECT_EQ(*f.sla->FireDue(f.clock.Now()), 0u);  // nothing fires twice
  EXPECT_EQ(f.Journal("sla_breached").size() + f.Journal("escalated").size(), steps);
}

TEST(SlaModelTest, HistoricalMqlsStartNoClocks) {
  Fixture f("history");
  PersonId p = f.AddPerson("old@acme.de", "DE");
  f.Post(p, "demo_request", f.clock.Now() - hours(24 * 200));
  EXPECT_EQ(f.leads->StandingOf(p, f.clock.Now()).stage, Stage::kMql);
  EXPECT_FALSE(f.sla->LeadOf(p).has_value());
  EXPECT_TRUE(f.Journal("assigned").empty());
}

TEST(SlaScorecardTest, TimesAreBusinessTimeInTheOwnersCalendar) {
  Fixture f("scorecard-hours");
  f.clock.Set(*ParseTimestamp("2026-03-06T15:30:00Z"));  // Friday 16:30 in Berlin
  PersonId p = f.NewMql("ada@acme.de");
  f.clock.Set(*ParseTimestamp("2026-03-09T08:30:00Z"));  // Monday 09:30 in Berlin
  ASSERT_TRUE(f.Act(p, {.kind = SalesActionKind::kAccept}, f.sla->LeadOf(p)->owner).ok());
  auto card = BuildScorecard(*f.store, *f.sla->ActiveDocument(), 1, *ParseScorePeriod("2026-03"),
                             f.clock.Now());
  ASSERT_TRUE(card.ok()) << card.status().ToString();
  // 65 hours on the clock, one of them in EMEA's business hours (16:30-17:00, 09:00-09:30).
  EXPECT_EQ(card->sales.to_accept.median, std::chrono::duration_cast<Duration>(hours(1)));
}

TEST(SlaScorecardTest, BothSidesCommitmentsAgainstWhatHappened) {
  Fixture f("scorecard");
  PersonId a = f.NewMql("ada@acme.de");
  PersonId b = f.NewMql("bea@acme.de");
  UserId owner_a = f.sla->LeadOf(a)->owner;
  f.clock.Advance(minutes(30));
  ASSERT_TRUE(f.Act(a, {.kind = SalesActionKind::kAccept}, owner_a).ok());
  for (int i = 0; i < 3; ++i) f.Attempt(a, owner_a, ContactChannel::kCall);
  for (int i = 0; i < 3; ++i) f.Attempt(a, owner_a, ContactChannel::kEmail);
  ASSERT_TRUE(f.Act(a, {.kind = SalesActionKind::kRecycle, .reason = "no_response"}, owner_a).ok());
  f.clock.Set(*ParseTimestamp("2026-03-02T10:00:00Z"));  // b's accept clock breaches
  ASSERT_TRUE(f.sla->FireDue(f.clock.Now()).ok());
  auto period = ParseScorePeriod("2026-03");
  ASSERT_TRUE(period.ok());
  auto card = BuildScorecard(*f.store, *f.sla->ActiveDocument(), 1, *period, f.clock.Now());
  ASSERT_TRUE(card.ok()) << card.status().ToString();
  EXPECT_EQ(card->marketing.mqls, 2);
  EXPECT_EQ(card->marketing.mql_target, 300);
  EXPECT_FALSE(card->marketing.volume_met);
  EXPECT_EQ(card->sales.assigned, 3);  // b was reassigned at twice its first-touch time
  EXPECT_EQ(card->sales.accepted, 1);
  EXPECT_EQ(card->sales.to_accept.median, std::chrono::duration_cast<Duration>(minutes(30)));
  EXPECT_EQ(card->sales.recycled, 1);
  EXPECT_EQ(card->recycle_reasons.at("no_response"), 1);
  EXPECT_DOUBLE_EQ(*card->sales.attempts_before_recycle, 6);
  EXPECT_GE(card->sales.breached, 1);
  ASSERT_FALSE(card->reps.empty());
  ASSERT_EQ(card->teams.size(), 2u);
  (void)b;
  // A period with no data answers with zeros.
  auto empty = BuildScorecard(*f.store, *f.sla->ActiveDocument(), 1,
                              *ParseScorePeriod("2025-01"), f.clock.Now());
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->marketing.mqls, 0);
  EXPECT_EQ(empty->sales.assigned, 0);
  EXPECT_FALSE(empty->sales.to_accept.median.has_value());
}

TEST(SlaScorecardTest, PeriodsAreMonthsOrQuarters) {
  auto q = ParseScorePeriod("2026-Q4");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->from, *ParseTimestamp("2026-10-01"));
  EXPECT_EQ(q->to, *ParseTimestamp("2027-01-01"));
  EXPECT_EQ(ParseScorePeriod("2026-11")->to, *ParseTimestamp("2026-12-01"));
  for (const char* bad : {"2026-13", "2026-Q5", "2026/11", "26-11", "2026-1", ""}) {
    EXPECT_EQ(ParseScorePeriod(bad).status().code(), Code::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace tandem::ingest
