// The current view of people and companies: rows kept in step with the journal by the
// callers, which write both in one transaction.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/ids.h"
#include "domain/person.h"
#include "store/db.h"
#include "store/store.h"

namespace tandem::store {

// kNotFound if there is no such person.
Result<Person> LoadPerson(sql::Db& db, PersonId id);
std::optional<PersonId> FindPersonByEmail(sql::Db& db, std::string_view email);
std::optional<PersonId> FindPersonByExternalId(sql::Db& db, std::string_view external_id);

// Inserts p, assigning p.id. REQUIRES: p's emails and external ids belong to nobody
// (callers check; a clash returns kConflict and the transaction must be rolled back).
Status InsertPerson(WriteTxn& txn, Person& p);
// Rewrites every field of an existing person, emails, phones and external ids included.
Status SavePerson(WriteTxn& txn, const Person& p);
// Wipes personal fields, e-mails, phones, external ids and custom fields; keeps the row's id,
// stage, owner and company so decisions stay provable.
Status WipePerson(WriteTxn& txn, PersonId id);

struct PersonFilter {
  std::string email;
  std::optional<Stage> stage;
  UserId owner;
  CompanyId company;
  std::optional<Timestamp> updated_since;
};

// People matching filter with id > after, ordered by id, at most limit.
Result<std::vector<Person>> ListPeople(sql::Db& db, const PersonFilter& filter, int64_t after,
                                       int limit);
int64_t CountPeople(sql::Db& db);

// Companies.
Result<Company> LoadCompany(sql::Db& db, CompanyId id);
std::optional<CompanyId> FindCompanyByDomain(sql::Db& db, std::string_view domain);
std::optional<CompanyId> FindCompanyByName(sql::Db& db, std::string_view name);
Status InsertCompany(WriteTxn& txn, Company& c);
Status SaveCompany(WriteTxn& txn, const Company& c);

struct CompanyFilter {
  std::string domain, name;
  UserId owner;
  std::optional<Timestamp> updated_since;
};
Result<std::vector<Company>> ListCompanies(sql::Db& db, const CompanyFilter& filter, int64_t after,
                                           int limit);

}  // namespace tandem::store
