#include "ingest/journal_batches.h"

#include <condition_variable>
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

// Batches waiting per consumer: enough to ride out a slow batch, little memory.
constexpr size_t kQueueDepth = 8;
// The scan maps the store file rather than copying its pages (a large speed-up for a full
// read); the connection's setting is put back afterwards.
constexpr const char* kMapStore = "PRAGMA mmap_size=68719476736";
constexpr const char* kUnmapStore = "PRAGMA mmap_size=0";

enum class RowKind { kActivity, kPersonChanged, kCompanyChanged, kErased };

std::optional<RowKind> KindOf(std::string_view kind) {
  if (kind == "activity") return RowKind::kActivity;
  if (kind == "person_changed") return RowKind::kPersonChanged;
  if (kind == "company_changed") return RowKind::kCompanyChanged;
  if (kind == "erased") return RowKind::kErased;
  return std::nullopt;
}

// Hands one row of kSql to the builder.
void AddRow(sql::Stmt& s, RowKind kind, BatchBuilder& builder) {
  const Seq seq(s.Int(0));
  const Timestamp at = FromMicros(s.Int(1));
  const int64_t subject = s.Int(3);
  switch (kind) {
    case RowKind::kActivity:
      return builder.Activity(seq, at, subject, s.TextView(4), s.TextView(5));
    case RowKind::kPersonChanged:
      return builder.PersonChanged(seq, at, subject, s.TextView(5));
    case RowKind::kCompanyChanged:
      return builder.CompanyChanged(seq, at, subject, s.TextView(5));
    case RowKind::kErased:
      return builder.Erased(seq, at, subject);
  }
}

// A bounded queue of batches from the reader to one consumer; nullptr ends it.
class BatchQueue {
 public:
  void Push(std::shared_ptr<const DecodedBatch> b) {
    std::unique_lock lock(mu_);
    not_full_.wait(lock, [&] { return q_.size() < kQueueDepth; });
    q_.push_back(std::move(b));
    not_empty_.notify_one();
  }
  std::shared_ptr<const DecodedBatch> Pop() {
    std::unique_lock lock(mu_);
    not_empty_.wait(lock, [&] { return !q_.empty(); });
    auto b = std::move(q_.front());
    q_.pop_front();
    not_full_.notify_one();
    return b;
  }

 private:
  std::mutex mu_;
  std::condition_variable not_full_, not_empty_;
  std::deque<std::shared_ptr<const DecodedBatch>> q_;
};

// Reads the journal into batches, pushing each to every queue. Runs on the caller's thread.
Status ReadBatches(store::Store& store, std::vector<BatchQueue>& queues, JournalReadStats& stats) {
  return store.Read([&](sql::Db& db) {
    (void)db.Exec(kMapStore);
    struct Unmap {
      sql::Db& db;
      ~Unmap() { (void)db.Exec(kUnmapStore); }
    } unmap{db};
    auto st = db.Prepare(kSql);
    if (!st.ok()) return st.status();
    BatchBuilder builder;
    auto hand_on = [&] {
      auto batch = builder.Seal();
      for (auto& q : queues) q.Push(batch);
    };
    while ((*st)->Step()) {
      auto kind = KindOf((*st)->TextView(2));
      if (!kind) continue;
      ++stats.entries;
      stats.activities += *kind == RowKind::kActivity;
      AddRow(**st, *kind, builder);
      if (builder.Full()) hand_on();
    }
    if (!builder.Empty()) hand_on();
    return (*st)->status();
  });
}

// Runs consumer on every batch of q until the end marker. After an exception it keeps
// draining, so the reader never waits on a consumer that stopped.
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
  std::vector<BatchQueue> queues(consumers.size());
  std::vector<Status> failures(consumers.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < consumers.size(); ++i) {
    threads.emplace_back(Consume, std::ref(queues[i]), std::cref(consumers[i]),
                         std::ref(failures[i]));
  }
  JournalReadStats stats;
  Status read;
  try {
    read = ReadBatches(store, queues, stats);
  } catch (const std::exception& e) {
    read = Internal(std::string("reading the journal failed: ") + e.what());
  }
  for (auto& q : queues) q.Push(nullptr);
  for (auto& t : threads) t.join();
  TANDEM_RETURN_IF_ERROR(read);
  for (const Status& f : failures) TANDEM_RETURN_IF_ERROR(f);
  return stats;
}

}  // namespace tandem::ingest
