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

// One clock of an open lead. Its escalation steps fall at start + allowed × at (business
// time); next_step indexes Steps::at.
struct Clock {
  int64_t start_us = 0;
  int64_t allowed_us = 0;  // business time allowed
  int64_t due_us = 0;      // start + allowed in business time
  uint8_t next_step = 0;
  bool met = false;
  bool breached = false;
};

// Invariants: when clocks_running, each unmet clock whose next_step is a valid step is armed
// in the timers at that step's time, and no other clock of the person is.
struct OpenLead {
  UserId owner;
  TeamId team;
  int sla_version = 0;
  std::string lead_type;
  int16_t attempts_required = 0, channels_required = 0;
  int16_t attempts = 0;
  uint8_t channels = 0;  // bit per ContactChannel
  bool accepted = false;
  bool clocks_running = false;
  int64_t assigned_at_us = 0;
  Seq started_seq;
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

inline engine::ClockKey KeyOf(PersonId person, int clock) {
  return {static_cast<uint64_t>(person.value()) * kSlaClockCount + static_cast<uint64_t>(clock)};
}
inline PersonId PersonOf(engine::ClockKey key) {
  return PersonId(static_cast<int64_t>(key.value / kSlaClockCount));
}
inline int ClockOf(engine::ClockKey key) { return static_cast<int>(key.value % kSlaClockCount); }

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
  std::string router_error;  // why there is no router (a bad routing section)

  std::unordered_map<int64_t, sla::OpenLead> leads;  // by person id
  engine::SlaTimers timers;
  std::function<void()> on_earlier_due;

  uint64_t undo_serial = 0;
  std::unordered_set<int64_t> undo_saved;
  bool recount_router = false;

  // REQUIRES: mu held.
  const engine::BusinessCalendar& CalendarOf(TeamId team) const;
  // Arms clock c of person's lead at its next step, or disarms it.
  void ArmNext(PersonId person, const sla::OpenLead& lead, int c);
  void ArmAll(PersonId person, const sla::OpenLead& lead);
  void DisarmAll(PersonId person);
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
