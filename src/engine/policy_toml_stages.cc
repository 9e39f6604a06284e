// Stage rules and their conditions, including the combinations that can never hold.
#include <algorithm>
#include <array>
#include <cstdio>

#include "base/strings.h"
#include "domain/reference.h"
#include "engine/policy_toml_reader.h"

namespace tandem::engine::policy_toml {
namespace {

using Kind = Condition::Kind;

struct KindKey {
  std::string_view key;
  Kind kind;
};
constexpr std::array<KindKey, 9> kKinds{{
    {"score_at_least", Kind::kScoreAtLeast},
    {"score_below", Kind::kScoreBelow},
    {"grade_at_least", Kind::kGradeAtLeast},
    {"grade_below", Kind::kGradeBelow},
    {"persona", Kind::kPersona},
    {"fact", Kind::kFact},
    {"activity", Kind::kActivity},
    {"free_mail", Kind::kFreeMail},
    {"student", Kind::kStudent},
}};
constexpr std::string_view kOneOf =
    "a condition has exactly one of score_at_least, score_below, grade_at_least, grade_below, "
    "persona, fact, activity, free_mail, student";

// A condition as read, with where it was written for messages about pairs.
struct ReadCondition {
  Condition c;
  std::string field;  // the path of its deciding key: "stages[1].when[0].score_below"
  int line = 0;
};

void ReadGrade(TableReader& r, std::string_view key, Condition& c) {
  auto name = r.String(key, true);
  if (!name) return;
  auto grade = ParseGrade(*name);
  if (!grade) {
    r.Error(key, "not a grade (F, D-, D, D+, C-, C, C+, B-, B, B+, A-, A, A+)");
  } else if (c.kind == Kind::kGradeBelow && grade->thirds == Grade::kMin) {
    r.Error(key, "no grade is below F");
  } else {
    c.grade = *grade;
  }
}

void ReadPersonaNames(TableReader& r, std::span<const Persona> personas, Condition& c) {
  auto names = r.Strings("persona", true);
  if (!names) return;
  const toml::array& values = *r.Get("persona", false)->as_array();
  for (size_t i = 0; i < names->size(); ++i) {
    const std::string& name = (*names)[i];
    bool known = std::any_of(personas.begin(), personas.end(),
                             [&](const Persona& p) { return p.id == name; });
    if (!known) {
      r.errors().Add(Index(r.PathOf("persona"), i), LineOf(*values.get(i)),
                     "unknown persona \"" + name + "\"");
    }
  }
  c.names = std::move(*names);
}

void ReadActivity(TableReader& r, std::span<const std::string> custom_types, Condition& c) {
  if (auto activity = r.String("activity", true)) {
    if (IsKnownActivityType(*activity, custom_types)) {
      c.activity = *activity;
    } else {
      r.Error("activity", "unknown activity type \"" + *activity + "\"");
    }
  }
  c.where = ReadWhere(r);
  c.within = ReadDays(r, "within_days");
}

// Keys that belong to another kind of condition: `in` goes with fact, `where` and
// `within_days` with activity.
void RejectStrayKeys(TableReader& r, Kind kind) {
  if (kind != Kind::kFact && r.Get("in", false)) r.Error("in", "only a fact condition has in");
  if (kind == Kind::kActivity) return;
  for (std::string_view key : {"where", "within_days"}) {
    if (r.Get(key, false)) r.Error(key, "only an activity condition has " + std::string(key));
  }
}

// Reports a condition with no deciding key or several, and any unknown keys in it.
void RefuseKinds(TableReader& r, const std::vector<const KindKey*>& present) {
  std::string found;
  for (const KindKey* k : present) {
    found += (found.empty() ? " (found " : ", ") + std::string(k->key);
  }
  r.errors().Add(r.path(), r.line(), std::string(kOneOf) + (found.empty() ? "" : found + ")"));
  for (const KindKey& k : kKinds) r.Get(k.key, false);
  for (std::string_view key : {"in", "where", "within_days"}) r.Get(key, false);
  r.ReportUnknownKeys();
}

// The value of a condition of kind k into c.
void ReadKind(TableReader& r, const KindKey& k, std::span<const Persona> personas,
              std::span<const std::string> custom_types, Condition& c) {
  c.kind = k.kind;
  switch (k.kind) {
    case Kind::kScoreAtLeast:
    case Kind::kScoreBelow:
      if (auto n = r.Number(k.key, true)) c.number = *n;
      break;
    case Kind::kGradeAtLeast:
    case Kind::kGradeBelow:
      ReadGrade(r, k.key, c);
      break;
    case Kind::kPersona:
      ReadPersonaNames(r, personas, c);
      break;
    case Kind::kFact:
      if (auto test = ReadFactTest(r)) c.fact = std::move(*test);
      break;
    case Kind::kActivity:
      ReadActivity(r, custom_types, c);
      break;
    case Kind::kFreeMail:
    case Kind::kStudent:
      if (auto b = r.Bool(k.key, true); b && !*b) {
        r.Error(k.key, "must be true (a condition holds when the person is one)");
      }
      break;
  }
}

// One condition; nullopt if it has any problem (all reported).
std::optional<ReadCondition> ReadOne(TableReader& r, std::span<const Persona> personas,
                                     std::span<const std::string> custom_types) {
  std::vector<const KindKey*> present;
  for (const KindKey& k : kKinds) {
    if (r.Has(k.key)) present.push_back(&k);
  }
  if (present.size() != 1) {
    RefuseKinds(r, present);
    return std::nullopt;
  }
  const KindKey& k = *present.front();
  ReadCondition out{.field = r.PathOf(k.key), .line = r.LineOf(k.key)};
  size_t errors_before = r.errors().size();
  ReadKind(r, k, personas, custom_types, out.c);
  RejectStrayKeys(r, k.kind);
  r.ReportUnknownKeys();
  if (r.errors().size() != errors_before) return std::nullopt;
  return out;
}

// 100 → "100", 2.5 → "2.5".
std::string Number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

bool Disjoint(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  for (const auto& x : a) {
    for (const auto& y : b) {
      if (AsciiLower(x) == AsciiLower(y)) return false;
    }
  }
  return true;
}

// No country of `countries` lies in a region of `regions`.
bool NoCountryInRegions(const FactTest& countries, const FactTest& regions) {
  for (const auto& country : countries.in) {
    std::string region = AsciiLower(RegionOf(country));
    for (const auto& r : regions.in) {
      if (!region.empty() && AsciiLower(r) == region) return false;
    }
  }
  return true;
}

// Why a and b can never hold together; empty if they can.
std::string Contradiction(const Condition& a, const Condition& b) {
  auto pair = [&](Kind x, Kind y) { return a.kind == x && b.kind == y; };
  for (int turn = 0; turn < 2; ++turn) {
    const Condition& lo = turn ? b : a;
    const Condition& hi = turn ? a : b;
    if (lo.kind == Kind::kScoreAtLeast && hi.kind == Kind::kScoreBelow && lo.number >= hi.number) {
      return "no score is at least " + Number(lo.number) + " and below " + Number(hi.number);
    }
    if (lo.kind == Kind::kGradeAtLeast && hi.kind == Kind::kGradeBelow && lo.grade >= hi.grade) {
      return "no grade is at least " + GradeName(lo.grade) + " and below " + GradeName(hi.grade);
    }
    if (lo.kind == Kind::kFact && hi.kind == Kind::kFact && lo.fact.fact == Fact::kCountry &&
        hi.fact.fact == Fact::kRegion && NoCountryInRegions(lo.fact, hi.fact)) {
      return "none of the countries lies in one of the regions";
    }
  }
  if (pair(Kind::kPersona, Kind::kPersona) && Disjoint(a.names, b.names)) {
    return "a person has one persona, and no persona is in both lists";
  }
  if (pair(Kind::kFact, Kind::kFact) && a.fact.fact == b.fact.fact &&
      a.fact.fact != Fact::kJobTitle && Disjoint(a.fact.in, b.fact.in)) {
    return "no " + std::string(FactName(a.fact.fact)) + " is in both lists";
  }
  return "";
}

void CheckPairs(const std::vector<std::optional<ReadCondition>>& when, const std::string& path,
                Errors& errors) {
  for (size_t k = 0; k < when.size(); ++k) {
    for (size_t j = 0; j < k && when[k]; ++j) {
      if (!when[j]) continue;
      std::string why = Contradiction(when[j]->c, when[k]->c);
      if (why.empty()) continue;
      errors.Add(when[k]->field, when[k]->line,
                 "can never hold together with " + Index(path, j) + ": " + why);
    }
  }
}

void ReadTarget(TableReader& r, StageRule& rule) {
  auto to = r.String("to", true);
  if (!to) return;
  auto stage = ParseStage(*to);
  bool allowed =
      stage && (*stage == Stage::kMql || *stage == Stage::kSql || *stage == Stage::kOpportunity ||
                *stage == Stage::kCustomer || *stage == Stage::kDisqualified);
  if (!allowed) {
    r.Error("to", "must be mql, sql, opportunity, customer or disqualified");
    return;
  }
  rule.to = *stage;
}

StageRule ReadStageRule(TableReader& r, std::span<const Persona> personas,
                        std::span<const std::string> custom_types, IdSet& ids) {
  StageRule rule;
  rule.line = r.line();
  auto id = r.Id("id");
  ids.Check(r, id);
  if (id) rule.id = *id;
  ReadTarget(r, rule);
  if (auto fast = r.Bool("fast_track", false)) rule.fast_track = *fast;
  if (const toml::node* d = r.Get("description", false)) {
    if (const auto* s = d->as_string()) {
      rule.description = s->get();
    } else {
      r.Error("description", "must be a string");
    }
  }
  const toml::array* when = r.Tables("when", true);
  if (when && when->empty()) r.Error("when", "must not be empty");
  std::vector<std::optional<ReadCondition>> read;
  for (size_t i = 0; when && i < when->size(); ++i) {
    const toml::table* t = when->get(i)->as_table();
    if (!t) {
      read.emplace_back();
      continue;
    }
    TableReader c(*t, Index(r.PathOf("when"), i), r.errors());
    read.push_back(ReadOne(c, personas, custom_types));
    if (read.back()) rule.when.push_back(read.back()->c);
  }
  CheckPairs(read, r.PathOf("when"), r.errors());
  r.ReportUnknownKeys();
  return rule;
}

}  // namespace

std::vector<StageRule> ReadStages(TableReader& root, std::span<const Persona> personas,
                                  std::span<const std::string> custom_types) {
  std::vector<StageRule> out;
  const toml::array* stages = root.Tables("stages", false);
  if (!stages) return out;
  IdSet ids;
  for (size_t i = 0; i < stages->size(); ++i) {
    const toml::table* t = stages->get(i)->as_table();
    if (!t) continue;
    TableReader r(*t, Index("stages", i), root.errors());
    out.push_back(ReadStageRule(r, personas, custom_types, ids));
  }
  return out;
}

}  // namespace tandem::engine::policy_toml
