#include "engine/lead_engine.h"

#include <algorithm>
#include <limits>

#include "engine/lead_engine_impl.h"

namespace tandem::engine {
namespace {

// Decisions start as a copy of this rather than default-constructed in place: GCC zeroes a
// default-constructed Decision with `rep stos`, which costs more than the rest of a typical
// activity; copying a constant is a few vector moves.
const Decision kBlankDecision{};

// The test bits (TypeRules) an activity's values pass, cached by value where the tests cost.
uint64_t TestsPassed(LeadEngine::Impl& impl, const TypeRules& rules,
                     std::span<const Property> props) {
  uint64_t passed = 0;
  for (size_t k = 0; k < rules.keys.size(); ++k) {
    const std::string_view v = rules.ValueOf(props, k);
    if (!v.data()) continue;
    if (!(rules.keys_worth_caching >> k & 1)) {
      passed |= rules.PassedOn(k, v);
      continue;
    }
    const uint32_t id = rules.key_ids[k];
    passed |= impl.test_memo.Get(id, v, HashText(v, id), [&] { return rules.PassedOn(k, v); });
  }
  return passed;
}

// CompiledPolicy::FactBits, each field's part cached by its value. The e-mail's part depends
// only on its domain (from the last '@'), so that is what is cached.
uint64_t CachedFactBits(const CompiledPolicy& policy, LeadEngine::Impl& impl,
                        const Profile& profile) {
  auto part = [&](internal::TextMemo& memo, FactField field, std::string_view raw) {
    const auto tag = static_cast<uint32_t>(field);
    return memo.Get(tag, raw, HashText(raw, tag), [&] { return policy.FieldBits(field, raw); });
  };
  const size_t at = profile.email.rfind('@');
  const std::string_view domain =
      at == std::string::npos ? std::string_view() : std::string_view(profile.email).substr(at);
  return part(impl.fact_memo, FactField::kJobTitle, profile.job_title) |
         part(impl.fact_memo, FactField::kCountry, profile.country) |
         part(impl.domain_memo, FactField::kEmail, domain) |
         part(impl.fact_memo, FactField::kIndustry, profile.industry) |
         part(impl.fact_memo, FactField::kSizeBand, profile.size_band) |
         part(impl.fact_memo, FactField::kCompanyCountry, profile.company_country);
}

// CompiledPolicy::GradeOf, cached by fact bits.
void CachedGradeOf(const CompiledPolicy& policy, LeadEngine::Impl& impl, uint64_t facts,
                   Grade& grade, int& persona) {
  constexpr int kBits = 12;  // 4096 entries of 16 bytes
  if (impl.grade_memo.empty()) impl.grade_memo.resize(size_t{1} << kBits);
  auto& e = impl.grade_memo[(facts * 0x9E3779B97F4A7C15ull) >> (64 - kBits)];
  if (!e.valid || e.facts != facts) {
    policy.GradeOf(facts, grade, persona);
    e = {.facts = facts, .grade = static_cast<int8_t>(grade.thirds),
         .persona = static_cast<int8_t>(persona), .valid = true};
  }
  grade = Grade{e.grade};
  persona = e.persona;
}

}  // namespace

LeadEngine::LeadEngine(std::shared_ptr<const CompiledPolicy> policy)
    : policy_(std::move(policy)), impl_(std::make_unique<Impl>()) {}

LeadEngine::~LeadEngine() = default;

// Points lost since the last activity.
struct Lost {
  double decayed = 0, expired = 0;
};

// Decay and expiry due by t, applied to st. The inactivity clock moves by whole periods here;
// OnActivity restarts it when a rule scores the activity.
static void Advance(const CompiledPolicy& policy, LeadEngine::Impl& impl, PersonId id,
                    PersonState& st, int64_t t, Lost& d) {
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

// Adds a window (kind, slot, time, value, halvings as in Window), reusing an inline one that
// went stale before spilling into the pool, so most people keep all their windows in their own
// block. Caps and sightings, looked up on every activity, take an inline place from expiring
// points (only walked when some are due). The fields come in registers: a Window built by the
// caller and copied here with wide loads would stall on store forwarding.
static Window& AddWindow(const CompiledPolicy& policy, LeadEngine::Impl& impl, PersonState& st,
                         int64_t t, WindowKind kind, uint16_t slot, int64_t time,
                         double value = 0, int32_t halvings = 0) {
  auto set = [&](size_t i) -> Window& {
    st.tags[i] = internal::TagOf(kind, slot);
    Window& x = st.windows[i];
    x.slot = slot;
    x.kind = kind;
    x.halvings = halvings;
    x.time = time;
    x.value = value;
    return x;
  };
  constexpr auto kExpiryTag = static_cast<unsigned>(WindowKind::kExpiry);
  for (size_t i = 0; i < internal::kInlineWindows; ++i) {
    if (!st.tags[i]) return set(i);
    // Expiring points never go stale (they expire): no need to look at them.
    if (st.tags[i] >> 6 != kExpiryTag && Stale(policy, impl, st.windows[i], t)) return set(i);
  }
  if (kind != WindowKind::kExpiry) {
    for (size_t i = 0; i < internal::kInlineWindows; ++i) {
      if (st.tags[i] >> 6 != kExpiryTag) continue;
      impl.pool.Push(st.overflow, st.windows[i]);
      return set(i);
    }
  }
  return internal::AddWindow(
      st, impl.pool,
      {.slot = slot, .kind = kind, .halvings = halvings, .time = time, .value = value});
}

// Points rule r gives now, after its cap for the period of t.
static double CappedPoints(const CompiledPolicy& policy, LeadEngine::Impl& impl, PersonState& st,
                           uint16_t r, int64_t t, bool& capped) {
  const ScoringRule& rule = policy.policy().scoring[r];
  if (rule.cap_period == CapPeriod::kNone || rule.points < 0) return rule.points;
  int64_t period = policy.PeriodOf(rule.cap_period, t, impl.zone_cache);
  Window* w = internal::FindWindow(st, impl.pool, WindowKind::kCap, r);
  if (!w) w = &AddWindow(policy, impl, st, t, WindowKind::kCap, r, period);
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

// Remembers the sightings of the activity's seen slots; passes(i): whether the activity
// passes the tests of rules.slots[i].
template <typename Passes>
static void NoteSeen(const CompiledPolicy& policy, LeadEngine::Impl& impl, PersonState& st,
                     const TypeRules& rules, int64_t t, Passes passes) {
  for (size_t i = 0; i < rules.slots.size(); ++i) {
    const uint16_t s = rules.slots[i];
    if (!passes(i)) continue;
    Window* w = internal::FindWindow(st, impl.pool, WindowKind::kSeen, s);
    if (!w) {
      AddWindow(policy, impl, st, t, WindowKind::kSeen, s, t);
    } else if (w->time < t) {
      w->time = t;
    }
  }
}

// Whether every condition of r holds, by its folded form (CompiledStageRule::Fold): the
// conditions are pure and all must hold, so their order does not matter.
static bool AllHold(const CompiledStageRule& r, const LeadEngine::Impl& impl,
                    const PersonState& st, double score, int64_t t) {
  if (r.never) return false;
  if (r.has_score_at_least && !(score >= r.score_at_least)) return false;
  if (r.has_score_below && !(score < r.score_below)) return false;
  if (st.grade < r.grade_at_least || st.grade >= r.grade_below) return false;
  if (r.any_persona && (st.persona < 0 || !(r.personas >> st.persona & 1))) return false;
  if ((st.facts & r.facts) != r.facts) return false;
  for (const CompiledCondition& c : r.activities) {
    const Window* w =
        internal::FindWindow(st, impl.pool, WindowKind::kSeen, static_cast<uint16_t>(c.slot));
    if (!w || (c.within_us >= 0 && w->time < t - c.within_us)) return false;
  }
  return true;
}

// The first rule among `candidates` (bit = index) that may move the person and whose
// conditions all hold.
static const CompiledStageRule* NextRule(const CompiledPolicy& policy, const LeadEngine::Impl& impl,
                                         const PersonState& st, double score, int64_t t,
                                         uint64_t candidates) {
  const auto stage = static_cast<Stage>(st.stage);
  uint64_t left = candidates & policy.RuleMaskFrom(stage);
  for (uint8_t i : policy.RuleIndexesFrom(stage)) {
    if (!left) break;
    if (!(left >> i & 1)) continue;
    left &= ~(uint64_t{1} << i);
    const CompiledStageRule& r = policy.stage_rules()[i];
    if (AllHold(r, impl, st, score, t)) return &r;
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
    Decision& d = log.decisions.emplace_back(kBlankDecision);
    d.kind = Decision::Kind::kStage;
    d.person = id;
    d.cause = cause;
    d.at = FromMicros(t);
    d.policy_version = policy.version();
    d.stage_before = static_cast<Stage>(st.stage);
    d.stage_after = r->to;
    d.stage_rule = r->index;
    st.stage = static_cast<uint8_t>(r->to);
    st.stage_rule = static_cast<int16_t>(r->index);
    st.stage_version = static_cast<uint16_t>(policy.version());
    st.stage_at = t;
  }
}

// The scoring rules of an activity's type, applied to st; passes(i): whether the activity
// passes the tests of rules.scoring[i].
template <typename Passes>
static void ScoreRules(const CompiledPolicy& policy, LeadEngine::Impl& impl,
                       const ActivityEvent& ev, const TypeRules& rules, PersonState& st,
                       int64_t t, DecisionLog& log, Passes passes) {
  for (size_t i = 0; i < rules.scoring.size(); ++i) {
    if (!passes(i)) continue;
    const uint16_t r = rules.scoring[i];
    RuleHit& hit = log.hits.emplace_back();
    hit.rule = r;
    hit.points = CappedPoints(policy, impl, st, r, t, hit.capped);
    st.score += hit.points;
    const auto& expires = policy.policy().scoring[r].expires_after;
    if (expires && hit.points != 0) {
      int64_t at = t + expires->count();
      AddWindow(policy, impl, st, t, WindowKind::kExpiry, r, at, hit.points, st.halvings);
      st.next_expiry = std::min(st.next_expiry, at);
    }
    if (impl.traced == ev.person) {
      impl.traced_points[r] += hit.points;
      ++impl.traced_activities[r];
    }
  }
}

// The scoring rules and seen slots of an activity's type, applied to st: by test bits, or
// (a type with too many distinct tests for them) by each rule's tests.
static void ApplyRules(const CompiledPolicy& policy, LeadEngine::Impl& impl,
                       const ActivityEvent& ev, const TypeRules& rules, PersonState& st,
                       int64_t t, DecisionLog& log) {
  if (rules.has_test_bits) {
    const uint64_t passed = TestsPassed(impl, rules, ev.properties);
    ScoreRules(policy, impl, ev, rules, st, t, log,
               [&](size_t i) { return (rules.scoring_needs[i] & ~passed) == 0; });
    NoteSeen(policy, impl, st, rules, t,
             [&](size_t i) { return (rules.slot_needs[i] & ~passed) == 0; });
    return;
  }
  KeyValues values;
  rules.Lookup(ev.properties, values);
  ScoreRules(policy, impl, ev, rules, st, t, log, [&](size_t i) {
    return PassesAll(policy.ScoringTests(rules.scoring[i]), values);
  });
  NoteSeen(policy, impl, st, rules, t, [&](size_t i) {
    return PassesAll(policy.slots()[rules.slots[i]].where, values);
  });
}

void LeadEngine::OnActivity(const ActivityEvent& ev, DecisionLog& log) {
  PersonState& st = impl_->StateOf(ev.person);
  st.known = true;
  const int64_t t = ToMicros(ev.at);
  const double score_before = st.score;
  Lost lost;
  Advance(*policy_, *impl_, ev.person, st, t, lost);
  const auto hits_begin = static_cast<uint32_t>(log.hits.size());
  const TypeRules* rules = policy_->RulesFor(ev.type);
  if (rules) ApplyRules(*policy_, *impl_, ev, *rules, st, t, log);
  const auto hits_end = static_cast<uint32_t>(log.hits.size());
  if (hits_end != hits_begin && st.last_at < t) st.last_at = t;
  const bool scored = hits_end != hits_begin || lost.decayed != 0 || lost.expired != 0;
  if (scored) {
    // Filled in place: a Decision is large, and building one on the stack to copy stalls on
    // reading back what was just written.
    Decision& d = log.decisions.emplace_back(kBlankDecision);
    d.kind = Decision::Kind::kScore;
    d.person = ev.person;
    d.cause = ev.seq;
    d.at = ev.at;
    d.policy_version = policy_->version();
    d.score_before = score_before;
    d.score_after = st.score;
    d.decayed = lost.decayed;
    d.expired = lost.expired;
    d.hits_begin = hits_begin;
    d.hits_end = hits_end;
  }
  uint64_t candidates = (rules ? rules->stage_triggers : 0) |
                        (scored ? policy_->score_triggers() : 0);
  if (candidates || st.stage_unchecked)
    CheckStages(*policy_, *impl_, ev.person, st, st.score, t, ev.seq, log, candidates);
}

void LeadEngine::OnActivities(std::span<const ActivityEvent> events, DecisionLog& log) {
  // Far enough ahead for memory to answer, near enough that the lines are still cached. (Also
  // tried: fetching only the lines of the windows in use, by the tags, in a second step; no
  // faster — a person's whole block costs about what its first line does.)
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
  st.facts = CachedFactBits(*policy_, *impl_, profile);
  Grade grade;
  int persona;
  CachedGradeOf(*policy_, *impl_, st.facts, grade, persona);
  if (grade.thirds != st.grade || persona != st.persona) {
    Decision& d = log.decisions.emplace_back(kBlankDecision);
    d.kind = Decision::Kind::kGrade;
    d.person = person;
    d.cause = cause;
    d.at = at;
    d.policy_version = policy_->version();
    d.grade_before = Grade{st.grade};
    d.grade_after = grade;
    d.persona_before = st.persona;
    d.persona_after = persona;
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
