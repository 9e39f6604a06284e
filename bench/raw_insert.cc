// The baseline for the ingest figure: a plain program inserting the same rows into the same
// schema (journal with its idempotency index, WAL, synchronous=FULL, one transaction per
// batch), with no HTTP, no JSON, no identity resolution and no idempotency checks.
// --timeline eager also inserts each row's key into the timeline table as it goes (the
// straightforward way); --timeline none leaves the timeline out (an upper bound).
//
//   raw_insert DB [--seconds 60] [--batch 1000] [--people 5000] [--prefix raw]
//              [--timeline eager|none]
// Prints one JSON line: {"rows":…, "seconds":…, "per_second":…}
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

int main(int argc, char** argv) {
  if (argc < 2) return std::fprintf(stderr, "usage: raw_insert DB [options]\n"), 2;
  double seconds = 60;
  int batch = 1000, people = 5000;
  std::string prefix = "raw", timeline = "eager";
  for (int i = 2; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--seconds")
      seconds = std::atof(v.c_str());
    else if (k == "--batch")
      batch = std::atoi(v.c_str());
    else if (k == "--people")
      people = std::atoi(v.c_str());
    else if (k == "--prefix")
      prefix = v;
    else if (k == "--timeline")
      timeline = v;
  }
  sqlite3* db;
  if (sqlite3_open(argv[1], &db) != SQLITE_OK) return 1;
  sqlite3_exec(db,
               "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA cache_size=-262144;"
               "CREATE TABLE IF NOT EXISTS journal(seq INTEGER PRIMARY KEY, recorded_at INTEGER "
               "NOT NULL, occurred_at INTEGER NOT NULL, kind TEXT NOT NULL, subject INTEGER, "
               "actor TEXT NOT NULL, cause INTEGER, reason TEXT, type TEXT, source TEXT, "
               "client_id TEXT, digest BLOB, payload TEXT);"
               "CREATE UNIQUE INDEX IF NOT EXISTS journal_idempotency ON journal(source, "
               "client_id) WHERE client_id IS NOT NULL;"
               "CREATE TABLE IF NOT EXISTS timeline(subject INTEGER NOT NULL, occurred_at "
               "INTEGER NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY(subject, occurred_at, seq)) "
               "WITHOUT ROWID;",
               nullptr, nullptr, nullptr);
  sqlite3_stmt *ins, *tl;
  sqlite3_prepare_v2(db, "INSERT INTO timeline VALUES(?,?,?)", -1, &tl, nullptr);
  sqlite3_prepare_v2(db,
                     "INSERT INTO journal(recorded_at, occurred_at, kind, subject, actor, type, "
                     "source, client_id, digest, payload) VALUES(?,?,'activity',?,'user:1',?,"
                     "'bench',?,?,?)",
                     -1, &ins, nullptr);
  const char* types[] = {"page_view", "email_open", "email_click", "form_submit"};
  unsigned char digest[16] = {};
  long long rows = 0;
  auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  char id[64];
  while (elapsed() < seconds) {
    sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    for (int i = 0; i < batch; ++i, ++rows) {
      unsigned long long h = (rows + 1) * 0x9E3779B97F4A7C15ull;
      int n = std::snprintf(id, sizeof id, "%s-0-%lld", prefix.c_str(), rows);
      for (int b = 0; b < 8; ++b) digest[b] = static_cast<unsigned char>(h >> (b * 8));
      sqlite3_bind_int64(ins, 1, 1'790'000'000'000'000 + rows);
      sqlite3_bind_int64(ins, 2,
                         1'780'000'000'000'000 + static_cast<long long>(h % 15'552'000'000'000ull));
      sqlite3_bind_int64(ins, 3, 1 + static_cast<long long>(h % static_cast<unsigned>(people)));
      sqlite3_bind_text(ins, 4, types[h % 4], -1, SQLITE_STATIC);
      sqlite3_bind_text(ins, 5, id, n, SQLITE_STATIC);
      sqlite3_bind_blob(ins, 6, digest, 16, SQLITE_STATIC);
      sqlite3_bind_text(ins, 7, "{\"path\":\"/pricing\"}", -1, SQLITE_STATIC);
      if (sqlite3_step(ins) != SQLITE_DONE) {
        std::fprintf(stderr, "insert failed: %s\n", sqlite3_errmsg(db));
        return 1;
      }
      sqlite3_reset(ins);
      if (timeline == "eager") {
        sqlite3_bind_int64(tl, 1, 1 + static_cast<long long>(h % static_cast<unsigned>(people)));
        sqlite3_bind_int64(
            tl, 2, 1'780'000'000'000'000 + static_cast<long long>(h % 15'552'000'000'000ull));
        sqlite3_bind_int64(tl, 3, sqlite3_last_insert_rowid(db));
        sqlite3_step(tl);
        sqlite3_reset(tl);
      }
    }
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
  }
  double secs = elapsed();
  std::printf("{\"rows\":%lld,\"seconds\":%.2f,\"per_second\":%.0f}\n", rows, secs, rows / secs);
  sqlite3_finalize(ins);
  sqlite3_finalize(tl);
  sqlite3_close(db);
  return 0;
}
