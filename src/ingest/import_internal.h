// The CSV importer's parts and what they share; private to import_*.cc. The public API is
// import.h.
//
// How a run flows (import_runner.cc): the header is mapped to columns (import_columns.cc), each
// data row is checked and queued by the kind's RowImporter (import_people.cc,
// import_companies.cc, import_activities.cc), and every batch_rows rows the queue is flushed
// in one write transaction (people and companies through RecordImporter, import_records.cc;
// activities through StoreActivities). Rejected rows are gathered in the ImportContext and
// written out by the runner in row order.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/strings.h"
#include "ingest/csv.h"
#include "ingest/import.h"
#include "ingest/records.h"
#include "store/store.h"

namespace tandem::ingest::import_internal {

// What a column gives. kExtra: a custom field (people) or a property (activities).
enum class Field {
  kSkip,
  kExtra,
  kEmail,
  kFirstName,
  kLastName,
  kPhone,
  kJobTitle,
  kCompany,
  kCompanyDomain,
  kCountry,
  kOwnerEmail,
  kExternalId,
  kName,
  kDomain,
  kIndustry,
  kSizeBand,
  kId,
  kType,
  kPersonId,
  kOccurredAt,
  kSource
};

struct Column {
  std::string header;  // trimmed, as written
  Field field = Field::kSkip;
  std::string extra;  // kExtra: the custom field or property name
};

// A field of one kind: its name, then the column keys that also mean it (see ColumnKey in
// import_columns.cc).
struct FieldSpec {
  Field field;
  std::string_view keys;  // space-separated; the first is the field's own name

  std::string_view name() const { return keys.substr(0, keys.find(' ')); }
  bool Matches(std::string_view key) const {
    for (auto k : Split(keys, ' ')) {
      if (k == key) return true;
    }
    return false;
  }
};

// ---- Header → columns (import_columns.cc) ----

// The field of kind whose own name is name ("email", "first_name", …), if any.
std::optional<Field> FieldNamed(ImportKind kind, std::string_view name);

// Maps header names to columns, applying the --map overrides and listing the columns that
// have no field in extras. Trailing empty names are dropped. kInvalidArgument as ImportCsv
// describes for the header and --map.
Result<std::vector<Column>> MapHeader(ImportKind kind, std::vector<std::string> names,
                                      const std::map<std::string, std::string>& overrides,
                                      std::vector<ExtraColumn>& extras);

// ---- Rows and their problems ----

enum class Outcome { kCreated, kUpdated, kUnchanged };

using TxnFn = std::function<Status(store::WriteTxn&)>;
using BatchWriter = std::function<Status(const TxnFn&)>;

// What a run's parts share. Owned by ImportCsv; single-threaded.
struct ImportContext {
  store::Store& store;
  const ImportOptions& opt;
  ImportKind kind;
  std::vector<Column> cols;
  std::string file_name;
  ImportReport& report;
  std::string actor;
  // Runs fn as one transaction (a dry run: as one savepoint of a transaction rolled back).
  BatchWriter write;
  // The current batch's rejected rows, in any order; the driver writes them out sorted.
  std::vector<std::pair<RowProblem, CsvRecord>> rejects;

  void Reject(RowProblem p, const CsvRecord& rec) { rejects.emplace_back(std::move(p), rec); }
  const Column* ColumnOf(Field f) const {
    for (const auto& c : cols) {
      if (c.field == f) return &c;
    }
    return nullptr;
  }
  RecordOptions RecordOptionsFor(int64_t row) const {
    return {.actor = actor,
            .phone_region = opt.phone_region,
            .reason = "import " + file_name + " row " + std::to_string(row)};
  }
};

// One kind's rows: checked without the store as they are read, written a batch at a time.
class RowImporter {
 public:
  virtual ~RowImporter() = default;
  // Checks a row of the header's width and queues it, or rejects it through the context.
  virtual void Add(const CsvRecord& rec) = 0;
  // Writes the queued rows; counts go to the report, rejections to the context.
  virtual Status Flush() = 0;
};

std::unique_ptr<RowImporter> MakePeopleImporter(ImportContext& ctx);      // import_people.cc
std::unique_ptr<RowImporter> MakeCompaniesImporter(ImportContext& ctx);   // import_companies.cc
std::unique_ptr<RowImporter> MakeActivitiesImporter(ImportContext& ctx);  // import_activities.cc

inline RowProblem Problem(int64_t row, const Column* col, const std::string& why) {
  if (!col) return {row, "", why};
  return {row, col->header, "column '" + col->header + "': " + why};
}

// A row rejection as a Status, so it can leave a transaction and undo the row's writes.
inline Status RejectStatus(const RowProblem& p) {
  return InvalidArgument(p.reason, {{p.column, p.reason}});
}

// A row's failed status as its problem; the column is named only if the status came from
// RejectStatus.
inline RowProblem FromStatus(int64_t row, const Status& st) {
  bool ours = st.errors().size() == 1 && st.errors()[0].reason == st.message();
  return {row, ours ? st.errors()[0].field : "", st.message()};
}

inline bool IsExternalId(std::string_view v) {
  auto colon = v.find(':');
  return colon != std::string_view::npos && colon > 0 && colon + 1 < v.size() && v.size() <= 256;
}

// ---- People and companies (import_records.cc) ----

// Checks an owner column's cell: a valid e-mail goes to out, anything else is a warning.
void CheckOwnerEmail(int64_t row, const Column& c, std::string_view v, std::string& out,
                     std::vector<RowProblem>& warnings);

// The user with the owner e-mail, if any; a warning naming col if there is none.
std::optional<UserId> ResolveOwner(sql::Db& db, const Column* col, const std::string& email,
                                   int64_t row, std::vector<RowProblem>& warnings);

// Rows are applied in order inside one transaction per batch. A row refused before it wrote
// anything is simply rejected. A row refused after writing (rare: validation comes first)
// taints the transaction, which is rolled back and run again without that row: no savepoint
// is used, since a write transaction also gathers state outside SQLite (timeline keys).
// If the batch still fails, its rows are applied one transaction each, so that only the bad
// rows are lost; a failure every row shares (the store refuses writes) is returned.
class RecordImporter : public RowImporter {
 public:
  explicit RecordImporter(ImportContext& ctx) : ctx_(ctx) {}

  Status Flush() override;

 protected:
  using ApplyFn =
      std::function<Status(store::WriteTxn&, Outcome&, std::vector<RowProblem>& warnings)>;
  // A row checked without the store. apply writes it; a non-ok status rejects the row.
  struct QueuedRow {
    CsvRecord rec;
    std::vector<RowProblem> warnings;
    ApplyFn apply;
  };

  // A records.h error as a row rejection naming the column that gave the field.
  Status Explain(const Status& st, int64_t row) const;

  ImportContext& ctx_;
  std::vector<QueuedRow> queue_;

 private:
  struct Done {
    Status status;
    Outcome outcome = Outcome::kUnchanged;
    std::vector<RowProblem> warnings;
  };

  const Column* ColumnForRecordField(std::string_view field) const;
  // One attempt at the batch, skipping excluded rows (they keep their earlier status). Sets
  // tainted to a row that failed after writing; the attempt is then rolled back.
  Status ApplyBatch(std::vector<Done>& done, const std::vector<bool>& excluded,
                    std::optional<size_t>& tainted);
  void ApplyOneByOne(std::vector<Done>& done);
  void Count(std::vector<Done>& done);
};

}  // namespace tandem::ingest::import_internal
