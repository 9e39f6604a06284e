// The workflow both agreed documents follow, the qualification policy and the SLA (DESIGN.md,
// "Policy and SLA documents"): drafts proposed by either team, approved by one marketing user
// and one sales manager (an admin for a team with no user of its own), in effect from their
// activation on; every step journaled.
//
// Thread-safety: all methods are safe from any thread (the store serialises writes).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "domain/user.h"
#include "store/documents.h"
#include "store/store.h"

namespace tandem::ingest {

// One version of an agreed document and its approvals.
struct DocumentVersion {
  int version = 0;
  std::string status;  // draft, active, superseded
  std::string name;    // the document's `name`
  std::string toml;
  UserId author;
  Timestamp created_at{};
  UserId marketing_approver, sales_approver;
  std::optional<Timestamp> marketing_approved_at, sales_approved_at, activated_at;
  Seq activated_seq;  // the <doc>_activated journal entry
};

class AgreedDocuments {
 public:
  // Journal kinds are "<kind_prefix>_proposed" and "<kind_prefix>_approved".
  AgreedDocuments(store::Store& store, store::Document doc, std::string kind_prefix)
      : store_(store), doc_(doc), prefix_(std::move(kind_prefix)) {}

  std::vector<DocumentVersion> Versions() const;
  // kNotFound if there is no such version.
  Result<DocumentVersion> Version(int version) const;
  // The version in effect; version 0 if none.
  DocumentVersion Active() const;

  // kPermissionDenied unless author may propose a draft (marketing, a sales manager or an
  // admin); callers check it before checking the text.
  Status CheckMayPropose(const User& author) const;
  // Stores toml (already checked by the caller; name is its `name`) as a new draft.
  // kPermissionDenied unless the author is marketing, a sales manager or an admin;
  // kFailedPrecondition if if_match is given and is not the latest version.
  Result<DocumentVersion> Propose(std::string_view toml, std::string_view name, const User& author,
                                  std::optional<int> if_match);

  // Puts the version into effect inside the approving write; returns the seq of the
  // activation's journal entry.
  using Activation = std::function<Result<Seq>(store::WriteTxn&, const DocumentVersion&)>;
  // Records approver's approval for their side (marketing; sales_manager for sales; an admin
  // for any side with no user of its own). Once both sides approved, activate runs in the
  // same write and the version is marked active. kNotFound, kFailedPrecondition (not a
  // draft, or that side approved already), kPermissionDenied (a role that cannot approve).
  Result<DocumentVersion> Approve(int version, const User& approver, const Activation& activate);

 private:
  const char* Name() const { return store::DocumentName(doc_); }
  store::Store& store_;
  store::Document doc_;
  std::string prefix_;
};

// The version as stored.
DocumentVersion FromRecord(store::DocumentRecord r);

}  // namespace tandem::ingest
