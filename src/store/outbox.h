// The outbox: messages decided inside a write (an escalation e-mail, a webhook) and handed to
// delivery after it commits. A message is enqueued in the same transaction as the journal
// entry that caused it, so a decision and its notification commit or vanish together;
// delivery then retries until the receiver acknowledges or the message is given up.
//
// Invariants: status moves only pending → delivered or pending → failed; attempts counts
// failed attempts.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/ids.h"
#include "base/status.h"
#include "base/time.h"
#include "store/db.h"
#include "store/store.h"

namespace tandem::store {

struct OutboxRecord {
  int64_t id = 0;
  Seq seq;              // the journal entry that caused it
  std::string channel;  // "email" or "webhook"
  std::string target;   // e-mail addresses, or a webhook's name in tandem.toml
  std::string event;    // "escalated", "sla_breached", …
  std::string subject, body;
  std::string status;  // pending, delivered, failed
  int attempts = 0;
  Timestamp created_at{}, next_attempt_at{};
  std::optional<Timestamp> delivered_at;
  std::string last_error;
};

// Enqueues a pending message, due at once. Returns its id.
Result<int64_t> EnqueueOutbox(WriteTxn& txn, const OutboxRecord& message);

// Up to limit pending messages due at or before now, earliest first.
std::vector<OutboxRecord> DueOutbox(sql::Db& db, Timestamp now, size_t limit);
// Messages with id > after, oldest first, at most limit (operators, tests).
std::vector<OutboxRecord> ListOutbox(sql::Db& db, int64_t after, int limit);
// The same, only messages whose status is `status` (pending, delivered, failed); an empty
// status lists every message.
std::vector<OutboxRecord> ListOutbox(sql::Db& db, std::string_view status, int64_t after,
                                     int limit);
// The earliest next_attempt_at of a pending message, nullopt if none.
std::optional<Timestamp> NextOutboxDue(sql::Db& db);

// Outcomes. kNotFound if no such message is pending.
Status MarkOutboxDelivered(WriteTxn& txn, int64_t id, Timestamp at);
Status MarkOutboxRetry(WriteTxn& txn, int64_t id, std::string_view error, Timestamp next);
Status MarkOutboxFailed(WriteTxn& txn, int64_t id, std::string_view error);

}  // namespace tandem::store
