#include "ingest/import.h"

#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <span>

#include "base/strings.h"
#include "domain/activity_type.h"
#include "ingest/activities.h"
#include "ingest/csv.h"
#include "ingest/normalise.h"
#include "ingest/records.h"
#include "store/journal.h"
#include "store/people.h"
#include "store/users.h"

namespace tandem::ingest {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

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

RowProblem Problem(int64_t row, const Column* col, const std::string& why) {
  if (!col) return {row, "", why};
  return {row, col->header, "column '" + col->header + "': " + why};
}

// A row rejection as a Status, so it can leave a transaction and undo the row's writes.
Status RejectStatus(const RowProblem& p) {
  return InvalidArgument(p.reason, {{p.column, p.reason}});
}

RowProblem FromStatus(int64_t row, const Status& st) {
  bool ours = st.errors().size() == 1 && st.errors()[0].reason == st.message();
  return {row, ours ? st.errors()[0].field : "", st.message()};
}

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

// ---- Header → columns ----

// A field of one kind: its name, then the column keys that also mean it (see ColumnKey).
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

std::span<const FieldSpec> FieldsOf(ImportKind kind) {
  static constexpr FieldSpec kPeople[] = {
      {Field::kEmail,
       "email e_mail mail email_address e_mail_address work_email business_email "
       "personal_email secondary_email other_email"},
      {Field::kFirstName, "first_name firstname first given_name forename"},
      {Field::kLastName, "last_name lastname last surname family_name"},
      {Field::kPhone,
       "phone phone_number telephone tel mobile mobile_phone mobile_number cell cell_phone "
       "work_phone business_phone"},
      {Field::kJobTitle, "job_title title jobtitle position"},
      {Field::kCompany,
       "company company_name organization organisation account account_name employer"},
      {Field::kCompanyDomain,
       "company_domain website domain company_website web_site url company_url"},
      {Field::kCountry, "country country_code"},
      {Field::kOwnerEmail, "owner_email owner contact_owner lead_owner owner_e_mail"},
      {Field::kExternalId, "external_id externalid"}};
  static constexpr FieldSpec kCompanies[] = {
      {Field::kName, "name company company_name account account_name organization organisation"},
      {Field::kDomain, "domain website company_domain company_website web_site url"},
      {Field::kIndustry, "industry sector"},
      {Field::kSizeBand,
       "size_band size company_size employees number_of_employees employee_count headcount"},
      {Field::kCountry, "country country_code"},
      {Field::kOwnerEmail, "owner_email owner account_owner owner_e_mail"}};
  static constexpr FieldSpec kActivities[] = {
      {Field::kId, "id activity_id event_id"},
      {Field::kType, "type activity_type event_type event"},
      {Field::kEmail, "email e_mail email_address"},
      {Field::kPersonId, "person_id"},
      {Field::kExternalId, "external_id externalid"},
      {Field::kOccurredAt, "occurred_at timestamp time date occurred when"},
      {Field::kSource, "source"}};
  switch (kind) {
    case ImportKind::kPeople:
      return kPeople;
    case ImportKind::kCompanies:
      return kCompanies;
    case ImportKind::kActivities:
      return kActivities;
  }
  return {};
}

// "E-mail Address " → "e_mail_address": lower case, runs of punctuation and space to one '_'.
std::string ColumnKey(std::string_view header) {
  std::string out;
  bool gap = false;
  for (unsigned char c : Trim(header)) {
    if (std::isalnum(c) || c >= 0x80) {
      if (gap && !out.empty()) out.push_back('_');
      gap = false;
      out.push_back(static_cast<char>(std::tolower(c)));
    } else {
      gap = true;
    }
  }
  return out;
}

std::optional<Field> FieldNamed(ImportKind kind, std::string_view name) {
  for (const auto& f : FieldsOf(kind)) {
    if (f.name() == name) return f.field;
  }
  return std::nullopt;
}

std::string_view NameOf(ImportKind kind, Field field) {
  for (const auto& f : FieldsOf(kind)) {
    if (f.field == field) return f.name();
  }
  return "";
}

bool IsMultiValued(ImportKind kind, Field f) {
  return kind == ImportKind::kPeople && (f == Field::kEmail || f == Field::kPhone);
}

std::optional<Field> LookupField(ImportKind kind, const std::string& key) {
  for (const auto& f : FieldsOf(kind)) {
    if (f.Matches(key)) return f.field;
  }
  // "email_2", "Phone 3": numbered columns of a field that takes several values.
  size_t end = key.find_last_not_of("0123456789");
  if (end == std::string::npos || end + 1 == key.size()) return std::nullopt;
  std::string base = key.substr(0, key[end] == '_' ? end : end + 1);
  auto f = LookupField(kind, base);
  if (f && IsMultiValued(kind, *f)) return f;
  return std::nullopt;
}

std::string FieldList(ImportKind kind) {
  std::string out;
  for (const auto& f : FieldsOf(kind)) out += (out.empty() ? "" : ", ") + std::string(f.name());
  return out;
}

Status ApplyOverride(ImportKind kind, const std::string& target, Column& c) {
  std::string t(Trim(target));
  std::string lower = AsciiLower(t);
  if (t.empty() || t == "-") {
    c.field = Field::kSkip;
  } else if (StartsWith(t, "custom.") && t.size() > 7 && kind != ImportKind::kCompanies) {
    c.field = Field::kExtra;
    c.extra = t.substr(7);
  } else if (auto f = FieldNamed(kind, lower)) {
    c.field = *f;
  } else {
    return InvalidArgument("--map " + c.header + "=" + t + ": no such field; fields are " +
                           FieldList(kind) + ", custom.NAME, or - to skip the column");
  }
  return Status::Ok();
}

Status CheckIdentifiable(ImportKind kind, const std::vector<Column>& cols) {
  auto has = [&](Field f) {
    return std::any_of(cols.begin(), cols.end(), [&](const Column& c) { return c.field == f; });
  };
  switch (kind) {
    case ImportKind::kPeople:
      if (has(Field::kEmail) || has(Field::kExternalId)) return Status::Ok();
      return InvalidArgument("no column gives email or external_id (use --map COLUMN=email)");
    case ImportKind::kCompanies:
      if (has(Field::kName) || has(Field::kDomain)) return Status::Ok();
      return InvalidArgument("no column gives a company's name or domain (use --map)");
    case ImportKind::kActivities:
      if (!has(Field::kType)) return InvalidArgument("no column gives the activity type");
      if (!has(Field::kOccurredAt)) return InvalidArgument("no column gives occurred_at");
      if (has(Field::kEmail) || has(Field::kPersonId) || has(Field::kExternalId)) {
        return Status::Ok();
      }
      return InvalidArgument("no column gives email, person_id or external_id");
  }
  return Status::Ok();
}

// Decides what column c gives: an --map override, a field or alias, or an extra column.
Status MapColumn(ImportKind kind, const std::map<std::string, std::string>& by_key,
                 std::set<std::string>& used, Column& c, std::vector<ExtraColumn>& extras) {
  std::string key = ColumnKey(c.header);
  if (auto o = by_key.find(key); o != by_key.end()) {
    used.insert(key);
    TANDEM_RETURN_IF_ERROR(ApplyOverride(kind, o->second, c));
  } else if (auto f = LookupField(kind, key)) {
    c.field = *f;
  } else if (kind == ImportKind::kCompanies) {
    extras.push_back({c.header, ""});  // companies have no custom fields
  } else {
    c.field = Field::kExtra;
    c.extra = key.empty() ? c.header : key;
  }
  if (c.field != Field::kExtra) return Status::Ok();
  if (kind == ImportKind::kPeople && c.extra.size() > 64) {
    return InvalidArgument("column '" + c.header +
                           "': a custom field name is at most 64 bytes (use --map)");
  }
  extras.push_back({c.header, c.extra});
  return Status::Ok();
}

// Refuses two columns giving one single-valued field or one custom field.
Status CheckUnique(ImportKind kind, const Column& c, std::set<std::string>& seen) {
  if (c.field == Field::kSkip || IsMultiValued(kind, c.field)) return Status::Ok();
  std::string name =
      c.field == Field::kExtra ? "custom." + c.extra : std::string(NameOf(kind, c.field));
  if (seen.insert(name).second) return Status::Ok();
  return InvalidArgument("column '" + c.header + "' gives " + name +
                         ", which an earlier column already gives");
}

// Maps header names to columns. Trailing empty names are dropped; see ImportCsv for errors.
Result<std::vector<Column>> MapHeader(ImportKind kind, std::vector<std::string> names,
                                      const std::map<std::string, std::string>& overrides,
                                      std::vector<ExtraColumn>& extras) {
  while (!names.empty() && Trim(names.back()).empty()) names.pop_back();
  if (names.empty()) return InvalidArgument("the header row names no columns");
  std::map<std::string, std::string> by_key;
  for (const auto& [k, v] : overrides) by_key[ColumnKey(k)] = v;
  std::set<std::string> used, seen;
  std::vector<Column> cols;
  for (size_t i = 0; i < names.size(); ++i) {
    Column c{.header = std::string(Trim(names[i]))};
    if (c.header.empty()) {
      return InvalidArgument("column " + std::to_string(i + 1) + " of the header has no name");
    }
    TANDEM_RETURN_IF_ERROR(MapColumn(kind, by_key, used, c, extras));
    TANDEM_RETURN_IF_ERROR(CheckUnique(kind, c, seen));
    cols.push_back(std::move(c));
  }
  for (const auto& [k, v] : overrides) {
    if (!used.contains(ColumnKey(k))) {
      return InvalidArgument("--map names column '" + k + "', which the header does not have");
    }
  }
  TANDEM_RETURN_IF_ERROR(CheckIdentifiable(kind, cols));
  return cols;
}

// ---- Cells ----

bool IsExternalId(std::string_view v) {
  auto colon = v.find(':');
  return colon != std::string_view::npos && colon > 0 && colon + 1 < v.size() && v.size() <= 256;
}

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

void CheckOwnerEmail(int64_t row, const Column& c, std::string_view v, std::string& out,
                     std::vector<RowProblem>& warnings) {
  auto e = NormaliseEmail(v);
  if (e.ok()) {
    out = *e;
  } else {
    warnings.push_back(Problem(row, &c,
                               "'" + std::string(v) + "' is not an e-mail (" +
                                   e.status().message() + "); owner left unset"));
  }
}

std::optional<UserId> ResolveOwner(sql::Db& db, const Column* col, const std::string& email,
                                   int64_t row, std::vector<RowProblem>& warnings) {
  if (email.empty()) return std::nullopt;
  if (auto u = store::FindUserByEmail(db, email)) return u->id;
  warnings.push_back(Problem(row, col, "no user has the e-mail " + email + "; owner left unset"));
  return std::nullopt;
}

// have plus the values of add it lacks, or nullopt when it lacks none.
std::optional<std::vector<std::string>> WithNew(std::vector<std::string> have,
                                                const std::vector<std::string>& add) {
  bool grew = false;
  for (const auto& a : add) {
    if (std::find(have.begin(), have.end(), a) != have.end()) continue;
    have.push_back(a);
    grew = true;
  }
  if (!grew) return std::nullopt;
  return have;
}

// The raw phones of have plus those of add that are new by raw text or by E.164 number, or
// nullopt when none is new.
std::optional<std::vector<std::string>> PhonesWithNew(const std::vector<Phone>& have,
                                                      const std::vector<std::string>& add,
                                                      const std::string& region) {
  std::vector<std::string> raws, numbers;
  for (const auto& p : have) raws.push_back(p.raw), numbers.push_back(p.e164);
  bool grew = false;
  for (const auto& a : add) {
    if (std::find(raws.begin(), raws.end(), a) != raws.end()) continue;
    auto e164 = NormalisePhone(a, region);  // slow (libphonenumber): only for new text
    if (e164 && std::find(numbers.begin(), numbers.end(), *e164) != numbers.end()) continue;
    raws.push_back(a);
    numbers.push_back(e164.value_or(""));
    grew = true;
  }
  if (!grew) return std::nullopt;
  return raws;
}

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) out += {kDigits[c >> 4], kDigits[c & 15]};
  return out;
}

// ---- People and companies: one transaction per batch ----

// Rows are applied in order inside one transaction per batch. A row refused before it wrote
// anything is simply rejected. A row refused after writing (rare: validation comes first)
// taints the transaction, which is rolled back and run again without that row: no savepoint
// is used, since a write transaction also gathers state outside SQLite (timeline keys).
class RecordImporter : public RowImporter {
 public:
  explicit RecordImporter(ImportContext& ctx) : ctx_(ctx) {}

  Status Flush() override {
    std::vector<Done> done(queue_.size());
    std::vector<bool> excluded(queue_.size(), false);
    Status batch;
    std::optional<size_t> tainted;
    do {
      tainted.reset();
      batch = ApplyBatch(done, excluded, tainted);
      if (tainted) excluded[*tainted] = true;
    } while (tainted);
    if (!batch.ok()) {
      ApplyOneByOne(done);  // so that only the bad rows are lost
      bool store_failed = std::all_of(done.begin(), done.end(), [&](const Done& d) {
        return !d.status.ok() && d.status.message() == batch.message();
      });
      if (store_failed) return batch;  // the store refuses every write, not these rows
    }
    Count(done);
    queue_.clear();
    return Status::Ok();
  }

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
  Status Explain(const Status& st, int64_t row) const {
    if (st.errors().empty()) return st;
    const FieldError& e = st.errors()[0];
    const Column* col = ColumnForRecordField(e.field);
    return RejectStatus(Problem(row, col, col ? e.reason : e.field + ": " + e.reason));
  }

  ImportContext& ctx_;
  std::vector<QueuedRow> queue_;

 private:
  struct Done {
    Status status;
    Outcome outcome = Outcome::kUnchanged;
    std::vector<RowProblem> warnings;
  };

  const Column* ColumnForRecordField(std::string_view field) const {
    std::string_view base = field.substr(0, field.find('['));
    if (StartsWith(base, "custom.")) {
      for (const auto& c : ctx_.cols) {
        if (c.field == Field::kExtra && c.extra == base.substr(7)) return &c;
      }
      return nullptr;
    }
    // records.h names list fields in the plural, and the company and owner by their ids.
    static constexpr FieldSpec kRecordFields[] = {{Field::kEmail, "emails"},
                                                  {Field::kPhone, "phones"},
                                                  {Field::kExternalId, "external_ids"},
                                                  {Field::kCompany, "company_id"},
                                                  {Field::kOwnerEmail, "owner"}};
    std::optional<Field> f = FieldNamed(ctx_.kind, base);
    for (const auto& l : kRecordFields) {
      if (!f && l.name() == base) f = l.field;
    }
    return f ? ctx_.ColumnOf(*f) : nullptr;
  }

  // One attempt at the batch, skipping excluded rows (they keep their earlier status). Sets
  // tainted to a row that failed after writing; the attempt is then rolled back.
  Status ApplyBatch(std::vector<Done>& done, const std::vector<bool>& excluded,
                    std::optional<size_t>& tainted) {
    return ctx_.write([&](store::WriteTxn& txn) {
      for (size_t i = 0; i < queue_.size(); ++i) {
        if (excluded[i]) continue;
        Done& d = done[i];
        d = Done{};
        int before = sqlite3_total_changes(txn.db().raw());
        d.status = queue_[i].apply(txn, d.outcome, d.warnings);
        if (!d.status.ok() && sqlite3_total_changes(txn.db().raw()) != before) {
          tainted = i;
          return d.status;
        }
      }
      return Status::Ok();
    });
  }

  void ApplyOneByOne(std::vector<Done>& done) {
    for (size_t i = 0; i < queue_.size(); ++i) {
      Done& d = done[i];
      d = Done{};
      d.status = ctx_.write([&](store::WriteTxn& txn) {
        d.warnings.clear();
        return queue_[i].apply(txn, d.outcome, d.warnings);
      });
    }
  }

  void Count(std::vector<Done>& done) {
    ImportReport& r = ctx_.report;
    for (size_t i = 0; i < queue_.size(); ++i) {
      QueuedRow& q = queue_[i];
      if (!done[i].status.ok()) {
        ctx_.Reject(FromStatus(q.rec.row, done[i].status), q.rec);
        continue;
      }
      switch (done[i].outcome) {
        case Outcome::kCreated:
          ++r.imported;
          break;
        case Outcome::kUpdated:
          ++r.updated;
          break;
        case Outcome::kUnchanged:
          ++r.unchanged;
          break;
      }
      for (auto* w : {&q.warnings, &done[i].warnings}) {
        r.warnings.insert(r.warnings.end(), w->begin(), w->end());
      }
    }
  }
};

struct PersonRow {
  int64_t row = 0;
  std::vector<std::pair<const Column*, std::string>> emails;  // normalised
  std::string external_id, company, company_domain, owner_email;
  std::vector<std::pair<const Column*, std::string>> phones;  // as given
  PersonFields fields;  // names, job title, country, custom fields
};

class PeopleImporter : public RecordImporter {
 public:
  using RecordImporter::RecordImporter;

  void Add(const CsvRecord& rec) override {
    QueuedRow q{.rec = rec};
    PersonRow r{.row = rec.row};
    if (auto bad = Check(rec, r, q.warnings)) return ctx_.Reject(std::move(*bad), rec);
    q.apply = [this, r = std::move(r)](store::WriteTxn& txn, Outcome& out,
                                       std::vector<RowProblem>& warnings) {
      return Apply(txn, r, out, warnings);
    };
    queue_.push_back(std::move(q));
  }

 private:
  std::optional<RowProblem> Check(const CsvRecord& rec, PersonRow& r,
                                  std::vector<RowProblem>& warnings) const {
    for (size_t i = 0; i < ctx_.cols.size(); ++i) {
      std::string_view v = Trim(rec.fields[i]);
      if (v.empty()) continue;
      if (auto bad = CheckCell(ctx_.cols[i], v, r, warnings)) return bad;
    }
    if (r.emails.empty() && r.external_id.empty()) {
      return Problem(r.row, nullptr, "no e-mail or external_id to identify the person");
    }
    return std::nullopt;
  }

  std::optional<RowProblem> CheckCell(const Column& c, std::string_view v, PersonRow& r,
                                      std::vector<RowProblem>& warnings) const {
    std::string s(v);
    switch (c.field) {
      case Field::kEmail: {
        auto e = NormaliseEmail(v);
        if (!e.ok()) return Problem(r.row, &c, e.status().message());
        r.emails.emplace_back(&c, std::move(*e));
        break;
      }
      case Field::kExternalId:
        if (!IsExternalId(v)) return Problem(r.row, &c, "'" + s + "' is not system:id, e.g. x:1");
        r.external_id = s;
        break;
      case Field::kPhone:
        r.phones.emplace_back(&c, s);
        break;
      case Field::kCompanyDomain:
        r.company_domain = NormaliseDomain(v);
        if (r.company_domain.empty()) return Problem(r.row, &c, "'" + s + "' is not a web domain");
        break;
      case Field::kFirstName:
        r.fields.first_name = s;
        break;
      case Field::kLastName:
        r.fields.last_name = s;
        break;
      case Field::kJobTitle:
        r.fields.job_title = s;
        break;
      case Field::kCountry:
        r.fields.country = s;
        break;
      case Field::kCompany:
        r.company = s;
        break;
      case Field::kOwnerEmail:
        CheckOwnerEmail(r.row, c, v, r.owner_email, warnings);
        break;
      case Field::kExtra:
        if (!r.fields.custom) r.fields.custom.emplace();
        (*r.fields.custom)[c.extra] = s;
        break;
      default:
        break;
    }
    return std::nullopt;
  }

  // The person the row's identifiers name, if any; a rejection if they name two people.
  Result<std::optional<PersonId>> Match(sql::Db& db, const PersonRow& r) const {
    std::optional<PersonId> match;
    if (!r.external_id.empty()) match = store::FindPersonByExternalId(db, r.external_id);
    for (const auto& [col, email] : r.emails) {
      auto owner = store::FindPersonByEmail(db, email);
      if (!owner || owner == match) continue;
      if (match) {
        return RejectStatus(Problem(r.row, col,
                                    email + " belongs to person " + std::to_string(owner->value()) +
                                        ", but the row's other identifiers name person " +
                                        std::to_string(match->value())));
      }
      match = owner;
    }
    return match;
  }

  // The company the row names by domain or name, created when unknown.
  Result<CompanyId> ResolveCompany(store::WriteTxn& txn, const PersonRow& r,
                                   const RecordOptions& ro) const {
    if (!r.company_domain.empty()) {
      if (auto id = store::FindCompanyByDomain(txn.db(), r.company_domain)) return *id;
    }
    std::string name = NormaliseName(r.company);
    if (!name.empty()) {
      if (auto id = store::FindCompanyByName(txn.db(), name)) return *id;
    }
    CompanyFields f{.name = name.empty() ? r.company_domain : name};
    if (!r.company_domain.empty()) f.domain = r.company_domain;
    auto created = CreateCompany(txn, f, ro);
    if (created.ok()) return created->company.id;
    const auto& st = created.status();
    std::string why = st.errors().empty() ? st.message() : st.errors()[0].reason;
    const Column* col = ctx_.ColumnOf(name.empty() ? Field::kCompanyDomain : Field::kCompany);
    return RejectStatus(Problem(r.row, col, "cannot create the company: " + why));
  }

  Status Apply(store::WriteTxn& txn, const PersonRow& r, Outcome& out,
               std::vector<RowProblem>& warnings) const {
    auto match = Match(txn.db(), r);
    if (!match.ok()) return match.status();
    RecordOptions ro = ctx_.RecordOptionsFor(r.row);
    PersonFields f = r.fields;
    if (!r.company.empty() || !r.company_domain.empty()) {
      auto company = ResolveCompany(txn, r, ro);
      if (!company.ok()) return company.status();
      f.company = *company;
    }
    const Column* owner_col = ctx_.ColumnOf(Field::kOwnerEmail);
    if (auto owner = ResolveOwner(txn.db(), owner_col, r.owner_email, r.row, warnings)) {
      f.owner = *owner;
    }
    size_t kept = 0;
    auto change = Write(txn, *match, r, f, ro, kept);
    if (!change.ok()) return Explain(change.status(), r.row);
    PhoneWarnings(r, f.phones, change->warnings, kept, warnings);
    out = change->created   ? Outcome::kCreated
          : change->changed ? Outcome::kUpdated
                            : Outcome::kUnchanged;
    return Status::Ok();
  }

  // Creates the person, or updates the matched one, adding the row's e-mails, external id
  // and phones to those it has (kept: how many phones it had).
  Result<PersonChange> Write(store::WriteTxn& txn, std::optional<PersonId> match,
                             const PersonRow& r, PersonFields& f, const RecordOptions& ro,
                             size_t& kept) const {
    std::vector<std::string> emails, ids, phones;
    for (const auto& e : r.emails) emails.push_back(e.second);
    for (const auto& p : r.phones) phones.push_back(p.second);
    if (!r.external_id.empty()) ids.push_back(r.external_id);
    if (!match) {
      f.emails = WithNew({}, emails);
      f.external_ids = WithNew({}, ids);
      f.phones = WithNew({}, phones);
      return CreatePerson(txn, f, ro);
    }
    auto p = store::LoadPerson(txn.db(), *match);
    if (!p.ok()) return p.status();
    kept = p->phones.size();
    f.emails = WithNew(p->emails, emails);  // add, never drop what other sources gave
    f.external_ids = WithNew(p->external_ids, ids);
    f.phones = PhonesWithNew(p->phones, phones, ctx_.opt.phone_region);
    return UpdatePerson(txn, *match, f, ro);
  }

  // records.h's "phones[i]" warnings about this row's new phones, naming their columns.
  static void PhoneWarnings(const PersonRow& r,
                            const std::optional<std::vector<std::string>>& given,
                            const std::vector<FieldError>& in, size_t kept,
                            std::vector<RowProblem>& out) {
    for (const auto& w : in) {
      size_t i = 0;
      if (!given || std::sscanf(w.field.c_str(), "phones[%zu]", &i) != 1) continue;
      if (i < kept || i >= given->size()) continue;
      for (const auto& [col, raw] : r.phones) {
        if (raw == (*given)[i]) {
          out.push_back(Problem(r.row, col, w.reason));
          break;
        }
      }
    }
  }
};

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

// ---- Activities: batches go through StoreActivities ----

class ActivitiesImporter : public RowImporter {
 public:
  explicit ActivitiesImporter(ImportContext& ctx) : ctx_(ctx), now_(ctx.store.clock().Now()) {}

  void Add(const CsvRecord& rec) override {
    PendingActivity item{.index = queue_.size()};
    if (auto bad = Check(rec, item.activity)) return ctx_.Reject(std::move(*bad), rec);
    queue_.push_back({rec, std::move(item)});
  }

  Status Flush() override {
    Status st = Status::Ok();
    if (ctx_.opt.dry_run) {
      st = ctx_.write([&](store::WriteTxn& txn) { return Simulate(txn.db()); });
    } else if (!queue_.empty()) {
      st = Store();
    }
    queue_.clear();
    return st;
  }

 private:
  struct Queued {
    CsvRecord rec;
    PendingActivity item;
  };

  std::optional<RowProblem> Check(const CsvRecord& rec, Activity& a) const {
    a.source = ctx_.opt.source;
    json props = json::object();
    bool has_time = false;
    for (size_t i = 0; i < ctx_.cols.size(); ++i) {
      std::string_view v = Trim(rec.fields[i]);
      if (v.empty()) continue;
      has_time = has_time || ctx_.cols[i].field == Field::kOccurredAt;
      if (auto bad = CheckCell(ctx_.cols[i], v, rec.row, a, props)) return bad;
    }
    auto missing = [&](Field f, const char* what) {
      return Problem(rec.row, ctx_.ColumnOf(f),
                     std::string("is empty; every activity needs ") + what);
    };
    if (a.type.empty()) return missing(Field::kType, "a type");
    if (!has_time) return missing(Field::kOccurredAt, "a time");
    if (!a.person.person_id.valid() && a.person.email.empty() && a.person.external_id.empty()) {
      return Problem(rec.row, nullptr, "no email, person_id or external_id names the person");
    }
    a.properties = props.dump();
    if (a.properties.size() > 16 * 1024) {
      return Problem(rec.row, nullptr, "the property columns hold more than 16 KiB");
    }
    if (a.client_id.empty()) {  // the same row always gets the same id
      a.client_id = "row-" + Hex(store::ContentDigest(a.source + '\x1f' + CanonicalContent(a)));
    }
    return std::nullopt;
  }

  std::optional<RowProblem> CheckCell(const Column& c, std::string_view v, int64_t row, Activity& a,
                                      json& props) const {
    static const Timestamp kEarliest = *ParseTimestamp("1990-01-01");
    std::string s(v);
    auto bad = [&](const std::string& why) { return Problem(row, &c, "'" + s + "' " + why); };
    switch (c.field) {
      case Field::kId:
        if (s.size() > 256) return bad("is longer than 256 bytes");
        a.client_id = s;
        break;
      case Field::kType:
        if (!IsValidActivityTypeName(s)) {
          return bad("is not a type name (a-z, 0-9 and _, starting with a letter)");
        }
        a.type = s;
        break;
      case Field::kEmail: {
        auto e = NormaliseEmail(v);
        if (!e.ok()) return Problem(row, &c, e.status().message());
        a.person.email = *e;
        break;
      }
      case Field::kPersonId: {
        int64_t id = 0;
        auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
        if (ec != std::errc() || end != s.data() + s.size() || id <= 0) {
          return bad("is not a person id (a positive whole number)");
        }
        a.person.person_id = PersonId(id);
        break;
      }
      case Field::kExternalId:
        if (!IsExternalId(s)) return bad("is not system:id, e.g. hubspot:123");
        a.person.external_id = s;
        break;
      case Field::kOccurredAt: {
        auto t = ParseTimestamp(s);
        if (!t) return bad("is not an RFC 3339 time, e.g. 2026-11-02T09:14:00Z");
        if (*t > now_ + ctx_.opt.max_future) return bad("is in the future");
        if (*t < kEarliest) return bad("is before 1990");
        a.occurred_at = *t;
        break;
      }
      case Field::kSource:
        if (s.size() > 64) return bad("is longer than 64 bytes");
        a.source = s;
        break;
      case Field::kExtra:
        props[c.extra] = s;
        break;
      default:
        break;
    }
    return std::nullopt;
  }

  RowProblem Rejection(const Queued& q, const std::string& code, const std::string& why) const {
    Field f = code == "id_reused"        ? Field::kId
              : code == "unknown_type"   ? Field::kType
              : code == "unknown_person" ? Field::kPersonId
                                         : Field::kSkip;
    return Problem(q.rec.row, ctx_.ColumnOf(f), why);
  }

  void Count(const IngestReport& r) {
    ctx_.report.imported += r.accepted;
    ctx_.report.unchanged += r.duplicates;
    ctx_.report.people_created += r.people_created;
    for (const auto& rej : r.rejected) {
      const Queued& q = queue_[rej.index];
      ctx_.Reject(Rejection(q, rej.code, rej.reason), q.rec);
    }
  }

  Status Store() {
    IngestOptions io{.actor = ctx_.actor,
                     .phone_region = ctx_.opt.phone_region,
                     .max_future = ctx_.opt.max_future};
    std::vector<PendingActivity> items;
    for (const auto& q : queue_) items.push_back(q.item);
    auto all = StoreActivities(ctx_.store, std::move(items), {}, io);
    if (all.ok()) {
      Count(*all);
      return Status::Ok();
    }
    bool store_failed = true;
    for (const auto& q : queue_) {  // the batch failed as a whole: find the bad rows
      auto one = StoreActivities(ctx_.store, {q.item}, {}, io);
      store_failed = store_failed && !one.ok() && one.status().message() == all.status().message();
      if (one.ok()) {
        Count(*one);
      } else {
        ctx_.Reject(FromStatus(q.rec.row, one.status()), q.rec);
      }
    }
    return store_failed ? all.status() : Status::Ok();
  }

  // A dry run's stand-in for StoreActivities: the same checks, read-only.
  Status Simulate(sql::Db& db) {
    for (const auto& q : queue_) {
      const Activity& a = q.item.activity;
      if (!FindBuiltinActivityType(a.type) && !IsCustomType(db, a.type)) {
        ctx_.Reject(
            Rejection(q, "unknown_type", "type '" + a.type + "' is not in the activity catalogue"),
            q.rec);
        continue;
      }
      std::string digest = store::ContentDigest(CanonicalContent(a));
      std::string key = a.source + '\x1f' + a.client_id;
      auto seen = dry_digests_.find(key);
      auto prior = seen != dry_digests_.end()
                       ? std::optional(seen->second)
                       : store::FindActivityDigest(db, a.source, a.client_id);
      if (prior && *prior == digest) {
        ++ctx_.report.unchanged;
      } else if (prior) {
        ctx_.Reject(Rejection(q, "id_reused", "id reused with different content"), q.rec);
      } else if (a.person.person_id.valid() && !store::LoadPerson(db, a.person.person_id).ok()) {
        ctx_.Reject(Rejection(q, "unknown_person",
                              "no person with id " + std::to_string(a.person.person_id.value())),
                    q.rec);
      } else {
        CountNewPerson(db, a.person);
        dry_digests_[key] = digest;
        ++ctx_.report.imported;
      }
    }
    return Status::Ok();
  }

  static bool IsCustomType(sql::Db& db, const std::string& type) {
    auto& s = db.Cached("SELECT 1 FROM activity_types WHERE name = ?");
    s.Bind(1, type);
    bool found = s.Step();
    s.Reset();
    return found;
  }

  void CountNewPerson(sql::Db& db, const PersonRef& ref) {
    if (ref.person_id.valid()) return;
    bool known = (!ref.external_id.empty() && store::FindPersonByExternalId(db, ref.external_id)) ||
                 (!ref.email.empty() && store::FindPersonByEmail(db, ref.email));
    bool fresh = true;  // not created by an earlier row of this run
    if (!ref.external_id.empty()) fresh = dry_people_.insert("x:" + ref.external_id).second;
    if (!ref.email.empty()) fresh = dry_people_.insert("e:" + ref.email).second && fresh;
    if (!known && fresh) ++ctx_.report.people_created;
  }

  ImportContext& ctx_;
  Timestamp now_;
  std::vector<Queued> queue_;
  std::map<std::string, std::string> dry_digests_;  // dry run: keys this run would store
  std::set<std::string> dry_people_;                // dry run: people this run would create
};

std::unique_ptr<RowImporter> MakeRowImporter(ImportContext& ctx) {
  switch (ctx.kind) {
    case ImportKind::kPeople:
      return std::make_unique<PeopleImporter>(ctx);
    case ImportKind::kCompanies:
      return std::make_unique<CompaniesImporter>(ctx);
    case ImportKind::kActivities:
      return std::make_unique<ActivitiesImporter>(ctx);
  }
  return nullptr;
}

// ---- Rows ----

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
