// The SLA escalation ladder end to end, as `tandem serve` wires it: an MQL's accept clock runs
// late under a fake clock, the SlaScheduler journals each step with its outbox messages, and the
// DeliveryLoop sends them over the store's outbox to a real SMTP server
// (tests/support/smtp_sink.py, aiosmtpd, on an ephemeral loopback port) and to a webhook
// receiver that checks the Tandem-Signature; the test reads what arrived.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "api/webhook_signature.h"
#include "app/delivery_loop.h"
#include "app/smtp_sink_fixture.h"
#include "app/webhook_receiver_fixture.h"
#include "app/sla_scheduler.h"
#include "ingest/activities.h"
#include "ingest/default_policy.h"
#include "ingest/default_sla.h"
#include "ingest/lead_model.h"
#include "ingest/records.h"
#include "ingest/sla_model.h"
#include "store/outbox.h"
#include "store/users.h"

extern char** environ;

namespace tandem::app {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Monday 2 March 2026, 09:00 in Berlin. The default SLA's hand-raiser must be accepted within
// 2 business hours: due 11:00 Berlin (10:00Z), the owner reminded half-way (09:00Z).
const Timestamp kMonday9 = *ParseTimestamp("2026-03-02T08:00:00Z");
const Timestamp kHalfWay = *ParseTimestamp("2026-03-02T09:00:00Z");
const Timestamp kAcceptDue = *ParseTimestamp("2026-03-02T10:00:00Z");
constexpr const char* kSecret = "whsec_sales_alerts";
constexpr const char* kOwner = "jonas.weber@tandem.demo";
constexpr const char* kManager = "katrin.vogel@tandem.demo";

using test_support::Python;
using test_support::SmtpSink;

using HookReceiver = test_support::Receiver;

// A store with Sales EMEA (a manager and one rep, so routing is certain), the lead and SLA
// models over it, and tandem.toml's [smtp] and [webhooks.sales-alerts] pointing at the sink
// and the receiver.
class EscalationDeliveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (Python().empty()) {
      GTEST_SKIP() << "python3 -m aiosmtpd is unavailable: run scripts/install-deps "
                      "(Debian package python3-aiosmtpd)";
    }
    dir_ = fs::temp_directory_path() / ("tandem-escalation-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    store_ = std::move(*store::Store::Open((dir_ / "t.db").string(), clock_));
    ASSERT_NO_FATAL_FAILURE(Organise());
    leads_ = std::move(*ingest::LeadModel::Open(*store_, ingest::EmbeddedDefaultPolicy()));
    auto sla = ingest::SlaModel::Open(*store_, ingest::EmbeddedDefaultSla(), {});
    ASSERT_TRUE(sla.ok()) << sla.status().ToString();
    sla_ = std::move(*sla);
    sink_ = std::make_unique<SmtpSink>();
    ASSERT_GT(sink_->port(), 0);
    config_.smtp = SmtpConfig{.host = "127.0.0.1",
                              .port = sink_->port(),
                              .from = "Tandem SLA <sla@tandem.example>",
                              .timeout = std::chrono::seconds(5)};
    config_.webhooks["sales-alerts"] = {
        .url = hooks_.url(), .secret = kSecret, .timeout = std::chrono::seconds(5)};
  }
  void TearDown() override {
    sla_.reset();
    leads_.reset();
    store_.reset();
    sink_.reset();
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  void Organise() {
    Team emea{.name = "Sales EMEA", .time_zone = "Europe/Berlin"};
    Team americas{.name = "Sales Americas", .time_zone = "America/New_York"};  // routing names it
    User manager{.email = kManager, .name = "Katrin Vogel", .role = Role::kSalesManager};
    User rep{.email = kOwner, .name = "Jonas Weber", .role = Role::kSalesRep};
    ASSERT_TRUE(store_
                    ->Write([&](store::WriteTxn& t) {
                      TANDEM_RETURN_IF_ERROR(store::InsertTeam(t, emea));
                      TANDEM_RETURN_IF_ERROR(store::InsertTeam(t, americas));
                      manager.team = rep.team = emea.id;
                      TANDEM_RETURN_IF_ERROR(store::InsertUser(t, manager));
                      TANDEM_RETURN_IF_ERROR(store::InsertUser(t, rep));
                      return store::SetTeamManager(t, emea.id, manager.id);
                    })
                    .ok());
    rep_ = rep.id;
  }

  // Ada Lovelace of Berlin asks for a demo now, which makes her an MQL routed to the rep, who
  // logs a call at once: first touch is met, so only the accept clock's ladder runs (first
  // touch's would reassign the lead at 10:00Z, the accept clock's breach).
  PersonId NewMqlTouchedNotAccepted() {
    PersonId id;
    EXPECT_TRUE(store_
                    ->Write([&](store::WriteTxn& t) {
                      auto r =
                          ingest::CreatePerson(t,
                                               {.first_name = "Ada",
                                                .last_name = "Lovelace",
                                                .country = "DE",
                                                .emails = std::vector<std::string>{"ada@acme.de"}},
                                               {});
                      if (r.ok()) id = r->person.id;
                      return r.status();
                    })
                    .ok());
    Activity a{.client_id = "demo-1",
               .type = "demo_request",
               .person = {.person_id = id},
               .occurred_at = clock_.Now()};
    auto stored = ingest::StoreActivities(*store_, {{.index = 0, .activity = a}}, {}, {});
    EXPECT_TRUE(stored.ok() && stored->accepted == 1) << stored.status().ToString();
    auto call = sla_->Act(id, {.kind = SalesActionKind::kAttempt, .channel = ContactChannel::kCall},
                          User{.id = rep_, .role = Role::kSalesRep});
    EXPECT_TRUE(call.ok()) << call.status().ToString();
    auto lead = sla_->LeadOf(id);
    EXPECT_TRUE(lead && lead->owner == rep_) << "Ada was not routed to the rep";
    return id;
  }

  // The server starting at `at`: its scheduler fires every step already due, then stops.
  void FireDueAt(Timestamp at) {
    clock_.Set(at);
    std::vector<std::string> errors;
    SlaScheduler scheduler(*sla_, clock_, [&](const std::string& e) { errors.push_back(e); });
    scheduler.Start();
    scheduler.Stop();
    EXPECT_TRUE(errors.empty()) << errors.front();
  }

  // One pass of the delivery loop: it sends before it first checks for Stop.
  void DeliverOnce() {
    DeliveryLoop loop(*store_, config_, clock_);
    loop.Start();
    loop.Stop();
  }

  std::vector<store::OutboxRecord> Outbox() {
    std::vector<store::OutboxRecord> out;
    (void)store_->Read([&](sql::Db& db) {
      out = store::ListOutbox(db, 0, 1000);
      return Status::Ok();
    });
    return out;
  }

  static std::string Text(const json& mail) {
    std::string body = mail["body"];
    std::erase(body, '\r');
    return body;
  }

  FakeClock clock_{kMonday9};
  fs::path dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<ingest::LeadModel> leads_;
  std::unique_ptr<ingest::SlaModel> sla_;
  UserId rep_;
  std::unique_ptr<SmtpSink> sink_;
  HookReceiver hooks_{kAcceptDue, kSecret};  // the breach webhook is signed at kAcceptDue
  Config config_;
};

TEST_F(EscalationDeliveryTest, HalfTheAcceptTimeRemindsTheOwnerByEmail) {
  PersonId p = NewMqlTouchedNotAccepted();
  FireDueAt(kHalfWay);
  auto outbox = Outbox();
  ASSERT_EQ(outbox.size(), 1u);
  EXPECT_EQ(outbox[0].status, "pending");  // decided, not yet sent

  DeliverOnce();
  auto mails = sink_->Messages();
  ASSERT_EQ(mails.size(), 1u);
  const json& m = mails[0];
  const std::string lead = "lead #" + std::to_string(p.value());
  EXPECT_EQ(m["rcpt_tos"], json::array({kOwner}));
  EXPECT_EQ(m["to"], kOwner);
  EXPECT_EQ(m["subject"],
            "SLA reminder: accept for " + lead + " (Ada Lovelace), due 2026-03-02T10:00:00Z");
  EXPECT_EQ(m["date"], "Mon, 02 Mar 2026 09:00:00 +0000");
  EXPECT_EQ(m["message_id"], "<tandem-outbox-" + std::to_string(outbox[0].id) + "@tandem.example>");
  const std::string body = Text(m);
  EXPECT_EQ(body.rfind("Hello Jonas Weber,\n", 0), 0u) << body;
  EXPECT_NE(body.find("The SLA clock \"accept\" for " + lead +
                      " (Ada Lovelace <ada@acme.de>) is running"),
            std::string::npos)
      << body;
  EXPECT_NE(body.find("Owner: Jonas Weber <jonas.weber@tandem.demo>\n"), std::string::npos);
  EXPECT_NE(body.find("(remind_owner)"), std::string::npos) << body;

  outbox = Outbox();
  EXPECT_EQ(outbox[0].status, "delivered");
  EXPECT_EQ(outbox[0].delivered_at, kHalfWay);
  EXPECT_EQ(outbox[0].attempts, 0);
}

TEST_F(EscalationDeliveryTest, BreachAlertsTheManagerByEmailAndSignedWebhookExactlyOnce) {
  PersonId p = NewMqlTouchedNotAccepted();
  FireDueAt(kHalfWay);
  DeliverOnce();  // the owner's reminder
  FireDueAt(kAcceptDue);
  auto outbox = Outbox();
  ASSERT_EQ(outbox.size(), 3u);
  const auto& mail_row = outbox[1];
  const auto& hook_row = outbox[2];
  EXPECT_EQ(mail_row.channel, "email");
  EXPECT_EQ(mail_row.target, kManager);
  EXPECT_EQ(mail_row.event, "sla_breached");
  EXPECT_EQ(hook_row.channel, "webhook");
  EXPECT_EQ(hook_row.target, "sales-alerts");
  EXPECT_EQ(hook_row.seq, mail_row.seq);  // one journaled breach, told two ways

  DeliverOnce();
  auto mails = sink_->Messages();
  ASSERT_EQ(mails.size(), 2u);  // the reminder was not sent again
  const json& m = mails[1];
  const std::string lead = "lead #" + std::to_string(p.value());
  EXPECT_EQ(m["rcpt_tos"], json::array({kManager}));
  EXPECT_EQ(m["subject"],
            "SLA breached: accept for " + lead + " (Ada Lovelace), due 2026-03-02T10:00:00Z");
  const std::string body = Text(m);
  EXPECT_EQ(body.rfind("Hello Katrin Vogel,\n", 0), 0u) << body;
  EXPECT_NE(body.find("The SLA clock \"accept\" for " + lead +
                      " (Ada Lovelace <ada@acme.de>) is past due: it started "
                      "2026-03-02T08:00:00Z and is due 2026-03-02T10:00:00Z."),
            std::string::npos)
      << body;
  EXPECT_NE(body.find("Owner: Jonas Weber <jonas.weber@tandem.demo>\n"), std::string::npos);
  EXPECT_NE(body.find("Step: breach (alert_manager)"), std::string::npos) << body;

  auto hooks = hooks_.seen();
  ASSERT_EQ(hooks.size(), 1u);
  EXPECT_TRUE(hooks[0].signature.ok()) << hooks[0].signature.message();
  EXPECT_EQ(hooks[0].event, "sla_breached");
  EXPECT_EQ(hooks[0].delivery, std::to_string(hook_row.id));
  json alert = json::parse(hooks[0].body);
  EXPECT_EQ(alert["person"], p.value());
  EXPECT_EQ(alert["clock"], "accept");
  EXPECT_EQ(alert["action"], "alert_manager");
  EXPECT_EQ(alert["due"], "2026-03-02T10:00:00Z");
  EXPECT_EQ(alert["owner"]["email"], kOwner);

  for (const auto& row : Outbox()) {
    EXPECT_EQ(row.status, "delivered") << row.id << ": " << row.last_error;
  }
  clock_.Set(kAcceptDue + std::chrono::hours(1));  // past any retry the loop could schedule
  DeliverOnce();
  EXPECT_EQ(sink_->Messages().size(), 2u);
  EXPECT_EQ(hooks_.seen().size(), 1u);
}

}  // namespace
}  // namespace tandem::app
