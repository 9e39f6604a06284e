// The append-only journal: every activity and every decision, with who, what, when and why.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/ids.h"
#include "base/time.h"
#include "store/db.h"
#include "store/pending_timeline.h"
#include "store/store.h"

namespace tandem::store {

// One journal entry (DESIGN.md, "The journal entry"). Everything but payload is immutable;
// payload holds personal data and is wiped by an erasure (digest still proves the content).
struct JournalEntry {
  Seq seq;
  Timestamp recorded_at{}, occurred_at{};
  std::string kind;     // activity, person_changed, company_changed, consent_changed, erased, …
  int64_t subject = 0;  // a person or company id (one id space)
  std::string actor;    // "user:7", "api", "connector:hubspot", "rule:<id>@v<version>"
  Seq cause;
  std::string reason;
  // Activities only: type, and the idempotency key (source, client_id).
  std::string type, source, client_id;
  std::string digest;   // 16 bytes of SHA-256 over the canonical content
  std::string payload;  // JSON text, or empty once erased
};

// Entries of this kind stay off their subject's timeline: score decisions journaled one per
// scored activity by earlier versions (now gathered per write into a scores_changed entry,
// which has no subject). Every other entry with a subject is on it.
inline constexpr const char* kOffTimelineKind = "score_changed";

// Appends an entry, assigning its seq, and notes its timeline key in txn.
// Returns kConflict if (source, client_id) exists.
Result<Seq> AppendJournal(WriteTxn& txn, const JournalEntry& e);

// Appends an activity entry unless its (source, client_id) is already in the journal:
// nullopt then, and nothing is written.
Result<std::optional<Seq>> AppendActivity(WriteTxn& txn, const JournalEntry& e);

// The digest stored for (source, client_id), if that key was seen.
std::optional<std::string> FindActivityDigest(sql::Db& db, std::string_view source,
                                              std::string_view client_id);

struct TimelinePage {
  std::vector<JournalEntry> entries;
  std::string next_cursor;  // empty on the last page
};

// A subject's entries, newest first by occurred_at then seq: the timeline table merged with
// the store's pending keys. cursor is from a previous page. kInvalidArgument for a malformed
// cursor.
Result<TimelinePage> ReadTimeline(sql::Db& db, const PendingTimeline& pending, int64_t subject,
                                  std::string_view cursor, int limit);

// Every entry with seq > after, oldest first, at most limit.
std::vector<JournalEntry> ReadJournal(sql::Db& db, Seq after, int limit);

// 16 bytes of SHA-256 of text.
std::string ContentDigest(std::string_view text);

}  // namespace tandem::store
