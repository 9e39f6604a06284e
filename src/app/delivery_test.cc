// Deliverer and WebhookSender against a real HTTP receiver (Boost.Beast on an ephemeral
// loopback port, verifying signatures with VerifyWebhook), with an in-memory outbox.
#include "app/delivery.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <boost/asio/ip/tcp.hpp>
#include <filesystem>
#include <fstream>

#include "api/webhook_signature.h"
#include "app/webhook_receiver_fixture.h"

namespace tandem::app {
namespace {

using boost::asio::ip::tcp;
using std::chrono::minutes;
using std::chrono::seconds;
using Channel = OutboxMessage::Channel;

const Timestamp kNow = Timestamp(seconds(1767225600));  // 2026-01-01T00:00:00Z
constexpr const char* kSecret = "whsec_crm";

// An outbox in memory, with the semantics OutboxQueue documents.
class FakeQueue : public OutboxQueue {
 public:
  struct Entry {
    OutboxMessage message;
    std::string state = "pending", error;
  };
  void Add(OutboxMessage m) { entries[m.id].message = std::move(m); }
  std::vector<OutboxMessage> Due(Timestamp now, size_t limit) override {
    std::vector<OutboxMessage> out;
    for (auto& [id, e] : entries) {
      if (e.state == "pending" && e.message.next_attempt_at <= now && out.size() < limit) {
        out.push_back(e.message);
      }
    }
    return out;
  }
  Status MarkDelivered(int64_t id, Timestamp) override { return Set(id, "delivered", ""); }
  Status MarkRetry(int64_t id, std::string error, Timestamp next) override {
    entries[id].message.attempts++;
    entries[id].message.next_attempt_at = next;
    return Set(id, "pending", std::move(error));
  }
  Status MarkFailed(int64_t id, std::string error) override {
    return Set(id, "failed", std::move(error));
  }
  std::map<int64_t, Entry> entries;

 private:
  Status Set(int64_t id, std::string state, std::string error) {
    entries[id].state = std::move(state);
    entries[id].error = std::move(error);
    return Status::Ok();
  }
};

using test_support::Receiver;

Config WebhookConfigFor(const std::string& url) {
  Config c;
  c.webhooks["crm"] = {.url = url, .secret = kSecret, .timeout = seconds(2)};
  return c;
}

OutboxMessage Breach(int64_t id, int attempts = 0) {
  return {.id = id,
          .channel = Channel::kWebhook,
          .target = "crm",
          .event = "sla_breached",
          .body = R"({"person_id":42,"sla":"first_touch"})",
          .attempts = attempts,
          .next_attempt_at = kNow};
}

struct Fixture {
  explicit Fixture(const std::string& url) : deliverer(WebhookConfigFor(url), queue, clock) {}
  FakeQueue queue;
  FakeClock clock{kNow};
  Deliverer deliverer;
};

TEST(WebhookDeliveryTest, SignedWebhookIsDeliveredWithEventAndDeliveryId) {
  Receiver receiver(kNow, kSecret, {});
  Fixture f(receiver.url());
  f.queue.Add(Breach(7));
  EXPECT_EQ(f.deliverer.RunOnce(kNow), 1);
  EXPECT_EQ(f.queue.entries[7].state, "delivered");
  auto seen = receiver.seen();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_TRUE(seen[0].signature.ok()) << seen[0].signature.message();
  EXPECT_EQ(seen[0].event, "sla_breached");
  EXPECT_EQ(seen[0].delivery, "7");
  EXPECT_EQ(seen[0].content_type, "application/json");
  EXPECT_EQ(seen[0].body, R"({"person_id":42,"sla":"first_touch"})");
  EXPECT_EQ(f.deliverer.RunOnce(kNow + minutes(5)), 0);  // delivered once only
}

TEST(WebhookDeliveryTest, ServerErrorIsRetriedAfterThirtySecondsWithTheSameDeliveryId) {
  Receiver receiver(kNow, kSecret, {{500}, {200}});
  Fixture f(receiver.url());
  f.queue.Add(Breach(8));
  EXPECT_EQ(f.deliverer.RunOnce(kNow), 1);
  const auto& e = f.queue.entries[8];
  EXPECT_EQ(e.state, "pending");
  EXPECT_EQ(e.message.attempts, 1);
  EXPECT_EQ(e.message.next_attempt_at, kNow + seconds(30));
  EXPECT_EQ(e.error, "webhook receiver answered 500: answer 500");
  EXPECT_EQ(f.deliverer.RunOnce(kNow + seconds(29)), 0);
  EXPECT_EQ(f.deliverer.RunOnce(kNow + seconds(30)), 1);
  EXPECT_EQ(e.state, "delivered");
  auto seen = receiver.seen();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].delivery, seen[1].delivery);
}

TEST(WebhookDeliveryTest, TooManyRequestsWaitsForRetryAfter) {
  Receiver receiver(kNow, kSecret, {{429, "120"}});
  Fixture f(receiver.url());
  f.queue.Add(Breach(9));
  f.deliverer.RunOnce(kNow);
  EXPECT_EQ(f.queue.entries[9].state, "pending");
  EXPECT_EQ(f.queue.entries[9].message.next_attempt_at, kNow + seconds(120));
}

TEST(WebhookDeliveryTest, ClientErrorIsAPermanentFailure) {
  Receiver receiver(kNow, kSecret, {{400}});
  Fixture f(receiver.url());
  f.queue.Add(Breach(10));
  f.deliverer.RunOnce(kNow);
  EXPECT_EQ(f.queue.entries[10].state, "failed");
  EXPECT_EQ(f.queue.entries[10].error, "webhook receiver answered 400: answer 400");
}

TEST(WebhookDeliveryTest, ReceiverRejectsASignatureOlderThanFiveMinutes) {
  Receiver receiver(kNow + minutes(6), kSecret, {});  // its clock is ahead of the sender's
  Fixture f(receiver.url());
  f.queue.Add(Breach(11));
  f.deliverer.RunOnce(kNow);
  EXPECT_EQ(f.queue.entries[11].state, "failed");
  EXPECT_EQ(f.queue.entries[11].error,
            "webhook receiver answered 401: stale signature: signed 360 s ago, tolerance 300 s");
}

int ClosedPort() {
  boost::asio::io_context ioc;
  tcp::acceptor a(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return a.local_endpoint().port();  // closed when a goes
}

TEST(WebhookDeliveryTest, UnreachableReceiverIsRetriedWithBackoffThenFailed) {
  Fixture f("http://127.0.0.1:" + std::to_string(ClosedPort()) + "/hooks");
  f.queue.Add(Breach(12, 3));
  f.queue.Add(Breach(13, 19));
  EXPECT_EQ(f.deliverer.RunOnce(kNow), 2);
  EXPECT_EQ(f.queue.entries[12].state, "pending");
  EXPECT_EQ(f.queue.entries[12].message.next_attempt_at, kNow + minutes(4));
  EXPECT_NE(f.queue.entries[12].error.find("cannot connect"), std::string::npos);
  EXPECT_EQ(f.queue.entries[13].state, "failed");
  EXPECT_EQ(f.queue.entries[13].error.rfind("gave up after 20 attempts; last error: ", 0), 0u);
}

TEST(WebhookDeliveryTest, SilentReceiverTimesOutAndIsRetried) {
  boost::asio::io_context ioc;  // listens, never answers
  tcp::acceptor silent(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
  Config c = WebhookConfigFor("http://127.0.0.1:" + std::to_string(silent.local_endpoint().port()));
  c.webhooks["crm"].timeout = seconds(1);
  FakeQueue queue;
  FakeClock clock(kNow);
  queue.Add(Breach(14));
  Deliverer(c, queue, clock).RunOnce(kNow);
  EXPECT_EQ(queue.entries[14].state, "pending");
  EXPECT_NE(queue.entries[14].error.find("timed out"), std::string::npos)
      << queue.entries[14].error;
}

TEST(WebhookDeliveryTest, HttpsReceiverWhoseHandshakeFailsIsRetried) {
  Receiver plain(kNow, kSecret, {});  // speaks plain HTTP only
  std::string url = plain.url();
  Fixture f("https://" + url.substr(url.find("://") + 3));
  f.queue.Add(Breach(15));
  f.deliverer.RunOnce(kNow);
  EXPECT_EQ(f.queue.entries[15].state, "pending");
  EXPECT_NE(f.queue.entries[15].error.find("TLS handshake"), std::string::npos);
}

TEST(DelivererTest, ChannelsTandemTomlDoesNotConfigureFailAtOnce) {
  FakeQueue queue;
  FakeClock clock(kNow);
  OutboxMessage mail = Breach(1), hook = Breach(2);
  mail.channel = Channel::kEmail;
  mail.target = "ana@example.com";
  hook.target = "erp";
  queue.Add(mail);
  queue.Add(hook);
  Deliverer(WebhookConfigFor("http://127.0.0.1:1/"), queue, clock).RunOnce(kNow);
  EXPECT_EQ(queue.entries[1].state, "failed");
  EXPECT_EQ(queue.entries[1].error, "e-mail is not configured: tandem.toml has no [smtp]");
  EXPECT_EQ(queue.entries[2].state, "failed");
  EXPECT_EQ(queue.entries[2].error, "no webhook \"erp\": tandem.toml has no [webhooks.erp]");
}

TEST(DelivererTest, RetryDelayDoublesFromThirtySecondsUpToAnHour) {
  DeliveryOptions o;
  EXPECT_EQ(RetryDelay(1, o), seconds(30));
  EXPECT_EQ(RetryDelay(2, o), minutes(1));
  EXPECT_EQ(RetryDelay(3, o), minutes(2));
  EXPECT_EQ(RetryDelay(7, o), minutes(32));
  EXPECT_EQ(RetryDelay(8, o), minutes(60));
  EXPECT_EQ(RetryDelay(19, o), minutes(60));
  EXPECT_EQ(RetryDelay(1000, o), minutes(60));
}

TEST(DelivererTest, AQueueThatCannotRecordIsLogged) {
  struct BrokenQueue : FakeQueue {
    Status MarkFailed(int64_t, std::string) override { return Internal("disk full"); }
  } queue;
  FakeClock clock(kNow);
  std::vector<std::string> log;
  queue.Add(Breach(3));
  Deliverer(Config{}, queue, clock, {.log = [&](const std::string& l) { log.push_back(l); }})
      .RunOnce(kNow);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0], "cannot record the outcome of message 3: disk full");
}

// tandem.toml's [smtp] and [webhooks.NAME].
class DeliveryConfigTest : public ::testing::Test {
 protected:
  Result<Config> Load(const std::string& text) {
    std::ofstream(path_) << text;
    return LoadConfig(path_);
  }
  void TearDown() override { std::filesystem::remove(path_); }
  std::string path_ = (std::filesystem::temp_directory_path() /
                       ("tandem-delivery-" + std::to_string(::getpid()) + ".toml"))
                          .string();
};

TEST_F(DeliveryConfigTest, ReadsSmtpAndWebhooks) {
  ::unsetenv("TANDEM_SMTP_PASSWORD");
  ::setenv("TANDEM_WEBHOOK_SALES_CRM_SECRET", "from-env", 1);
  auto c = Load(R"([smtp]
host = "mail.example.com"
port = 587
from = "Tandem <sla@example.com>"
user = "tandem"
password = "pw"
starttls = true
timeout_seconds = 20
[webhooks.crm]
url = "https://crm.example.com/hooks"
secret = "s1"
[webhooks.sales-crm]
url = "http://10.0.0.5:8080/in"
)");
  ::unsetenv("TANDEM_WEBHOOK_SALES_CRM_SECRET");
  ASSERT_TRUE(c.ok()) << c.status().message();
  ASSERT_TRUE(c->smtp.has_value());
  EXPECT_EQ(c->smtp->host, "mail.example.com");
  EXPECT_EQ(c->smtp->port, 587);
  EXPECT_EQ(c->smtp->from, "Tandem <sla@example.com>");
  EXPECT_EQ(c->smtp->password, "pw");
  EXPECT_TRUE(c->smtp->starttls);
  EXPECT_EQ(c->smtp->timeout, seconds(20));
  EXPECT_EQ(c->webhooks.at("crm").secret, "s1");
  EXPECT_EQ(c->webhooks.at("sales-crm").secret, "from-env");
  EXPECT_FALSE(Load("[server]\nthreads = 2\n")->smtp.has_value());
}

TEST_F(DeliveryConfigTest, SmtpPasswordMayComeFromTheEnvironment) {
  ::setenv("TANDEM_SMTP_PASSWORD", "env-pw", 1);
  auto c = Load("[smtp]\nhost = \"h\"\nfrom = \"a@b.c\"\npassword = \"file-pw\"\n");
  ::unsetenv("TANDEM_SMTP_PASSWORD");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->smtp->password, "env-pw");
  EXPECT_EQ(c->smtp->port, 25);
}

TEST_F(DeliveryConfigTest, MistakesNameTheLineAndKey) {
  struct Case {
    std::string text, message;
  } cases[] = {
      {"[smtp]\nhost = \"h\"\nfrom = \"a@b.c\"\nport = \"25\"\n",
       "tandem.toml line 4: smtp.port has the wrong type"},
      {"\n[smtp]\nfrom = \"a@b.c\"\n", "tandem.toml line 2: smtp.host is missing"},
      {"[smtp]\nhost = \"h\"\n", "tandem.toml line 1: smtp.from is missing"},
      {"[smtp]\nhost = \"h\"\nfrom = \"a@b.c\"\nport = 70000\n",
       "tandem.toml line 1: smtp.port is 1-65535"},
      {"[smtp]\nhost = \"h\"\nfrom = \"a@b.c\"\ntimeout_seconds = 0\n",
       "tandem.toml line 1: smtp.timeout_seconds is 1-600"},
      {"[webhooks.crm]\nurl = \"ftp://x\"\nsecret = \"s\"\n",
       "tandem.toml line 1: webhooks.crm.url must start with http:// or https://"},
      {"[webhooks.crm]\nurl = \"http://x\"\n",
       "tandem.toml line 1: webhooks.crm.secret is missing (or set TANDEM_WEBHOOK_CRM_SECRET)"},
      {"[webhooks.crm]\nurl = \"http://x\"\nsecret = 5\n",
       "tandem.toml line 3: webhooks.crm.secret has the wrong type"},
      {"webhooks = 1\n", "tandem.toml line 1: webhooks must be tables [webhooks.NAME]"},
  };
  for (const auto& c : cases) {
    auto loaded = Load(c.text);
    ASSERT_FALSE(loaded.ok()) << c.text;
    EXPECT_EQ(loaded.status().code(), Code::kInvalidArgument);
    EXPECT_EQ(loaded.status().message(), c.message) << c.text;
  }
}

}  // namespace
}  // namespace tandem::app
