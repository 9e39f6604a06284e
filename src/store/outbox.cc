#include "store/outbox.h"

namespace tandem::store {
namespace {

constexpr const char* kColumns =
    "SELECT id, seq, channel, target, event, subject, body, status, attempts, created_at, "
    "next_attempt_at, delivered_at, COALESCE(last_error, '') FROM outbox ";

OutboxRecord RowToRecord(const sql::Stmt& s) {
  OutboxRecord r;
  r.id = s.Int(0);
  r.seq = Seq(s.Int(1));
  r.channel = s.Text(2);
  r.target = s.Text(3);
  r.event = s.Text(4);
  r.subject = s.Text(5);
  r.body = s.Text(6);
  r.status = s.Text(7);
  r.attempts = static_cast<int>(s.Int(8));
  r.created_at = FromMicros(s.Int(9));
  r.next_attempt_at = FromMicros(s.Int(10));
  if (!s.IsNull(11)) r.delivered_at = FromMicros(s.Int(11));
  r.last_error = s.Text(12);
  return r;
}

std::vector<OutboxRecord> All(sql::Stmt& s) {
  std::vector<OutboxRecord> out;
  while (s.Step()) out.push_back(RowToRecord(s));
  return out;
}

Status Changed(WriteTxn& txn, int64_t id) {
  if (txn.db().Changes() == 1) return Status::Ok();
  return NotFound("no pending outbox message " + std::to_string(id));
}

}  // namespace

Result<int64_t> EnqueueOutbox(WriteTxn& txn, const OutboxRecord& m) {
  auto& s = txn.db().Cached(
      "INSERT INTO outbox(seq, channel, target, event, subject, body, created_at, "
      "next_attempt_at) VALUES(?,?,?,?,?,?,?,?)");
  s.Bind(1, m.seq.value()).Bind(2, m.channel).Bind(3, m.target).Bind(4, m.event);
  s.Bind(5, m.subject).Bind(6, m.body).Bind(7, ToMicros(txn.now())).Bind(8, ToMicros(txn.now()));
  TANDEM_RETURN_IF_ERROR(s.Run());
  auto& id = txn.db().Cached("SELECT last_insert_rowid()");
  id.Step();
  int64_t out = id.Int(0);
  id.Reset();
  return out;
}

std::vector<OutboxRecord> DueOutbox(sql::Db& db, Timestamp now, size_t limit) {
  static const std::string kSql = std::string(kColumns) +
                                  "WHERE status = 'pending' AND next_attempt_at <= ? "
                                  "ORDER BY next_attempt_at, id LIMIT ?";
  auto& s = db.Cached(kSql.c_str());
  s.Bind(1, ToMicros(now)).Bind(2, static_cast<int64_t>(limit));
  return All(s);
}

std::vector<OutboxRecord> ListOutbox(sql::Db& db, int64_t after, int limit) {
  static const std::string kSql = std::string(kColumns) + "WHERE id > ? ORDER BY id LIMIT ?";
  auto& s = db.Cached(kSql.c_str());
  s.Bind(1, after).Bind(2, int64_t{limit});
  return All(s);
}

std::vector<OutboxRecord> ListOutbox(sql::Db& db, std::string_view status, int64_t after,
                                     int limit) {
  if (status.empty()) return ListOutbox(db, after, limit);
  static const std::string kSql =
      std::string(kColumns) + "WHERE id > ? AND status = ? ORDER BY id LIMIT ?";
  auto& s = db.Cached(kSql.c_str());
  s.Bind(1, after).Bind(2, status).Bind(3, int64_t{limit});
  return All(s);
}

std::optional<Timestamp> NextOutboxDue(sql::Db& db) {
  auto& s = db.Cached("SELECT MIN(next_attempt_at) FROM outbox WHERE status = 'pending'");
  std::optional<Timestamp> out;
  if (s.Step() && !s.IsNull(0)) out = FromMicros(s.Int(0));
  s.Reset();
  return out;
}

Status MarkOutboxDelivered(WriteTxn& txn, int64_t id, Timestamp at) {
  auto& s = txn.db().Cached(
      "UPDATE outbox SET status = 'delivered', delivered_at = ? "
      "WHERE id = ? AND status = 'pending'");
  s.Bind(1, ToMicros(at)).Bind(2, id);
  TANDEM_RETURN_IF_ERROR(s.Run());
  return Changed(txn, id);
}

Status MarkOutboxRetry(WriteTxn& txn, int64_t id, std::string_view error, Timestamp next) {
  auto& s = txn.db().Cached(
      "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? "
      "WHERE id = ? AND status = 'pending'");
  s.Bind(1, error).Bind(2, ToMicros(next)).Bind(3, id);
  TANDEM_RETURN_IF_ERROR(s.Run());
  return Changed(txn, id);
}

Status MarkOutboxFailed(WriteTxn& txn, int64_t id, std::string_view error) {
  auto& s = txn.db().Cached(
      "UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ? "
      "WHERE id = ? AND status = 'pending'");
  s.Bind(1, error).Bind(2, id);
  TANDEM_RETURN_IF_ERROR(s.Run());
  return Changed(txn, id);
}

}  // namespace tandem::store
