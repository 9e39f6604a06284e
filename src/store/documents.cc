#include "store/documents.h"

#include <array>

namespace tandem::store {
namespace {

// Every statement, once per document's table (the table name is fixed, never user input).
struct Sql {
  std::string insert, load, list, latest, active, approve_marketing, approve_sales, supersede,
      activate;
};

Sql MakeSql(const std::string& table) {
  const std::string select =
      "SELECT version, name, toml, status, author_id, created_at, marketing_approver, "
      "marketing_approved_at, sales_approver, sales_approved_at, activated_at, activated_seq "
      "FROM " +
      table + " ";
  return {
      .insert = "INSERT INTO " + table +
                "(version, name, toml, status, author_id, created_at) VALUES(?,?,?,'draft',?,?)",
      .load = select + "WHERE version = ?",
      .list = select + "ORDER BY version DESC",
      .latest = select + "ORDER BY version DESC LIMIT 1",
      .active = select + "WHERE status = 'active' LIMIT 1",
      .approve_marketing = "UPDATE " + table +
                           " SET marketing_approver = ?, marketing_approved_at = ? "
                           "WHERE version = ?",
      .approve_sales =
          "UPDATE " + table + " SET sales_approver = ?, sales_approved_at = ? WHERE version = ?",
      .supersede = "UPDATE " + table + " SET status = 'superseded' WHERE status = 'active'",
      .activate = "UPDATE " + table +
                  " SET status = 'active', activated_at = ?, activated_seq = ? WHERE version = ?",
  };
}

const Sql& SqlFor(Document doc) {
  static const std::array<Sql, 2> kSql{MakeSql("policy_versions"), MakeSql("sla_versions")};
  return kSql[doc == Document::kPolicy ? 0 : 1];
}

std::optional<Timestamp> OptionalTime(const sql::Stmt& s, int col) {
  if (s.IsNull(col)) return std::nullopt;
  return FromMicros(s.Int(col));
}

DocumentRecord RowToRecord(const sql::Stmt& s) {
  DocumentRecord p;
  p.version = static_cast<int>(s.Int(0));
  p.name = s.Text(1);
  p.toml = s.Text(2);
  p.status = s.Text(3);
  p.author = UserId(s.Int(4));
  p.created_at = FromMicros(s.Int(5));
  p.marketing_approver = UserId(s.Int(6));
  p.marketing_approved_at = OptionalTime(s, 7);
  p.sales_approver = UserId(s.Int(8));
  p.sales_approved_at = OptionalTime(s, 9);
  p.activated_at = OptionalTime(s, 10);
  p.activated_seq = Seq(s.Int(11));
  return p;
}

std::optional<DocumentRecord> First(sql::Stmt& s) {
  if (!s.Step()) return std::nullopt;
  DocumentRecord r = RowToRecord(s);
  s.Reset();
  return r;
}

std::string VersionName(Document doc, int version) {
  return std::string(DocumentName(doc)) + " version " + std::to_string(version);
}

Status CheckDraft(Document doc, const DocumentRecord& p) {
  if (p.status == "draft") return Status::Ok();
  return FailedPrecondition(VersionName(doc, p.version) + " is " + p.status + ", not a draft");
}

// Why an approval of version for side cannot be stored, or ok if it can.
Status CheckApprovable(sql::Db& db, Document doc, int version, ApprovalSide side) {
  auto p = LoadDocumentVersion(db, doc, version);
  if (!p.ok()) return p.status();
  TANDEM_RETURN_IF_ERROR(CheckDraft(doc, *p));
  bool done = side == ApprovalSide::kMarketing ? p->marketing_approved_at.has_value()
                                               : p->sales_approved_at.has_value();
  if (done) {
    return FailedPrecondition(VersionName(doc, version) + " is already approved for " +
                              (side == ApprovalSide::kMarketing ? "marketing" : "sales"));
  }
  return Status::Ok();
}

}  // namespace

const char* DocumentName(Document doc) { return doc == Document::kPolicy ? "policy" : "SLA"; }

Result<int> InsertDocumentVersion(WriteTxn& txn, Document doc, std::string_view name,
                                  std::string_view toml, UserId author) {
  auto latest = LatestDocumentVersion(txn.db(), doc);
  int version = latest ? latest->version + 1 : 1;
  auto& s = txn.db().Cached(SqlFor(doc).insert.c_str());
  s.Bind(1, int64_t{version}).Bind(2, name).Bind(3, toml);
  s.BindOptional(4, author.value()).Bind(5, ToMicros(txn.now()));
  TANDEM_RETURN_IF_ERROR(s.Run());
  return version;
}

Result<DocumentRecord> LoadDocumentVersion(sql::Db& db, Document doc, int version) {
  auto& s = db.Cached(SqlFor(doc).load.c_str());
  s.Bind(1, int64_t{version});
  auto p = First(s);
  if (!p) return NotFound("no " + VersionName(doc, version));
  return std::move(*p);
}

std::vector<DocumentRecord> ListDocumentVersions(sql::Db& db, Document doc) {
  auto& s = db.Cached(SqlFor(doc).list.c_str());
  std::vector<DocumentRecord> out;
  while (s.Step()) out.push_back(RowToRecord(s));
  return out;
}

std::optional<DocumentRecord> LatestDocumentVersion(sql::Db& db, Document doc) {
  return First(db.Cached(SqlFor(doc).latest.c_str()));
}

std::optional<DocumentRecord> ActiveDocumentVersion(sql::Db& db, Document doc) {
  return First(db.Cached(SqlFor(doc).active.c_str()));
}

Status ApproveDocumentVersion(WriteTxn& txn, Document doc, int version, ApprovalSide side,
                              UserId approver) {
  TANDEM_RETURN_IF_ERROR(CheckApprovable(txn.db(), doc, version, side));
  const Sql& sql = SqlFor(doc);
  auto& s = txn.db().Cached(side == ApprovalSide::kMarketing ? sql.approve_marketing.c_str()
                                                             : sql.approve_sales.c_str());
  s.BindOptional(1, approver.value()).Bind(2, ToMicros(txn.now())).Bind(3, int64_t{version});
  return s.Run();
}

Status MarkDocumentActive(WriteTxn& txn, Document doc, int version, Timestamp at, Seq seq) {
  auto p = LoadDocumentVersion(txn.db(), doc, version);
  if (!p.ok()) return p.status();
  TANDEM_RETURN_IF_ERROR(CheckDraft(doc, *p));
  TANDEM_RETURN_IF_ERROR(txn.db().Cached(SqlFor(doc).supersede.c_str()).Run());
  auto& s = txn.db().Cached(SqlFor(doc).activate.c_str());
  s.Bind(1, ToMicros(at)).BindOptional(2, seq.value()).Bind(3, int64_t{version});
  return s.Run();
}

Result<int> InstallDefaultDocument(WriteTxn& txn, Document doc, std::string_view name,
                                   std::string_view toml, Seq activated_seq) {
  if (LatestDocumentVersion(txn.db(), doc)) {
    return FailedPrecondition(std::string("the store holds ") + DocumentName(doc) +
                              " versions already");
  }
  auto version = InsertDocumentVersion(txn, doc, name, toml, UserId());
  if (!version.ok()) return version;
  TANDEM_RETURN_IF_ERROR(MarkDocumentActive(txn, doc, *version, txn.now(), activated_seq));
  return version;
}

std::vector<std::string> ListCustomActivityTypes(sql::Db& db) {
  auto& s = db.Cached("SELECT name FROM activity_types WHERE builtin = 0 ORDER BY name");
  std::vector<std::string> out;
  while (s.Step()) out.push_back(s.Text(0));
  return out;
}

}  // namespace tandem::store
