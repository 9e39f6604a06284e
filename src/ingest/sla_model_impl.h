// SlaModel's private state, shared by its source files. Internal to ingest.
#pragma once

#include <array>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "engine/business_hours.h"
#include "engine/routing.h"
#include "engine/sla_timers.h"
#include "ingest/sla_model.h"

namespace tandem::ingest::sla {

// One clock of an open lead, started with the lead's clocks. Its escalation steps fall at
// start + allowed × at in the owner's team's business time (at 1: the due time); next_step
// indexes Steps::at. 10 bytes: a million leads hold four million clocks.
#pragma pack(push, 2)
struct Clock {
  int64_t allowed_us = 0;  // business time allowed
  uint8_t next_step = 0;
  bool met : 1 = false;
  bool breached : 1 = false;
};
#pragma pack(pop)
static_assert(sizeof(Clock) == 10);

// An open lead, compact (one per lead sales owns; 80 bytes).
// Invariants: when clocks_running, the person's one timer is armed at the earliest next step
// of its unmet clocks (NextStep), and disarmed when there is none.
struct OpenLead {
  int64_t start_us = 0;  // assigned, and the clocks started
  Seq started_seq;       // the sla_started entry
  UserId owner;
  TeamId team;
  uint16_t sla_version = 0;
  uint8_t lead_type = 0;  // index into that version's lead types
  uint8_t attempts = 0;   // saturates at 255
  uint8_t channels = 0;   // bit per ContactChannel
  uint8_t attempts_required = 0, channels_required = 0;
  bool accepted : 1 = false;
  bool clocks_running : 1 = false;
  std::array<Clock, kSlaClockCount> clocks{};
};

// The escalation ladder of the active SLA as the timers walk it: the distinct `at` values
// (1.0, the breach, always among them), ascending, and for each the document's steps there.
struct Steps {
  std::vector<double> at;
  std::vector<std::vector<const EscalationStep*>> escalations;
};
Steps StepsOf(const SlaDocument& doc);

// A user as routing and notifications need them.
struct Member {
  UserId id;
  TeamId team;
  Role role = Role::kViewer;
  std::string email, name;
  bool out_of_office = false;
};

// One timer per open lead, keyed by its person.
inline engine::ClockKey KeyOf(PersonId person) {
  return {static_cast<uint64_t>(person.value())};
}
inline PersonId PersonOf(engine::ClockKey key) {
  return PersonId(static_cast<int64_t>(key.value));
}

}  // namespace tandem::ingest::sla

namespace tandem::ingest {

// Invariants: leads holds every open lead folded from committed journal entries (and,
// during a write, its uncommitted ones, undone if it rolls back); timers as sla::OpenLead
// says; router's open counts are the open leads per owner.
struct SlaModel::Impl {
  mutable std::mutex mu;  // guards everything below
  std::map<int, std::shared_ptr<const SlaDocument>> versions;  // activated, by version
  std::shared_ptr<const SlaDocument> active;
  int active_version = 0;
  sla::Steps steps;
  std::vector<std::string> policy_stage_rules;

  std::vector<Team> teams;
  std::unordered_map<int64_t, sla::Member> members;  // by user id
  std::unordered_map<int64_t, UserId> managers;      // team id → manager
  std::unordered_map<int64_t, engine::BusinessCalendar> calendars;  // by team id
  std::optional<engine::BusinessCalendar> default_calendar;
  std::optional<engine::Router> router;
  Status router_status;  // why there is no router (the routing section cannot be built)
  // Called (mu held) when router_status changes; must not call back into the model.
  std::function<void(const Status&)> on_routing_changed;

  std::unordered_map<int64_t, sla::OpenLead> leads;  // by person id
  engine::SlaTimers timers;
  std::function<void()> on_earlier_due;

  uint64_t undo_serial = 0;
  std::unordered_set<int64_t> undo_saved;
  bool recount_router = false;

  // REQUIRES (all below): mu held.
  const engine::BusinessCalendar& CalendarOf(TeamId team) const;
  // When clock c's step falls due (step 1.0: its due time).
  Timestamp StepTime(const sla::OpenLead& lead, int c, double at) const;
  Timestamp DueOf(const sla::OpenLead& lead, int c) const { return StepTime(lead, c, 1.0); }
  // The unmet clock whose next step comes first, and when; nullopt if none is left.
  std::optional<std::pair<Timestamp, int>> NextStep(const sla::OpenLead& lead) const;
  // Arms person's timer at lead's next step, or disarms it.
  void Arm(PersonId person, const sla::OpenLead& lead);
  void Disarm(PersonId person);
  // The lead type's id ("hand_raiser"), from the version the lead was assigned under.
  std::string LeadTypeId(const sla::OpenLead& lead) const;
  // Memory held by open leads and their timers (bench and operators).
  size_t MemoryBytes() const;
  // Removes person's open lead (closed), releasing its owner and clocks.
  void Close(PersonId person);
  // Rebuilds the router from the active document and organisation, then counts open leads.
  void BuildRouter();
  // Makes the activated version the one applied (0: none), re-arming every clock.
  void SwitchTo(int version);
};

// Folds one journal entry SlaModel decides on or reacts to into impl's state (live and in
// rebuilds alike). REQUIRES: impl.mu held.
void FoldEntry(SlaModel::Impl& impl, const store::JournalEntry& e, Seq seq);

}  // namespace tandem::ingest
