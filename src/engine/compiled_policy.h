// A checked qualification policy compiled for the engine's hot path: activity types mapped to
// their rules, every distinct fact test given a bit, every "activity within N days" condition
// given a slot, calendar periods computed in the policy's time zone.
//
// Immutable after Compile; thread-safe to share (the period cache is per caller).
#pragma once

#include <array>
#include <cstring>
#include <limits>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/status.h"
#include "domain/policy.h"

namespace date {
class time_zone;
}

namespace tandem::engine {

struct Property;
struct Profile;

// The value of a fact for a profile as tests compare it (job titles lower case, seniority and
// region derived, e-mail domain lower case); "" if unknown.
std::string FactValueOf(Fact fact, const Profile& profile);

// An activity's property values for the keys its type's rules test (TypeRules::keys), by
// index; a view with a null data() marks a property the activity lacks.
constexpr size_t kMaxKeysPerType = 16;
using KeyValues = std::array<std::string_view, kMaxKeysPerType>;

// A property test ready to run against an activity's properties.
struct CompiledTest {
  std::string key;
  std::vector<std::string> equals, contains;
  uint8_t key_index = 0;  // into TypeRules::keys of the activity type
  bool Passes(const KeyValues& values) const;
  // Whether a present value passes.
  bool PassesValue(std::string_view v) const;
};
bool PassesAll(std::span<const CompiledTest> tests, const KeyValues& values);

// A condition of a stage rule, its references resolved.
struct CompiledCondition {
  Condition::Kind kind;
  double number = 0;
  int grade = 0;
  uint64_t personas = 0;  // bit i: persona i
  int bit = -1;           // kFact, kFreeMail, kStudent: the fact bit
  int slot = -1;          // kActivity: the seen slot
  int64_t within_us = -1; // kActivity: -1 for ever
};

struct CompiledStageRule {
  int index = 0;  // into policy.stages
  Stage to = Stage::kMql;
  bool fast_track = false;
  std::vector<CompiledCondition> when;

  // The same conditions folded for the hot path: those on the score, grade, persona and facts
  // all hold iff the score is at least score_at_least and below score_below (where set), the
  // grade in [grade_at_least, grade_below), the persona among personas (where a condition
  // names personas) and every bit of facts is set; then each of `activities` must hold.
  bool never = false;  // a threshold no score meets (NaN)
  bool has_score_at_least = false, has_score_below = false, any_persona = false;
  double score_at_least = 0, score_below = 0;
  int grade_at_least = std::numeric_limits<int>::min();
  int grade_below = std::numeric_limits<int>::max();
  uint64_t personas = ~uint64_t{0};
  uint64_t facts = 0;
  std::vector<CompiledCondition> activities;
  void Fold();
};

// "An activity of type T passing these tests": the thing a seen slot remembers.
struct SeenSlot {
  std::string activity;
  std::vector<CompiledTest> where;
  std::string signature;  // equal signatures remember the same thing across policy versions
  // How long a sighting matters: the longest `within` of the conditions using the slot;
  // -1 if one of them has none (ever).
  int64_t horizon_us = 0;
};

struct TypeRules {
  std::vector<uint16_t> scoring;  // indexes into policy.scoring, in document order
  std::vector<uint16_t> slots;    // seen slots of this type
  std::vector<std::string> keys;  // the property keys their tests look at
  uint64_t stage_triggers = 0;    // stage rules (bit = index) with a condition on this type
  // The values of `keys` among props (later duplicates ignored).
  void Lookup(std::span<const Property> props, KeyValues& values) const;
  // The value of keys[k] among props as Lookup gives it.
  std::string_view ValueOf(std::span<const Property> props, size_t k) const;

  // Test bits: each distinct property test of the type's rules and slots has one, so an
  // activity's values are tested once however many rules share a test, and a rule passes when
  // its tests' bits all passed. Set unless the type has more than 64 distinct tests
  // (has_test_bits false: use PassesAll).
  bool has_test_bits = false;
  std::vector<uint64_t> scoring_needs;  // per entry of `scoring`: the bits its tests need
  std::vector<uint64_t> slot_needs;     // per entry of `slots`
  // Per key: a number unique within the policy (callers key caches by it), and whether its
  // tests cost enough (several values to compare, or a substring search) that caching their
  // result pays.
  std::vector<uint32_t> key_ids;
  uint32_t keys_worth_caching = 0;  // bit k: keys[k]
  // The bits of the tests on keys[k] that `value` (present) passes.
  uint64_t PassedOn(size_t k, std::string_view value) const;

  struct BitTest {
    CompiledTest test;
    uint64_t bit = 0;
  };
  std::vector<std::vector<BitTest>> key_tests;  // per key: its distinct tests
};

// A hash of short texts for the hot path's caches and tables. Not collision-resistant, and
// need not be: users compare the text itself, so a collision costs a miss or a longer probe.
inline uint64_t HashText(std::string_view s, uint64_t seed) {
  uint64_t h = (seed + s.size()) * 0x9E3779B97F4A7C15ull;
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    h = (h ^ w) * 0xBF58476D1CE4E5B9ull;
    h ^= h >> 31;
  }
  uint64_t w = 0;
  for (size_t j = 0; i + j < s.size(); ++j) {
    w |= uint64_t{static_cast<unsigned char>(s[i + j])} << (8 * j);
  }
  h = (h ^ w) * 0x94D049BB133111EBull;
  return h ^ (h >> 29);
}

// The profile fields fact bits depend on. Each fact bit depends on one field, except the
// student bit: a student job title or an academic e-mail domain (either field sets it).
enum class FactField : uint8_t {
  kJobTitle,
  kCountry,
  kEmail,
  kIndustry,
  kSizeBand,
  kCompanyCountry
};
inline constexpr size_t kFactFields = 6;

struct TransparentHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
};

class CompiledPolicy {
 public:
  // REQUIRES: policy passed engine::ParsePolicy. kInvalidArgument if it uses more than 64
  // distinct fact tests or 64 personas, or names an unknown time zone.
  static Result<std::shared_ptr<const CompiledPolicy>> Compile(QualificationPolicy policy,
                                                                int version);
  // ParsePolicy (policy_toml.h) then Compile: its errors, with key path and line.
  static Result<std::shared_ptr<const CompiledPolicy>> FromToml(
      std::string_view text, int version, std::span<const std::string> custom_types = {});

  const QualificationPolicy& policy() const { return policy_; }
  int version() const { return version_; }

  // The rules for an activity type; nullptr if the policy ignores the type.
  const TypeRules* RulesFor(std::string_view type) const;
  const std::vector<CompiledTest>& ScoringTests(size_t rule) const { return scoring_tests_[rule]; }
  const std::vector<CompiledStageRule>& stage_rules() const { return stage_rules_; }
  // The stage rules that may move someone standing at `stage`, in the order they are tried:
  // disqualifiers, then fast tracks, then ordinary rules, each in document order.
  std::span<const CompiledStageRule* const> RulesFrom(Stage stage) const {
    return rules_from_[static_cast<size_t>(stage)];
  }
  // The same as indexes (bits of candidate masks, positions in stage_rules()), and their union.
  std::span<const uint8_t> RuleIndexesFrom(Stage stage) const {
    return indexes_from_[static_cast<size_t>(stage)];
  }
  uint64_t RuleMaskFrom(Stage stage) const { return mask_from_[static_cast<size_t>(stage)]; }
  const std::vector<SeenSlot>& slots() const { return slots_; }

  // Which fact bits hold for a profile (fact tests, free mail, student).
  uint64_t FactBits(const Profile& profile) const;
  // The fact bits that one field's raw value sets; FactBits is their union over the fields, so
  // callers may cache the parts (many people share a job title or a country).
  uint64_t FieldBits(FactField field, std::string_view raw) const;
  // Grade and persona (-1: none) for a profile's fact bits.
  void GradeOf(uint64_t bits, Grade& grade, int& persona) const;
  // For explanations: the criteria of `persona` that hold for bits.
  std::vector<const PersonaCriterion*> MatchedCriteria(int persona, uint64_t bits) const;

  // The calendar period of `at` for a cap, in the policy's time zone: days, Monday-based
  // weeks or months since 1970; 0 for kEver. `cache` speeds up repeated calls from one thread.
  struct ZoneCache {
    int64_t begin_us = 1, end_us = 0, offset_us = 0;
    // The local day [day_begin_us, day_end_us) last asked about (within the zone's interval
    // above), and its periods.
    int64_t day_begin_us = 1, day_end_us = 0;
    int64_t day = 0, week = 0, month = 0;
  };
  int64_t PeriodOf(CapPeriod period, int64_t at_us, ZoneCache& cache) const {
    if (period == CapPeriod::kEver || period == CapPeriod::kNone) return 0;
    if (at_us < cache.day_begin_us || at_us >= cache.day_end_us) NewDay(at_us, cache);
    return period == CapPeriod::kDay    ? cache.day
           : period == CapPeriod::kWeek ? cache.week
                                        : cache.month;
  }

  // Stage rules (bit = index) with a score condition: a score change may make them hold.
  uint64_t score_triggers() const { return score_triggers_; }

 private:
  CompiledPolicy() = default;
  Status Build();
  int BitFor(const FactTest& test);
  int SlotFor(const Condition& c);
  Status IndexKeys();
  void AssignTestBits();
  void IndexTypes();
  void IndexFactFields();
  void NewDay(int64_t at_us, ZoneCache& cache) const;

  QualificationPolicy policy_;
  int version_ = 0;
  const date::time_zone* zone_ = nullptr;
  std::unordered_map<std::string, TypeRules, TransparentHash, std::equal_to<>> types_;
  // The same as an open-addressing table by HashText of the name, for the hot path.
  struct TypeSlot {
    uint64_t hash = 0;
    std::string_view name;
    const TypeRules* rules = nullptr;
  };
  std::vector<TypeSlot> type_table_;  // size a power of two, at most half full
  std::vector<std::vector<CompiledTest>> scoring_tests_;
  std::vector<FactTest> fact_tests_;  // bit i
  std::array<std::vector<int>, kFactFields> tests_by_field_;  // fact tests (bits) per field
  int free_mail_bit_ = -1, student_bit_ = -1;
  std::vector<std::vector<std::pair<int, int>>> persona_bits_;  // per persona: (bit, thirds)
  std::vector<SeenSlot> slots_;
  std::vector<CompiledStageRule> stage_rules_;
  std::array<std::vector<const CompiledStageRule*>, 10> rules_from_;  // by Stage
  std::array<std::vector<uint8_t>, 10> indexes_from_;
  std::array<uint64_t, 10> mask_from_{};
  uint64_t score_triggers_ = 0;
};

}  // namespace tandem::engine
