#include "store/people.h"

namespace tandem::store {
namespace {

constexpr const char* kCompanyColumns =
    "id, name, domain, industry, size_band, country, owner_id, created_at, updated_at";

Company RowToCompany(const sql::Stmt& s) {
  Company c;
  c.id = CompanyId(s.Int(0));
  c.name = s.Text(1);
  c.domain = s.Text(2);
  c.industry = s.Text(3);
  c.size_band = s.Text(4);
  c.country = s.Text(5);
  c.owner = UserId(s.Int(6));
  c.created_at = FromMicros(s.Int(7));
  c.updated_at = FromMicros(s.Int(8));
  return c;
}

Status WriteCompanyRow(sql::Db& db, const Company& c, const char* sql) {
  auto& s = db.Cached(sql);
  s.Bind(1, c.name).BindOptional(2, c.domain).BindOptional(3, c.industry);
  s.BindOptional(4, c.size_band).BindOptional(5, c.country).BindOptional(6, c.owner.value());
  s.Bind(7, ToMicros(c.created_at)).Bind(8, ToMicros(c.updated_at)).Bind(9, c.id.value());
  return s.Run();
}

std::optional<CompanyId> FindOne(sql::Db& db, const char* sql, std::string_view key) {
  auto& s = db.Cached(sql);
  s.Bind(1, key);
  if (!s.Step()) return std::nullopt;
  return CompanyId(s.Int(0));
}

}  // namespace

Result<Company> LoadCompany(sql::Db& db, CompanyId id) {
  static const std::string kSql =
      std::string("SELECT ") + kCompanyColumns + " FROM companies WHERE id = ?";
  auto& s = db.Cached(kSql.c_str());
  s.Bind(1, id.value());
  if (!s.Step()) {
    TANDEM_RETURN_IF_ERROR(s.status());
    return NotFound("no company with id " + std::to_string(id.value()));
  }
  return RowToCompany(s);
}

std::optional<CompanyId> FindCompanyByDomain(sql::Db& db, std::string_view domain) {
  return FindOne(db, "SELECT id FROM companies WHERE domain = ?", domain);
}

std::optional<CompanyId> FindCompanyByName(sql::Db& db, std::string_view name) {
  return FindOne(db, "SELECT id FROM companies WHERE name = ? ORDER BY id LIMIT 1", name);
}

Status InsertCompany(WriteTxn& txn, Company& c) {
  c.id = CompanyId(txn.NextRecordId());
  txn.NoteRecordChanged(c.id.value());
  return WriteCompanyRow(txn.db(), c,
                         "INSERT INTO companies(name, domain, industry, size_band, country, "
                         "owner_id, created_at, updated_at, id) VALUES(?,?,?,?,?,?,?,?,?)");
}

Status SaveCompany(WriteTxn& txn, const Company& c) {
  txn.NoteRecordChanged(c.id.value());
  return WriteCompanyRow(txn.db(), c,
                         "UPDATE companies SET name=?, domain=?, industry=?, size_band=?, "
                         "country=?, owner_id=?, created_at=?, updated_at=? WHERE id=?");
}

Result<std::vector<Company>> ListCompanies(sql::Db& db, const CompanyFilter& f, int64_t after,
                                           int limit) {
  std::string q = std::string("SELECT ") + kCompanyColumns + " FROM companies WHERE id > ?1";
  if (!f.domain.empty()) q += " AND domain = ?2";
  if (!f.name.empty()) q += " AND name = ?3";
  if (f.owner.valid()) q += " AND owner_id = ?4";
  if (f.updated_since) q += " AND updated_at >= ?5";
  q += " ORDER BY id LIMIT ?6";
  auto stmt = db.Prepare(q);
  if (!stmt.ok()) return stmt.status();
  auto& s = **stmt;
  s.Bind(1, after).Bind(2, f.domain).Bind(3, f.name).Bind(4, f.owner.value());
  s.Bind(5, f.updated_since ? ToMicros(*f.updated_since) : 0).Bind(6, limit);
  std::vector<Company> out;
  while (s.Step()) out.push_back(RowToCompany(s));
  TANDEM_RETURN_IF_ERROR(s.status());
  return out;
}

}  // namespace tandem::store
