// The qualification policy: the agreed, versioned rules for score, grade and stage.
// Plain values; engine/policy_toml.h reads and checks them, engine/lead_engine.h applies them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/time.h"
#include "domain/stage.h"

namespace tandem {

// Fit grades F … A+ in thirds of a letter: F, D-, D, D+, C-, C, C+, B-, B, B+, A-, A, A+.
// The value counts thirds above F; everyone starts at D.
struct Grade {
  static constexpr int kMin = 0, kMax = 12, kStart = 2;
  int thirds = kStart;
  friend constexpr auto operator<=>(Grade, Grade) = default;
};
std::string GradeName(Grade g);                           // "B+", "F"
std::optional<Grade> ParseGrade(std::string_view name);   // nullopt if not F … A+

// A property test on an activity: `key` equals one of `equals` (when not empty) and contains
// every one of `contains` (when not empty). Values compare as text.
struct PropertyTest {
  std::string key;
  std::vector<std::string> equals;
  std::vector<std::string> contains;
};

enum class CapPeriod { kNone, kDay, kWeek, kMonth, kEver };

// Points for an activity type whose properties pass every test.
// Invariants: points != 0; cap_points > 0 iff cap_period != kNone; expires_after > 0 or unset.
struct ScoringRule {
  std::string id;
  std::string activity;  // an activity type name
  std::vector<PropertyTest> where;
  double points = 0;
  // At most cap_points from this rule per calendar period (in the policy's time zone).
  double cap_points = 0;
  CapPeriod cap_period = CapPeriod::kNone;
  // Points from this rule stop counting this long after their activity.
  std::optional<Duration> expires_after;
  int line = 0;  // where it was written, for messages
};

// The score halves for each full `halve_after` without a scoring activity (unset: no decay).
struct Decay {
  std::optional<Duration> halve_after;
};

// Person and company facts a persona criterion or a condition may look at.
enum class Fact {
  kJobTitle,      // keywords, case-insensitive
  kSeniority,     // entry, senior, manager, director, vp, c_level (from the job title)
  kCountry,       // ISO 3166 alpha-2
  kRegion,        // EMEA, NA, LATAM, APAC (from the country)
  kEmailDomain,   // the domain of the first e-mail
  kIndustry,      // the company's
  kSizeBand,      // the company's
  kCompanyCountry,
};
std::string_view FactName(Fact f);
std::optional<Fact> ParseFact(std::string_view name);

// A test on one fact: equal (case-insensitive) to one of `in`, or, for kJobTitle, containing
// one of `in` as a word sequence.
struct FactTest {
  Fact fact = Fact::kCountry;
  std::vector<std::string> in;
};

// One persona criterion: when its test holds, the grade moves by `thirds` (±1 a third,
// ±2 two thirds, ±3 a whole letter).
struct PersonaCriterion {
  FactTest test;
  int thirds = 0;
};

// A target buyer. A person is graded against each persona (Grade::kStart plus the moves of
// the criteria that hold, clamped to F … A+) and labelled with the one that grades highest;
// ties go to the persona listed first. No criterion holding for any persona: no persona, D.
struct Persona {
  std::string id;
  std::string name;
  std::vector<PersonaCriterion> criteria;
  int line = 0;
};

// One condition of a stage rule. Exactly one kind is set.
struct Condition {
  enum class Kind {
    kScoreAtLeast,  // number
    kScoreBelow,    // number
    kGradeAtLeast,  // grade
    kGradeBelow,    // grade
    kPersona,       // names: one of
    kFact,          // fact test
    kActivity,      // an activity of `activity` passing `where`, within `within` (unset: ever)
    kFreeMail,      // the e-mail domain is a free-mail provider's
    kStudent,       // an academic e-mail domain or a student job title
  };
  Kind kind = Kind::kScoreAtLeast;
  double number = 0;
  Grade grade;
  std::vector<std::string> names;
  FactTest fact;
  std::string activity;
  std::vector<PropertyTest> where;
  std::optional<Duration> within;
};

// A stage rule: when every condition holds, the person moves to `to`. Ordinary rules move one
// step forward (lead → mql, mql/sal → sql, sql → opportunity, opportunity → customer); fast
// tracks may skip forward from any earlier funnel stage; disqualifiers (to = disqualified)
// apply to anyone not yet a customer. Rules never move anyone back.
struct StageRule {
  std::string id;
  Stage to = Stage::kMql;
  bool fast_track = false;
  std::vector<Condition> when;
  std::string description;
  int line = 0;
};

// Invariants (checked by the parser): ids unique within their list; every activity name is a
// known type; every persona named exists; no rule's conditions contradict each other.
struct QualificationPolicy {
  std::string name;
  std::string time_zone = "UTC";  // IANA zone for calendar caps
  std::vector<ScoringRule> scoring;
  Decay decay;
  std::vector<Persona> personas;
  std::vector<StageRule> stages;
};

}  // namespace tandem
