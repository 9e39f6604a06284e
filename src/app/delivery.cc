#include "app/delivery.h"

#include <algorithm>
#include <iostream>

namespace tandem::app {
namespace {

std::vector<std::string> SplitAddresses(const std::string& target) {
  std::vector<std::string> out;
  std::string current;
  for (char c : target + ",") {
    if (c == ',' || c == ';' || c == ' ' || c == '\t') {
      if (!current.empty()) out.push_back(std::move(current));
      current.clear();
    } else {
      current += c;
    }
  }
  return out;
}

std::string Domain(const std::string& address) {
  auto at = address.rfind('@');
  return at == std::string::npos ? "localhost" : address.substr(at + 1);
}

}  // namespace

Duration RetryDelay(int failed_attempts, const DeliveryOptions& options) {
  Duration d = options.first_retry;
  for (int i = 1; i < failed_attempts && d < options.max_retry; ++i) d *= 2;
  return std::min(d, options.max_retry);
}

Deliverer::Deliverer(const Config& config, OutboxQueue& queue, const Clock& clock,
                     DeliveryOptions options)
    : queue_(queue), clock_(clock), options_(std::move(options)) {
  if (!options_.log) {
    options_.log = [](const std::string& line) { std::cerr << "tandem: outbox: " << line << "\n"; };
  }
  if (config.smtp) {
    from_ = BareAddress(config.smtp->from);
    smtp_.emplace(*config.smtp);
  }
  for (const auto& [name, webhook] : config.webhooks) webhooks_.try_emplace(name, webhook, clock);
}

int Deliverer::RunOnce(Timestamp now) {
  int attempted = 0;
  for (const OutboxMessage& m : queue_.Due(now, options_.batch)) {
    Status recorded = Record(m, Send(m), now);
    if (!recorded.ok()) {
      options_.log("cannot record the outcome of message " + std::to_string(m.id) + ": " +
                   recorded.message());
    }
    ++attempted;
  }
  return attempted;
}

Deliverer::Outcome Deliverer::Send(const OutboxMessage& m) const {
  switch (m.channel) {
    case OutboxMessage::Channel::kEmail:
      return SendEmail(m);
    case OutboxMessage::Channel::kWebhook:
      return SendWebhook(m);
  }
  return {Internal("unknown outbox channel")};
}

Deliverer::Outcome Deliverer::SendEmail(const OutboxMessage& m) const {
  if (!smtp_) return {FailedPrecondition("e-mail is not configured: tandem.toml has no [smtp]")};
  Mail mail{.to = SplitAddresses(m.target),
            .subject = m.subject,
            .body = m.body,
            .message_id = "tandem-outbox-" + std::to_string(m.id) + "@" + Domain(from_),
            .date = clock_.Now()};
  return {smtp_->Send(mail)};
}

Deliverer::Outcome Deliverer::SendWebhook(const OutboxMessage& m) const {
  auto it = webhooks_.find(m.target);
  if (it == webhooks_.end()) {
    return {FailedPrecondition("no webhook \"" + m.target + "\": tandem.toml has no [webhooks." +
                               m.target + "]")};
  }
  WebhookResult r =
      it->second.Send({.event = m.event, .delivery_id = std::to_string(m.id), .body = m.body});
  return {r.status, r.retry_after};
}

Status Deliverer::Record(const OutboxMessage& m, const Outcome& outcome, Timestamp now) {
  if (outcome.status.ok()) return queue_.MarkDelivered(m.id, clock_.Now());
  const std::string& error = outcome.status.message();
  if (outcome.status.code() != Code::kUnavailable) return queue_.MarkFailed(m.id, error);
  int failed = m.attempts + 1;
  if (failed >= options_.max_attempts) {
    return queue_.MarkFailed(
        m.id, "gave up after " + std::to_string(failed) + " attempts; last error: " + error);
  }
  Duration wait = RetryDelay(failed, options_);
  if (outcome.retry_after)
    wait = std::max(wait, std::min(*outcome.retry_after, options_.max_retry_after));
  return queue_.MarkRetry(m.id, error, now + wait);
}

}  // namespace tandem::app
