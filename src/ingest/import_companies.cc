// Company rows: matched by domain, then by name (unless the company so named has another
// domain), and created or updated. Columns without a field are ignored.
#include <charconv>

#include "domain/person.h"
#include "ingest/import_internal.h"
#include "ingest/normalise.h"
#include "store/people.h"

namespace tandem::ingest::import_internal {
namespace {

// A size band as given, or the band a number of employees falls in.
std::optional<std::string> SizeBand(std::string_view v) {
  if (IsValidSizeBand(v)) return std::string(v);
  int64_t n = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || end != v.data() + v.size() || n <= 0) return std::nullopt;
  if (n <= 10) return "1-10";
  if (n <= 50) return "11-50";
  if (n <= 200) return "51-200";
  if (n <= 1000) return "201-1000";
  if (n <= 5000) return "1001-5000";
  return "5000+";
}

struct CompanyRow {
  int64_t row = 0;
  CompanyFields fields;
  std::string owner_email;
};

class CompaniesImporter : public RecordImporter {
 public:
  using RecordImporter::RecordImporter;

  void Add(const CsvRecord& rec) override {
    QueuedRow q{.rec = rec};
    CompanyRow r{.row = rec.row};
    for (size_t i = 0; i < ctx_.cols.size(); ++i) {
      std::string_view v = Trim(rec.fields[i]);
      if (v.empty()) continue;
      if (auto bad = CheckCell(ctx_.cols[i], v, r, q.warnings)) {
        return ctx_.Reject(std::move(*bad), rec);
      }
    }
    if (!r.fields.name && !r.fields.domain) {
      return ctx_.Reject(Problem(r.row, nullptr, "no name or domain to identify the company"), rec);
    }
    q.apply = [this, r = std::move(r)](store::WriteTxn& txn, Outcome& out,
                                       std::vector<RowProblem>& warnings) {
      return Apply(txn, r, out, warnings);
    };
    queue_.push_back(std::move(q));
  }

 private:
  std::optional<RowProblem> CheckCell(const Column& c, std::string_view v, CompanyRow& r,
                                      std::vector<RowProblem>& warnings) const {
    std::string s(v);
    switch (c.field) {
      case Field::kDomain:
        r.fields.domain = NormaliseDomain(v);
        if (r.fields.domain->empty()) return Problem(r.row, &c, "'" + s + "' is not a web domain");
        break;
      case Field::kSizeBand:
        r.fields.size_band = SizeBand(v);
        if (!r.fields.size_band) {
          return Problem(r.row, &c,
                         "'" + s +
                             "' is not a size band (1-10, 11-50, 51-200, "
                             "201-1000, 1001-5000, 5000+) or a number of employees");
        }
        break;
      case Field::kName:
        r.fields.name = s;
        break;
      case Field::kIndustry:
        r.fields.industry = s;
        break;
      case Field::kCountry:
        r.fields.country = s;
        break;
      case Field::kOwnerEmail:
        CheckOwnerEmail(r.row, c, v, r.owner_email, warnings);
        break;
      default:
        break;
    }
    return std::nullopt;
  }

  // By domain; else by name, unless the company so named has another domain.
  std::optional<CompanyId> Match(sql::Db& db, const CompanyFields& f) const {
    if (f.domain) {
      if (auto id = store::FindCompanyByDomain(db, *f.domain)) return id;
    }
    if (!f.name) return std::nullopt;
    auto id = store::FindCompanyByName(db, NormaliseName(*f.name));
    if (!id || !f.domain) return id;
    auto c = store::LoadCompany(db, *id);
    if (c.ok() && !c->domain.empty() && c->domain != *f.domain) return std::nullopt;
    return id;
  }

  Status Apply(store::WriteTxn& txn, const CompanyRow& r, Outcome& out,
               std::vector<RowProblem>& warnings) const {
    CompanyFields f = r.fields;
    const Column* owner_col = ctx_.ColumnOf(Field::kOwnerEmail);
    if (auto owner = ResolveOwner(txn.db(), owner_col, r.owner_email, r.row, warnings)) {
      f.owner = *owner;
    }
    RecordOptions ro = ctx_.RecordOptionsFor(r.row);
    auto id = Match(txn.db(), f);
    if (!id) {
      if (!f.name) {
        return RejectStatus(
            Problem(r.row, ctx_.ColumnOf(Field::kName),
                    "no company has domain " + *f.domain + ", and a new company needs a name"));
      }
      auto created = CreateCompany(txn, f, ro);
      if (!created.ok()) return Explain(created.status(), r.row);
      out = Outcome::kCreated;
      return Status::Ok();
    }
    auto updated = UpdateCompany(txn, *id, f, ro);
    if (!updated.ok()) return Explain(updated.status(), r.row);
    out = updated->changed ? Outcome::kUpdated : Outcome::kUnchanged;
    return Status::Ok();
  }
};

}  // namespace

std::unique_ptr<RowImporter> MakeCompaniesImporter(ImportContext& ctx) {
  return std::make_unique<CompaniesImporter>(ctx);
}

}  // namespace tandem::ingest::import_internal
