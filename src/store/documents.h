// Versions of the two agreed documents, the qualification policy and the SLA (DESIGN.md,
// "Policy and SLA documents"): the TOML text as proposed, who approved it for each side, and
// when it took effect. Each document has its own numbering.
//
// Invariants: versions are numbered 1, 2, … in the order they were proposed; at most one
// version is active; a version's text never changes once stored; status moves only
// draft → active → superseded.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/ids.h"
#include "base/status.h"
#include "base/time.h"
#include "store/db.h"
#include "store/store.h"

namespace tandem::store {

// Which agreed document.
enum class Document { kPolicy, kSla };
// "policy" or "SLA", for messages.
const char* DocumentName(Document doc);

// One stored version. status is "draft", "active" or "superseded".
struct DocumentRecord {
  int version = 0;
  std::string name, toml, status;
  UserId author;  // 0 for the default installed at first open
  Timestamp created_at{};
  UserId marketing_approver, sales_approver;
  std::optional<Timestamp> marketing_approved_at, sales_approved_at, activated_at;
  Seq activated_seq;  // the policy_activated / sla_activated journal entry; 0 until active
};

// Which team an approval speaks for.
enum class ApprovalSide { kMarketing, kSales };

// Stores a new draft (created now, by author) numbered one past the latest version.
// Returns its number.
Result<int> InsertDocumentVersion(WriteTxn& txn, Document doc, std::string_view name,
                                  std::string_view toml, UserId author);

// kNotFound if there is no such version.
Result<DocumentRecord> LoadDocumentVersion(sql::Db& db, Document doc, int version);
// Every version, newest first.
std::vector<DocumentRecord> ListDocumentVersions(sql::Db& db, Document doc);
// The highest-numbered version; nullopt if none is stored.
std::optional<DocumentRecord> LatestDocumentVersion(sql::Db& db, Document doc);
// The version in effect; nullopt if none is stored yet.
std::optional<DocumentRecord> ActiveDocumentVersion(sql::Db& db, Document doc);

// Records approver's approval of version for side, at txn's time.
// kNotFound if there is no such version; kFailedPrecondition if it is not a draft or that
// side approved it already.
Status ApproveDocumentVersion(WriteTxn& txn, Document doc, int version, ApprovalSide side,
                              UserId approver);

// Makes version the active one from at (its activation journal entry is seq); the version
// active before it becomes superseded. kNotFound if there is no such version;
// kFailedPrecondition if it is not a draft.
Status MarkDocumentActive(WriteTxn& txn, Document doc, int version, Timestamp at, Seq seq);

// For the first open of a store: stores toml as version 1 by author 0 and makes it active
// at txn's time, activated by the journal entry activated_seq. Returns the version number.
// kFailedPrecondition if any version of doc is stored already.
Result<int> InstallDefaultDocument(WriteTxn& txn, Document doc, std::string_view name,
                                   std::string_view toml, Seq activated_seq);

// Names of the activity types users added (not the built-in ones), ascending; a policy may
// score them.
std::vector<std::string> ListCustomActivityTypes(sql::Db& db);

}  // namespace tandem::store
