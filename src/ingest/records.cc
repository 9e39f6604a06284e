#include "ingest/records.h"

#include <nlohmann/json.hpp>

#include "base/strings.h"
#include "ingest/normalise.h"
#include "store/journal.h"
#include "store/people.h"
#include "store/users.h"

namespace tandem::ingest {
namespace {

using nlohmann::json;

constexpr size_t kMaxFieldBytes = 1024;

// Validates a free-text field and assigns it; records what changed into `changes`.
void ApplyText(const std::optional<std::string>& in, std::string& out, const char* name,
               json& changes, std::vector<FieldError>& errors) {
  if (!in) return;
  std::string v = NormaliseName(*in);
  if (v.size() > kMaxFieldBytes) {
    errors.push_back({name, "longer than 1024 bytes"});
    return;
  }
  if (!IsValidUtf8(v)) {
    errors.push_back({name, "not valid UTF-8"});
    return;
  }
  if (v != out) {
    out = std::move(v);
    changes[name] = out;
  }
}

std::string NormaliseCountry(std::string_view raw) {
  std::string c = NormaliseName(raw);
  if (c.size() == 2) {
    for (char& ch : c) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  }
  return c;
}

Status CheckOwner(sql::Db& db, UserId owner, std::vector<FieldError>& errors) {
  if (owner.valid() && !store::LoadUser(db, owner).ok()) {
    errors.push_back({"owner", "no user with id " + std::to_string(owner.value())});
  }
  return Status::Ok();
}

void ApplyEmails(sql::Db& db, const PersonFields& f, Person& p, json& changes,
                 std::vector<FieldError>& errors, bool& conflict) {
  if (!f.emails) return;
  std::vector<std::string> emails;
  for (size_t i = 0; i < f.emails->size(); ++i) {
    auto e = NormaliseEmail((*f.emails)[i]);
    std::string field = "emails[" + std::to_string(i) + "]";
    if (!e.ok()) {
      errors.push_back({field, e.status().message()});
      continue;
    }
    auto owner = store::FindPersonByEmail(db, *e);
    if (owner && *owner != p.id) {
      errors.push_back({field, *e + " belongs to person " + std::to_string(owner->value())});
      conflict = true;
      continue;
    }
    if (std::find(emails.begin(), emails.end(), *e) == emails.end()) emails.push_back(*e);
  }
  if (emails != p.emails) {
    p.emails = emails;
    changes["emails"] = emails;
  }
}

void ApplyExternalIds(sql::Db& db, const PersonFields& f, Person& p, json& changes,
                      std::vector<FieldError>& errors, bool& conflict) {
  if (!f.external_ids) return;
  std::vector<std::string> ids;
  for (size_t i = 0; i < f.external_ids->size(); ++i) {
    std::string x(Trim((*f.external_ids)[i]));
    std::string field = "external_ids[" + std::to_string(i) + "]";
    auto colon = x.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == x.size() || x.size() > 256) {
      errors.push_back({field, "must be system:id, e.g. hubspot:123"});
      continue;
    }
    auto owner = store::FindPersonByExternalId(db, x);
    if (owner && *owner != p.id) {
      errors.push_back({field, x + " belongs to person " + std::to_string(owner->value())});
      conflict = true;
      continue;
    }
    if (std::find(ids.begin(), ids.end(), x) == ids.end()) ids.push_back(x);
  }
  std::sort(ids.begin(), ids.end());
  if (ids != p.external_ids) {
    p.external_ids = ids;
    changes["external_ids"] = ids;
  }
}

void ApplyPhones(const PersonFields& f, Person& p, const RecordOptions& opt, json& changes,
                 std::vector<FieldError>& warnings) {
  if (!f.phones) return;
  std::vector<Phone> phones;
  for (size_t i = 0; i < f.phones->size(); ++i) {
    std::string raw(Trim((*f.phones)[i]));
    if (raw.empty()) continue;
    auto e164 = NormalisePhone(raw, opt.phone_region);
    if (!e164) {
      warnings.push_back({"phones[" + std::to_string(i) + "]",
                          "'" + raw + "' is not a valid phone number; kept as given"});
    }
    phones.push_back({e164.value_or(""), raw});
  }
  bool same = phones.size() == p.phones.size();
  for (size_t i = 0; same && i < phones.size(); ++i) {
    same = phones[i].e164 == p.phones[i].e164 && phones[i].raw == p.phones[i].raw;
  }
  if (!same) {
    p.phones = phones;
    json arr = json::array();
    for (const auto& ph : phones) arr.push_back(ph.e164.empty() ? ph.raw : ph.e164);
    changes["phones"] = arr;
  }
}

// Applies every field of f onto p. Returns the changes as JSON, or an error.
Result<json> ApplyPersonFields(sql::Db& db, const PersonFields& f, Person& p,
                               const RecordOptions& opt, std::vector<FieldError>& warnings) {
  json changes = json::object();
  std::vector<FieldError> errors;
  bool conflict = false;
  if (f.stage) {
    errors.push_back({"stage", "the stage changes only by qualification rules or sales actions"});
  }
  ApplyText(f.first_name, p.first_name, "first_name", changes, errors);
  ApplyText(f.last_name, p.last_name, "last_name", changes, errors);
  ApplyText(f.job_title, p.job_title, "job_title", changes, errors);
  if (f.country) {
    std::optional<std::string> c = NormaliseCountry(*f.country);
    ApplyText(c, p.country, "country", changes, errors);
  }
  ApplyEmails(db, f, p, changes, errors, conflict);
  ApplyExternalIds(db, f, p, changes, errors, conflict);
  ApplyPhones(f, p, opt, changes, warnings);
  if (f.company && *f.company != p.company_id) {
    if (f.company->valid() && !store::LoadCompany(db, *f.company).ok()) {
      errors.push_back({"company_id", "no company with id " + std::to_string(f.company->value())});
    } else {
      p.company_id = *f.company;
      changes["company_id"] = p.company_id.value();
    }
  }
  if (f.owner && *f.owner != p.owner) {
    (void)CheckOwner(db, *f.owner, errors);
    p.owner = *f.owner;
    changes["owner"] = p.owner.value();
  }
  if (f.custom) {
    for (const auto& [k, v] : *f.custom) {
      if (k.empty() || k.size() > 64) {
        errors.push_back({"custom." + k, "custom field names are 1-64 bytes"});
      } else if (p.custom[k] != v) {
        p.custom[k] = v;
        changes["custom"][k] = v;
      }
    }
  }
  if (!errors.empty()) {
    return Status(conflict ? Code::kConflict : Code::kInvalidArgument,
                  conflict ? "an identifier belongs to another person" : "invalid person fields",
                  std::move(errors));
  }
  return changes;
}

Status Journal(store::WriteTxn& txn, const char* kind, int64_t subject, const RecordOptions& opt,
               std::string reason, const json& payload, Seq cause = {}) {
  store::JournalEntry e;
  e.recorded_at = e.occurred_at = txn.now();
  e.kind = kind;
  e.subject = subject;
  e.actor = opt.actor;
  e.cause = cause;
  e.reason = opt.reason.empty() ? std::move(reason) : opt.reason;
  e.payload = payload.dump();
  e.digest = store::ContentDigest(e.payload);
  return store::AppendJournal(txn, e).status();
}

}  // namespace

Result<PersonChange> CreatePerson(store::WriteTxn& txn, const PersonFields& f,
                                  const RecordOptions& opt) {
  PersonChange out;
  out.person.created_at = out.person.updated_at = txn.now();
  auto changes = ApplyPersonFields(txn.db(), f, out.person, opt, out.warnings);
  if (!changes.ok()) return changes.status();
  TANDEM_RETURN_IF_ERROR(store::InsertPerson(txn, out.person));
  (*changes)["stage"] = StageName(out.person.stage);
  TANDEM_RETURN_IF_ERROR(Journal(txn, "person_changed", out.person.id.value(), opt, "created",
                                 {{"fields", *changes}}));
  out.created = out.changed = true;
  return out;
}

Result<PersonChange> UpdatePerson(store::WriteTxn& txn, PersonId id, const PersonFields& f,
                                  const RecordOptions& opt) {
  auto loaded = store::LoadPerson(txn.db(), id);
  if (!loaded.ok()) return loaded.status();
  PersonChange out{.person = std::move(*loaded)};
  if (out.person.erased)
    return FailedPrecondition("person " + std::to_string(id.value()) + " was erased");
  auto changes = ApplyPersonFields(txn.db(), f, out.person, opt, out.warnings);
  if (!changes.ok()) return changes.status();
  if (changes->empty()) return out;
  out.person.updated_at = txn.now();
  TANDEM_RETURN_IF_ERROR(store::SavePerson(txn, out.person));
  TANDEM_RETURN_IF_ERROR(
      Journal(txn, "person_changed", id.value(), opt, "updated", {{"fields", *changes}}));
  out.changed = true;
  return out;
}

namespace {

Result<json> ApplyCompanyFields(sql::Db& db, const CompanyFields& f, Company& c) {
  json changes = json::object();
  std::vector<FieldError> errors;
  ApplyText(f.name, c.name, "name", changes, errors);
  if (c.name.empty()) errors.push_back({"name", "a company needs a name"});
  if (f.domain) {
    std::string d = NormaliseDomain(*f.domain);
    if (d.empty() && !Trim(*f.domain).empty()) {
      errors.push_back({"domain", "'" + *f.domain + "' is not a web domain"});
    } else if (d != c.domain) {
      auto other = d.empty() ? std::nullopt : store::FindCompanyByDomain(db, d);
      if (other && *other != c.id) {
        return Status(Code::kConflict, "domain belongs to another company",
                      {{"domain", d + " belongs to company " + std::to_string(other->value())}});
      }
      c.domain = d;
      changes["domain"] = d;
    }
  }
  ApplyText(f.industry, c.industry, "industry", changes, errors);
  if (f.size_band && !f.size_band->empty() && !IsValidSizeBand(*f.size_band)) {
    errors.push_back({"size_band",
                      "must be one of 1-10, 11-50, 51-200, 201-1000, 1001-5000, "
                      "5000+"});
  } else {
    ApplyText(f.size_band, c.size_band, "size_band", changes, errors);
  }
  if (f.country) {
    std::optional<std::string> cc = NormaliseCountry(*f.country);
    ApplyText(cc, c.country, "country", changes, errors);
  }
  if (f.owner && *f.owner != c.owner) {
    (void)CheckOwner(db, *f.owner, errors);
    c.owner = *f.owner;
    changes["owner"] = c.owner.value();
  }
  if (!errors.empty()) return InvalidArgument("invalid company fields", std::move(errors));
  return changes;
}

}  // namespace

Result<CompanyChange> CreateCompany(store::WriteTxn& txn, const CompanyFields& f,
                                    const RecordOptions& opt) {
  CompanyChange out;
  out.company.created_at = out.company.updated_at = txn.now();
  auto changes = ApplyCompanyFields(txn.db(), f, out.company);
  if (!changes.ok()) return changes.status();
  TANDEM_RETURN_IF_ERROR(store::InsertCompany(txn, out.company));
  TANDEM_RETURN_IF_ERROR(Journal(txn, "company_changed", out.company.id.value(), opt, "created",
                                 {{"fields", *changes}}));
  out.created = out.changed = true;
  return out;
}

Result<CompanyChange> UpdateCompany(store::WriteTxn& txn, CompanyId id, const CompanyFields& f,
                                    const RecordOptions& opt) {
  auto loaded = store::LoadCompany(txn.db(), id);
  if (!loaded.ok()) return loaded.status();
  CompanyChange out{.company = std::move(*loaded)};
  auto changes = ApplyCompanyFields(txn.db(), f, out.company);
  if (!changes.ok()) return changes.status();
  if (changes->empty()) return out;
  out.company.updated_at = txn.now();
  TANDEM_RETURN_IF_ERROR(store::SaveCompany(txn, out.company));
  TANDEM_RETURN_IF_ERROR(
      Journal(txn, "company_changed", id.value(), opt, "updated", {{"fields", *changes}}));
  out.changed = true;
  return out;
}

Status SetConsent(store::WriteTxn& txn, Person& p, const std::string& channel, Consent c,
                  const RecordOptions& opt, Seq cause) {
  auto& current = p.consent[channel];
  if (current.state == c.state) return Status::Ok();
  current = c;
  p.updated_at = txn.now();
  TANDEM_RETURN_IF_ERROR(store::SavePerson(txn, p));
  json payload = {{"channel", channel},
                  {"state", ConsentStateName(c.state)},
                  {"source", c.source},
                  {"at", FormatTimestamp(c.at)}};
  return Journal(txn, "consent_changed", p.id.value(), opt,
                 std::string(channel) + " " + std::string(ConsentStateName(c.state)), payload,
                 cause);
}

Status ErasePerson(store::WriteTxn& txn, PersonId id, const RecordOptions& opt) {
  auto p = store::LoadPerson(txn.db(), id);
  if (!p.ok()) return p.status();
  TANDEM_RETURN_IF_ERROR(store::WipePerson(txn, id));
  TANDEM_RETURN_IF_ERROR(txn.db()
                             .Cached("UPDATE journal SET payload = NULL WHERE subject = ?")
                             .Bind(1, id.value())
                             .Run());
  return Journal(txn, "erased", id.value(), opt, "personal data erased on request", json::object());
}

}  // namespace tandem::ingest
