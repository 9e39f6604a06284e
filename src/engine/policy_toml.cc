// The policy document's top level, decay, scoring rules and personas; stage rules are in
// policy_toml_stages.cc. docs/POLICY.md describes the format.
#include "engine/policy_toml.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "engine/policy_toml_reader.h"

namespace tandem::engine {
namespace {

using policy_toml::Errors;
using policy_toml::IdSet;
using policy_toml::Index;
using policy_toml::TableReader;

constexpr double kMaxPoints = 10000;

// An IANA zone name the system's zone database holds. Reads /usr/share/zoneinfo like the
// date/tz library the engine computes calendar periods with, so a name that passes here is
// one CompiledPolicy can load. Names are checked before they touch the file system.
bool IsTimeZone(const std::string& name) {
  if (name == "UTC") return true;
  if (name.size() > 64 || name.front() == '/' || name.find("..") != std::string::npos) {
    return false;
  }
  for (char c : name) {
    bool ok =
        std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '+' || c == '-' || c == '/';
    if (!ok) return false;
  }
  std::string path = "/usr/share/zoneinfo/" + name;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return false;
  // zone.tab, leapseconds and friends are regular files too; zone files start with "TZif".
  std::ifstream file(path, std::ios::binary);
  char magic[4] = {};
  file.read(magic, sizeof magic);
  return file.gcount() == 4 && std::memcmp(magic, "TZif", 4) == 0;
}

void ReadCap(TableReader& r, const toml::table& table, ScoringRule& rule) {
  TableReader cap(table, r.PathOf("cap"), r.errors());
  if (auto points = cap.Number("points", true)) {
    if (*points <= 0 || *points > kMaxPoints) {
      cap.Error("points", "must be more than 0 and at most 10000");
    } else {
      rule.cap_points = *points;
    }
  }
  if (!cap.Get("per", false)) {
    r.errors().Add(cap.PathOf("per"), cap.line(),
                   "required: a cap needs a period (day, week, month or ever)");
  } else if (auto per = cap.String("per", true)) {
    if (*per == "day") rule.cap_period = CapPeriod::kDay;
    if (*per == "week") rule.cap_period = CapPeriod::kWeek;
    if (*per == "month") rule.cap_period = CapPeriod::kMonth;
    if (*per == "ever") rule.cap_period = CapPeriod::kEver;
    if (rule.cap_period == CapPeriod::kNone) cap.Error("per", "must be day, week, month or ever");
  }
  cap.ReportUnknownKeys();
  if (rule.points < 0) r.Error("cap", "a cap limits gains; this rule gives negative points");
}

ScoringRule ReadScoringRule(TableReader& r, std::span<const std::string> custom_types, IdSet& ids) {
  ScoringRule rule;
  rule.line = r.line();
  auto id = r.Id("id");
  ids.Check(r, id);
  if (id) rule.id = *id;
  if (auto activity = r.String("activity", true)) {
    if (policy_toml::IsKnownActivityType(*activity, custom_types)) {
      rule.activity = *activity;
    } else {
      r.Error("activity", "unknown activity type \"" + *activity + "\"");
    }
  }
  if (auto points = r.Number("points", true)) {
    if (*points == 0) {
      r.Error("points", "must not be 0");
    } else if (std::abs(*points) > kMaxPoints) {
      r.Error("points", "must be between -10000 and 10000");
    } else {
      rule.points = *points;
    }
  }
  rule.where = policy_toml::ReadWhere(r);
  if (const toml::table* cap = r.Table("cap", false)) ReadCap(r, *cap, rule);
  rule.expires_after = policy_toml::ReadDays(r, "expires_after_days");
  r.ReportUnknownKeys();
  return rule;
}

PersonaCriterion ReadCriterion(TableReader& r) {
  PersonaCriterion criterion;
  if (auto test = policy_toml::ReadFactTest(r)) criterion.test = std::move(*test);
  if (auto thirds = r.Integer("thirds", true, -3, 3)) {
    if (*thirds == 0) {
      r.Error("thirds", "must not be 0 (-3 to -1 lowers the grade, 1 to 3 raises it)");
    } else {
      criterion.thirds = static_cast<int>(*thirds);
    }
  }
  r.ReportUnknownKeys();
  return criterion;
}

Persona ReadPersona(TableReader& r, IdSet& ids) {
  Persona persona;
  persona.line = r.line();
  auto id = r.Id("id");
  ids.Check(r, id);
  if (id) persona.id = *id;
  if (auto name = r.String("name", true)) persona.name = *name;
  if (const toml::array* criteria = r.Tables("criteria", true)) {
    if (criteria->empty()) r.Error("criteria", "must not be empty");
    for (size_t i = 0; i < criteria->size(); ++i) {
      const toml::table* t = criteria->get(i)->as_table();
      if (!t) continue;
      TableReader c(*t, Index(r.PathOf("criteria"), i), r.errors());
      persona.criteria.push_back(ReadCriterion(c));
    }
  }
  r.ReportUnknownKeys();
  return persona;
}

// Calls read(element reader) for each table of the array `key` under `root`.
template <typename F>
void ForEachTable(TableReader& root, std::string_view key, F read) {
  const toml::array* array = root.Tables(key, false);
  if (!array) return;
  for (size_t i = 0; i < array->size(); ++i) {
    const toml::table* t = array->get(i)->as_table();
    if (!t) continue;
    TableReader r(*t, Index(key, i), root.errors());
    read(r);
  }
}

void ReadTopLevel(TableReader& r, QualificationPolicy& policy) {
  if (auto name = r.String("name", true)) policy.name = *name;
  if (auto zone = r.String("time_zone", false)) {
    if (IsTimeZone(*zone)) {
      policy.time_zone = *zone;
    } else {
      r.Error("time_zone",
              "unknown time zone \"" + *zone + "\" (an IANA name, e.g. Europe/Berlin)");
    }
  }
  if (const toml::table* decay = r.Table("decay", false)) {
    TableReader d(*decay, "decay", r.errors());
    policy.decay.halve_after = policy_toml::ReadDays(d, "halve_after_days");
    d.ReportUnknownKeys();
  }
}

std::string Summary(const std::vector<FieldError>& errors) {
  const FieldError& first = errors.front();
  std::string out = "the policy is invalid: line " + std::to_string(first.line) + ": ";
  if (!first.field.empty()) out += first.field + ": ";
  out += first.reason;
  if (errors.size() > 1) out += " (and " + std::to_string(errors.size() - 1) + " more)";
  return out;
}

}  // namespace

Result<QualificationPolicy> ParsePolicy(std::string_view text,
                                        std::span<const std::string> custom_types) {
  toml::table root;
  try {
    root = toml::parse(text);
  } catch (const toml::parse_error& e) {
    int line = std::max(1, static_cast<int>(e.source().begin.line));
    std::vector<FieldError> errors{{"", std::string(e.description()), line}};
    std::string summary = Summary(errors);
    return InvalidArgument(std::move(summary), std::move(errors));
  }
  Errors errors;
  TableReader r(root, "", errors);
  QualificationPolicy policy;
  ReadTopLevel(r, policy);
  IdSet scoring_ids, persona_ids;
  ForEachTable(r, "scoring", [&](TableReader& t) {
    policy.scoring.push_back(ReadScoringRule(t, custom_types, scoring_ids));
  });
  ForEachTable(r, "personas",
               [&](TableReader& t) { policy.personas.push_back(ReadPersona(t, persona_ids)); });
  policy.stages = policy_toml::ReadStages(r, policy.personas, custom_types);
  r.ReportUnknownKeys();
  if (!errors.empty()) {
    std::vector<FieldError> list = errors.Take();
    std::string summary = Summary(list);
    return InvalidArgument(std::move(summary), std::move(list));
  }
  return policy;
}

}  // namespace tandem::engine
