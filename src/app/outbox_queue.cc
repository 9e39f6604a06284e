#include "app/outbox_queue.h"

#include "store/outbox.h"

namespace tandem::app {

std::vector<OutboxMessage> StoreOutbox::Due(Timestamp now, size_t limit) {
  std::vector<OutboxMessage> out;
  (void)store_.Read([&](sql::Db& db) {
    for (auto& r : store::DueOutbox(db, now, limit)) {
      out.push_back({.id = r.id,
                     .channel = r.channel == "webhook" ? OutboxMessage::Channel::kWebhook
                                                       : OutboxMessage::Channel::kEmail,
                     .target = std::move(r.target),
                     .event = std::move(r.event),
                     .subject = std::move(r.subject),
                     .body = std::move(r.body),
                     .attempts = r.attempts,
                     .next_attempt_at = r.next_attempt_at});
    }
    return Status::Ok();
  });
  return out;
}

Status StoreOutbox::MarkDelivered(int64_t id, Timestamp at) {
  return store_.Write([&](store::WriteTxn& t) { return store::MarkOutboxDelivered(t, id, at); });
}

Status StoreOutbox::MarkRetry(int64_t id, std::string error, Timestamp next_attempt_at) {
  return store_.Write(
      [&](store::WriteTxn& t) { return store::MarkOutboxRetry(t, id, error, next_attempt_at); });
}

Status StoreOutbox::MarkFailed(int64_t id, std::string error) {
  return store_.Write([&](store::WriteTxn& t) { return store::MarkOutboxFailed(t, id, error); });
}

}  // namespace tandem::app
