// SmtpClient and e-mail delivery against a real SMTP server: aiosmtpd, started by
// tests/support/smtp_sink.py on an ephemeral loopback port.
#include "app/smtp_client.h"

#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "app/delivery.h"
#include "app/smtp_sink_fixture.h"

extern char** environ;

namespace tandem::app {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using test_support::Python;
using test_support::SmtpSink;

const Timestamp kNow = Timestamp(std::chrono::seconds(1767225600));  // 2026-01-01T00:00:00Z

// A self-signed certificate for "localhost" (cert.pem, key.pem in dir), for STARTTLS.
void WriteSelfSignedCertificate(const fs::path& dir) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert), 86400);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* san = X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name, "DNS:localhost");
  X509_add_ext(cert, san, -1);
  X509_EXTENSION_free(san);
  X509_sign(cert, key, EVP_sha256());
  FILE* f = std::fopen((dir / "cert.pem").c_str(), "w");
  PEM_write_X509(f, cert);
  std::fclose(f);
  f = std::fopen((dir / "key.pem").c_str(), "w");
  PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(f);
  X509_free(cert);
  EVP_PKEY_free(key);
}

SmtpConfig ConfigFor(int port) {
  SmtpConfig c;
  c.host = "127.0.0.1";
  c.port = port;
  c.from = "Tandem SLA <sla@tandem.example>";
  c.timeout = std::chrono::seconds(5);
  return c;
}

Mail SimpleMail() {
  return {.to = {"ana@example.com"},
          .subject = "SLA breach",
          .body = "Call Ana.\n",
          .message_id = "m1@tandem.example",
          .date = kNow};
}

class SmtpClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (Python().empty()) {
      GTEST_SKIP() << "python3 -m aiosmtpd is unavailable: run scripts/install-deps "
                      "(Debian package python3-aiosmtpd)";
    }
  }
};

TEST_F(SmtpClientTest, DeliversUtf8MailWithDotLinesToEveryRecipient) {
  SmtpSink sink;
  const std::string subject =
      "Überfällig: SLA-Verstoß für Ana Müller — erster Kontakt seit 26 h ausstehend ✉";
  const std::string body = "Hallo Team,\n.leading dot\n.\n..two dots\nGrüße, Tandem\n" +
                           std::string(120, 'x') + "\ntrailing space \n";
  Mail mail{.to = {"ana@example.com", "rep@example.com"},
            .subject = subject,
            .body = body,
            .message_id = "tandem-outbox-7@tandem.example",
            .date = kNow};
  ASSERT_TRUE(SmtpClient(ConfigFor(sink.port())).Send(mail).ok());
  auto messages = sink.Messages();
  ASSERT_EQ(messages.size(), 1u);
  const json& m = messages[0];
  EXPECT_EQ(m["mail_from"], "sla@tandem.example");
  EXPECT_EQ(m["rcpt_tos"], json::array({"ana@example.com", "rep@example.com"}));
  EXPECT_EQ(m["subject"], subject);
  EXPECT_EQ(m["from"], "Tandem SLA <sla@tandem.example>");
  EXPECT_EQ(m["to"], "ana@example.com, rep@example.com");
  EXPECT_EQ(m["date"], "Thu, 01 Jan 2026 00:00:00 +0000");
  EXPECT_EQ(m["message_id"], "<tandem-outbox-7@tandem.example>");
  EXPECT_EQ(m["content_type"], "text/plain");
  EXPECT_EQ(m["charset"], "utf-8");
  std::string received = m["body"];
  std::erase(received, '\r');
  EXPECT_EQ(received, body);
  std::string raw = m["raw"];
  EXPECT_NE(raw.find("Subject: =?UTF-8?B?"), std::string::npos);
  EXPECT_NE(raw.find("\r\n.leading dot\r\n.\r\n..two dots\r\n"), std::string::npos) << raw;
}

TEST_F(SmtpClientTest, RefusedRecipientIsPermanentAndNothingIsSent) {
  SmtpSink sink({"--reject-rcpt", "gone@example.com"});
  Mail mail = SimpleMail();
  mail.to = {"ana@example.com", "gone@example.com"};
  Status st = SmtpClient(ConfigFor(sink.port())).Send(mail);
  EXPECT_EQ(st.code(), Code::kFailedPrecondition);
  EXPECT_NE(st.message().find("550 5.1.1 <gone@example.com>: recipient unknown"), std::string::npos)
      << st.message();
  EXPECT_TRUE(sink.Messages().empty());
}

TEST_F(SmtpClientTest, TemporarilyRefusedRecipientIsRetryable) {
  SmtpSink sink({"--tempfail-rcpt", "ana@example.com"});
  Status st = SmtpClient(ConfigFor(sink.port())).Send(SimpleMail());
  EXPECT_EQ(st.code(), Code::kUnavailable);
  EXPECT_NE(st.message().find("451"), std::string::npos) << st.message();
}

TEST_F(SmtpClientTest, AuthPlainLogsInWhenAUserIsConfigured) {
  SmtpSink sink({"--auth", "tandem:s3cret"});
  SmtpConfig c = ConfigFor(sink.port());
  c.user = "tandem";
  c.password = "s3cret";
  ASSERT_TRUE(SmtpClient(c).Send(SimpleMail()).ok());
  EXPECT_EQ(sink.Messages().at(0)["login"], "tandem");
  c.password = "wrong";
  Status st = SmtpClient(c).Send(SimpleMail());
  EXPECT_EQ(st.code(), Code::kFailedPrecondition);
  EXPECT_NE(st.message().find("535"), std::string::npos) << st.message();
}

TEST_F(SmtpClientTest, AuthLoginIsUsedWhenPlainIsNotOffered) {
  SmtpSink sink({"--auth", "tandem:s3cret", "--no-plain"});
  SmtpConfig c = ConfigFor(sink.port());
  c.user = "tandem";
  c.password = "s3cret";
  Status st = SmtpClient(c).Send(SimpleMail());
  ASSERT_TRUE(st.ok()) << st.message();
  EXPECT_EQ(sink.Messages().at(0)["login"], "tandem");
}

TEST_F(SmtpClientTest, ServerWithoutEhloIsGreetedWithHelo) {
  SmtpSink sink({"--no-ehlo"});
  Status st = SmtpClient(ConfigFor(sink.port())).Send(SimpleMail());
  ASSERT_TRUE(st.ok()) << st.message();
  EXPECT_EQ(sink.Messages().size(), 1u);
}

TEST_F(SmtpClientTest, UserConfiguredButAuthNotOfferedIsPermanent) {
  SmtpSink sink;
  SmtpConfig c = ConfigFor(sink.port());
  c.user = "tandem";
  Status st = SmtpClient(c).Send(SimpleMail());
  EXPECT_EQ(st.code(), Code::kFailedPrecondition);
  EXPECT_NE(st.message().find("offers no AUTH PLAIN or LOGIN"), std::string::npos);
}

TEST_F(SmtpClientTest, StartTlsEncryptsBeforeLoggingIn) {
  fs::path certs = fs::temp_directory_path() / ("tandem-certs-" + std::to_string(::getpid()));
  fs::create_directories(certs);
  WriteSelfSignedCertificate(certs);
  SmtpSink sink({"--auth", "tandem:s3cret", "--tls", (certs / "cert.pem").string(),
                 (certs / "key.pem").string()});
  SmtpConfig c = ConfigFor(sink.port());
  c.host = "localhost";
  c.user = "tandem";
  c.password = "s3cret";
  c.starttls = true;
  c.ca_file = (certs / "cert.pem").string();
  Status st = SmtpClient(c).Send(SimpleMail());
  ASSERT_TRUE(st.ok()) << st.message();
  EXPECT_EQ(sink.Messages().at(0)["tls"], true);
  EXPECT_EQ(sink.Messages().at(0)["login"], "tandem");

  c.ca_file.clear();  // the system's roots do not know this certificate
  st = SmtpClient(c).Send(SimpleMail());
  EXPECT_EQ(st.code(), Code::kUnavailable);
  EXPECT_NE(st.message().find("TLS handshake"), std::string::npos) << st.message();
  fs::remove_all(certs);
}

TEST_F(SmtpClientTest, StartTlsConfiguredButNotOfferedIsPermanent) {
  SmtpSink sink;
  SmtpConfig c = ConfigFor(sink.port());
  c.starttls = true;
  Status st = SmtpClient(c).Send(SimpleMail());
  EXPECT_EQ(st.code(), Code::kFailedPrecondition);
  EXPECT_NE(st.message().find("does not offer STARTTLS"), std::string::npos);
  EXPECT_TRUE(sink.Messages().empty());
}

TEST(SmtpClientNetworkTest, ConnectionRefusedIsUnavailable) {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::acceptor closed(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
  int port = closed.local_endpoint().port();
  closed.close();
  Status st = SmtpClient(ConfigFor(port)).Send(SimpleMail());
  EXPECT_EQ(st.code(), Code::kUnavailable);
  EXPECT_NE(st.message().find("cannot connect"), std::string::npos) << st.message();
}

TEST(SmtpClientNetworkTest, SilentServerTimesOut) {
  boost::asio::io_context ioc;  // listens, never answers: the kernel completes the handshake
  boost::asio::ip::tcp::acceptor silent(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
  SmtpConfig c = ConfigFor(silent.local_endpoint().port());
  c.timeout = std::chrono::seconds(1);
  Status st = SmtpClient(c).Send(SimpleMail());
  EXPECT_EQ(st.code(), Code::kUnavailable);
  EXPECT_NE(st.message().find("timed out"), std::string::npos) << st.message();
}

TEST(SmtpClientNetworkTest, HeaderInjectionIsRefusedBeforeConnecting) {
  SmtpClient client(ConfigFor(1));
  Mail mail = SimpleMail();
  mail.subject = "Breach\r\nBcc: everyone@example.com";
  EXPECT_EQ(client.Send(mail).code(), Code::kInvalidArgument);
  mail = SimpleMail();
  mail.to = {"ana@example.com>\r\nRCPT TO:<spy@example.com"};
  EXPECT_EQ(client.Send(mail).code(), Code::kInvalidArgument);
  mail.to = {};
  EXPECT_EQ(client.Send(mail).code(), Code::kInvalidArgument);
  mail = SimpleMail();
  mail.message_id = "m1@x>\r\nBcc: spy@example.com";
  EXPECT_EQ(client.Send(mail).code(), Code::kInvalidArgument);
}

// The outbox as a list that records each outcome as text.
class RecordingQueue : public OutboxQueue {
 public:
  std::vector<OutboxMessage> due;
  std::map<int64_t, std::string> outcome;
  std::vector<OutboxMessage> Due(Timestamp, size_t) override { return std::move(due); }
  Status MarkDelivered(int64_t id, Timestamp) override { return Set(id, "delivered"); }
  Status MarkRetry(int64_t id, std::string e, Timestamp) override { return Set(id, "retry " + e); }
  Status MarkFailed(int64_t id, std::string e) override { return Set(id, "failed " + e); }

 private:
  Status Set(int64_t id, std::string text) {
    outcome[id] = std::move(text);
    return Status::Ok();
  }
};

TEST_F(SmtpClientTest, DelivererSendsOutboxEmailAndFailsRefusedRecipients) {
  SmtpSink sink({"--reject-rcpt", "gone@example.com"});
  Config config;
  config.smtp = ConfigFor(sink.port());
  RecordingQueue queue;
  using Channel = OutboxMessage::Channel;
  queue.due = {{.id = 1,
                .channel = Channel::kEmail,
                .target = "ana@example.com; rep@example.com",
                .event = "sla_breached",
                .subject = "Überfällig",
                .body = "Call Ana."},
               {.id = 2,
                .channel = Channel::kEmail,
                .target = "gone@example.com",
                .event = "sla_breached",
                .subject = "Breach",
                .body = "Call Bo."}};
  FakeClock clock(kNow);
  EXPECT_EQ(Deliverer(config, queue, clock).RunOnce(kNow), 2);
  EXPECT_EQ(queue.outcome[1], "delivered");
  EXPECT_EQ(queue.outcome[2].rfind("failed SMTP server refused recipient gone@example.com", 0), 0u)
      << queue.outcome[2];
  auto messages = sink.Messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0]["rcpt_tos"], json::array({"ana@example.com", "rep@example.com"}));
  EXPECT_EQ(messages[0]["subject"], "Überfällig");
  EXPECT_EQ(messages[0]["message_id"], "<tandem-outbox-1@tandem.example>");
}

}  // namespace
}  // namespace tandem::app
