#include "store/people.h"

#include <nlohmann/json.hpp>

namespace tandem::store {
namespace {

using nlohmann::json;

std::string ConsentToJson(const std::map<std::string, Consent>& consent) {
  json j = json::object();
  for (const auto& [channel, c] : consent) {
    j[channel] = {
        {"state", ConsentStateName(c.state)}, {"source", c.source}, {"at", ToMicros(c.at)}};
  }
  return j.dump();
}

std::map<std::string, Consent> ConsentFromJson(std::string_view text) {
  std::map<std::string, Consent> out;
  if (text == "{}") return out;
  json j = json::parse(text, nullptr, false);
  if (!j.is_object()) return out;
  for (const auto& [channel, v] : j.items()) {
    Consent c;
    c.state = ParseConsentState(v.value("state", "unknown")).value_or(ConsentState::kUnknown);
    c.source = v.value("source", "");
    c.at = FromMicros(v.value("at", int64_t{0}));
    out[channel] = c;
  }
  return out;
}

std::string CustomToJson(const std::map<std::string, std::string>& custom) {
  return json(custom).dump();
}

std::map<std::string, std::string> CustomFromJson(std::string_view text) {
  std::map<std::string, std::string> out;
  if (text == "{}") return out;
  json j = json::parse(text, nullptr, false);
  if (!j.is_object()) return out;
  for (const auto& [k, v] : j.items()) out[k] = v.is_string() ? v.get<std::string>() : v.dump();
  return out;
}

constexpr const char* kPersonColumns =
    "id, first_name, last_name, job_title, country, company_id, owner_id, stage, consent, "
    "custom, created_at, updated_at, erased_at";

Person RowToPerson(const sql::Stmt& s) {
  Person p;
  p.id = PersonId(s.Int(0));
  p.first_name = s.Text(1);
  p.last_name = s.Text(2);
  p.job_title = s.Text(3);
  p.country = s.Text(4);
  p.company_id = CompanyId(s.Int(5));
  p.owner = UserId(s.Int(6));
  p.stage = ParseStage(s.TextView(7)).value_or(Stage::kLead);
  p.consent = ConsentFromJson(s.TextView(8));
  p.custom = CustomFromJson(s.TextView(9));
  p.created_at = FromMicros(s.Int(10));
  p.updated_at = FromMicros(s.Int(11));
  p.erased = !s.IsNull(12);
  return p;
}

// E-mails, phones and external ids in one statement (this is on the path of every read).
void LoadIdentifiers(sql::Db& db, Person& p) {
  auto& s = db.Cached(
      "SELECT 0, position, email, NULL FROM person_emails WHERE person_id = ?1 "
      "UNION ALL SELECT 1, position, e164, raw FROM person_phones WHERE person_id = ?1 "
      "UNION ALL SELECT 2, 0, external_id, NULL FROM person_external_ids WHERE person_id = ?1 "
      "ORDER BY 1, 2, 3");
  s.Bind(1, p.id.value());
  while (s.Step()) {
    switch (s.Int(0)) {
      case 0:
        p.emails.push_back(s.Text(2));
        break;
      case 1:
        p.phones.push_back({s.Text(2), s.Text(3)});
        break;
      default:
        p.external_ids.push_back(s.Text(2));
        break;
    }
  }
}

Status DeleteIdentifiers(sql::Db& db, PersonId id) {
  TANDEM_RETURN_IF_ERROR(
      db.Cached("DELETE FROM person_emails WHERE person_id = ?").Bind(1, id.value()).Run());
  TANDEM_RETURN_IF_ERROR(
      db.Cached("DELETE FROM person_phones WHERE person_id = ?").Bind(1, id.value()).Run());
  return db.Cached("DELETE FROM person_external_ids WHERE person_id = ?").Bind(1, id.value()).Run();
}

Status WriteIdentifiers(sql::Db& db, const Person& p) {
  int64_t pos = 0;
  for (const auto& email : p.emails) {
    TANDEM_RETURN_IF_ERROR(db.Cached("INSERT INTO person_emails VALUES(?,?,?)")
                               .Bind(1, email)
                               .Bind(2, p.id.value())
                               .Bind(3, pos++)
                               .Run());
  }
  pos = 0;
  for (const auto& phone : p.phones) {
    TANDEM_RETURN_IF_ERROR(db.Cached("INSERT INTO person_phones VALUES(?,?,?,?)")
                               .Bind(1, p.id.value())
                               .Bind(2, pos++)
                               .BindOptional(3, phone.e164)
                               .Bind(4, phone.raw)
                               .Run());
  }
  for (const auto& x : p.external_ids) {
    TANDEM_RETURN_IF_ERROR(db.Cached("INSERT INTO person_external_ids VALUES(?,?)")
                               .Bind(1, x)
                               .Bind(2, p.id.value())
                               .Run());
  }
  return Status::Ok();
}

Status WritePersonRow(sql::Db& db, const Person& p, const char* sql) {
  std::string consent = ConsentToJson(p.consent), custom = CustomToJson(p.custom);
  auto& s = db.Cached(sql);
  s.BindOptional(1, p.first_name).BindOptional(2, p.last_name).BindOptional(3, p.job_title);
  s.BindOptional(4, p.country).BindOptional(5, p.company_id.value());
  s.BindOptional(6, p.owner.value()).Bind(7, StageName(p.stage)).Bind(8, consent);
  s.Bind(9, custom).Bind(10, ToMicros(p.created_at)).Bind(11, ToMicros(p.updated_at));
  s.Bind(12, p.id.value());
  return s.Run();
}

}  // namespace

Result<Person> LoadPerson(sql::Db& db, PersonId id) {
  static const std::string kSql =
      std::string("SELECT ") + kPersonColumns + " FROM people WHERE id = ?";
  auto& s = db.Cached(kSql.c_str());
  s.Bind(1, id.value());
  if (!s.Step()) {
    TANDEM_RETURN_IF_ERROR(s.status());
    return NotFound("no person with id " + std::to_string(id.value()));
  }
  Person p = RowToPerson(s);
  s.Reset();
  LoadIdentifiers(db, p);
  return p;
}

std::optional<PersonId> FindPersonByEmail(sql::Db& db, std::string_view email) {
  auto& s = db.Cached("SELECT person_id FROM person_emails WHERE email = ?");
  s.Bind(1, email);
  if (!s.Step()) return std::nullopt;
  return PersonId(s.Int(0));
}

std::optional<PersonId> FindPersonByExternalId(sql::Db& db, std::string_view external_id) {
  auto& s = db.Cached("SELECT person_id FROM person_external_ids WHERE external_id = ?");
  s.Bind(1, external_id);
  if (!s.Step()) return std::nullopt;
  return PersonId(s.Int(0));
}

Status InsertPerson(WriteTxn& txn, Person& p) {
  p.id = PersonId(txn.NextRecordId());
  txn.NoteRecordChanged(p.id.value());
  TANDEM_RETURN_IF_ERROR(WritePersonRow(
      txn.db(), p,
      "INSERT INTO people(first_name, last_name, job_title, country, company_id, owner_id, "
      "stage, consent, custom, created_at, updated_at, id) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)"));
  return WriteIdentifiers(txn.db(), p);
}

Status SavePerson(WriteTxn& txn, const Person& p) {
  txn.NoteRecordChanged(p.id.value());
  TANDEM_RETURN_IF_ERROR(WritePersonRow(
      txn.db(), p,
      "UPDATE people SET first_name=?, last_name=?, job_title=?, country=?, company_id=?, "
      "owner_id=?, stage=?, consent=?, custom=?, created_at=?, updated_at=? WHERE id=?"));
  TANDEM_RETURN_IF_ERROR(DeleteIdentifiers(txn.db(), p.id));
  return WriteIdentifiers(txn.db(), p);
}

Status WipePerson(WriteTxn& txn, PersonId id) {
  txn.NoteRecordChanged(id.value());
  TANDEM_RETURN_IF_ERROR(
      txn.db()
          .Cached("UPDATE people SET first_name=NULL, last_name=NULL, job_title=NULL, "
                  "country=NULL, custom='{}', updated_at=?, erased_at=? WHERE id=?")
          .Bind(1, ToMicros(txn.now()))
          .Bind(2, ToMicros(txn.now()))
          .Bind(3, id.value())
          .Run());
  return DeleteIdentifiers(txn.db(), id);
}

Result<std::vector<Person>> ListPeople(sql::Db& db, const PersonFilter& f, int64_t after,
                                       int limit) {
  std::string q = std::string("SELECT ") + kPersonColumns + " FROM people WHERE id > ?1";
  if (!f.email.empty()) q += " AND id IN (SELECT person_id FROM person_emails WHERE email = ?2)";
  if (f.stage) q += " AND stage = ?3";
  if (f.owner.valid()) q += " AND owner_id = ?4";
  if (f.company.valid()) q += " AND company_id = ?5";
  if (f.updated_since) q += " AND updated_at >= ?6";
  q += " ORDER BY id LIMIT ?7";
  auto stmt = db.Prepare(q);
  if (!stmt.ok()) return stmt.status();
  auto& s = **stmt;
  std::string stage = f.stage ? std::string(StageName(*f.stage)) : "";
  s.Bind(1, after).Bind(2, f.email).Bind(3, stage).Bind(4, f.owner.value());
  s.Bind(5, f.company.value()).Bind(6, f.updated_since ? ToMicros(*f.updated_since) : 0);
  s.Bind(7, limit);
  std::vector<Person> out;
  while (s.Step()) out.push_back(RowToPerson(s));
  TANDEM_RETURN_IF_ERROR(s.status());
  for (auto& p : out) LoadIdentifiers(db, p);
  return out;
}

int64_t CountPeople(sql::Db& db) {
  auto& s = db.Cached("SELECT COUNT(*) FROM people");
  return s.Step() ? s.Int(0) : 0;
}

}  // namespace tandem::store
