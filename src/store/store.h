// The store: one SQLite database in WAL mode holding the journal and the current views.
//
// Thread-safety: all methods are safe to call from any thread. Writes are serialised on one
// connection (SQLite allows one writer); reads run concurrently on pooled connections.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/ids.h"
#include "base/status.h"
#include "base/time.h"
#include "store/db.h"
#include "store/pending_timeline.h"
#include "store/store_lock.h"

namespace tandem::store {

struct StoreOptions {
  // Who is opening it, written into the lock file ("server http://…", "tandem import").
  std::string holder = "tandem";
  // Read-only opens take no lock and never migrate.
  bool read_only = false;
  bool synchronous_full = true;
  int64_t cache_bytes = 256ll << 20;
};

class WriteTxn;
struct JournalEntry;

// Hears of every journal entry as it is appended, inside the write transaction, so derived
// decisions (scores, stages) commit or roll back with their cause. The store calls it after
// each AppendJournal/AppendActivity that wrote a row (entry.seq is not filled in; seq is the
// one assigned); a non-ok status fails the write. Implementations may append further entries
// (they are observed too).
class JournalObserver {
 public:
  virtual ~JournalObserver() = default;
  virtual Status OnAppended(WriteTxn& txn, const JournalEntry& entry, Seq seq) = 0;
  // Called once a write's function has succeeded, still inside it, so an observer may journal
  // what it gathered over the whole write as one entry (observed too). A non-ok status fails
  // the write.
  virtual Status OnWriteEnd(WriteTxn& txn) {
    (void)txn;
    return Status::Ok();
  }
};

// What a write transaction sees: the connection, the time of the write, and id allocation.
class WriteTxn {
 public:
  WriteTxn(sql::Db& db, Timestamp now, int64_t& next_id, JournalObserver* observer = nullptr,
           uint64_t serial = 0)
      : db_(db), now_(now), next_id_(next_id), observer_(observer), serial_(serial) {}
  sql::Db& db() { return db_; }
  Timestamp now() const { return now_; }
  // A new id for a person or company (they share one id space).
  int64_t NextRecordId() { return next_id_++; }
  // Records a journal entry's timeline key; it becomes visible to readers at commit.
  void NoteTimeline(const TimelineKey& key) { timeline_.push_back(key); }
  const std::vector<TimelineKey>& timeline_keys() const { return timeline_; }
  // Records that a person or company row changed; listeners hear of it after commit.
  void NoteRecordChanged(int64_t id) { changed_.push_back(id); }
  const std::vector<int64_t>& changed_records() const { return changed_; }
  // Registers an undo for in-memory state changed by this write; run newest first if the
  // write rolls back (its own failure, or the group's commit failing).
  void OnRollback(std::function<void()> undo) { undo_.push_back(std::move(undo)); }
  void RunUndo();
  JournalObserver* observer() const { return observer_; }
  // Distinct for every write the store runs (for observers that keep per-write state).
  uint64_t serial() const { return serial_; }

 private:
  sql::Db& db_;
  Timestamp now_;
  int64_t& next_id_;
  JournalObserver* observer_;
  uint64_t serial_;
  std::vector<std::function<void()>> undo_;
  std::vector<TimelineKey> timeline_;
  std::vector<int64_t> changed_;
};

class Store {
 public:
  // Opens (creating if needed) and migrates the store at path. Fails with
  // kFailedPrecondition if another process holds it for writing.
  static Result<std::unique_ptr<Store>> Open(const std::string& path, const Clock& clock,
                                             const StoreOptions& options = {});
  ~Store();

  // Runs fn in a transaction: commits its changes if it returns ok, else rolls them back.
  // When this returns ok, the change is durable. Concurrent calls may share one commit
  // (group commit); each fn still sees only its own effects undone on failure.
  Status Write(const std::function<Status(WriteTxn&)>& fn);

  // Runs fn on a read connection with a consistent snapshot.
  Status Read(const std::function<Status(sql::Db&)>& fn);

  // Calls fn with the ids of the person and company rows each commit changed, after the
  // commit and before the writers hear of it (so a cache it clears is never behind a write
  // its caller saw). One listener; an empty fn removes it. fn must be quick and thread-safe.
  void OnRecordsChanged(std::function<void(const std::vector<int64_t>&)> fn);

  // Adds an observer every later write reports to, after those added before it (so an
  // observer hears of the entries earlier ones append). It must outlive its registration.
  void AddJournalObserver(JournalObserver* observer);
  // Removes observer; nothing if it is not registered.
  void RemoveJournalObserver(JournalObserver* observer);
  // Removes every observer (a server measuring ingest without the engine).
  void ClearJournalObservers();

  // Timeline keys not yet in the timeline table; readers merge them in (journal.h).
  const PendingTimeline& pending_timeline() const { return pending_timeline_; }
  // Writes every pending timeline key into the timeline table now.
  Status FlushTimeline();

  const std::string& path() const { return path_; }
  const Clock& clock() const { return clock_; }

 private:
  Store(std::string path, const Clock& clock, StoreOptions options)
      : path_(std::move(path)), clock_(clock), options_(std::move(options)) {}
  Result<std::unique_ptr<sql::Db>> OpenReader();
  struct QueuedWrite {
    const std::function<Status(WriteTxn&)>* fn;
    Status status;
    bool done = false;  // guarded by queue_mu_
  };
  // Runs a group of queued writes in one transaction. REQUIRES: write_mu_ held.
  void RunGroup(const std::vector<QueuedWrite*>& group);
  Status LoadPendingTimeline();
  Status FlushTimelineLocked();  // REQUIRES: write_mu_ held

  std::string path_;
  const Clock& clock_;
  StoreOptions options_;
  std::optional<StoreLock> lock_;

  std::mutex write_mu_;
  std::unique_ptr<sql::Db> writer_;  // guarded by write_mu_
  int64_t next_record_id_ = 1;       // guarded by write_mu_
  PendingTimeline pending_timeline_;

  std::function<void(const std::vector<int64_t>&)> on_changed_;  // guarded by write_mu_
  // Tells each registered observer in turn; the first failure fails the write.
  class ObserverChain final : public JournalObserver {
   public:
    Status OnAppended(WriteTxn& txn, const JournalEntry& entry, Seq seq) override;
    Status OnWriteEnd(WriteTxn& txn) override;
    std::vector<JournalObserver*> observers;
  };
  ObserverChain observers_;  // guarded by write_mu_
  uint64_t write_serial_ = 0;                                     // guarded by write_mu_

  std::mutex queue_mu_;
  std::vector<QueuedWrite*> queue_;  // guarded by queue_mu_; writes waiting for a leader

  std::mutex readers_mu_;
  std::vector<std::unique_ptr<sql::Db>> idle_readers_;  // guarded by readers_mu_
};

}  // namespace tandem::store
