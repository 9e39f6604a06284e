// Running an import: the header read and mapped, every data row checked for shape and handed
// to the kind's importer, batches flushed, rejected rows written to FILE.rejected.csv, and
// the dry run (everything inside one transaction that is rolled back).
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>

#include "ingest/import.h"
#include "ingest/import_internal.h"

namespace tandem::ingest {
namespace import_internal {
namespace {

// Runs fn inside a savepoint, undoing its writes if it fails; fn's status goes to result.
// Returns the savepoint's own status: if that fails the transaction is unusable.
template <typename Fn>
Status InSavepoint(sql::Db& db, const std::string& name, Fn&& fn, Status& result) {
  TANDEM_RETURN_IF_ERROR(db.Exec("SAVEPOINT " + name));
  result = fn();
  if (result.ok()) return db.Exec("RELEASE " + name);
  db.ResetAll();
  TANDEM_RETURN_IF_ERROR(db.Exec("ROLLBACK TO " + name));
  return db.Exec("RELEASE " + name);
}

std::unique_ptr<RowImporter> MakeRowImporter(ImportContext& ctx) {
  switch (ctx.kind) {
    case ImportKind::kPeople:
      return MakePeopleImporter(ctx);
    case ImportKind::kCompanies:
      return MakeCompaniesImporter(ctx);
    case ImportKind::kActivities:
      return MakeActivitiesImporter(ctx);
  }
  return nullptr;
}

// A problem with the record's shape or syntax, if any; tolerates extra empty trailing fields
// (trailing commas) by dropping them.
std::optional<RowProblem> CheckShape(CsvRecord& rec, const std::vector<Column>& cols) {
  if (!rec.ok()) {
    bool named = rec.error_field >= 0 && static_cast<size_t>(rec.error_field) < cols.size();
    if (!named) return RowProblem{rec.row, "", rec.error};
    const std::string& h = cols[rec.error_field].header;
    return RowProblem{rec.row, h, "column '" + h + "': " + rec.error};
  }
  size_t width = cols.size();
  bool extras_empty = std::all_of(rec.fields.begin() + std::min(width, rec.fields.size()),
                                  rec.fields.end(), [](const auto& f) { return Trim(f).empty(); });
  if (rec.fields.size() > width && extras_empty) rec.fields.resize(width);
  if (rec.fields.size() == width) return std::nullopt;
  return RowProblem{rec.row, "",
                    "row has " + std::to_string(rec.fields.size()) + " fields; the header has " +
                        std::to_string(width)};
}

// FILE.rejected.csv, opened on the first rejected row. Rows keep their original text when it
// did not parse, else are rewritten with exactly the header's columns plus `error`.
class RejectedFile {
 public:
  RejectedFile(std::string path, const std::vector<Column>& cols) : path_(std::move(path)) {
    for (const auto& c : cols) header_.push_back(c.header);
    header_.push_back("error");
  }

  Status Write(const CsvRecord& rec, const std::string& reason) {
    if (!opened_) {
      opened_ = true;
      out_.open(path_, std::ios::binary | std::ios::trunc);
      out_ << FormatCsvRecord(header_) << '\n';
    }
    if (rec.ok() && rec.fields.size() + 1 == header_.size()) {
      std::vector<std::string> fields = rec.fields;
      fields.push_back(reason);
      out_ << FormatCsvRecord(fields) << '\n';
    } else {
      out_ << rec.raw << ',' << FormatCsvField(reason) << '\n';
    }
    if (!out_)
      return Internal("cannot write rejected rows to " + path_ + ": " + std::strerror(errno));
    return Status::Ok();
  }
  Status Close() {
    if (!out_.is_open()) return Status::Ok();
    out_.close();
    if (!out_) return Internal("cannot write rejected rows to " + path_);
    return Status::Ok();
  }
  bool used() const { return opened_; }

 private:
  std::string path_;
  std::vector<std::string> header_;
  std::ofstream out_;
  bool opened_ = false;
};

// Reads every data row, queues it with the kind's importer, and flushes in batches.
class Driver {
 public:
  Driver(ImportContext& ctx, CsvReader& reader, RowImporter& rows, RejectedFile* rejected,
         int64_t total_bytes)
      : ctx_(ctx), reader_(reader), rows_(rows), rejected_(rejected), total_(total_bytes) {}

  Status Run() {
    CsvRecord rec;
    size_t in_batch = 0;
    while (reader_.Next(rec)) {
      ++ctx_.report.rows_read;
      if (auto bad = CheckShape(rec, ctx_.cols)) {
        ctx_.Reject(std::move(*bad), rec);
      } else {
        rows_.Add(rec);
      }
      if (++in_batch >= std::max<size_t>(ctx_.opt.batch_rows, 1)) {
        TANDEM_RETURN_IF_ERROR(Flush());
        in_batch = 0;
      }
    }
    return Flush();
  }

 private:
  Status Flush() {
    TANDEM_RETURN_IF_ERROR(rows_.Flush());
    std::stable_sort(ctx_.rejects.begin(), ctx_.rejects.end(),
                     [](const auto& a, const auto& b) { return a.first.row < b.first.row; });
    for (auto& [problem, rec] : ctx_.rejects) {
      if (rejected_) TANDEM_RETURN_IF_ERROR(rejected_->Write(rec, problem.reason));
      ctx_.report.rejected.push_back(std::move(problem));
    }
    ctx_.rejects.clear();
    if (ctx_.opt.progress) {
      ctx_.opt.progress({ctx_.report.rows_read, reader_.bytes_read(), total_});
    }
    return Status::Ok();
  }

  ImportContext& ctx_;
  CsvReader& reader_;
  RowImporter& rows_;
  RejectedFile* rejected_;
  int64_t total_;
};

// Runs the whole import inside one transaction that is rolled back, each batch in a
// savepoint, so later rows see what earlier ones would have created.
Status RunDry(store::Store& store, ImportContext& ctx, const std::function<Status()>& run) {
  bool finished = false;
  Status st = store.Write([&](store::WriteTxn& txn) {
    ctx.write = [&txn](const TxnFn& fn) {
      Status inner;
      TANDEM_RETURN_IF_ERROR(InSavepoint(
          txn.db(), "import_batch", [&] { return fn(txn); }, inner));
      return inner;
    };
    TANDEM_RETURN_IF_ERROR(run());
    finished = true;
    return FailedPrecondition("dry run: rolled back");
  });
  return finished ? Status::Ok() : st;
}

// Reads the header row and maps it to columns; errors name the file.
Result<std::vector<Column>> ReadHeader(CsvReader& reader, const std::string& path, ImportKind kind,
                                       const ImportOptions& opt, ImportReport& report) {
  CsvRecord header;
  if (!reader.Next(header)) {
    return InvalidArgument(path + " is empty; the first row must name the columns");
  }
  if (!header.ok()) return InvalidArgument(path + " row 1 (the header): " + header.error);
  auto cols = MapHeader(kind, header.fields, opt.column_map, report.extra_columns);
  if (!cols.ok()) return Status(cols.status().code(), path + ": " + cols.status().message());
  return cols;
}

}  // namespace
}  // namespace import_internal

using import_internal::Driver;
using import_internal::ImportContext;
using import_internal::MakeRowImporter;
using import_internal::ReadHeader;
using import_internal::RejectedFile;
using import_internal::RunDry;
using import_internal::TxnFn;
namespace fs = std::filesystem;

std::string RejectedFilePath(const std::string& path) {
  std::string lower = AsciiLower(path);
  if (lower.size() > 4 && lower.ends_with(".csv")) {
    return path.substr(0, path.size() - 4) + ".rejected.csv";
  }
  return path + ".rejected.csv";
}

Result<ImportReport> ImportCsv(store::Store& store, ImportKind kind, const std::string& path,
                               const ImportOptions& opt) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot open " + path + ": " + std::strerror(errno));
  std::error_code ec;
  auto size = fs::file_size(path, ec);
  int64_t total_bytes = ec ? 0 : static_cast<int64_t>(size);
  CsvReader reader(in);
  ImportReport report{.dry_run = opt.dry_run};
  auto cols = ReadHeader(reader, path, kind, opt, report);
  if (!cols.ok()) return cols.status();

  std::string file_name = fs::path(path).filename().string();
  ImportContext ctx{.store = store,
                    .opt = opt,
                    .kind = kind,
                    .cols = std::move(*cols),
                    .file_name = file_name,
                    .report = report,
                    .actor = opt.actor.empty() ? "import:" + file_name : opt.actor};
  auto rows = MakeRowImporter(ctx);
  std::string rejected_path = RejectedFilePath(path);
  std::optional<RejectedFile> rejected;
  if (!opt.dry_run) {
    fs::remove(rejected_path, ec);  // a stale one would describe another run
    rejected.emplace(rejected_path, ctx.cols);
  }
  Driver driver(ctx, reader, *rows, rejected ? &*rejected : nullptr, total_bytes);
  Status st;
  if (opt.dry_run) {
    st = RunDry(store, ctx, [&] { return driver.Run(); });
  } else {
    ctx.write = [&store](const TxnFn& fn) { return store.Write(fn); };
    st = driver.Run();
  }
  if (rejected) {
    Status closed = rejected->Close();
    if (st.ok()) st = closed;
    if (rejected->used()) report.rejected_file = rejected_path;
  }
  if (!st.ok()) return st;
  return report;
}

}  // namespace tandem::ingest
