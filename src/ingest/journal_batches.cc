#include "ingest/journal_batches.h"

#include <sqlite3.h>

#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>

#include "ingest/journal_batch_builder.h"
#include "store/db.h"

namespace tandem::ingest {
namespace {

// The entries of kReplaySql without policy activations: callers pick their policies.
// (Comparisons rather than IN: SQLite looks an IN list up in a temporary index for each row.)
constexpr const char* kSql =
    "SELECT seq, occurred_at, kind, subject, type, payload FROM journal WHERE kind = 'activity' "
    "OR kind = 'person_changed' OR kind = 'company_changed' OR kind = 'erased' ORDER BY seq";

// Batches waiting per queue: enough to ride out a slow batch, little memory.
constexpr size_t kQueueDepth = 8;
// The scan maps the store file rather than copying its pages (a large speed-up for a full
// read); the connection's setting is put back afterwards.
constexpr const char* kMapStore = "PRAGMA mmap_size=68719476736";
constexpr const char* kUnmapStore = "PRAGMA mmap_size=0";

// The kind of a row from its NUL-terminated kind column.
std::optional<RowKind> KindOf(const unsigned char* text) {
  if (!text) return std::nullopt;
  const auto* kind = reinterpret_cast<const char*>(text);
  if (std::strcmp(kind, "activity") == 0) return RowKind::kActivity;
  if (std::strcmp(kind, "person_changed") == 0) return RowKind::kPersonChanged;
  if (std::strcmp(kind, "company_changed") == 0) return RowKind::kCompanyChanged;
  if (std::strcmp(kind, "erased") == 0) return RowKind::kErased;
  return std::nullopt;
}

// A text column as a view (empty for NULL). The journal's text columns hold no NUL bytes, so
// the length comes from the text itself rather than from one more call into SQLite.
std::string_view TextOf(sqlite3_stmt* s, int col) {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, col));
  return p ? std::string_view(p) : std::string_view();
}

Status SqlError(sqlite3* db, int rc, const char* what) {
  const Code code = rc == SQLITE_BUSY || rc == SQLITE_LOCKED ? Code::kUnavailable : Code::kInternal;
  return {code, std::string(what) + ": " + sqlite3_errmsg(db)};
}

// A bounded queue from one thread to another; a default-constructed T ends it.
template <typename T>
class Queue {
 public:
  void Push(T item) {
    std::unique_lock lock(mu_);
    not_full_.wait(lock, [&] { return q_.size() < kQueueDepth; });
    q_.push_back(std::move(item));
    not_empty_.notify_one();
  }
  T Pop() {
    std::unique_lock lock(mu_);
    not_empty_.wait(lock, [&] { return !q_.empty(); });
    T item = std::move(q_.front());
    q_.pop_front();
    not_full_.notify_one();
    return item;
  }

 private:
  std::mutex mu_;
  std::condition_variable not_full_, not_empty_;
  std::deque<T> q_;
};
using BatchQueue = Queue<std::shared_ptr<const DecodedBatch>>;
using RawQueue = Queue<RawBatch>;

// Steps through kSql, straight on SQLite: the per-column calls of a wrapper cost a good part
// of the scan.
Status Scan(sql::Db& db, RowCollector& rows, RawQueue& out, JournalReadStats& stats) {
  sqlite3* raw = db.raw();
  sqlite3_stmt* s = nullptr;
  int rc = sqlite3_prepare_v2(raw, kSql, -1, &s, nullptr);
  if (rc != SQLITE_OK) return SqlError(raw, rc, "sqlite prepare");
  const std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> owned(s, sqlite3_finalize);
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    const auto kind = KindOf(sqlite3_column_text(s, 2));
    if (!kind) continue;
    ++stats.entries;
    const bool activity = *kind == RowKind::kActivity;
    stats.activities += activity;
    rows.Add(*kind, Seq(sqlite3_column_int64(s, 0)), FromMicros(sqlite3_column_int64(s, 1)),
             sqlite3_column_int64(s, 3), activity ? TextOf(s, 4) : std::string_view(),
             *kind == RowKind::kErased ? std::string_view() : TextOf(s, 5));
    if (rows.Full()) out.Push(rows.Take());
  }
  if (!rows.Empty()) out.Push(rows.Take());
  return rc == SQLITE_DONE ? Status::Ok() : SqlError(raw, rc, "sqlite step");
}

// Reads the journal into raw batches for the decoder. Runs on the caller's thread.
Status ReadRows(store::Store& store, RawQueue& out, std::shared_ptr<BatchPool> pool,
                JournalReadStats& stats) {
  return store.Read([&](sql::Db& db) {
    (void)db.Exec(kMapStore);
    struct Unmap {
      sql::Db& db;
      ~Unmap() { (void)db.Exec(kUnmapStore); }
    } unmap{db};
    RowCollector rows(pool);
    return Scan(db, rows, out, stats);
  });
}

// Decodes every raw batch in order and hands it to every consumer's queue, then ends them.
// After an exception it keeps draining, so the reader never waits on it.
void Decode(RawQueue& in, std::shared_ptr<BatchPool> pool, std::vector<BatchQueue>& out,
            Status& failure) {
  BatchDecoder decoder(std::move(pool));
  while (RawBatch raw = in.Pop()) {
    if (!failure.ok()) continue;
    try {
      auto batch = decoder.Decode(std::move(raw));
      for (auto& q : out) q.Push(batch);
    } catch (const std::exception& e) {
      failure = Internal(std::string("decoding the journal failed: ") + e.what());
    }
  }
  for (auto& q : out) q.Push(nullptr);
}

// Runs consumer on every batch of q until the end marker. After an exception it keeps
// draining, so the decoder never waits on a consumer that stopped.
void Consume(BatchQueue& q, const BatchConsumer& consumer, Status& failure) {
  while (auto batch = q.Pop()) {
    if (!failure.ok()) continue;
    try {
      consumer(*batch);
    } catch (const std::exception& e) {
      failure = Internal(std::string("replay failed: ") + e.what());
    }
  }
}

}  // namespace

Result<JournalReadStats> FanOutJournal(store::Store& store,
                                       std::span<const BatchConsumer> consumers) {
  auto pool = std::make_shared<BatchPool>();
  std::vector<BatchQueue> queues(consumers.size());
  std::vector<Status> failures(consumers.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < consumers.size(); ++i) {
    threads.emplace_back(Consume, std::ref(queues[i]), std::cref(consumers[i]),
                         std::ref(failures[i]));
  }
  RawQueue raw;
  Status decoding;
  std::thread decoder(Decode, std::ref(raw), pool, std::ref(queues), std::ref(decoding));
  JournalReadStats stats;
  Status read;
  try {
    read = ReadRows(store, raw, pool, stats);
  } catch (const std::exception& e) {
    read = Internal(std::string("reading the journal failed: ") + e.what());
  }
  raw.Push({});
  decoder.join();
  for (auto& t : threads) t.join();
  TANDEM_RETURN_IF_ERROR(read);
  TANDEM_RETURN_IF_ERROR(decoding);
  for (const Status& f : failures) TANDEM_RETURN_IF_ERROR(f);
  return stats;
}

}  // namespace tandem::ingest
