// LeadModel's policy documents: the agreed-document workflow (ingest/agreed_documents.h) with
// proposals checked by engine::ParsePolicy and activation switching the engine.
#include <string>
#include <vector>

#include "engine/policy_toml.h"
#include "ingest/lead_model.h"
#include "store/documents.h"

namespace tandem::ingest {

std::vector<PolicyVersion> LeadModel::Versions() const { return documents_.Versions(); }

Result<PolicyVersion> LeadModel::Version(int version) const { return documents_.Version(version); }

PolicyVersion LeadModel::Active() const { return documents_.Active(); }

Result<PolicyVersion> LeadModel::Propose(std::string_view toml, const User& author,
                                         std::optional<int> if_match) {
  TANDEM_RETURN_IF_ERROR(documents_.CheckMayPropose(author));
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
  return documents_.Propose(toml, policy->name, author, if_match);
}

Result<PolicyVersion> LeadModel::Approve(int version, const User& approver) {
  return documents_.Approve(
      version, approver,
      [this](store::WriteTxn& txn, const PolicyVersion& v) { return Activate(txn, v); });
}

}  // namespace tandem::ingest
