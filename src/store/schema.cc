#include "store/schema.h"

#include <array>
#include <string>

namespace tandem::store {
namespace {

// Never edit a migration that has shipped; add a new one.
constexpr std::array<const char*, 3> kMigrations{
    // 1: people, companies, users, tokens, the journal.
    R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

CREATE TABLE teams(
  id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, manager_id INTEGER,
  time_zone TEXT NOT NULL DEFAULT 'UTC',
  business_hours TEXT NOT NULL DEFAULT 'Mon-Fri 09:00-17:00',
  holidays TEXT NOT NULL DEFAULT '[]');

CREATE TABLE users(
  id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL, team_id INTEGER, out_of_office INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL);

CREATE TABLE tokens(
  id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL, hash BLOB NOT NULL UNIQUE,
  label TEXT NOT NULL DEFAULT '', created_at INTEGER NOT NULL,
  expires_at INTEGER, revoked_at INTEGER);

-- People and companies share one id space, so a journal subject names exactly one record.
CREATE TABLE companies(
  id INTEGER PRIMARY KEY, name TEXT NOT NULL, domain TEXT, industry TEXT, size_band TEXT,
  country TEXT, owner_id INTEGER, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
CREATE UNIQUE INDEX companies_domain ON companies(domain) WHERE domain IS NOT NULL;
CREATE INDEX companies_name ON companies(name);

-- Personal fields live here, not in the journal, so an erasure can wipe them.
CREATE TABLE people(
  id INTEGER PRIMARY KEY, first_name TEXT, last_name TEXT, job_title TEXT, country TEXT,
  company_id INTEGER, owner_id INTEGER, stage TEXT NOT NULL,
  consent TEXT NOT NULL DEFAULT '{}', custom TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, erased_at INTEGER);
CREATE INDEX people_stage ON people(stage, id);
CREATE INDEX people_owner ON people(owner_id, id);
CREATE INDEX people_company ON people(company_id, id);
CREATE INDEX people_updated ON people(updated_at);

CREATE TABLE person_emails(
  email TEXT PRIMARY KEY, person_id INTEGER NOT NULL, position INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX person_emails_person ON person_emails(person_id, position);
CREATE TABLE person_phones(
  person_id INTEGER NOT NULL, position INTEGER NOT NULL, e164 TEXT, raw TEXT NOT NULL,
  PRIMARY KEY(person_id, position)) WITHOUT ROWID;
CREATE TABLE person_external_ids(
  external_id TEXT PRIMARY KEY, person_id INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX person_external_ids_person ON person_external_ids(person_id);

CREATE TABLE activity_types(
  name TEXT PRIMARY KEY, category TEXT NOT NULL, builtin INTEGER NOT NULL) WITHOUT ROWID;

-- The append-only journal. Everything but payload is immutable; payload holds the personal
-- part (activity properties, changed field values) and is wiped by an erasure, while digest
-- keeps proving what the content was.
CREATE TABLE journal(
  seq INTEGER PRIMARY KEY,
  recorded_at INTEGER NOT NULL, occurred_at INTEGER NOT NULL,
  kind TEXT NOT NULL, subject INTEGER, actor TEXT NOT NULL, cause INTEGER, reason TEXT,
  type TEXT, source TEXT, client_id TEXT, digest BLOB, payload TEXT);
CREATE UNIQUE INDEX journal_idempotency ON journal(source, client_id)
  WHERE client_id IS NOT NULL;
-- Each subject's entries by time. Written in sorted bulk from store/pending_timeline.h;
-- meta 'timeline_indexed_seq' is the journal seq up to which it is complete.
CREATE TABLE timeline(
  subject INTEGER NOT NULL, occurred_at INTEGER NOT NULL, seq INTEGER NOT NULL,
  PRIMARY KEY(subject, occurred_at, seq)) WITHOUT ROWID;
)sql",
    // 2: versions of the qualification policy document (store/documents.h).
    R"sql(
CREATE TABLE policy_versions(
  version INTEGER PRIMARY KEY, name TEXT NOT NULL, toml TEXT NOT NULL, status TEXT NOT NULL,
  author_id INTEGER, created_at INTEGER NOT NULL,
  marketing_approver INTEGER, marketing_approved_at INTEGER,
  sales_approver INTEGER, sales_approved_at INTEGER,
  activated_at INTEGER, activated_seq INTEGER);
)sql",
    // 3: the SLA document's versions (store/documents.h) and the outbox (store/outbox.h).
    R"sql(
CREATE TABLE sla_versions(
  version INTEGER PRIMARY KEY, name TEXT NOT NULL, toml TEXT NOT NULL, status TEXT NOT NULL,
  author_id INTEGER, created_at INTEGER NOT NULL,
  marketing_approver INTEGER, marketing_approved_at INTEGER,
  sales_approver INTEGER, sales_approved_at INTEGER,
  activated_at INTEGER, activated_seq INTEGER);

CREATE TABLE outbox(
  id INTEGER PRIMARY KEY, seq INTEGER NOT NULL, channel TEXT NOT NULL, target TEXT NOT NULL,
  event TEXT NOT NULL, subject TEXT NOT NULL DEFAULT '', body TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL, next_attempt_at INTEGER NOT NULL, last_error TEXT,
  delivered_at INTEGER);
CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE status = 'pending';
)sql",
};

Result<int> CurrentVersion(sql::Db& db) {
  TANDEM_RETURN_IF_ERROR(
      db.Exec("CREATE TABLE IF NOT EXISTS schema_migrations(version INTEGER PRIMARY KEY, "
              "applied_at INTEGER NOT NULL)"));
  auto st = db.Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  if (!st.ok()) return st.status();
  (*st)->Step();
  return static_cast<int>((*st)->Int(0));
}

}  // namespace

int LatestSchemaVersion() { return static_cast<int>(kMigrations.size()); }

Status Migrate(sql::Db& db) {
  auto current = CurrentVersion(db);
  if (!current.ok()) return current.status();
  if (*current > LatestSchemaVersion()) {
    return FailedPrecondition("store schema version " + std::to_string(*current) +
                              " is newer than this program's " +
                              std::to_string(LatestSchemaVersion()) + "; upgrade tandem");
  }
  for (int v = *current + 1; v <= LatestSchemaVersion(); ++v) {
    TANDEM_RETURN_IF_ERROR(sql::InTransaction(db, [&] {
      TANDEM_RETURN_IF_ERROR(db.Exec(kMigrations[v - 1]));
      return db.Exec("INSERT INTO schema_migrations VALUES(" + std::to_string(v) +
                     ", unixepoch() * 1000000)");
    }));
  }
  return Status::Ok();
}

}  // namespace tandem::store
