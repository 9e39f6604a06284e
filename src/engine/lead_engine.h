// The lead engine: applies a compiled qualification policy to a stream of profile changes and
// activities, keeping each person's score, grade, persona and stage, and recording every
// decision with the rule that made it.
//
// Deterministic: the same inputs in the same order under the same policies give the same
// decisions. Time comes only from the inputs (activity and change timestamps) and the `now`
// callers pass; the engine never reads a clock.
//
// Thread-safety: none; callers serialise (ingest/lead_model.h holds a lock).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "base/ids.h"
#include "base/status.h"
#include "base/time.h"
#include "domain/policy.h"
#include "engine/compiled_policy.h"

namespace tandem::engine {

// One activity property, as text (numbers in their JSON spelling).
struct Property {
  std::string_view key, value;
};

// An activity decoded for the engine.
struct ActivityEvent {
  PersonId person;
  Seq seq;  // the journal entry; the cause of the decisions it leads to
  Timestamp at;
  std::string_view type;
  std::span<const Property> properties;
};

// The facts the policy looks at, raw as stored (the engine normalises on use).
struct Profile {
  std::string job_title, country, email;
  std::string industry, size_band, company_country;
};

// A rule that gave points to one activity.
struct RuleHit {
  uint16_t rule = 0;   // index into policy.scoring
  bool capped = false; // the cap cut its points (points may be 0 then)
  double points = 0;
};

// One decision. Score decisions list their hits in DecisionLog::hits[hits_begin, hits_end).
struct Decision {
  enum class Kind : uint8_t { kScore, kGrade, kStage };
  Kind kind = Kind::kScore;
  PersonId person;
  Seq cause;
  Timestamp at;
  int policy_version = 0;
  // kScore
  double score_before = 0, score_after = 0;
  double decayed = 0, expired = 0;  // points lost to decay and expiry since the last activity
  uint32_t hits_begin = 0, hits_end = 0;
  // kGrade
  Grade grade_before, grade_after;
  int persona_before = -1, persona_after = -1;  // index into policy.personas; -1 none
  // kStage
  Stage stage_before = Stage::kLead, stage_after = Stage::kLead;
  int stage_rule = -1;  // index into policy.stages
};

// Where decisions go. Cleared by the caller; the engine only appends.
struct DecisionLog {
  std::vector<Decision> decisions;
  std::vector<RuleHit> hits;
  void Clear() {
    decisions.clear();
    hits.clear();
  }
};

// What a person stands at, with decay and expiry applied up to `now`.
struct Standing {
  bool known = false;
  double score = 0;
  Grade grade;
  int persona = -1;
  Stage stage = Stage::kLead;
  int stage_rule = -1;          // the rule that set the stage; -1 if none did
  int stage_policy_version = 0;
  Timestamp stage_at{};
};

class LeadEngine {
 public:
  explicit LeadEngine(std::shared_ptr<const CompiledPolicy> policy);
  ~LeadEngine();
  LeadEngine(const LeadEngine&) = delete;
  LeadEngine& operator=(const LeadEngine&) = delete;

  const CompiledPolicy& policy() const { return *policy_; }

  // Makes `policy` the one applied from now on. Does not touch anyone's state; callers then
  // call Reevaluate for the people they want re-graded and re-checked under it. Not undoable:
  // UndoTo a mark taken before it fails.
  void SetPolicy(std::shared_ptr<const CompiledPolicy> policy);

  // A person created or changed (or their company changed): re-grade, then check stage rules
  // as of `at`. Appends grade and stage decisions caused by `cause`.
  void OnProfile(PersonId person, const Profile& profile, Timestamp at, Seq cause,
                 DecisionLog& log);

  // An activity: decay and expiry up to its time, scoring rules, then stage rules.
  // Appends a score decision (when the score changed) and stage decisions.
  void OnActivity(const ActivityEvent& event, DecisionLog& log);
  // OnActivity for each event in order, fetching people's state a few events ahead (for
  // replays and backtests, where consecutive events name unrelated people).
  void OnActivities(std::span<const ActivityEvent> events, DecisionLog& log);

  // Re-grades from the facts last seen and re-checks stage rules under the current policy.
  void Reevaluate(PersonId person, Timestamp at, Seq cause, DecisionLog& log);

  // Sets the stage as a sales action does (journaled by the caller). Not a rule decision.
  // A recycled person with hold_until set is not moved by any stage rule before that time
  // (the recycle reason's cool-down).
  void SetStage(PersonId person, Stage stage, Timestamp at,
                std::optional<Timestamp> hold_until = std::nullopt);

  // Forgets everything about a person (an erasure), keeping nothing.
  void Forget(PersonId person);

  Standing StandingOf(PersonId person, Timestamp now) const;

  // Ids of every person the engine knows, ascending.
  std::vector<PersonId> People() const;

  // Undo, for callers that run the engine inside writes that may roll back. While an undo
  // scope is open the engine logs the old value of each overflow window it changes, and
  // SaveForUndo logs a person's block (256 bytes) and cool-down; UndoTo replays the log
  // backwards. Both cost what the changes since the mark cost, not what the people hold.
  // Scopes may overlap (writes of one group commit): each has its own mark, and marks are
  // undone newest first. The log is dropped when the last open scope closes.
  struct UndoMark {
    uint64_t epoch = 0;  // the engine's SetPolicy count when the mark was taken
    size_t people = 0, windows = 0;
  };
  // Opens a scope; returns a mark of the engine as it is now.
  UndoMark OpenUndo();
  // Logs what the engine holds for person, so that UndoTo a mark taken before now restores it.
  // REQUIRES: a scope is open; called before each call that changes the person (OnActivity,
  // OnProfile, Reevaluate, SetStage, Forget) since the latest OpenUndo. Repeating it for the
  // person saved last is free.
  void SaveForUndo(PersonId person);
  // Puts every saved person and every overflow window back as at mark, and drops the log
  // after it. kFailedPrecondition, changing nothing, if SetPolicy was called since the mark:
  // a policy switch is not undone (callers rebuild the engine instead).
  // REQUIRES: mark's scope is open; marks taken after it were undone first (or never will be).
  [[nodiscard]] Status UndoTo(const UndoMark& mark);
  // Closes a scope. REQUIRES: one is open.
  void CloseUndo();

  // Memory: per-person state, and the windowed entries (caps, expiring points, last-seen
  // activities for "within N days") with their count.
  size_t StateBytes() const;
  size_t PeopleCount() const;
  size_t WindowBytes() const;
  size_t WindowEntries() const;

  // Explain support: while set, the engine keeps, for this one person, each scoring rule's
  // points (index = rule) and how many activities earned them. TracedPoints gives the points
  // after decay and expiry up to now; TracedDecay what decay took in all.
  void TracePerson(PersonId person);
  std::vector<double> TracedPoints(Timestamp now) const;
  const std::vector<int64_t>& TracedActivities() const;
  double TracedDecay(Timestamp now) const;
  // The fact bits last computed for a person (for explanations; policy-specific).
  uint64_t FactBitsOf(PersonId person) const;

  struct Impl;  // opaque: engine/lead_engine_impl.h

 private:
  std::shared_ptr<const CompiledPolicy> policy_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tandem::engine
