// The SLA as the running product sees it: the versioned SLA document, routing of new MQLs to
// an owner, SLA clocks in the owner's team's business hours, escalations when they run late
// (journaled, and handed to the outbox), and the sales actions that stop them.
//
// Everything it decides is journaled: assigned (routing decision and reason), sla_started
// (the clocks and their due times), sla_breached, escalated, action. Its state is a fold of
// those entries, applied the same way live and when rebuilt from the journal at start-up.
//
// Owned by the composition root (app), one per store, registered after the LeadModel (it
// reacts to the stage changes the lead model journals). Thread-safety: all methods are safe
// from any thread.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "domain/sales_action.h"
#include "domain/sla.h"
#include "domain/user.h"
#include "ingest/agreed_documents.h"
#include "engine/sla_toml.h"
#include "store/store.h"

namespace tandem::ingest {

// The clocks every lead handed to sales runs, each with its own deadline in the SLA.
enum class SlaClock { kAccept, kFirstTouch, kAttempts, kDisposition };
inline constexpr int kSlaClockCount = 4;
std::string_view SlaClockName(SlaClock c);  // "accept", "first_touch", "attempts", "disposition"

// One clock of an open lead as it stands at `now`.
struct SlaClockState {
  SlaClock clock = SlaClock::kAccept;
  Timestamp started{}, due{};
  bool met = false;       // the action that satisfies it happened
  bool breached = false;  // it passed its due time unmet
};

// An open lead: a person sales owns under the SLA, from assignment to disposition.
struct OpenLeadView {
  PersonId person;
  UserId owner;
  TeamId team;
  std::string lead_type;
  int sla_version = 0;
  Timestamp assigned_at{};
  bool accepted = false;
  bool clocks_running = false;  // false for leads assigned from history (no clocks)
  int attempts = 0, attempts_required = 0;
  int channels = 0, channels_required = 0;
  std::vector<SlaClockState> clocks;  // every clock, met or not
  std::optional<Timestamp> next_due;  // the earliest due time of an unmet clock
};

// What an accepted action did.
struct ActionOutcome {
  Seq seq;  // the action's journal entry
  std::optional<Stage> stage;
  UserId owner;  // the owner afterwards (new for reject and reassign)
};

class SlaModel final : public store::JournalObserver {
 public:
  // Opens the SLA model over store: installs default_sla_toml as version 1 (active) when
  // the store has none, rebuilds open leads and clocks from the journal and registers as a
  // journal observer. policy_stage_rules: the stage rules a lead type may name (checked
  // when a version is proposed). kInvalidArgument if the default does not parse.
  static Result<std::unique_ptr<SlaModel>> Open(store::Store& store,
                                                std::string_view default_sla_toml,
                                                std::vector<std::string> policy_stage_rules);
  ~SlaModel() override;  // unregisters from the store
  SlaModel(const SlaModel&) = delete;
  SlaModel& operator=(const SlaModel&) = delete;

  Status OnAppended(store::WriteTxn& txn, const store::JournalEntry& entry, Seq seq) override;

  // --- The SLA document (the agreed-document workflow, ingest/agreed_documents.h) ---
  std::vector<DocumentVersion> Versions() const;
  Result<DocumentVersion> Version(int version) const;
  DocumentVersion Active() const;
  // The active document, parsed.
  std::shared_ptr<const SlaDocument> ActiveDocument() const;
  // kInvalidArgument (key and line) if toml does not check; kTooLarge; otherwise as
  // AgreedDocuments::Propose.
  Result<DocumentVersion> Propose(std::string_view toml, const User& author,
                                  std::optional<int> if_match);
  Result<DocumentVersion> Approve(int version, const User& approver);

  // --- Sales actions ---
  // Checks action against the SLA and journals it with its effects. kNotFound: no such
  // person; kFailedPrecondition: the person has no open lead, or the action does not apply
  // now (accept twice); kPermissionDenied: the actor is not the owner, a sales manager or an
  // admin (reassign: a sales manager or admin); kInvalidArgument: a missing or unknown
  // field, or a recycle/disqualify that breaks the SLA (too few attempts or channels, an
  // unknown reason), with field errors saying exactly what is missing.
  Result<ActionOutcome> Act(PersonId person, const SalesAction& action, const User& actor);

  // --- Reading ---
  // owner's open leads, the earliest due first (leads without running clocks last); the
  // leads nobody owns for UserId().
  std::vector<OpenLeadView> Queue(UserId owner) const;
  std::optional<OpenLeadView> LeadOf(PersonId person) const;
  size_t OpenLeads() const;

  // --- Timers ---
  // Journals every escalation step due at or before now (breaches and escalations, with
  // their outbox messages), in due order. Returns how many steps fired.
  Result<size_t> FireDue(Timestamp now);
  std::optional<Timestamp> NextDue() const;
  // fn is called (from the writing thread) whenever a clock is armed earlier than the
  // previous NextDue, so a scheduler sleeping until then can wake. fn must be quick.
  void OnEarlierDue(std::function<void()> fn);

  // Reloads users and teams (after they change) so routing and calendars see them.
  Status ReloadOrganisation();

  // --- Routing health ---
  // Ok, or kFailedPrecondition with field errors when the active SLA's routing section
  // cannot be built against the organisation (a team or user it names is gone): new MQLs are
  // then journaled as assigned to nobody, with this reason, and wait in Queue(UserId()).
  Status RoutingStatus() const;
  // fn is told each time RoutingStatus changes (from the thread that changed it; fn must be
  // quick and must not call the model).
  void OnRoutingChanged(std::function<void(const Status&)> fn);

  // Internal state (ingest/sla_model_impl.h), named here for the fold in sla_model_fold.cc.
  struct Impl;

 private:
  explicit SlaModel(store::Store& store);
  Status InstallDefault(std::string_view toml);
  Status LoadVersions();
  Status Rebuild();
  engine::SlaContext Context() const;
  // Makes v the active SLA from txn's time on (journals sla_activated).
  Result<Seq> Activate(store::WriteTxn& txn, const DocumentVersion& v);
  // Saves person's open lead so that a rollback of txn restores it.
  void SaveForUndo(store::WriteTxn& txn, PersonId person);
  // Routes person (who just became an MQL or SQL by stage rule `rule`) and starts the SLA
  // clocks, journaling both, unless they have an open lead or the entry is historical.
  Status RouteAndStart(store::WriteTxn& txn, PersonId person, std::string_view rule,
                       Timestamp occurred_at, Seq cause);
  // Journals the assignment of person to decision's owner (actor, cause) and starts clocks.
  Status Assign(store::WriteTxn& txn, PersonId person, const std::string& actor, Seq cause,
                const std::string& lead_type, const std::string& decision_json, UserId owner);
  // Journals one escalation step of person's clock that fell due, with its notifications.
  Status FireStep(store::WriteTxn& txn, PersonId person, int clock);
  // Routes person again, away from their current owner (reject, reassign escalation).
  Status Reroute(store::WriteTxn& txn, PersonId person, const std::string& actor, Seq cause,
                 std::string_view why);
  store::Store& store_;
  AgreedDocuments documents_;
  std::unique_ptr<Impl> impl_;
};

class LeadModel;
// Opens the SLA model beside leads (so it hears of the stage changes leads journals), with
// lead types checked against the active policy's hand-over stage rules.
Result<std::unique_ptr<SlaModel>> OpenSlaModel(store::Store& store,
                                               std::string_view default_sla_toml,
                                               const LeadModel& leads);

}  // namespace tandem::ingest
