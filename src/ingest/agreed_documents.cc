#include "ingest/agreed_documents.h"

#include "store/journal.h"
#include "store/users.h"

namespace tandem::ingest {
namespace {

using store::ApprovalSide;

std::string Actor(const User& u) { return "user:" + std::to_string(u.id.value()); }

// Both teams author documents; sales reps and viewers do not.
bool MayPropose(Role r) { return RoleMayChangeConfiguration(r) || r == Role::kSalesManager; }
bool MayApprove(Role r) {
  return r == Role::kAdmin || r == Role::kMarketing || r == Role::kSalesManager;
}

// A journal entry about the document itself (no subject).
Status JournalStep(store::WriteTxn& txn, const std::string& kind, const User& who,
                   std::string reason, std::string_view toml) {
  store::JournalEntry e;
  e.recorded_at = e.occurred_at = txn.now();
  e.kind = kind;
  e.actor = Actor(who);
  e.reason = std::move(reason);
  e.digest = store::ContentDigest(toml);
  return store::AppendJournal(txn, e).status();
}

const char* SideName(ApprovalSide s) {
  return s == ApprovalSide::kMarketing ? "marketing" : "sales";
}

// The sides approver's approval stands for. An admin stands for each side that has no user
// of its own role, so a one-person install can still bring a document into effect.
// REQUIRES: MayApprove(approver.role).
Result<std::vector<ApprovalSide>> SidesOf(sql::Db& db, const User& approver) {
  if (approver.role == Role::kMarketing) return std::vector{ApprovalSide::kMarketing};
  if (approver.role == Role::kSalesManager) return std::vector{ApprovalSide::kSales};
  bool marketing = false, sales = false;
  for (const User& u : store::ListUsers(db)) {
    marketing = marketing || u.role == Role::kMarketing;
    sales = sales || u.role == Role::kSalesManager;
  }
  std::vector<ApprovalSide> sides;
  if (!marketing) sides.push_back(ApprovalSide::kMarketing);
  if (!sales) sides.push_back(ApprovalSide::kSales);
  if (sides.empty()) {
    return Status(Code::kPermissionDenied,
                  "an admin approves only for a team with no user of its own; this install has "
                  "marketing users and sales managers, so they approve");
  }
  return sides;
}

}  // namespace

DocumentVersion FromRecord(store::DocumentRecord r) {
  DocumentVersion v;
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

std::vector<DocumentVersion> AgreedDocuments::Versions() const {
  std::vector<DocumentVersion> out;
  (void)store_.Read([&](sql::Db& db) {
    for (auto& r : store::ListDocumentVersions(db, doc_)) out.push_back(FromRecord(std::move(r)));
    return Status::Ok();
  });
  return out;
}

Result<DocumentVersion> AgreedDocuments::Version(int version) const {
  std::optional<DocumentVersion> out;
  Status st = store_.Read([&](sql::Db& db) {
    auto r = store::LoadDocumentVersion(db, doc_, version);
    if (r.ok()) out = FromRecord(std::move(*r));
    return r.status();
  });
  if (!st.ok()) return st;
  return std::move(*out);
}

DocumentVersion AgreedDocuments::Active() const {
  DocumentVersion out;
  (void)store_.Read([&](sql::Db& db) {
    if (auto r = store::ActiveDocumentVersion(db, doc_)) out = FromRecord(std::move(*r));
    return Status::Ok();
  });
  return out;
}

Status AgreedDocuments::CheckMayPropose(const User& author) const {
  if (MayPropose(author.role)) return Status::Ok();
  return Status(Code::kPermissionDenied, "role " + std::string(RoleName(author.role)) +
                                             " may not propose a" +
                                             (doc_ == store::Document::kSla ? "n " : " ") + Name() +
                                             "; marketing, sales managers and admins may");
}

Result<DocumentVersion> AgreedDocuments::Propose(std::string_view toml, std::string_view name,
                                                 const User& author, std::optional<int> if_match) {
  TANDEM_RETURN_IF_ERROR(CheckMayPropose(author));
  int version = 0;
  TANDEM_RETURN_IF_ERROR(store_.Write([&](store::WriteTxn& txn) {
    auto latest = store::LatestDocumentVersion(txn.db(), doc_);
    int latest_version = latest ? latest->version : 0;
    if (if_match && *if_match != latest_version) {
      return FailedPrecondition("version " + std::to_string(*if_match) + " is not the latest (" +
                                std::to_string(latest_version) + ")");
    }
    auto v = store::InsertDocumentVersion(txn, doc_, name, toml, author.id);
    if (!v.ok()) return v.status();
    version = *v;
    return JournalStep(txn, prefix_ + "_proposed", author, "version " + std::to_string(version),
                       toml);
  }));
  return Version(version);
}

Result<DocumentVersion> AgreedDocuments::Approve(int version, const User& approver,
                                                 const Activation& activate) {
  if (!MayApprove(approver.role)) {
    return Status(Code::kPermissionDenied,
                  "role " + std::string(RoleName(approver.role)) + " may not approve a" +
                      (doc_ == store::Document::kSla ? "n " : " ") + Name() +
                      "; a marketing user and a sales manager approve");
  }
  TANDEM_RETURN_IF_ERROR(store_.Write([&](store::WriteTxn& txn) {
    auto p = store::LoadDocumentVersion(txn.db(), doc_, version);
    if (!p.ok()) return p.status();
    if (p->status != "draft") {
      return FailedPrecondition(std::string(Name()) + " version " + std::to_string(version) +
                                " is " + p->status + "; only a draft can be approved");
    }
    auto sides = SidesOf(txn.db(), approver);
    if (!sides.ok()) return sides.status();
    std::string approved;
    Status last;
    for (ApprovalSide side : *sides) {
      last = store::ApproveDocumentVersion(txn, doc_, version, side, approver.id);
      if (last.ok()) {
        approved += approved.empty() ? SideName(side) : std::string(" and ") + SideName(side);
      } else if (last.code() != Code::kFailedPrecondition || sides->size() == 1) {
        return last;
      }
    }
    if (approved.empty()) return last;
    TANDEM_RETURN_IF_ERROR(JournalStep(txn, prefix_ + "_approved", approver,
                                       "version " + std::to_string(version) + " for " + approved,
                                       p->toml));
    auto now = store::LoadDocumentVersion(txn.db(), doc_, version);
    if (!now.ok()) return now.status();
    if (!now->marketing_approved_at || !now->sales_approved_at) return Status::Ok();
    auto seq = activate(txn, FromRecord(*now));
    if (!seq.ok()) return seq.status();
    return store::MarkDocumentActive(txn, doc_, version, txn.now(), *seq);
  }));
  return Version(version);
}

}  // namespace tandem::ingest
