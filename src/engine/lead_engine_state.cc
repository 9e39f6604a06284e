// LeadEngine: policy switches, undo, memory figures, tracing.
#include <algorithm>
#include <unordered_map>

#include "engine/lead_engine.h"
#include "engine/lead_engine_impl.h"

namespace tandem::engine {
namespace {

// Old seen slot → new slot (by signature), old scoring rule → new rule (by id); -1 if gone.
struct Remap {
  std::vector<int> slots, rules;
};

Remap BuildRemap(const CompiledPolicy& from, const CompiledPolicy& to) {
  Remap m;
  for (const auto& s : from.slots()) {
    int found = -1;
    for (size_t j = 0; j < to.slots().size(); ++j) {
      if (to.slots()[j].signature == s.signature) found = static_cast<int>(j);
    }
    m.slots.push_back(found);
  }
  for (const auto& r : from.policy().scoring) {
    int found = -1;
    for (size_t j = 0; j < to.policy().scoring.size(); ++j) {
      if (to.policy().scoring[j].id == r.id) found = static_cast<int>(j);
    }
    m.rules.push_back(found);
  }
  return m;
}

// Rewrites one person's windows for the new policy: seen slots and caps follow their rule or
// go; expiring points keep expiring, attributed to the new rule of the same id if any.
void RemapPerson(internal::WindowPool& pool, internal::PersonState& st, const Remap& m) {
  internal::ForEachWindow(st, pool, [&](internal::Window& w) {
    int to = -1;
    if (w.kind == WindowKind::kSeen && w.slot < m.slots.size()) to = m.slots[w.slot];
    if (w.kind != WindowKind::kSeen && w.slot < m.rules.size()) to = m.rules[w.slot];
    if (to >= 0) {
      w.slot = static_cast<uint16_t>(to);
    } else if (w.kind == WindowKind::kExpiry) {
      w.slot = internal::kOrphanRule;
    } else {
      return false;
    }
    return true;
  });
}

}  // namespace

void LeadEngine::SetPolicy(std::shared_ptr<const CompiledPolicy> policy) {
  // Changes before a policy switch cannot be undone (UndoTo): their log goes, and the switch
  // itself (every window remapped) is not logged. Changes after it are, in open scopes.
  ++impl_->undo_epoch;
  impl_->undo_people.clear();
  impl_->undo_last = -1;
  impl_->pool.Record(false);
  Remap m = BuildRemap(*policy_, *policy);
  for (auto& st : impl_->people) {
    if (st.known) RemapPerson(impl_->pool, st, m);
  }
  if (impl_->traced.valid()) {
    std::vector<double> points(policy->policy().scoring.size());
    std::vector<int64_t> counts(points.size());
    for (size_t r = 0; r < m.rules.size(); ++r) {
      if (m.rules[r] < 0) continue;
      points[m.rules[r]] = impl_->traced_points[r];
      counts[m.rules[r]] = impl_->traced_activities[r];
    }
    impl_->traced_points = std::move(points);
    impl_->traced_activities = std::move(counts);
  }
  policy_ = std::move(policy);
  impl_->zone_cache = {};
  impl_->test_memo.Clear();
  impl_->fact_memo.Clear();
  impl_->domain_memo.Clear();
  impl_->grade_memo.clear();
  impl_->pool.Record(impl_->undo_scopes > 0);
}

void LeadEngine::Forget(PersonId person) {
  if (static_cast<size_t>(person.value()) >= impl_->people.size()) return;
  PersonState& st = impl_->people[person.value()];
  impl_->pool.Clear(st.overflow);
  st = PersonState{};
  impl_->holds.erase(person.value());
}

std::vector<PersonId> LeadEngine::People() const {
  std::vector<PersonId> out;
  for (size_t i = 0; i < impl_->people.size(); ++i) {
    if (impl_->people[i].known) out.emplace_back(static_cast<int64_t>(i));
  }
  return out;
}

LeadEngine::UndoMark LeadEngine::OpenUndo() {
  if (impl_->undo_scopes++ == 0) impl_->pool.Record(true);
  impl_->undo_last = -1;
  return {.epoch = impl_->undo_epoch,
          .people = impl_->undo_people.size(),
          .windows = impl_->pool.Mark()};
}

void LeadEngine::SaveForUndo(PersonId person) {
  Impl& m = *impl_;
  if (m.undo_scopes == 0) return;  // a caller's bug: nothing would ever drop the record
  if (person.value() == m.undo_last) return;  // saved since the latest mark, before any change
  m.undo_last = person.value();
  Impl::SavedPerson& s = m.undo_people.emplace_back();
  s.id = person;
  if (static_cast<size_t>(person.value()) < m.people.size()) s.state = m.people[person.value()];
  if (m.holds.empty()) return;
  if (auto it = m.holds.find(person.value()); it != m.holds.end()) s.hold = it->second;
}

Status LeadEngine::UndoTo(const UndoMark& mark) {
  Impl& m = *impl_;
  if (mark.epoch != m.undo_epoch) {
    return FailedPrecondition("the policy changed after the undo mark; rebuild the engine");
  }
  // Newest first, so each person ends as saved first after the mark: as they were at it.
  for (; m.undo_people.size() > mark.people; m.undo_people.pop_back()) {
    const Impl::SavedPerson& s = m.undo_people.back();
    m.StateOf(s.id) = s.state;
    if (s.hold) {
      m.holds[s.id.value()] = *s.hold;
    } else {
      m.holds.erase(s.id.value());
    }
  }
  m.pool.UndoTo(mark.windows);
  m.undo_last = -1;
  return Status::Ok();
}

void LeadEngine::CloseUndo() {
  Impl& m = *impl_;
  if (m.undo_scopes == 0 || --m.undo_scopes > 0) return;
  m.pool.Record(false);
  m.undo_people.clear();
  // A huge write's log is not worth keeping allocated until the next one.
  if (m.undo_people.capacity() > (size_t{1} << 16)) m.undo_people.shrink_to_fit();
  m.undo_last = -1;
}

size_t LeadEngine::StateBytes() const { return impl_->people.size() * sizeof(PersonState); }
size_t LeadEngine::PeopleCount() const {
  return static_cast<size_t>(std::count_if(impl_->people.begin(), impl_->people.end(),
                                           [](const auto& s) { return s.known; }));
}
size_t LeadEngine::WindowBytes() const { return impl_->pool.bytes(); }
size_t LeadEngine::WindowEntries() const {
  size_t n = 0;
  for (const auto& st : impl_->people) n += internal::CountWindows(st, impl_->pool);
  return n;
}

void LeadEngine::TracePerson(PersonId person) {
  impl_->traced = person;
  impl_->traced_points.assign(policy_->policy().scoring.size(), 0);
  impl_->traced_activities.assign(policy_->policy().scoring.size(), 0);
  impl_->traced_decay = 0;
}

std::vector<double> LeadEngine::TracedPoints(Timestamp now) const {
  std::vector<double> out = impl_->traced_points;
  const PersonState* st = impl_->Find(impl_->traced);
  if (!st) return out;
  int64_t t = ToMicros(now);
  int64_t k = HalvingsDue(policy_->policy(), st->last_at, t);
  for (double& p : out) p = Halve(p, k);
  internal::ForEachWindow(*st, impl_->pool, [&](const internal::Window& w) {
    if (w.kind == WindowKind::kExpiry && w.time <= t && w.slot < out.size())
      out[w.slot] -= Halve(w.value, st->halvings + k - w.halvings);
  });
  return out;
}

const std::vector<int64_t>& LeadEngine::TracedActivities() const {
  return impl_->traced_activities;
}

double LeadEngine::TracedDecay(Timestamp now) const {
  const PersonState* st = impl_->Find(impl_->traced);
  if (!st) return impl_->traced_decay;
  int64_t k = HalvingsDue(policy_->policy(), st->last_at, ToMicros(now));
  return impl_->traced_decay + (st->score - Halve(st->score, k));
}

uint64_t LeadEngine::FactBitsOf(PersonId person) const {
  const PersonState* st = impl_->Find(person);
  return st ? st->facts : 0;
}

}  // namespace tandem::engine
