// A checked qualification policy compiled for the engine's hot path: activity types mapped to
// their rules, every distinct fact test given a bit, every "activity within N days" condition
// given a slot, calendar periods computed in the policy's time zone.
//
// Immutable after Compile; thread-safe to share (the period cache is per caller).
#pragma once

#include <array>
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
};

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
  const std::vector<SeenSlot>& slots() const { return slots_; }

  // Which fact bits hold for a profile (fact tests, free mail, student).
  uint64_t FactBits(const Profile& profile) const;
  // Grade and persona (-1: none) for a profile's fact bits.
  void GradeOf(uint64_t bits, Grade& grade, int& persona) const;
  // For explanations: the criteria of `persona` that hold for bits.
  std::vector<const PersonaCriterion*> MatchedCriteria(int persona, uint64_t bits) const;

  // The calendar period of `at` for a cap, in the policy's time zone: days, Monday-based
  // weeks or months since 1970; 0 for kEver. `cache` speeds up repeated calls from one thread.
  struct ZoneCache {
    int64_t begin_us = 1, end_us = 0, offset_us = 0;
  };
  int64_t PeriodOf(CapPeriod period, int64_t at_us, ZoneCache& cache) const;

  // Stage rules (bit = index) with a score condition: a score change may make them hold.
  uint64_t score_triggers() const { return score_triggers_; }

 private:
  CompiledPolicy() = default;
  Status Build();
  int BitFor(const FactTest& test);
  int SlotFor(const Condition& c);
  Status IndexKeys();

  QualificationPolicy policy_;
  int version_ = 0;
  const date::time_zone* zone_ = nullptr;
  std::unordered_map<std::string, TypeRules, TransparentHash, std::equal_to<>> types_;
  // The same, scanned on the hot path: a policy names a few dozen types at most, and comparing
  // short names beats hashing them.
  std::vector<std::pair<std::string_view, const TypeRules*>> type_list_;
  std::vector<std::vector<CompiledTest>> scoring_tests_;
  std::vector<FactTest> fact_tests_;  // bit i
  int free_mail_bit_ = -1, student_bit_ = -1;
  std::vector<std::vector<std::pair<int, int>>> persona_bits_;  // per persona: (bit, thirds)
  std::vector<SeenSlot> slots_;
  std::vector<CompiledStageRule> stage_rules_;
  std::array<std::vector<const CompiledStageRule*>, 10> rules_from_;  // by Stage
  uint64_t score_triggers_ = 0;
};

}  // namespace tandem::engine
