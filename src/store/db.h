// A thin RAII layer over one SQLite connection and its prepared statements.
// A Db is used by one thread at a time; the Store decides which thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace tandem::sql {

// A prepared statement. Bind indexes start at 1; column indexes at 0.
class Stmt {
 public:
  Stmt(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Stmt();
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  Stmt& Bind(int i, int64_t v);
  Stmt& Bind(int i, std::string_view v);  // bound as TEXT; the view must outlive Step()
  Stmt& Bind(int i, const char* v) { return Bind(i, std::string_view(v)); }
  Stmt& BindBlob(int i, std::string_view v);
  Stmt& BindNull(int i);
  Stmt& BindOptional(int i, std::string_view v) { return v.empty() ? BindNull(i) : Bind(i, v); }
  Stmt& BindOptional(int i, int64_t v) { return v == 0 ? BindNull(i) : Bind(i, v); }

  // Advances: true if a row is available, false when done. Errors go to status().
  bool Step();
  // Runs to completion, for statements without result rows.
  Status Run();
  // Resets for reuse and clears bindings.
  void Reset();
  const Status& status() const { return status_; }

  int64_t Int(int col) const;
  std::string Text(int col) const;
  std::string_view TextView(int col) const;  // valid until the next Step or Reset
  bool IsNull(int col) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  Status status_;
};

struct OpenOptions {
  bool read_only = false;
  bool synchronous_full = true;  // fsync the WAL at each commit (acknowledged means durable)
  int64_t cache_bytes = 256ll << 20;
};

class Db {
 public:
  static Result<std::unique_ptr<Db>> Open(const std::string& path, const OpenOptions& opt);
  ~Db();

  // Executes one or more statements without parameters.
  Status Exec(std::string_view sql);
  // A prepared statement cached by its text, reset and ready to bind.
  // REQUIRES: sql is a string literal valid for this schema; a failure to prepare is a
  // programming error and aborts.
  Stmt& Cached(const char* sql);
  // A one-off prepared statement.
  Result<std::unique_ptr<Stmt>> Prepare(std::string_view sql);
  // Resets every cached statement, ending any read they hold open.
  void ResetAll();
  int64_t Changes() const;
  int64_t LastInsertRowId() const;
  sqlite3* raw() { return db_; }

 private:
  explicit Db(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::unordered_map<const char*, std::unique_ptr<Stmt>> cache_;
};

// Runs fn inside BEGIN IMMEDIATE … COMMIT, rolling back if fn returns an error.
template <typename Fn>
Status InTransaction(Db& db, Fn&& fn) {
  TANDEM_RETURN_IF_ERROR(db.Exec("BEGIN IMMEDIATE"));
  Status st = fn();
  db.ResetAll();
  if (!st.ok()) {
    (void)db.Exec("ROLLBACK");
    return st;
  }
  st = db.Exec("COMMIT");
  if (!st.ok()) (void)db.Exec("ROLLBACK");
  return st;
}

}  // namespace tandem::sql
