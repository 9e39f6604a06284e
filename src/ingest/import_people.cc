// People rows: cells checked and normalised as they are read; each row matched by
// external_id then by e-mail, its company resolved (or created), and the person created or
// updated, adding identifiers and phones to those the person already has.
#include <algorithm>
#include <cstdio>

#include "ingest/import_internal.h"
#include "ingest/normalise.h"
#include "store/people.h"

namespace tandem::ingest::import_internal {
namespace {

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

}  // namespace

std::unique_ptr<RowImporter> MakePeopleImporter(ImportContext& ctx) {
  return std::make_unique<PeopleImporter>(ctx);
}

}  // namespace tandem::ingest::import_internal
