#include "engine/lead_engine.h"

#include <algorithm>
#include <limits>

#include "engine/lead_engine_impl.h"

namespace tandem::engine {
namespace {

}  // namespace

LeadEngine::LeadEngine(std::shared_ptr<const CompiledPolicy> policy)
    : policy_(std::move(policy)), impl_(std::make_unique<Impl>()) {}

LeadEngine::~LeadEngine() = default;

// Decay and expiry due by t, applied to st. The inactivity clock moves by whole periods here;
// OnActivity restarts it when a rule scores the activity.
static void Advance(const CompiledPolicy& policy, LeadEngine::Impl& impl, PersonId id,
                    PersonState& st, int64_t t, Decision& d) {
  int64_t k = HalvingsDue(policy.policy(), st.last_at, t);
  bool traced = impl.traced == id;
  if (k > 0) {
    double before = st.score;
    st.score = Halve(st.score, k);
    d.decayed = before - st.score;
    st.halvings += static_cast<int32_t>(std::min<int64_t>(k, 1 << 20));
    if (traced) {
      for (double& p : impl.traced_points) p = Halve(p, k);
      impl.traced_decay += d.decayed;
    }
  }
  if (k > 0) st.last_at += k * policy.policy().decay.halve_after->count();
  if (st.next_expiry > t) return;
  int64_t next = std::numeric_limits<int64_t>::max();
  internal::ForEachWindow(st, impl.pool, [&](Window& w) {
    if (w.kind != WindowKind::kExpiry) return true;
    if (w.time > t) {
      next = std::min(next, w.time);
      return true;
    }
    double lost = Halve(w.value, st.halvings - w.halvings);
    st.score -= lost;
    d.expired += lost;
    if (traced && w.slot < impl.traced_points.size()) impl.traced_points[w.slot] -= lost;
    return false;
  });
  st.next_expiry = next;
}

// Whether a window no longer matters at time t: a cap of a period already over, or a sighting
// older than every condition that looks at it.
static bool Stale(const CompiledPolicy& policy, LeadEngine::Impl& impl, const Window& w,
                  int64_t t) {
  if (w.kind == WindowKind::kCap && w.slot < policy.policy().scoring.size()) {
    const ScoringRule& rule = policy.policy().scoring[w.slot];
    return rule.cap_period != CapPeriod::kEver &&
           w.time < policy.PeriodOf(rule.cap_period, t, impl.zone_cache);
  }
  if (w.kind == WindowKind::kSeen && w.slot < policy.slots().size()) {
    int64_t horizon = policy.slots()[w.slot].horizon_us;
    return horizon >= 0 && w.time < t - horizon;
  }
  return false;
}

// Adds a window, reusing an inline one that went stale before spilling into the pool, so most
// people keep all their windows in their own block. Caps and sightings, looked up on every
// activity, take an inline place from expiring points (only walked when some are due).
static Window& AddWindow(const CompiledPolicy& policy, LeadEngine::Impl& impl, PersonState& st,
                         const Window& w, int64_t t) {
  for (Window& x : st.windows) {
    if (x.kind == WindowKind::kFree || Stale(policy, impl, x, t)) return x = w;
  }
  if (w.kind != WindowKind::kExpiry) {
    for (Window& x : st.windows) {
      if (x.kind != WindowKind::kExpiry) continue;
      impl.pool.Push(st.overflow, x);
      return x = w;
    }
  }
  return internal::AddWindow(st, impl.pool, w);
}

// Points rule r gives now, after its cap for the period of t.
static double CappedPoints(const CompiledPolicy& policy, LeadEngine::Impl& impl, PersonState& st,
                           uint16_t r, int64_t t, bool& capped) {
  const ScoringRule& rule = policy.policy().scoring[r];
  if (rule.cap_period == CapPeriod::kNone || rule.points < 0) return rule.points;
  int64_t period = policy.PeriodOf(rule.cap_period, t, impl.zone_cache);
  Window* w = internal::FindWindow(st, impl.pool, WindowKind::kCap, r);
  if (!w) w = &AddWindow(policy, impl, st, {.slot = r, .kind = WindowKind::kCap, .time = period}, t);
  if (period < w->time) return rule.points;  // a late activity of a period already left
  if (period > w->time) {
    w->time = period;
    w->value = 0;
  }
  double points = std::min(rule.points, std::max(0.0, rule.cap_points - w->value));
  capped = points < rule.points;
  w->value += points;
  return points;
}

static void NoteSeen(const CompiledPolicy& policy, LeadEngine::Impl& impl, PersonState& st,
                     const TypeRules& rules, const KeyValues& values, int64_t t) {
  for (uint16_t s : rules.slots) {
    if (!PassesAll(policy.slots()[s].where, values)) continue;
    Window* w = internal::FindWindow(st, impl.pool, WindowKind::kSeen, s);
    if (!w) {
      AddWindow(policy, impl, st, {.slot = s, .kind = WindowKind::kSeen, .time = t}, t);
    } else if (w->time < t) {
      w->time = t;
    }
  }
}

static bool Holds(const CompiledCondition& c, const LeadEngine::Impl& impl,
                  const PersonState& st, double score, int64_t t) {
  using K = Condition::Kind;
  switch (c.kind) {
    case K::kScoreAtLeast: return score >= c.number;
    case K::kScoreBelow: return score < c.number;
    case K::kGradeAtLeast: return st.grade >= c.grade;
    case K::kGradeBelow: return st.grade < c.grade;
    case K::kPersona: return st.persona >= 0 && (c.personas >> st.persona & 1);
    case K::kFact:
    case K::kFreeMail:
    case K::kStudent: return st.facts >> c.bit & 1;
    case K::kActivity: {
      const Window* w =
          internal::FindWindow(st, impl.pool, WindowKind::kSeen, static_cast<uint16_t>(c.slot));
      return w && (c.within_us < 0 || w->time >= t - c.within_us);
    }
  }
  return false;
}

// The first rule among `candidates` (bit = index) that may move the person and whose
// conditions all hold.
static const CompiledStageRule* NextRule(const CompiledPolicy& policy, const LeadEngine::Impl& impl,
                                         const PersonState& st, double score, int64_t t,
                                         uint64_t candidates) {
  for (const CompiledStageRule* r : policy.RulesFrom(static_cast<Stage>(st.stage))) {
    if (!(candidates >> r->index & 1)) continue;
    bool all = std::all_of(r->when.begin(), r->when.end(),
                           [&](const auto& c) { return Holds(c, impl, st, score, t); });
    if (all) return r;
  }
  return nullptr;
}

// Moves the person by the rules that hold. `candidates` are the rules the event may have made
// true (an activity: those on its type, and those on the score if it changed); the others held
// as false when last checked and nothing they read has changed since. After a move, or when a
// sales action set the stage, every rule is a candidate.
static void CheckStages(const CompiledPolicy& policy, LeadEngine::Impl& impl, PersonId id,
                        PersonState& st, double score, int64_t t, Seq cause, DecisionLog& log,
                        uint64_t candidates = ~uint64_t{0}) {
  if (st.stage_unchecked) candidates = ~uint64_t{0};
  if (st.stage == static_cast<uint8_t>(Stage::kRecycled) && impl.Held(id, t)) return;
  st.stage_unchecked = false;
  for (int step = 0; step < 8; ++step) {
    const CompiledStageRule* r = NextRule(policy, impl, st, score, t, candidates);
    if (!r) return;
    candidates = ~uint64_t{0};
    Decision d{.kind = Decision::Kind::kStage, .person = id, .cause = cause,
               .at = FromMicros(t), .policy_version = policy.version()};
    d.stage_before = static_cast<Stage>(st.stage);
    d.stage_after = r->to;
    d.stage_rule = r->index;
    log.decisions.push_back(d);
    st.stage = static_cast<uint8_t>(r->to);
    st.stage_rule = static_cast<int16_t>(r->index);
    st.stage_version = static_cast<uint16_t>(policy.version());
    st.stage_at = t;
  }
}

void LeadEngine::OnActivity(const ActivityEvent& ev, DecisionLog& log) {
  PersonState& st = impl_->StateOf(ev.person);
  st.known = true;
  const int64_t t = ToMicros(ev.at);
  Decision d{.kind = Decision::Kind::kScore, .person = ev.person, .cause = ev.seq, .at = ev.at,
             .policy_version = policy_->version()};
  d.score_before = st.score;
  Advance(*policy_, *impl_, ev.person, st, t, d);
  d.hits_begin = d.hits_end = static_cast<uint32_t>(log.hits.size());
  const TypeRules* rules = policy_->RulesFor(ev.type);
  if (rules) {
    KeyValues values;
    rules->Lookup(ev.properties, values);
    for (uint16_t r : rules->scoring) {
      if (!PassesAll(policy_->ScoringTests(r), values)) continue;
      RuleHit hit{.rule = r};
      hit.points = CappedPoints(*policy_, *impl_, st, r, t, hit.capped);
      st.score += hit.points;
      log.hits.push_back(hit);
      const auto& expires = policy_->policy().scoring[r].expires_after;
      if (expires && hit.points != 0) {
        int64_t at = t + expires->count();
        AddWindow(*policy_, *impl_, st,
                  {.slot = r, .kind = WindowKind::kExpiry, .halvings = st.halvings,
                   .time = at, .value = hit.points},
                  t);
        st.next_expiry = std::min(st.next_expiry, at);
      }
      if (impl_->traced == ev.person) {
        impl_->traced_points[r] += hit.points;
        ++impl_->traced_activities[r];
      }
    }
    NoteSeen(*policy_, *impl_, st, *rules, values, t);
  }
  d.hits_end = static_cast<uint32_t>(log.hits.size());
  if (d.hits_end != d.hits_begin && st.last_at < t) st.last_at = t;
  d.score_after = st.score;
  bool scored = d.hits_end != d.hits_begin || d.decayed != 0 || d.expired != 0;
  if (scored) log.decisions.push_back(d);
  uint64_t candidates = (rules ? rules->stage_triggers : 0) |
                        (scored ? policy_->score_triggers() : 0);
  if (candidates || st.stage_unchecked)
    CheckStages(*policy_, *impl_, ev.person, st, st.score, t, ev.seq, log, candidates);
}

void LeadEngine::OnActivities(std::span<const ActivityEvent> events, DecisionLog& log) {
  constexpr size_t kAhead = 12;
  const auto& people = impl_->people;
  for (size_t i = 0; i < events.size(); ++i) {
    if (i + kAhead < events.size()) {
      auto p = static_cast<size_t>(events[i + kAhead].person.value());
      if (p < people.size()) {
        const char* at = reinterpret_cast<const char*>(&people[p]);
        __builtin_prefetch(at, 1);
        __builtin_prefetch(at + 64, 1);
        __builtin_prefetch(at + 128, 1);
        __builtin_prefetch(at + 192, 1);
      }
    }
    OnActivity(events[i], log);
  }
}

void LeadEngine::OnProfile(PersonId person, const Profile& profile, Timestamp at, Seq cause,
                           DecisionLog& log) {
  PersonState& st = impl_->StateOf(person);
  st.known = true;
  st.facts = policy_->FactBits(profile);
  Grade grade;
  int persona;
  policy_->GradeOf(st.facts, grade, persona);
  if (grade.thirds != st.grade || persona != st.persona) {
    Decision d{.kind = Decision::Kind::kGrade, .person = person, .cause = cause, .at = at,
               .policy_version = policy_->version()};
    d.grade_before = Grade{st.grade};
    d.grade_after = grade;
    d.persona_before = st.persona;
    d.persona_after = persona;
    log.decisions.push_back(d);
    st.grade = static_cast<int8_t>(grade.thirds);
    st.persona = static_cast<int8_t>(persona);
  }
  Reevaluate(person, at, cause, log);
}

void LeadEngine::Reevaluate(PersonId person, Timestamp at, Seq cause, DecisionLog& log) {
  PersonState& st = impl_->StateOf(person);
  st.known = true;
  double score = StandingOf(person, at).score;
  CheckStages(*policy_, *impl_, person, st, score, ToMicros(at), cause, log);
}

void LeadEngine::SetStage(PersonId person, Stage stage, Timestamp at,
                          std::optional<Timestamp> hold_until) {
  if (hold_until) {
    impl_->holds[person.value()] = ToMicros(*hold_until);
  } else {
    impl_->holds.erase(person.value());
  }
  PersonState& st = impl_->StateOf(person);
  st.known = true;
  st.stage = static_cast<uint8_t>(stage);
  st.stage_unchecked = true;
  st.stage_rule = -1;
  st.stage_version = 0;
  st.stage_at = ToMicros(at);
}

Standing LeadEngine::StandingOf(PersonId person, Timestamp now) const {
  const PersonState* st = impl_->Find(person);
  if (!st) return {};
  const int64_t t = ToMicros(now);
  int64_t k = HalvingsDue(policy_->policy(), st->last_at, t);
  double score = Halve(st->score, k);
  if (st->next_expiry <= t) {
    internal::ForEachWindow(*st, impl_->pool, [&](const Window& w) {
      if (w.kind == WindowKind::kExpiry && w.time <= t)
        score -= Halve(w.value, st->halvings + k - w.halvings);
    });
  }
  return {.known = true,
          .score = score,
          .grade = Grade{st->grade},
          .persona = st->persona,
          .stage = static_cast<Stage>(st->stage),
          .stage_rule = st->stage_rule,
          .stage_policy_version = st->stage_version,
          .stage_at = FromMicros(st->stage_at)};
}

}  // namespace tandem::engine
