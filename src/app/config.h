// tandem.toml: the one configuration file. Every key is optional.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>

#include "base/status.h"

namespace tandem::app {

// [smtp]: where outbox e-mail goes. Present only when tandem.toml has an [smtp] table.
struct SmtpConfig {
  std::string host;                  // host (required)
  int port = 25;                     // port
  std::string from;                  // from: "sla@example.com" or "Tandem <sla@…>"
  std::string user;                  // user: AUTH only when set
  std::string password;              // password; TANDEM_SMTP_PASSWORD overrides it
  bool starttls = false;             // starttls: upgrade to TLS or fail
  std::string ca_file;               // ca_file: PEM to trust instead of the system's
  std::chrono::seconds timeout{30};  // timeout_seconds: per network step, 1-600
};

// [webhooks.NAME]: one receiver of signed outbox webhooks.
struct WebhookConfig {
  std::string url;                   // url: http:// or https:// (required)
  std::string secret;                // secret; TANDEM_WEBHOOK_<NAME>_SECRET overrides it
  std::string ca_file;               // ca_file: for https, PEM to trust instead of the system's
  std::chrono::seconds timeout{10};  // timeout_seconds: for the whole request, 1-600
};

struct Config {
  std::string db_path = "var/tandem.db";  // [store] path; TANDEM_DB and --db override it
  bool synchronous_full = true;           // [store] synchronous = "full" | "normal"
  std::string listen = "127.0.0.1:8080";  // [server] listen
  int threads = 2;                        // [server] threads
  size_t max_body_bytes = 32u << 20;      // [server] max_body_mb
  std::string phone_region = "US";        // [defaults] phone_region
  // [policy] default: the policy installed as version 1 in a new store, relative to the
  // working directory.
  std::string default_policy_path = "config/policy.toml";
  std::optional<SmtpConfig> smtp;                 // [smtp]
  std::map<std::string, WebhookConfig> webhooks;  // [webhooks.NAME], by NAME
};

// Reads path into a Config over the defaults. kNotFound if path does not exist (callers
// treat a missing default file as "use the defaults"); kInvalidArgument with the line and
// key for a malformed file or a wrong type. Secrets may come from the environment instead of
// the file (TANDEM_SMTP_PASSWORD; TANDEM_WEBHOOK_<NAME>_SECRET, NAME upper-cased with other
// characters as '_'); a webhook without a secret in either place is kInvalidArgument.
Result<Config> LoadConfig(const std::string& path);

// The default policy's text: the file default_policy_path names if it exists, else the copy
// built into the program (so a store opened anywhere gets one). kUnavailable if the file
// exists but cannot be read.
Result<std::string> DefaultPolicyText(const Config& c);

// Splits "host:port". kInvalidArgument if malformed.
Result<std::pair<std::string, int>> ParseListen(const std::string& listen);

}  // namespace tandem::app
