// LeadEngine's private parts, shared by its source files. Internal to the engine.
#pragma once

#include <cmath>
#include <optional>
#include <unordered_map>
#include <vector>

#include "engine/lead_engine.h"
#include "engine/lead_state.h"

namespace tandem::engine {

using internal::PersonState;
using internal::Window;
using internal::WindowKind;

struct LeadEngine::Impl {
  internal::HugeArray<PersonState> people;  // by person id
  internal::WindowPool pool;
  CompiledPolicy::ZoneCache zone_cache;
  // Results of the current policy's property tests by value, and of its fact tests by job
  // title, country, … and by e-mail domain (many distinct ones: a cache of their own).
  internal::TextMemo test_memo, fact_memo, domain_memo;
  // Grades by fact bits (few distinct combinations), direct-mapped; cleared with the policy.
  struct GradeEntry {
    uint64_t facts = 0;
    int8_t grade = 0, persona = -1;
    bool valid = false;
  };
  std::vector<GradeEntry> grade_memo;
  PersonId traced;
  std::vector<double> traced_points;
  std::vector<int64_t> traced_activities;
  double traced_decay = 0;
  // Recycled people's cool-downs: no stage rule moves them before this time (µs). Few people
  // have one, so it lives beside the per-person blocks.
  std::unordered_map<int64_t, int64_t> holds;

  // Undo (LeadEngine::OpenUndo). Invariants: undo_people is empty and the pool not recording
  // unless undo_scopes > 0; undo_last is the id of undo_people.back() if no mark was taken
  // since it was saved, else -1.
  struct SavedPerson {
    PersonState state;  // default (unknown) if the person was beyond `people`
    PersonId id;
    std::optional<int64_t> hold;
  };
  std::vector<SavedPerson> undo_people;
  int undo_scopes = 0;
  uint64_t undo_epoch = 0;
  int64_t undo_last = -1;

  bool Held(PersonId id, int64_t t) const {
    if (holds.empty()) return false;
    auto it = holds.find(id.value());
    return it != holds.end() && t < it->second;
  }

  PersonState& StateOf(PersonId id) {
    auto i = static_cast<size_t>(id.value());
    if (i >= people.size()) people.Resize(i + 1);
    return people[i];
  }
  const PersonState* Find(PersonId id) const {
    auto i = static_cast<size_t>(id.value());
    return i < people.size() && people[i].known ? &people[i] : nullptr;
  }
};

// Halvings due between last_at and t under the policy's decay (0 without decay).
inline int64_t HalvingsDue(const QualificationPolicy& p, int64_t last_at, int64_t t) {
  if (!p.decay.halve_after || last_at == internal::kNever || t <= last_at) return 0;
  const int64_t period = p.decay.halve_after->count(), since = t - last_at;
  return since < period ? 0 : since / period;  // most activities: no division
}

inline double Halve(double v, int64_t times) {
  return times >= 1100 ? 0.0 : std::ldexp(v, -static_cast<int>(times));
}

}  // namespace tandem::engine
