// A blocking SMTP client for outbox e-mail: one connection per message, EHLO (HELO if the
// server refuses it), STARTTLS when configured, AUTH PLAIN or LOGIN when a user is configured,
// then MAIL FROM, RCPT TO for each recipient, DATA and QUIT. The message is UTF-8 plain text,
// quoted-printable, with an RFC 2047 subject. Not SMTPS (implicit TLS on port 465).
#pragma once

#include <string>
#include <vector>

#include "app/config.h"
#include "base/status.h"
#include "base/time.h"

namespace tandem::app {

struct Mail {
  std::vector<std::string> to;  // recipients' bare addresses: "ana@example.com"
  std::string subject;          // UTF-8, one line
  std::string body;             // UTF-8 text; \n, \r\n or \r line endings
  std::string message_id;       // "local@domain" without <>, unique (and the same on retries)
  Timestamp date;               // the Date header
};

// Sends mail through the server SmtpConfig names. Holds only its configuration; each Send
// opens its own connection, so one client may be used from several threads.
class SmtpClient {
 public:
  explicit SmtpClient(SmtpConfig config);

  // Delivers mail to every recipient or to none: a refused recipient aborts the message
  // before DATA. Each network step (connect, each reply, TLS handshake) must finish within
  // config.timeout. Errors:
  //   kInvalidArgument    — no recipient; CR/LF/NUL, '<', '>' or spaces in an address or
  //                         the message id; CR/LF in the subject (header injection);
  //   kUnavailable        — cannot resolve or connect, a timeout, a dropped connection, a
  //                         failed TLS handshake or a 4xx reply: retry later;
  //   kFailedPrecondition — a 5xx reply (the message holds the server's text), STARTTLS or
  //                         AUTH required by the configuration but not offered: permanent.
  Status Send(const Mail& mail) const;

 private:
  SmtpConfig config_;
};

// The address inside a From value: "Tandem <sla@example.com>" → "sla@example.com";
// "sla@example.com" → itself.
std::string BareAddress(const std::string& from);

}  // namespace tandem::app
