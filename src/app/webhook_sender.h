// Posts signed outbox events to one webhook receiver ([webhooks.NAME] in tandem.toml).
#pragma once

#include <optional>
#include <string>

#include "app/config.h"
#include "base/status.h"
#include "base/time.h"

namespace tandem::app {

struct WebhookRequest {
  std::string event;        // Tandem-Event: "sla_breached", "escalated", …
  std::string delivery_id;  // Tandem-Delivery: the same on every retry, for idempotency
  std::string body;         // the JSON document
};

struct WebhookResult {
  // Ok: the receiver answered 2xx. kUnavailable: retry later (cannot connect, timeout, TLS
  // failure, 408, 429, 5xx). kFailedPrecondition: permanent (another status, e.g. 400, 401,
  // 404, 410, or a redirect, which is not followed). kInvalidArgument: a bad url, or CR/LF in
  // event or delivery_id.
  Status status;
  int http_status = 0;                  // 0 if no answer
  std::optional<Duration> retry_after;  // Retry-After in seconds, on 429 and 503
};

// Thread-safety: Send is const and opens its own connection; the clock must outlive this.
class WebhookSender {
 public:
  WebhookSender(WebhookConfig config, const Clock& clock);

  // POSTs request.body to config.url with Content-Type: application/json, Tandem-Event,
  // Tandem-Delivery and a Tandem-Signature made with config.secret at clock.Now(). The whole
  // exchange must finish within config.timeout. https:// verifies the receiver's certificate
  // against config.ca_file or the system's roots.
  WebhookResult Send(const WebhookRequest& request) const;

 private:
  WebhookConfig config_;
  const Clock& clock_;
};

}  // namespace tandem::app
