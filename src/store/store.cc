#include "store/store.h"

#include <filesystem>

#include "store/schema.h"

namespace tandem::store {

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
  return s;
}

Store::~Store() = default;

Status Store::Write(const std::function<Status(WriteTxn&)>& fn) {
  if (!writer_) return FailedPrecondition("store " + path_ + " is open read-only");
  std::lock_guard lock(write_mu_);
  int64_t next = next_record_id_;
  WriteTxn txn(*writer_, clock_.Now(), next);
  Status st = sql::InTransaction(*writer_, [&] { return fn(txn); });
  if (st.ok()) next_record_id_ = next;
  return st;
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
  TANDEM_RETURN_IF_ERROR(db->Exec("BEGIN"));
  Status st = fn(*db);
  db->ResetAll();
  (void)db->Exec("COMMIT");
  std::lock_guard lock(readers_mu_);
  idle_readers_.push_back(std::move(db));
  return st;
}

}  // namespace tandem::store
