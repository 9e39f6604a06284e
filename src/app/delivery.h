// The outbox's delivery loop, apart from the store: which messages are due, how each is sent
// (e-mail over SMTP, signed webhooks), and when a failed one is tried again.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/config.h"
#include "app/smtp_client.h"
#include "app/webhook_sender.h"
#include "base/status.h"
#include "base/time.h"

namespace tandem::app {

struct OutboxMessage {
  enum class Channel { kEmail, kWebhook };
  int64_t id = 0;
  Channel channel = Channel::kEmail;
  std::string target;   // e-mail: addresses separated by ',' or ';'; webhook: [webhooks.NAME]
  std::string event;    // the event type: "sla_breached", "escalated", …
  std::string subject;  // e-mail only
  std::string body;     // e-mail: UTF-8 text; webhook: the JSON document
  int attempts = 0;     // failed attempts so far
  Timestamp next_attempt_at;
};

// The outbox as the delivery loop sees it; the store implements it. Implementations say
// their own thread-safety; Deliverer calls one queue from one thread.
class OutboxQueue {
 public:
  virtual ~OutboxQueue() = default;
  // Up to limit messages neither delivered nor failed whose next_attempt_at <= now, the
  // earliest next_attempt_at first.
  virtual std::vector<OutboxMessage> Due(Timestamp now, size_t limit) = 0;
  // The message reached its receiver; it is never due again.
  virtual Status MarkDelivered(int64_t id, Timestamp at) = 0;
  // One more failed attempt (attempts + 1), with its error; due again at next_attempt_at.
  virtual Status MarkRetry(int64_t id, std::string error, Timestamp next_attempt_at) = 0;
  // The message can never be delivered (permanent error or too many attempts); kept with
  // the error for operators, never due again.
  virtual Status MarkFailed(int64_t id, std::string error) = 0;
};

struct DeliveryOptions {
  Duration first_retry = std::chrono::seconds(30);    // after the first failure; doubles after
  Duration max_retry = std::chrono::hours(1);         // each further one, up to this
  Duration max_retry_after = std::chrono::hours(24);  // cap on a receiver's Retry-After
  int max_attempts = 20;                              // then the message is failed
  size_t batch = 100;                                 // messages per RunOnce
  // Where problems that have no other place go (a queue that cannot record an outcome).
  // Default: standard error.
  std::function<void(const std::string&)> log;
};

// The wait before the next attempt after failed_attempts (>= 1) failures: first_retry,
// doubled for each further failure, at most max_retry. Deterministic: no jitter.
Duration RetryDelay(int failed_attempts, const DeliveryOptions& options);

// Sends due outbox messages with the channels tandem.toml configures ([smtp],
// [webhooks.NAME]). Not thread-safe: one Deliverer runs in one loop; queue and clock must
// outlive it.
class Deliverer {
 public:
  Deliverer(const Config& config, OutboxQueue& queue, const Clock& clock,
            DeliveryOptions options = {});

  // Sends every message Due(now) (up to options.batch), one at a time, and records each
  // outcome: delivered; failed for a permanent error (kInvalidArgument, kFailedPrecondition:
  // a bad address, a 5xx SMTP reply, a 4xx webhook answer), for a channel tandem.toml does
  // not configure, or after max_attempts; otherwise retried at now + RetryDelay, or later if
  // the receiver's Retry-After says so. Signatures and Date headers use the clock.
  // Returns how many messages it attempted.
  int RunOnce(Timestamp now);

 private:
  struct Outcome {
    Status status;
    std::optional<Duration> retry_after;
  };
  Outcome Send(const OutboxMessage& m) const;
  Outcome SendEmail(const OutboxMessage& m) const;
  Outcome SendWebhook(const OutboxMessage& m) const;
  Status Record(const OutboxMessage& m, const Outcome& outcome, Timestamp now);

  OutboxQueue& queue_;
  const Clock& clock_;
  DeliveryOptions options_;
  std::string from_;                // [smtp] from, for Message-IDs
  std::optional<SmtpClient> smtp_;  // when [smtp] is configured
  std::map<std::string, WebhookSender> webhooks_;
};

}  // namespace tandem::app
