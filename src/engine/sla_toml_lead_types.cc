// Lead types: sales' commitments for each kind of MQL, and the checks that tie their deadlines
// together and give every stage rule exactly one lead type.
#include <algorithm>
#include <cmath>
#include <map>

#include "engine/policy_toml_reader.h"
#include "engine/sla_toml.h"

namespace tandem::engine::sla_toml {
namespace {

using policy_toml::IdSet;
using policy_toml::Index;
using policy_toml::TableReader;

constexpr double kMaxBusinessHours = 2000;  // about a year of business hours
constexpr int64_t kMaxBusinessDays = 365;
constexpr int64_t kMaxAttempts = 100;

// What the lead types read so far have claimed.
struct Claims {
  IdSet ids;
  std::map<std::string, std::string> owner;  // stage rule id → path of the lead type naming it
  std::string default_path;                  // the first lead type with default = true
};

// `key` in business hours, to the minute (0.25 is 15 minutes).
std::optional<BusinessDuration> ReadBusinessHours(TableReader& r, std::string_view key) {
  auto hours = r.Number(key, true);
  if (!hours) return std::nullopt;
  if (*hours <= 0 || *hours > kMaxBusinessHours) {
    r.Error(key, "must be more than 0 and at most 2000 business hours");
    return std::nullopt;
  }
  double minutes = *hours * 60;
  if (std::abs(minutes - std::round(minutes)) > 1e-6) {
    r.Error(key, "must be a whole number of minutes (0.25 is 15 minutes)");
    return std::nullopt;
  }
  return BusinessDuration(static_cast<int64_t>(std::round(minutes)));
}

std::optional<BusinessDays> ReadBusinessDays(TableReader& r, std::string_view key) {
  auto days = r.Integer(key, true, 1, kMaxBusinessDays);
  if (!days) return std::nullopt;
  return BusinessDays(*days);
}

// Refuses a deadline in business hours that ends after the disposition deadline.
void CheckWithinDisposition(TableReader& r, std::string_view key,
                            std::optional<BusinessDuration> hours,
                            std::optional<BusinessDays> disposition) {
  if (!hours || !disposition) return;
  auto limit = kNominalBusinessDay * disposition->count();
  if (*hours <= limit) return;
  r.Error(key, "ends after the disposition deadline (" + std::to_string(disposition->count()) +
                   " business days, counted as " +
                   std::to_string(std::chrono::duration_cast<std::chrono::hours>(limit).count()) +
                   " business hours)");
}

void ReadAttempts(TableReader& r, std::optional<BusinessDays> disposition, LeadType& t) {
  const toml::table* table = r.Table("attempts", true);
  if (!table) return;
  TableReader a(*table, r.PathOf("attempts"), r.errors());
  auto minimum = a.Integer("minimum", true, 1, kMaxAttempts);
  if (minimum) t.attempts.attempts = static_cast<int>(*minimum);
  if (auto within = ReadBusinessDays(a, "within_business_days")) {
    t.attempts.within = *within;
    if (disposition && *within > *disposition) {
      a.Error("within_business_days", "ends after the disposition deadline (" +
                                          std::to_string(disposition->count()) + " business days)");
    }
  }
  // Four channels: call, email, social, meeting.
  auto channels = a.Integer("channels", true, 1, kContactChannelCount);
  if (channels && minimum && *channels > *minimum) {
    a.Error("channels", "must be at most minimum (" + std::to_string(*minimum) +
                            "): each channel needs an attempt");
  } else if (channels) {
    t.attempts.channels = static_cast<int>(*channels);
  }
  a.ReportUnknownKeys();
}

// `stage_rules`: each known to the context and in no other lead type.
void ReadStageRules(TableReader& r, const SlaContext& ctx, Claims& claims, LeadType& t) {
  auto rules = r.Strings("stage_rules", !t.is_default);
  if (!rules) return;
  const toml::array& values = *r.Get("stage_rules", false)->as_array();
  const auto& known = ctx.stage_rules;
  for (size_t i = 0; i < rules->size(); ++i) {
    const std::string& rule = (*rules)[i];
    std::string path = Index(r.PathOf("stage_rules"), i);
    int line = policy_toml::LineOf(*values.get(i));
    auto [it, inserted] = claims.owner.emplace(rule, r.path());
    if (!known.empty() && std::find(known.begin(), known.end(), rule) == known.end()) {
      r.errors().Add(path, line,
                     "unknown stage rule \"" + rule + "\" (not a policy rule to mql or sql)");
    } else if (!inserted && it->second == r.path()) {
      r.errors().Add(path, line, "listed twice");
    } else if (!inserted) {
      r.errors().Add(path, line, "stage rule \"" + rule + "\" is already in " + it->second);
    } else {
      t.stage_rules.push_back(rule);
    }
  }
}

void ReadDefault(TableReader& r, Claims& claims, LeadType& t) {
  auto is_default = r.Bool("default", false);
  if (!is_default || !*is_default) return;
  if (!claims.default_path.empty()) {
    r.Error("default", "only one lead type may be the default (" + claims.default_path + " is)");
    return;
  }
  t.is_default = true;
  claims.default_path = r.path();
}

LeadType ReadLeadType(TableReader& r, const SlaContext& ctx, Claims& claims) {
  LeadType t;
  t.line = r.line();
  auto id = r.Id("id");
  claims.ids.Check(r, id);
  if (id) t.id = *id;
  if (auto name = r.String("name", true)) t.name = *name;
  ReadDefault(r, claims, t);
  ReadStageRules(r, ctx, claims, t);
  auto disposition = ReadBusinessDays(r, "disposition_within_business_days");
  if (disposition) t.disposition_within = *disposition;
  auto accept = ReadBusinessHours(r, "accept_within_business_hours");
  if (accept) t.accept_within = *accept;
  CheckWithinDisposition(r, "accept_within_business_hours", accept, disposition);
  auto first_touch = ReadBusinessHours(r, "first_touch_within_business_hours");
  if (first_touch) t.first_touch_within = *first_touch;
  CheckWithinDisposition(r, "first_touch_within_business_hours", first_touch, disposition);
  ReadAttempts(r, disposition, t);
  r.ReportUnknownKeys();
  return t;
}

}  // namespace

std::vector<LeadType> ReadLeadTypes(TableReader& root, const SlaContext& ctx) {
  std::vector<LeadType> out;
  Claims claims;
  policy_toml::ForEachTableOf(root, "lead_types", true,
                              [&](TableReader& r) { out.push_back(ReadLeadType(r, ctx, claims)); });
  const toml::node* node = root.Get("lead_types", false);
  bool is_array = node && node->is_array();
  if (is_array && node->as_array()->empty()) {
    root.Error("lead_types", "must not be empty: sales needs commitments for every lead");
  } else if (is_array && claims.default_path.empty()) {
    root.Error("lead_types",
               "no default: one lead type needs default = true, for every stage rule no other "
               "lead type names");
  }
  return out;
}

}  // namespace tandem::engine::sla_toml
