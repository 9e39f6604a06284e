#include "store/policies.h"

namespace tandem::store {
namespace {

constexpr const char* kSelect =
    "SELECT version, name, toml, status, author_id, created_at, marketing_approver, "
    "marketing_approved_at, sales_approver, sales_approved_at, activated_at, activated_seq "
    "FROM policy_versions ";

std::optional<Timestamp> OptionalTime(const sql::Stmt& s, int col) {
  if (s.IsNull(col)) return std::nullopt;
  return FromMicros(s.Int(col));
}

PolicyRecord RowToPolicy(const sql::Stmt& s) {
  PolicyRecord p;
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

std::optional<PolicyRecord> First(sql::Stmt& s) {
  if (!s.Step()) return std::nullopt;
  return RowToPolicy(s);
}

std::string VersionName(int version) { return "policy version " + std::to_string(version); }

// Why an approval of version for side cannot be stored, or ok if it can.
Status CheckApprovable(sql::Db& db, int version, PolicySide side) {
  auto p = LoadPolicyVersion(db, version);
  if (!p.ok()) return p.status();
  if (p->status != "draft") {
    return FailedPrecondition(VersionName(version) + " is " + p->status + ", not a draft");
  }
  bool done = side == PolicySide::kMarketing ? p->marketing_approved_at.has_value()
                                             : p->sales_approved_at.has_value();
  if (done) {
    return FailedPrecondition(VersionName(version) + " is already approved for " +
                              (side == PolicySide::kMarketing ? "marketing" : "sales"));
  }
  return Status::Ok();
}

}  // namespace

Result<int> InsertPolicyVersion(WriteTxn& txn, std::string_view name, std::string_view toml,
                                UserId author) {
  auto latest = LatestPolicyVersion(txn.db());
  int version = latest ? latest->version + 1 : 1;
  auto& s = txn.db().Cached(
      "INSERT INTO policy_versions(version, name, toml, status, author_id, created_at) "
      "VALUES(?,?,?,'draft',?,?)");
  s.Bind(1, int64_t{version}).Bind(2, name).Bind(3, toml);
  s.BindOptional(4, author.value()).Bind(5, ToMicros(txn.now()));
  TANDEM_RETURN_IF_ERROR(s.Run());
  return version;
}

Result<PolicyRecord> LoadPolicyVersion(sql::Db& db, int version) {
  static const std::string kSql = std::string(kSelect) + "WHERE version = ?";
  auto& s = db.Cached(kSql.c_str());
  s.Bind(1, int64_t{version});
  auto p = First(s);
  if (!p) return NotFound("no " + VersionName(version));
  return std::move(*p);
}

std::vector<PolicyRecord> ListPolicyVersions(sql::Db& db) {
  static const std::string kSql = std::string(kSelect) + "ORDER BY version DESC";
  auto& s = db.Cached(kSql.c_str());
  std::vector<PolicyRecord> out;
  while (s.Step()) out.push_back(RowToPolicy(s));
  return out;
}

std::optional<PolicyRecord> LatestPolicyVersion(sql::Db& db) {
  static const std::string kSql = std::string(kSelect) + "ORDER BY version DESC LIMIT 1";
  return First(db.Cached(kSql.c_str()));
}

std::optional<PolicyRecord> ActivePolicyVersion(sql::Db& db) {
  static const std::string kSql = std::string(kSelect) + "WHERE status = 'active' LIMIT 1";
  return First(db.Cached(kSql.c_str()));
}

Status ApprovePolicyVersion(WriteTxn& txn, int version, PolicySide side, UserId approver) {
  TANDEM_RETURN_IF_ERROR(CheckApprovable(txn.db(), version, side));
  auto& s = txn.db().Cached(side == PolicySide::kMarketing
                                ? "UPDATE policy_versions SET marketing_approver = ?, "
                                  "marketing_approved_at = ? WHERE version = ?"
                                : "UPDATE policy_versions SET sales_approver = ?, "
                                  "sales_approved_at = ? WHERE version = ?");
  s.BindOptional(1, approver.value()).Bind(2, ToMicros(txn.now())).Bind(3, int64_t{version});
  return s.Run();
}

Status MarkPolicyActive(WriteTxn& txn, int version, Timestamp at, Seq seq) {
  auto p = LoadPolicyVersion(txn.db(), version);
  if (!p.ok()) return p.status();
  if (p->status != "draft") {
    return FailedPrecondition(VersionName(version) + " is " + p->status + ", not a draft");
  }
  TANDEM_RETURN_IF_ERROR(
      txn.db()
          .Cached("UPDATE policy_versions SET status = 'superseded' WHERE status = 'active'")
          .Run());
  auto& s = txn.db().Cached(
      "UPDATE policy_versions SET status = 'active', activated_at = ?, activated_seq = ? "
      "WHERE version = ?");
  s.Bind(1, ToMicros(at)).BindOptional(2, seq.value()).Bind(3, int64_t{version});
  return s.Run();
}

Result<int> InstallDefaultPolicy(WriteTxn& txn, std::string_view name, std::string_view toml,
                                 Seq activated_seq) {
  if (LatestPolicyVersion(txn.db())) {
    return FailedPrecondition("the store holds policy versions already");
  }
  auto version = InsertPolicyVersion(txn, name, toml, UserId());
  if (!version.ok()) return version;
  TANDEM_RETURN_IF_ERROR(MarkPolicyActive(txn, *version, txn.now(), activated_seq));
  return version;
}

std::vector<std::string> ListCustomActivityTypes(sql::Db& db) {
  auto& s = db.Cached("SELECT name FROM activity_types WHERE builtin = 0 ORDER BY name");
  std::vector<std::string> out;
  while (s.Step()) out.push_back(s.Text(0));
  return out;
}

}  // namespace tandem::store
