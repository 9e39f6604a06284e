#include "store/db.h"

#include <sqlite3.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace tandem::sql {
namespace {

Status SqlError(sqlite3* db, int rc, std::string_view what) {
  Code code = Code::kInternal;
  if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) code = Code::kUnavailable;
  if (rc == SQLITE_CONSTRAINT) code = Code::kConflict;
  if (rc == SQLITE_FULL) code = Code::kUnavailable;
  return {code, std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc))};
}

}  // namespace

Stmt::~Stmt() { sqlite3_finalize(stmt_); }

Stmt& Stmt::Bind(int i, int64_t v) {
  sqlite3_bind_int64(stmt_, i, v);
  return *this;
}
Stmt& Stmt::Bind(int i, std::string_view v) {
  sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
  return *this;
}
Stmt& Stmt::BindBlob(int i, std::string_view v) {
  sqlite3_bind_blob(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
  return *this;
}
Stmt& Stmt::BindNull(int i) {
  sqlite3_bind_null(stmt_, i);
  return *this;
}

bool Stmt::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc != SQLITE_DONE) status_ = SqlError(db_, rc, "sqlite step");
  return false;
}

Status Stmt::Run() {
  while (Step()) {
  }
  Status st = status_;
  Reset();
  return st;
}

void Stmt::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  status_ = Status::Ok();
}

int64_t Stmt::Int(int col) const { return sqlite3_column_int64(stmt_, col); }
std::string Stmt::Text(int col) const { return std::string(TextView(col)); }
std::string_view Stmt::TextView(int col) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  if (!p) return {};
  return {p, static_cast<size_t>(sqlite3_column_bytes(stmt_, col))};
}
bool Stmt::IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

Result<std::unique_ptr<Db>> Db::Open(const std::string& path, const OpenOptions& opt) {
  // Memory statistics take a process-wide mutex on every allocation; Tandem reads none.
  static std::once_flag configured;
  std::call_once(configured, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
  sqlite3* raw = nullptr;
  int flags = SQLITE_OPEN_NOMUTEX |
              (opt.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  if (rc != SQLITE_OK) {
    Status st = SqlError(raw, rc, "cannot open store " + path);
    sqlite3_close(raw);
    return st;
  }
  std::unique_ptr<Db> db(new Db(raw));
  sqlite3_busy_timeout(raw, 5000);
  std::string pragmas = "PRAGMA cache_size=-" + std::to_string(opt.cache_bytes / 1024) +
                        "; PRAGMA temp_store=MEMORY; PRAGMA foreign_keys=OFF;";
  if (!opt.read_only) {
    pragmas += "PRAGMA journal_mode=WAL; PRAGMA synchronous=";
    pragmas += opt.synchronous_full ? "FULL;" : "NORMAL;";
    // Checkpoint every 10,000 pages (40 MB) rather than 1,000: a page written by many commits
    // is copied into the database file once, and the file is fsynced a tenth as often.
    pragmas += "PRAGMA wal_autocheckpoint=10000;";
  }
  TANDEM_RETURN_IF_ERROR(db->Exec(pragmas));
  return db;
}

Db::~Db() {
  cache_.clear();
  sqlite3_close(db_);
}

Status Db::Exec(std::string_view sql) {
  std::string text(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    Status st = SqlError(nullptr, rc, std::string("sqlite exec: ") + (err ? err : ""));
    sqlite3_free(err);
    return st;
  }
  return Status::Ok();
}

Stmt& Db::Cached(const char* sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) {
    it->second->Reset();
    return *it->second;
  }
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) {  // CHECK: the statement is the program's own text
    std::fprintf(stderr, "FATAL: cannot prepare: %s in %s\n", sqlite3_errmsg(db_), sql);
    std::abort();
  }
  auto owned = std::make_unique<Stmt>(db_, stmt);
  return *cache_.emplace(sql, std::move(owned)).first->second;
}

Result<std::unique_ptr<Stmt>> Db::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) return SqlError(db_, rc, "sqlite prepare");
  return std::make_unique<Stmt>(db_, stmt);
}

int64_t Db::Changes() const { return sqlite3_changes64(db_); }

}  // namespace tandem::sql

namespace tandem::sql {
void Db::ResetAll() {
  for (auto& [sql, stmt] : cache_) stmt->Reset();
}

int64_t Db::LastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }
}  // namespace tandem::sql
