#include "store/journal.h"

#include <algorithm>
#include <charconv>

#include "store/sha256.h"

namespace tandem::store {
namespace {

constexpr const char* kColumns =
    "seq, recorded_at, occurred_at, kind, subject, actor, cause, reason, type, source, "
    "client_id, digest, payload";

JournalEntry RowToEntry(const sql::Stmt& s) {
  JournalEntry e;
  e.seq = Seq(s.Int(0));
  e.recorded_at = FromMicros(s.Int(1));
  e.occurred_at = FromMicros(s.Int(2));
  e.kind = s.Text(3);
  e.subject = s.Int(4);
  e.actor = s.Text(5);
  e.cause = Seq(s.Int(6));
  e.reason = s.Text(7);
  e.type = s.Text(8);
  e.source = s.Text(9);
  e.client_id = s.Text(10);
  e.digest = s.Text(11);
  e.payload = s.Text(12);
  return e;
}

}  // namespace

std::string ContentDigest(std::string_view text) { return Sha256(text).substr(0, 16); }

namespace {

// Binds every column of e to an INSERT in the column order of the journal table.
Result<std::optional<Seq>> Insert(WriteTxn& txn, const JournalEntry& e, const char* sql) {
  sql::Db& db = txn.db();
  auto& s = db.Cached(sql);
  s.Bind(1, ToMicros(e.recorded_at)).Bind(2, ToMicros(e.occurred_at)).Bind(3, e.kind);
  s.BindOptional(4, e.subject).Bind(5, e.actor).BindOptional(6, e.cause.value());
  s.BindOptional(7, e.reason).BindOptional(8, e.type).BindOptional(9, e.source);
  s.BindOptional(10, e.client_id);
  if (e.digest.empty())
    s.BindNull(11);
  else
    s.BindBlob(11, e.digest);
  s.BindOptional(12, e.payload);
  TANDEM_RETURN_IF_ERROR(s.Run());
  if (db.Changes() == 0) return std::optional<Seq>();
  Seq seq(db.LastInsertRowId());
  if (e.subject && e.kind != kOffTimelineKind)
    txn.NoteTimeline({e.subject, ToMicros(e.occurred_at), seq.value()});
  return std::optional<Seq>(seq);
}

// Tells the transaction's observer of an appended entry, its seq filled in.
Status Observe(WriteTxn& txn, const JournalEntry& e, Seq seq) {
  if (!txn.observer()) return Status::Ok();
  return txn.observer()->OnAppended(txn, e, seq);
}

}  // namespace

Result<Seq> AppendJournal(WriteTxn& txn, const JournalEntry& e) {
  auto seq = Insert(txn, e,
                    "INSERT INTO journal(recorded_at, occurred_at, kind, subject, actor, cause, "
                    "reason, type, source, client_id, digest, payload) "
                    "VALUES(?,?,?,?,?,?,?,?,?,?,?,?)");
  if (!seq.ok()) return seq.status();
  TANDEM_RETURN_IF_ERROR(Observe(txn, e, **seq));
  return **seq;
}

Result<std::optional<Seq>> AppendActivity(WriteTxn& txn, const JournalEntry& e) {
  auto seq = Insert(txn, e,
                    "INSERT INTO journal(recorded_at, occurred_at, kind, subject, actor, cause, "
                    "reason, type, source, client_id, digest, payload) "
                    "VALUES(?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING");
  if (!seq.ok() || !*seq) return seq;
  TANDEM_RETURN_IF_ERROR(Observe(txn, e, **seq));
  return seq;
}

std::optional<std::string> FindActivityDigest(sql::Db& db, std::string_view source,
                                              std::string_view client_id) {
  auto& s = db.Cached("SELECT digest FROM journal WHERE source = ? AND client_id = ?");
  s.Bind(1, source).Bind(2, client_id);
  if (!s.Step()) return std::nullopt;
  return s.Text(0);
}

namespace {

bool NewerFirst(const TimelineKey& a, const TimelineKey& b) {
  return a.occurred_at != b.occurred_at ? a.occurred_at > b.occurred_at : a.seq > b.seq;
}

std::optional<JournalEntry> EntryAt(sql::Db& db, int64_t seq) {
  static const std::string kSql = std::string("SELECT ") + kColumns + " FROM journal WHERE seq = ?";
  auto& s = db.Cached(kSql.c_str());
  s.Bind(1, seq);
  if (!s.Step()) return std::nullopt;
  return RowToEntry(s);
}

}  // namespace

Result<TimelinePage> ReadTimeline(sql::Db& db, const PendingTimeline& pending, int64_t subject,
                                  std::string_view cursor, int limit) {
  TimelineKey before{subject, INT64_MAX, INT64_MAX};
  if (!cursor.empty()) {
    auto dot = cursor.find('.');
    if (dot == std::string_view::npos ||
        std::from_chars(cursor.data(), cursor.data() + dot, before.occurred_at).ec != std::errc() ||
        std::from_chars(cursor.data() + dot + 1, cursor.data() + cursor.size(), before.seq).ec !=
            std::errc()) {
      return InvalidArgument("malformed cursor", {{"cursor", "not a cursor this API issued"}});
    }
  }
  auto& s = db.Cached(
      "SELECT subject, occurred_at, seq FROM timeline WHERE subject = ? AND "
      "(occurred_at < ? OR (occurred_at = ? AND seq < ?)) "
      "ORDER BY occurred_at DESC, seq DESC LIMIT ?");
  s.Bind(1, subject).Bind(2, before.occurred_at).Bind(3, before.occurred_at);
  s.Bind(4, before.seq).Bind(5, limit + 1);
  std::vector<TimelineKey> keys;
  while (s.Step()) keys.push_back({s.Int(0), s.Int(1), s.Int(2)});
  TANDEM_RETURN_IF_ERROR(s.status());
  for (const auto& k : pending.ForSubject(subject)) {
    if (NewerFirst(before, k)) keys.push_back(k);
  }
  std::sort(keys.begin(), keys.end(), NewerFirst);
  keys.erase(std::unique(keys.begin(), keys.end(),
                         [](const auto& a, const auto& b) { return a.seq == b.seq; }),
             keys.end());
  TimelinePage page;
  for (const auto& k : keys) {
    if (static_cast<int>(page.entries.size()) == limit) {
      const auto& last = page.entries.back();
      page.next_cursor =
          std::to_string(ToMicros(last.occurred_at)) + "." + std::to_string(last.seq.value());
      break;
    }
    // A key committed after this read began is not in its snapshot: skip it.
    if (auto e = EntryAt(db, k.seq)) page.entries.push_back(std::move(*e));
  }
  return page;
}

std::vector<JournalEntry> ReadJournal(sql::Db& db, Seq after, int limit) {
  static const std::string kSql =
      std::string("SELECT ") + kColumns + " FROM journal WHERE seq > ? ORDER BY seq LIMIT ?";
  auto& s = db.Cached(kSql.c_str());
  s.Bind(1, after.value()).Bind(2, limit);
  std::vector<JournalEntry> out;
  while (s.Step()) out.push_back(RowToEntry(s));
  return out;
}

}  // namespace tandem::store
