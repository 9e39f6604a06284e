// CSV import of people, companies and activities (DESIGN.md, "CSV import"): columns matched
// to fields, rows validated one by one, good rows written in batches, bad rows reported and
// written back out to FILE.rejected.csv with an `error` column.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "base/status.h"
#include "base/time.h"
#include "store/store.h"

namespace tandem::ingest {

enum class ImportKind { kPeople, kCompanies, kActivities };

struct ImportProgress {
  int64_t rows_done = 0;
  int64_t bytes_done = 0;
  int64_t total_bytes = 0;  // the file's size
};

struct ImportOptions {
  // Activities: the source of rows without a `source` column (part of their idempotency key).
  std::string source = "csv";
  // --map: CSV header → field name, overriding the built-in names and aliases. Headers are
  // matched case-insensitively after trimming. A field name of the kind, "custom.NAME"
  // (people: a custom field; activities: a property), or "-" to skip the column.
  std::map<std::string, std::string> column_map;
  // Computes the full report but writes nothing, not even FILE.rejected.csv.
  bool dry_run = false;
  std::string phone_region = "US";  // for phones without a country code
  std::string actor;                // journaled as who; empty means "import:<file name>"
  // Called after each batch and at the end.
  std::function<void(const ImportProgress&)> progress;
  size_t batch_rows = 2000;  // rows per write transaction
  // Activities more than this far past now are refused.
  Duration max_future = std::chrono::hours(24);
};

// One problem with one row. `reason` is stable wording that names the column when there is
// one ("column 'E-mail': e-mail must have exactly one '@' …"); `column` is that header, or
// empty when the row as a whole is at fault.
struct RowProblem {
  int64_t row = 0;  // as a user counts lines in the file: the header is row 1
  std::string column;
  std::string reason;
};

// A column with no field of its own: people keep it as a custom field, activities as a
// property; companies ignore it.
struct ExtraColumn {
  std::string column;  // the header as written
  std::string field;   // the custom field or property name; empty when ignored
};

struct ImportReport {
  int64_t rows_read = 0;  // data rows, the header not counted
  int64_t imported = 0;   // created (activities: stored)
  int64_t updated = 0;
  int64_t unchanged = 0;       // matched and already so (activities: duplicates); nothing written
  int64_t people_created = 0;  // activities: people created for unknown e-mails or ids
  std::vector<RowProblem> rejected;  // in row order
  std::vector<RowProblem> warnings;  // the row was kept
  std::vector<ExtraColumn> extra_columns;
  std::string rejected_file;  // where rejected rows were written; empty if none (or dry run)
  bool dry_run = false;
};

// Imports the CSV file at path. Header names map to fields as DESIGN.md lists them, with
// common aliases ("E-mail", "Job Title", "Website", …) and opt.column_map overrides.
//
// People match by external_id, then by any e-mail, and are updated (or created); companies
// match by domain, then by name; activities are stored once per (source, id), an id being
// derived from the row's content when the file has none. Importing the same file again
// changes nothing. A bad row never stops the import or undoes good ones.
//
// Errors (the file as a whole): kNotFound if path cannot be opened; kInvalidArgument if it is
// empty, its header is malformed, two columns give the same single-valued field, a --map entry
// names no column or no field, or no column can identify the record. A batch the store
// refuses is retried row by row and only the failing rows are rejected; if the store refuses
// every row alike (e.g. it is read-only), that error is returned and the rows of earlier
// batches stay imported.
Result<ImportReport> ImportCsv(store::Store& store, ImportKind kind, const std::string& path,
                               const ImportOptions& opt);

inline Result<ImportReport> ImportPeople(store::Store& store, const std::string& path,
                                         const ImportOptions& opt) {
  return ImportCsv(store, ImportKind::kPeople, path, opt);
}
inline Result<ImportReport> ImportCompanies(store::Store& store, const std::string& path,
                                            const ImportOptions& opt) {
  return ImportCsv(store, ImportKind::kCompanies, path, opt);
}
inline Result<ImportReport> ImportActivities(store::Store& store, const std::string& path,
                                             const ImportOptions& opt) {
  return ImportCsv(store, ImportKind::kActivities, path, opt);
}

// Where rejected rows of path go: "people.csv" → "people.rejected.csv" (a path not ending in
// ".csv" gets ".rejected.csv" appended).
std::string RejectedFilePath(const std::string& path);

}  // namespace tandem::ingest
