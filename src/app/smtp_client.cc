#include "app/smtp_client.h"

#include <openssl/evp.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/host_name.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <cctype>
#include <cstdio>
#include <memory>
#include <utility>  // before Asio on GCC 12

namespace tandem::app {
namespace {

namespace asio = boost::asio;
using boost::system::error_code;
using tcp = asio::ip::tcp;

constexpr size_t kMaxReplyBytes = 64 << 10;

std::string Base64(std::string_view in) {
  std::string out(4 * ((in.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(in.data()),
                          static_cast<int>(in.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

bool IsAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
}

// RFC 2047 encoded words of at most 42 bytes each (a header line stays under 78 characters),
// split between UTF-8 characters, folded onto continuation lines.
std::string EncodeWords(std::string_view text) {
  if (IsAscii(text) && text.size() <= 60 && text.find("=?") == std::string_view::npos) {
    return std::string(text);
  }
  std::string out;
  while (!text.empty()) {
    size_t n = std::min<size_t>(42, text.size());
    while (n < text.size() && n > 1 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + Base64(text.substr(0, n)) + "?=";
    text.remove_prefix(n);
  }
  return out;
}

// Quoted-printable (RFC 2045) with CRLF line breaks and soft breaks before 76 characters.
std::string QuotedPrintable(std::string_view text) {
  std::string out;
  size_t column = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      out += "\r\n";
      column = 0;
      continue;
    }
    bool at_end = i + 1 == text.size() || text[i + 1] == '\r' || text[i + 1] == '\n';
    bool literal = (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !at_end);
    char token[4] = {static_cast<char>(c)};
    size_t len = literal ? 1 : std::snprintf(token, sizeof token, "=%02X", c);
    if (column + len > 75) {
      out += "=\r\n";
      column = 0;
    }
    out.append(token, len);
    column += len;
  }
  return out;
}

// SMTP transparency (RFC 5321 4.5.2): a line starting with '.' gets another '.'.
std::string DotStuff(std::string_view message) {
  std::string out;
  bool line_start = true;
  for (char c : message) {
    if (line_start && c == '.') out += '.';
    out += c;
    line_start = c == '\n';
  }
  return out;
}

std::string RfcDate(Timestamp t) {
  using namespace std::chrono;
  auto day = floor<days>(t);
  year_month_day ymd(day);
  hh_mm_ss hms(floor<seconds>(t - day));
  const char* kDays = "SunMonTueWedThuFriSat";
  const char* kMonths = "JanFebMarAprMayJunJulAugSepOctNovDec";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3s, %02u %.3s %d %02d:%02d:%02d +0000",
                kDays + 3 * weekday(day).c_encoding(), unsigned(ymd.day()),
                kMonths + 3 * (unsigned(ymd.month()) - 1), int(ymd.year()),
                int(hms.hours().count()), int(hms.minutes().count()), int(hms.seconds().count()));
  return buf;
}

std::string FromHeader(const std::string& from) {
  auto lt = from.find('<');
  if (lt == std::string::npos) return from;
  std::string name = from.substr(0, lt);
  while (!name.empty() && name.back() == ' ') name.pop_back();
  if (name.empty()) return "<" + BareAddress(from) + ">";
  if (!IsAscii(name)) return EncodeWords(name) + " <" + BareAddress(from) + ">";
  std::string quoted = "\"";
  for (char c : name) quoted += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
  return quoted + "\" <" + BareAddress(from) + ">";
}

std::string BuildMessage(const std::string& from, const Mail& mail) {
  std::string to;
  for (const auto& r : mail.to) to += (to.empty() ? "" : ", ") + r;
  std::string m = "From: " + FromHeader(from) + "\r\nTo: " + to +
                  "\r\nSubject: " + EncodeWords(mail.subject) + "\r\nDate: " + RfcDate(mail.date) +
                  "\r\nMessage-ID: <" + mail.message_id +
                  ">\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8"
                  "\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n";
  m += QuotedPrintable(mail.body);
  if (m.size() < 2 || m.compare(m.size() - 2, 2, "\r\n") != 0) m += "\r\n";
  return DotStuff(m);
}

Status CheckAddress(const std::string& a) {
  bool bad = a.empty() || a.find('@') == std::string::npos ||
             a.find_first_of(std::string("\r\n<> \t\0", 7)) != std::string::npos;
  if (bad) return InvalidArgument("not a plain address: \"" + a + "\"");
  return Status::Ok();
}

Status CheckMail(const Mail& mail, const std::string& from) {
  if (mail.to.empty()) return InvalidArgument("an e-mail needs at least one recipient");
  for (const auto& r : mail.to) TANDEM_RETURN_IF_ERROR(CheckAddress(r));
  TANDEM_RETURN_IF_ERROR(CheckAddress(BareAddress(from)));
  TANDEM_RETURN_IF_ERROR(CheckAddress(mail.message_id));
  if ((mail.subject + from).find_first_of("\r\n") != std::string::npos) {
    return InvalidArgument("line break in the subject or smtp.from");
  }
  return Status::Ok();
}

struct Reply {
  int code = 0;
  std::vector<std::string> lines;  // the text after "NNN-" / "NNN "
};

Status Unavailable(std::string msg) { return Status(Code::kUnavailable, std::move(msg)); }

// One SMTP connection; every network step runs the io_context for at most the timeout, then
// closes the socket, which aborts the step.
class Connection {
 public:
  explicit Connection(std::chrono::seconds timeout) : timeout_(timeout) {}

  Status Connect(const std::string& host, int port) {
    tcp::resolver::results_type endpoints;
    error_code ec = Await([&](auto done) {
      resolver_.async_resolve(host, std::to_string(port), [&, done](error_code e, auto r) {
        endpoints = r;
        done(e);
      });
    });
    if (!ec) ec = Await([&](auto done) { asio::async_connect(socket_, endpoints, done); });
    if (!ec) return Status::Ok();
    return Unavailable("cannot connect to " + host + ":" + std::to_string(port) + ": " +
                       ec.message());
  }

  Status Write(std::string_view data) {
    error_code ec = Await([&](auto done) {
      WithStream([&](auto& s) { asio::async_write(s, asio::buffer(data), done); });
    });
    if (ec) return Unavailable("SMTP connection lost while sending: " + ec.message());
    return Status::Ok();
  }

  Result<Reply> Read() {
    Reply reply;
    for (;;) {
      auto line = ReadLine();
      if (!line.ok()) return line.status();
      const std::string& l = *line;
      bool digits = l.size() >= 3 && std::all_of(l.begin(), l.begin() + 3,
                                                 [](char c) { return c >= '0' && c <= '9'; });
      if (!digits || (l.size() > 3 && l[3] != ' ' && l[3] != '-')) {
        return Unavailable("malformed SMTP reply: " + l.substr(0, 200));
      }
      int code = std::stoi(l.substr(0, 3));
      if (reply.code != 0 && code != reply.code) return Unavailable("inconsistent SMTP reply");
      reply.code = code;
      reply.lines.push_back(l.size() > 4 ? l.substr(4) : "");
      if (l.size() <= 3 || l[3] == ' ') return reply;
    }
  }

  // Upgrades the connection after the server's 220 to STARTTLS, verifying the server's
  // certificate against ca_file (or the system's roots) and host.
  Status StartTls(const std::string& host, const std::string& ca_file) {
    // Bytes already buffered were sent before TLS; accepting them would let an attacker
    // inject commands into the protected session (CVE-2011-0411).
    if (!buffer_.empty()) return Unavailable("SMTP server sent data before the TLS handshake");
    ssl_ = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_client);
    error_code ec;
    if (ca_file.empty()) {
      ssl_->set_default_verify_paths(ec);
    } else {
      ssl_->load_verify_file(ca_file, ec);
    }
    if (ec) return FailedPrecondition("cannot load trusted certificates: " + ec.message());
    tls_ = std::make_unique<asio::ssl::stream<tcp::socket&>>(socket_, *ssl_);
    SSL_set_tlsext_host_name(tls_->native_handle(), host.c_str());
    tls_->set_verify_mode(asio::ssl::verify_peer);
    tls_->set_verify_callback(asio::ssl::host_name_verification(host));
    ec = Await([&](auto done) { tls_->async_handshake(asio::ssl::stream_base::client, done); });
    if (ec) return Unavailable("TLS handshake with " + host + " failed: " + ec.message());
    return Status::Ok();
  }

 private:
  template <typename Start>
  error_code Await(Start start) {
    error_code result = asio::error::would_block;
    start([&result](error_code ec, auto&&...) { result = ec; });
    ioc_.restart();
    ioc_.run_for(timeout_);
    if (result != asio::error::would_block) return result;
    error_code ignored;
    resolver_.cancel();
    socket_.close(ignored);
    ioc_.restart();
    ioc_.run();
    return asio::error::timed_out;
  }

  template <typename Op>
  void WithStream(Op op) {
    tls_ ? op(*tls_) : op(socket_);
  }

  Result<std::string> ReadLine() {
    size_t n = 0;
    error_code ec = Await([&](auto done) {
      WithStream([&](auto& s) {
        asio::async_read_until(s, asio::dynamic_buffer(buffer_, kMaxReplyBytes), "\r\n",
                               [&n, done](error_code e, size_t got) {
                                 n = got;
                                 done(e);
                               });
      });
    });
    if (ec) return Unavailable("no SMTP reply: " + ec.message());
    std::string line = buffer_.substr(0, n - 2);
    buffer_.erase(0, n);
    return line;
  }

  std::chrono::seconds timeout_;
  asio::io_context ioc_;
  tcp::resolver resolver_{ioc_};
  tcp::socket socket_{ioc_};
  std::unique_ptr<asio::ssl::context> ssl_;
  std::unique_ptr<asio::ssl::stream<tcp::socket&>> tls_;
  std::string buffer_;
};

// Maps an unexpected reply to a Status: 4xx retryable, anything else permanent.
Status Refused(const Reply& r, const std::string& step) {
  std::string msg = "SMTP server refused " + step + ": " + std::to_string(r.code);
  for (const auto& line : r.lines) msg += " " + line;
  if (r.code >= 400 && r.code < 500) return Unavailable(std::move(msg));
  return FailedPrecondition(std::move(msg));
}

// One mail transaction on one connection.
class Session {
 public:
  explicit Session(const SmtpConfig& config) : config_(config), conn_(config.timeout) {}

  Status Run(const Mail& mail) {
    TANDEM_RETURN_IF_ERROR(conn_.Connect(config_.host, config_.port));
    TANDEM_RETURN_IF_ERROR(Expect("", 220, "the connection"));
    TANDEM_RETURN_IF_ERROR(Hello(true));
    if (config_.starttls) TANDEM_RETURN_IF_ERROR(StartTls());
    if (!config_.user.empty()) TANDEM_RETURN_IF_ERROR(Authenticate());
    TANDEM_RETURN_IF_ERROR(Expect("MAIL FROM:<" + BareAddress(config_.from) + ">", 250, "MAIL"));
    for (const auto& r : mail.to) {
      TANDEM_RETURN_IF_ERROR(Expect("RCPT TO:<" + r + ">", 250, "recipient " + r, 251));
    }
    TANDEM_RETURN_IF_ERROR(Expect("DATA", 354, "DATA"));
    TANDEM_RETURN_IF_ERROR(conn_.Write(BuildMessage(config_.from, mail) + ".\r\n"));
    TANDEM_RETURN_IF_ERROR(Expect("", 250, "the message"));
    (void)Command("QUIT");  // the message is accepted; a lost QUIT changes nothing
    return Status::Ok();
  }

 private:
  Result<Reply> Command(const std::string& line) {
    if (!line.empty()) TANDEM_RETURN_IF_ERROR(conn_.Write(line + "\r\n"));
    return conn_.Read();
  }

  // Sends line (none if empty) and requires reply code want (or also_ok).
  Status Expect(const std::string& line, int want, const std::string& step, int also_ok = -1) {
    auto r = Command(line);
    if (!r.ok()) return r.status();
    if (r->code != want && r->code != also_ok) return Refused(*r, step);
    return Status::Ok();
  }

  Status Hello(bool allow_helo) {
    error_code ec;
    std::string me = asio::ip::host_name(ec);
    if (ec || me.empty()) me = "localhost";
    auto r = Command("EHLO " + me);
    if (!r.ok()) return r.status();
    if (r->code == 250) {
      capabilities_.assign(r->lines.begin() + 1, r->lines.end());
      for (auto& l : capabilities_)
        for (char& c : l) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      return Status::Ok();
    }
    if (!allow_helo || r->code < 500) return Refused(*r, "EHLO");
    return Expect("HELO " + me, 250, "HELO");
  }

  Status StartTls() {
    if (!Offers("STARTTLS")) {
      return FailedPrecondition("SMTP server " + config_.host + " does not offer STARTTLS");
    }
    TANDEM_RETURN_IF_ERROR(Expect("STARTTLS", 220, "STARTTLS"));
    TANDEM_RETURN_IF_ERROR(conn_.StartTls(config_.host, config_.ca_file));
    return Hello(false);  // capabilities may differ under TLS (RFC 3207)
  }

  Status Authenticate() {
    if (Offers("AUTH", "PLAIN")) {
      std::string token = Base64(std::string(1, '\0') + config_.user + '\0' + config_.password);
      return Expect("AUTH PLAIN " + token, 235, "AUTH PLAIN");
    }
    if (Offers("AUTH", "LOGIN")) {
      TANDEM_RETURN_IF_ERROR(Expect("AUTH LOGIN", 334, "AUTH LOGIN"));
      TANDEM_RETURN_IF_ERROR(Expect(Base64(config_.user), 334, "the user name"));
      return Expect(Base64(config_.password), 235, "the password");
    }
    return FailedPrecondition("SMTP server " + config_.host +
                              " offers no AUTH PLAIN or LOGIN for smtp.user" +
                              (config_.starttls ? "" : " (does it need starttls = true?)"));
  }

  // Whether the EHLO answer lists keyword (and, if given, that parameter of it).
  bool Offers(const std::string& keyword, const std::string& parameter = "") const {
    for (const auto& line : capabilities_) {
      std::string word = line.substr(0, line.find_first_of(" ="));
      if (word != keyword) continue;
      if (parameter.empty()) return true;
      std::string rest = " " + line.substr(std::min(line.size(), word.size() + 1)) + " ";
      if (rest.find(" " + parameter + " ") != std::string::npos) return true;
    }
    return false;
  }

  const SmtpConfig& config_;
  Connection conn_;
  std::vector<std::string> capabilities_;  // EHLO's lines after the first, upper-cased
};

}  // namespace

std::string BareAddress(const std::string& from) {
  auto lt = from.find('<'), gt = from.rfind('>');
  if (lt == std::string::npos || gt == std::string::npos || gt < lt) return from;
  return from.substr(lt + 1, gt - lt - 1);
}

SmtpClient::SmtpClient(SmtpConfig config) : config_(std::move(config)) {}

Status SmtpClient::Send(const Mail& mail) const {
  TANDEM_RETURN_IF_ERROR(CheckMail(mail, config_.from));
  try {
    return Session(config_).Run(mail);
  } catch (const std::exception& e) {  // Asio allocation or SSL set-up failures
    return Unavailable(std::string("SMTP delivery failed: ") + e.what());
  }
}

}  // namespace tandem::app
