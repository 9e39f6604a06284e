// Versions of the qualification policy document (DESIGN.md, "Policy and SLA documents"):
// the TOML text as proposed, who approved it for each side, and when it took effect.
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

// One stored version. status is "draft", "active" or "superseded".
struct PolicyRecord {
  int version = 0;
  std::string name, toml, status;
  UserId author;  // 0 for the default installed at first open
  Timestamp created_at{};
  UserId marketing_approver, sales_approver;
  std::optional<Timestamp> marketing_approved_at, sales_approved_at, activated_at;
  Seq activated_seq;  // the policy_activated journal entry; 0 until active
};

// Which team an approval speaks for.
enum class PolicySide { kMarketing, kSales };

// Stores a new draft (created now, by author) numbered one past the latest version.
// Returns its number.
Result<int> InsertPolicyVersion(WriteTxn& txn, std::string_view name, std::string_view toml,
                                UserId author);

// kNotFound if there is no such version.
Result<PolicyRecord> LoadPolicyVersion(sql::Db& db, int version);
// Every version, newest first.
std::vector<PolicyRecord> ListPolicyVersions(sql::Db& db);
// The highest-numbered version; nullopt if none is stored.
std::optional<PolicyRecord> LatestPolicyVersion(sql::Db& db);
// The version in effect; nullopt if none is stored yet.
std::optional<PolicyRecord> ActivePolicyVersion(sql::Db& db);

// Records approver's approval of version for side, at txn's time.
// kNotFound if there is no such version; kFailedPrecondition if it is not a draft or that
// side approved it already.
Status ApprovePolicyVersion(WriteTxn& txn, int version, PolicySide side, UserId approver);

// Makes version the active one from at (its policy_activated entry is seq); the version
// active before it becomes superseded. kNotFound if there is no such version;
// kFailedPrecondition if it is not a draft.
Status MarkPolicyActive(WriteTxn& txn, int version, Timestamp at, Seq seq);

// For the first open of a store: stores toml as version 1 by author 0 and makes it active
// at txn's time, activated by the journal entry activated_seq. Returns the version number.
// kFailedPrecondition if any version is stored already.
Result<int> InstallDefaultPolicy(WriteTxn& txn, std::string_view name, std::string_view toml,
                                 Seq activated_seq);

// Names of the activity types users added (not the built-in ones), ascending; a policy may
// score them.
std::vector<std::string> ListCustomActivityTypes(sql::Db& db);

}  // namespace tandem::store
