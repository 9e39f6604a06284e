// The lead model as the running product sees it: the versioned qualification policy, the
// engine applying the active version to every journaled input inside the same write, every
// decision journaled with its reason, and explanations on demand.
//
// Owned by the composition root (app), one per store; it observes the store's journal.
// Thread-safety: all methods are safe from any thread.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "domain/policy.h"
#include "domain/user.h"
#include "engine/lead_engine.h"
#include "ingest/agreed_documents.h"
#include "store/store.h"

namespace tandem::ingest {

// One version of the policy document and its approvals.
using PolicyVersion = DocumentVersion;

// Why a person stands where they do (GET /people/{id}/explain, `tandem explain`).
struct Explanation {
  struct RulePoints {
    std::string rule, activity;
    double points = 0;  // what the rule's activities count for now, after decay and expiry
    int64_t activities = 0;
  };
  struct CriterionMatch {
    std::string fact, value;  // e.g. seniority, "director"
    int thirds = 0;
  };
  struct StageStep {
    Stage from = Stage::kLead, to = Stage::kLead;
    std::string rule;  // the policy rule, or the action/actor that moved it
    int policy_version = 0;
    Timestamp at{};
    Seq cause;
  };
  PersonId person;
  Timestamp as_of{};
  int policy_version = 0;  // the active version
  double score = 0;
  std::vector<RulePoints> rules;  // largest contribution first
  double decayed = 0;             // points lost to decay so far
  Grade grade;
  std::string persona;  // id, empty if none fits
  std::vector<CriterionMatch> criteria;
  Stage stage = Stage::kLead;
  std::vector<StageStep> stages;  // oldest first; the last one put the person where they are
};

class LeadModel final : public store::JournalObserver {
 public:
  // Opens the lead model over store: loads the policy versions (installing
  // default_policy_toml as version 1, active, when the store has none), rebuilds every
  // person's state by replaying the journal, and registers as the store's journal observer.
  // kInvalidArgument if the default policy does not parse.
  static Result<std::unique_ptr<LeadModel>> Open(store::Store& store,
                                                 std::string_view default_policy_toml);
  ~LeadModel() override;  // unregisters from the store

  // store::JournalObserver: runs the engine on activities and record changes, journals each
  // decision caused by the entry (grade_changed and stage_changed entries; score changes
  // gathered into one scores_changed entry per write, see OnWriteEnd).
  Status OnAppended(store::WriteTxn& txn, const store::JournalEntry& entry, Seq seq) override;
  // Journals the write's score decisions as one scores_changed entry.
  Status OnWriteEnd(store::WriteTxn& txn) override;

  // --- Policy documents (ingest/lead_model_policy.cc) ---
  std::vector<PolicyVersion> Versions() const;
  // kNotFound if there is no such version.
  Result<PolicyVersion> Version(int version) const;
  PolicyVersion Active() const;
  // Stores text as a new draft. kInvalidArgument (errors with key and line) if it does not
  // parse or check; kTooLarge over engine::kMaxPolicyBytes; otherwise as
  // AgreedDocuments::Propose.
  Result<PolicyVersion> Propose(std::string_view toml, const User& author,
                                std::optional<int> if_match);
  // Records approver's approval for their side (marketing; sales_manager for sales; an admin
  // for any side that has no user of its own in the install). Once both sides approved, the
  // version becomes active from now on: journaled as policy_activated, then everyone is
  // re-graded and re-checked under it. kNotFound, kFailedPrecondition (not a draft, or the
  // same side approved already), kPermissionDenied (a role that cannot approve).
  Result<PolicyVersion> Approve(int version, const User& approver);

  // --- Reading state ---
  engine::Standing StandingOf(PersonId person, Timestamp now) const;
  // kNotFound if the person is unknown.
  Result<Explanation> Explain(PersonId person, Timestamp now) const;
  // The compiled active policy (for backtests and calibration to compare against).
  std::shared_ptr<const engine::CompiledPolicy> ActivePolicy() const;

 private:
  explicit LeadModel(store::Store& store);
  // Makes v the active policy from txn's time on: journals policy_activated (cause of what
  // follows), switches the engine, re-grades and re-checks everyone. Called by Approve inside
  // its write, after the approvals are stored. Returns the policy_activated seq.
  Result<Seq> Activate(store::WriteTxn& txn, const PolicyVersion& v);

  Status InstallDefault(std::string_view toml);
  Status LoadPolicies();
  Status Rebuild();
  // The live path for one entry kind; decisions go to log.
  Status ApplyActivity(store::WriteTxn& txn, const store::JournalEntry& e, Seq seq,
                       engine::DecisionLog& log);
  Status ApplyProfile(store::WriteTxn& txn, PersonId person, Timestamp at, Seq seq,
                      engine::DecisionLog& log);
  Status ApplyCompany(store::WriteTxn& txn, const store::JournalEntry& e, Seq seq,
                      engine::DecisionLog& log);
  Status ApplyAction(store::WriteTxn& txn, const store::JournalEntry& e, Seq seq);
  // Saves person's engine state so that a rollback of txn restores it.
  void SaveForUndo(store::WriteTxn& txn, PersonId person);
  struct Impl;
  store::Store& store_;
  AgreedDocuments documents_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tandem::ingest
