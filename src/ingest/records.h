// Creating and changing people and companies: validation, normalisation, the view change and
// its journal entry, all inside the caller's write transaction.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "domain/person.h"
#include "store/store.h"

namespace tandem::ingest {

// Fields a create or an update may set; nullopt leaves a field as it is. Raw values are
// normalised here. `stage` exists only so a PATCH naming it is refused with a clear error.
struct PersonFields {
  std::optional<std::string> first_name, last_name, job_title, country;
  std::optional<std::vector<std::string>> emails, phones, external_ids;
  std::optional<CompanyId> company;
  std::optional<UserId> owner;
  std::optional<std::map<std::string, std::string>> custom;  // merged key by key
  std::optional<std::string> stage;
};

struct CompanyFields {
  std::optional<std::string> name, domain, industry, size_band, country;
  std::optional<UserId> owner;
};

struct RecordOptions {
  std::string actor = "api";        // journaled as who made the change
  std::string phone_region = "US";  // for phones without a country code
  std::string reason;               // journaled why ("import people.csv row 12")
};

struct PersonChange {
  Person person;
  bool created = false;
  bool changed = false;              // false: the fields were already so; nothing journaled
  std::vector<FieldError> warnings;  // e.g. a phone kept raw because it did not parse
};

// Creates a person. kInvalidArgument names each bad field; kConflict if an e-mail or external
// id belongs to someone else (the field says which).
Result<PersonChange> CreatePerson(store::WriteTxn& txn, const PersonFields& f,
                                  const RecordOptions& opt);
// Applies f to person id. kNotFound, kInvalidArgument (including any attempt to set stage),
// kConflict as for CreatePerson. Unchanged fields write nothing.
Result<PersonChange> UpdatePerson(store::WriteTxn& txn, PersonId id, const PersonFields& f,
                                  const RecordOptions& opt);

struct CompanyChange {
  Company company;
  bool created = false, changed = false;
};
Result<CompanyChange> CreateCompany(store::WriteTxn& txn, const CompanyFields& f,
                                    const RecordOptions& opt);
Result<CompanyChange> UpdateCompany(store::WriteTxn& txn, CompanyId id, const CompanyFields& f,
                                    const RecordOptions& opt);

// Sets one channel's consent and journals consent_changed; no-op if already in that state.
Status SetConsent(store::WriteTxn& txn, Person& p, const std::string& channel, Consent c,
                  const RecordOptions& opt, Seq cause);

// Erases a person's personal data (GDPR): wipes the record and every journal payload for
// them, keeps every decision, and journals `erased`. kNotFound if no such person.
Status ErasePerson(store::WriteTxn& txn, PersonId id, const RecordOptions& opt);

}  // namespace tandem::ingest
