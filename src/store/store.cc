#include "store/store.h"

#include <filesystem>

#include "store/journal.h"
#include "store/schema.h"

namespace tandem::store {
namespace {
constexpr size_t kTimelineFlushAt = 200'000;
}  // namespace

Result<std::unique_ptr<Store>> Store::Open(const std::string& path, const Clock& clock,
                                           const StoreOptions& options) {
  std::unique_ptr<Store> s(new Store(path, clock, options));
  if (options.read_only) {
    if (!std::filesystem::exists(path)) return NotFound("no store at " + path);
    auto probe = s->OpenReader();
    if (!probe.ok()) return probe.status();
    s->idle_readers_.push_back(std::move(*probe));
    return s;
  }
  auto parent = std::filesystem::path(path).parent_path();
  std::error_code ec;
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  auto lock = StoreLock::Acquire(path, options.holder);
  if (!lock.ok()) return lock.status();
  s->lock_.emplace(std::move(*lock));

  sql::OpenOptions o{.read_only = false,
                     .synchronous_full = options.synchronous_full,
                     .cache_bytes = options.cache_bytes};
  auto db = sql::Db::Open(path, o);
  if (!db.ok()) return db.status();
  s->writer_ = std::move(*db);
  TANDEM_RETURN_IF_ERROR(Migrate(*s->writer_));
  auto& max_id = s->writer_->Cached(
      "SELECT MAX(COALESCE((SELECT MAX(id) FROM people), 0), "
      "COALESCE((SELECT MAX(id) FROM companies), 0))");
  if (max_id.Step()) s->next_record_id_ = max_id.Int(0) + 1;
  max_id.Reset();
  TANDEM_RETURN_IF_ERROR(s->LoadPendingTimeline());
  return s;
}

namespace {

int64_t IndexedUpTo(sql::Db& db) {
  auto& s = db.Cached("SELECT value FROM meta WHERE key = 'timeline_indexed_seq'");
  return s.Step() ? std::stoll(s.Text(0)) : 0;
}

}  // namespace

Status Store::LoadPendingTimeline() {
  auto& s = writer_->Cached(
      "SELECT subject, occurred_at, seq FROM journal WHERE seq > ? AND subject IS NOT NULL "
      "AND kind <> ?");
  s.Bind(1, IndexedUpTo(*writer_)).Bind(2, kOffTimelineKind);
  std::vector<TimelineKey> keys;
  while (s.Step()) keys.push_back({s.Int(0), s.Int(1), s.Int(2)});
  TANDEM_RETURN_IF_ERROR(s.status());
  writer_->ResetAll();
  pending_timeline_.Add(keys);
  return Status::Ok();
}

Status Store::FlushTimeline() {
  if (!writer_) return Status::Ok();
  std::lock_guard lock(write_mu_);
  return FlushTimelineLocked();
}

Status Store::FlushTimelineLocked() {
  std::vector<TimelineKey> keys = pending_timeline_.SortedCopy();
  if (keys.empty()) return Status::Ok();
  int64_t upto = 0;
  Status st = sql::InTransaction(*writer_, [&] {
    auto& ins = writer_->Cached("INSERT OR IGNORE INTO timeline VALUES(?,?,?)");
    for (const auto& k : keys) {
      ins.Bind(1, k.subject).Bind(2, k.occurred_at).Bind(3, k.seq);
      TANDEM_RETURN_IF_ERROR(ins.Run());
      upto = std::max(upto, k.seq);
    }
    return writer_
        ->Cached(
            "INSERT INTO meta VALUES('timeline_indexed_seq', ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value")
        .Bind(1, std::to_string(upto))
        .Run();
  });
  if (st.ok()) pending_timeline_.DropUpTo(upto);
  return st;
}

Store::~Store() {
  if (writer_) (void)FlushTimeline();  // spares the next open a journal scan
}

// Group commit: every writer queues its work, then waits for the write lock. Whoever gets
// the lock runs everything queued so far in one transaction, each piece of work in its own
// savepoint, and commits once; a writer whose work was done by another finds it done when it
// gets the lock. Concurrent requests thus share one commit (and one fsync).
Status Store::Write(const std::function<Status(WriteTxn&)>& fn) {
  if (!writer_) return FailedPrecondition("store " + path_ + " is open read-only");
  QueuedWrite mine{&fn};
  {
    std::lock_guard q(queue_mu_);
    queue_.push_back(&mine);
  }
  std::lock_guard lock(write_mu_);
  std::vector<QueuedWrite*> group;
  {
    std::lock_guard q(queue_mu_);
    if (mine.done) return mine.status;
    group.swap(queue_);
  }
  RunGroup(group);
  return mine.status;
}

void Store::RunGroup(const std::vector<QueuedWrite*>& group) {
  int64_t next = next_record_id_;
  Timestamp now = clock_.Now();
  std::vector<std::unique_ptr<WriteTxn>> txns;
  Status st = sql::InTransaction(*writer_, [&] {
    for (QueuedWrite* w : group) {
      TANDEM_RETURN_IF_ERROR(writer_->Exec("SAVEPOINT w"));
      JournalObserver* observer = observers_.observers.empty() ? nullptr : &observers_;
      auto txn = std::make_unique<WriteTxn>(*writer_, now, next, observer, ++write_serial_);
      w->status = (*w->fn)(*txn);
      if (w->status.ok() && observer) w->status = observer->OnWriteEnd(*txn);
      writer_->ResetAll();
      if (!w->status.ok()) {
        txn->RunUndo();
        TANDEM_RETURN_IF_ERROR(writer_->Exec("ROLLBACK TO w"));
      } else {
        txns.push_back(std::move(txn));
      }
      TANDEM_RETURN_IF_ERROR(writer_->Exec("RELEASE w"));
    }
    return Status::Ok();
  });
  if (!st.ok()) {
    for (auto it = txns.rbegin(); it != txns.rend(); ++it) (*it)->RunUndo();
  }
  std::lock_guard q(queue_mu_);
  for (QueuedWrite* w : group) {
    if (!st.ok()) w->status = st;
    w->done = true;
  }
  if (!st.ok()) return;
  next_record_id_ = next;
  std::vector<int64_t> changed;
  for (const auto& txn : txns) {
    pending_timeline_.Add(txn->timeline_keys());
    changed.insert(changed.end(), txn->changed_records().begin(), txn->changed_records().end());
  }
  if (!changed.empty() && on_changed_) on_changed_(changed);
  if (pending_timeline_.size() >= kTimelineFlushAt) {
    // The group is committed; a failed flush only delays the timeline table, and readers
    // still see the keys through pending_timeline_.
    (void)FlushTimelineLocked();
  }
}

void WriteTxn::RunUndo() {
  for (auto it = undo_.rbegin(); it != undo_.rend(); ++it) (*it)();
  undo_.clear();
}

void Store::AddJournalObserver(JournalObserver* observer) {
  std::lock_guard lock(write_mu_);
  observers_.observers.push_back(observer);
}

void Store::RemoveJournalObserver(JournalObserver* observer) {
  std::lock_guard lock(write_mu_);
  std::erase(observers_.observers, observer);
}

void Store::ClearJournalObservers() {
  std::lock_guard lock(write_mu_);
  observers_.observers.clear();
}

Status Store::ObserverChain::OnAppended(WriteTxn& txn, const JournalEntry& entry, Seq seq) {
  for (JournalObserver* o : observers) TANDEM_RETURN_IF_ERROR(o->OnAppended(txn, entry, seq));
  return Status::Ok();
}

Status Store::ObserverChain::OnWriteEnd(WriteTxn& txn) {
  for (JournalObserver* o : observers) TANDEM_RETURN_IF_ERROR(o->OnWriteEnd(txn));
  return Status::Ok();
}

void Store::OnRecordsChanged(std::function<void(const std::vector<int64_t>&)> fn) {
  std::lock_guard lock(write_mu_);
  on_changed_ = std::move(fn);
}

Result<std::unique_ptr<sql::Db>> Store::OpenReader() {
  sql::OpenOptions o{.read_only = true, .cache_bytes = options_.cache_bytes / 4};
  return sql::Db::Open(path_, o);
}

Status Store::Read(const std::function<Status(sql::Db&)>& fn) {
  std::unique_ptr<sql::Db> db;
  {
    std::lock_guard lock(readers_mu_);
    if (!idle_readers_.empty()) {
      db = std::move(idle_readers_.back());
      idle_readers_.pop_back();
    }
  }
  if (!db) {
    auto opened = OpenReader();
    if (!opened.ok()) return opened.status();
    db = std::move(*opened);
  }
  TANDEM_RETURN_IF_ERROR(db->Cached("BEGIN").Run());
  Status st = fn(*db);
  db->ResetAll();
  (void)db->Cached("COMMIT").Run();
  std::lock_guard lock(readers_mu_);
  idle_readers_.push_back(std::move(db));
  return st;
}

}  // namespace tandem::store
