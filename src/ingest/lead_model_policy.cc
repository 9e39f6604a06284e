// LeadModel's policy documents: versions as stored (store/policies.h), proposals checked by
// engine::ParsePolicy, and approvals by one marketing and one sales user before a version
// takes effect (DESIGN.md, "Policy and SLA documents").
#include <string>
#include <vector>

#include "engine/policy_toml.h"
#include "ingest/lead_model.h"
#include "store/journal.h"
#include "store/policies.h"
#include "store/users.h"

namespace tandem::ingest {
namespace {

PolicyVersion FromRecord(store::PolicyRecord r) {
  PolicyVersion v;
  v.version = r.version;
  v.status = std::move(r.status);
  v.name = std::move(r.name);
  v.toml = std::move(r.toml);
  v.author = r.author;
  v.created_at = r.created_at;
  v.marketing_approver = r.marketing_approver;
  v.sales_approver = r.sales_approver;
  v.marketing_approved_at = r.marketing_approved_at;
  v.sales_approved_at = r.sales_approved_at;
  v.activated_at = r.activated_at;
  v.activated_seq = r.activated_seq;
  return v;
}

std::string Actor(const User& u) { return "user:" + std::to_string(u.id.value()); }

// Both teams author policies; sales reps and viewers do not.
bool MayPropose(Role r) { return RoleMayChangeConfiguration(r) || r == Role::kSalesManager; }
bool MayApprove(Role r) {
  return r == Role::kAdmin || r == Role::kMarketing || r == Role::kSalesManager;
}

// A journal entry about the policy document itself (no subject).
Status JournalPolicy(store::WriteTxn& txn, const char* kind, const User& who, std::string reason,
                     std::string_view toml) {
  store::JournalEntry e;
  e.recorded_at = e.occurred_at = txn.now();
  e.kind = kind;
  e.actor = Actor(who);
  e.reason = std::move(reason);
  e.digest = store::ContentDigest(toml);
  return store::AppendJournal(txn, e).status();
}

const char* SideName(store::PolicySide s) {
  return s == store::PolicySide::kMarketing ? "marketing" : "sales";
}

// The sides approver's approval stands for. An admin stands for each side that has no user
// of its own role, so a one-person install can still bring a policy into effect.
// REQUIRES: MayApprove(approver.role).
Result<std::vector<store::PolicySide>> SidesOf(sql::Db& db, const User& approver) {
  using store::PolicySide;
  if (approver.role == Role::kMarketing) return std::vector{PolicySide::kMarketing};
  if (approver.role == Role::kSalesManager) return std::vector{PolicySide::kSales};
  bool marketing = false, sales = false;
  for (const User& u : store::ListUsers(db)) {
    marketing = marketing || u.role == Role::kMarketing;
    sales = sales || u.role == Role::kSalesManager;
  }
  std::vector<PolicySide> sides;
  if (!marketing) sides.push_back(PolicySide::kMarketing);
  if (!sales) sides.push_back(PolicySide::kSales);
  if (sides.empty()) {
    return Status(Code::kPermissionDenied,
                  "an admin approves only for a team with no user of its own; this install has "
                  "marketing users and sales managers, so they approve");
  }
  return sides;
}

// Stores approver's approval for each side still open. kFailedPrecondition if none is.
Status StoreApprovals(store::WriteTxn& txn, const store::PolicyRecord& p, const User& approver,
                      const std::vector<store::PolicySide>& sides) {
  std::string approved;
  Status last;
  for (store::PolicySide side : sides) {
    last = store::ApprovePolicyVersion(txn, p.version, side, approver.id);
    if (last.ok()) {
      approved += approved.empty() ? SideName(side) : std::string(" and ") + SideName(side);
    } else if (last.code() != Code::kFailedPrecondition || sides.size() == 1) {
      return last;
    }
  }
  if (approved.empty()) return last;
  return JournalPolicy(txn, "policy_approved", approver,
                       "version " + std::to_string(p.version) + " for " + approved, p.toml);
}

}  // namespace

std::vector<PolicyVersion> LeadModel::Versions() const {
  std::vector<PolicyVersion> out;
  (void)store_.Read([&](sql::Db& db) {
    for (auto& r : store::ListPolicyVersions(db)) out.push_back(FromRecord(std::move(r)));
    return Status::Ok();
  });
  return out;
}

Result<PolicyVersion> LeadModel::Version(int version) const {
  std::optional<PolicyVersion> out;
  Status st = store_.Read([&](sql::Db& db) {
    auto r = store::LoadPolicyVersion(db, version);
    if (r.ok()) out = FromRecord(std::move(*r));
    return r.status();
  });
  if (!st.ok()) return st;
  return std::move(*out);
}

PolicyVersion LeadModel::Active() const {
  PolicyVersion out;
  (void)store_.Read([&](sql::Db& db) {
    if (auto r = store::ActivePolicyVersion(db)) out = FromRecord(std::move(*r));
    return Status::Ok();
  });
  return out;
}

Result<PolicyVersion> LeadModel::Propose(std::string_view toml, const User& author,
                                         std::optional<int> if_match) {
  if (!MayPropose(author.role)) {
    return Status(Code::kPermissionDenied,
                  "role " + std::string(RoleName(author.role)) +
                      " may not propose a policy; marketing, sales managers and admins may");
  }
  if (toml.size() > engine::kMaxPolicyBytes) {
    return Status(Code::kTooLarge, "a policy document is at most 256 KiB");
  }
  std::vector<std::string> custom;
  TANDEM_RETURN_IF_ERROR(store_.Read([&](sql::Db& db) {
    custom = store::ListCustomActivityTypes(db);
    return Status::Ok();
  }));
  auto policy = engine::ParsePolicy(toml, custom);
  if (!policy.ok()) return policy.status();
  int version = 0;
  TANDEM_RETURN_IF_ERROR(store_.Write([&](store::WriteTxn& txn) {
    auto latest = store::LatestPolicyVersion(txn.db());
    int latest_version = latest ? latest->version : 0;
    if (if_match && *if_match != latest_version) {
      return FailedPrecondition("version " + std::to_string(*if_match) + " is not the latest (" +
                                std::to_string(latest_version) + ")");
    }
    auto v = store::InsertPolicyVersion(txn, policy->name, toml, author.id);
    if (!v.ok()) return v.status();
    version = *v;
    return JournalPolicy(txn, "policy_proposed", author, "version " + std::to_string(version),
                         toml);
  }));
  return Version(version);
}

Result<PolicyVersion> LeadModel::Approve(int version, const User& approver) {
  if (!MayApprove(approver.role)) {
    return Status(Code::kPermissionDenied,
                  "role " + std::string(RoleName(approver.role)) +
                      " may not approve a policy; a marketing user and a sales manager approve");
  }
  TANDEM_RETURN_IF_ERROR(store_.Write([&](store::WriteTxn& txn) {
    auto p = store::LoadPolicyVersion(txn.db(), version);
    if (!p.ok()) return p.status();
    if (p->status != "draft") {
      return FailedPrecondition("policy version " + std::to_string(version) + " is " + p->status +
                                "; only a draft can be approved");
    }
    auto sides = SidesOf(txn.db(), approver);
    if (!sides.ok()) return sides.status();
    TANDEM_RETURN_IF_ERROR(StoreApprovals(txn, *p, approver, *sides));
    auto now = store::LoadPolicyVersion(txn.db(), version);
    if (!now.ok()) return now.status();
    if (!now->marketing_approved_at || !now->sales_approved_at) return Status::Ok();
    auto seq = Activate(txn, FromRecord(*now));
    if (!seq.ok()) return seq.status();
    return store::MarkPolicyActive(txn, version, txn.now(), *seq);
  }));
  return Version(version);
}

}  // namespace tandem::ingest
