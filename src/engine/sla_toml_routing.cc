// Routing: the rules that send a new MQL to a team (and maybe to named reps), per-rep weights,
// capacities and teams, and the fallback team.
#include <algorithm>
#include <map>

#include "base/strings.h"
#include "domain/reference.h"
#include "engine/policy_toml_reader.h"
#include "engine/sla_toml.h"

namespace tandem::engine::sla_toml {
namespace {

using policy_toml::IdSet;
using policy_toml::Index;
using policy_toml::TableReader;

constexpr int64_t kMaxWeight = 100;
constexpr int64_t kMaxCapacity = 100'000;

// A list a rule matches on, and the fact whose values it holds.
struct MatchList {
  std::string_view key;
  Fact fact;
  bool upper_case;  // stored in upper case (countries, regions)
  std::vector<std::string> tandem::RoutingRule::*field;
};
constexpr MatchList kMatchLists[] = {
    {"countries", Fact::kCountry, true, &tandem::RoutingRule::countries},
    {"regions", Fact::kRegion, true, &tandem::RoutingRule::regions},
    {"industries", Fact::kIndustry, false, &tandem::RoutingRule::industries},
    {"size_bands", Fact::kSizeBand, false, &tandem::RoutingRule::size_bands},
};

std::string AsciiUpper(std::string s) {
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return s;
}

// local@domain.tld: one @, no spaces, at most 254 characters.
bool IsEmail(std::string_view s) {
  size_t at = s.find('@');
  if (s.size() > 254 || at == 0 || at == std::string_view::npos) return false;
  if (s.find('@', at + 1) != std::string_view::npos) return false;
  if (std::any_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t'; })) {
    return false;
  }
  size_t dot = s.find('.', at);
  return dot != std::string_view::npos && dot > at + 1 && dot + 1 < s.size();
}

// Why `email` (lower case) may not be named: not an e-mail address, or unknown to the context.
// Empty if it may.
std::string CheckUser(const std::string& email, const SlaContext& ctx) {
  if (!IsEmail(email)) return "not an e-mail address";
  const auto& known = ctx.users;
  auto same = [&](const std::string& k) { return AsciiLower(k) == email; };
  if (known.empty() || std::any_of(known.begin(), known.end(), same)) return "";
  return "unknown user \"" + email + "\"";
}

std::string CheckTeam(const std::string& team, const SlaContext& ctx) {
  const auto& known = ctx.teams;
  if (known.empty() || std::find(known.begin(), known.end(), team) != known.end()) return "";
  return "unknown team \"" + team + "\"";
}

// `teams = [ … ]`, each a known team; nullopt if absent or any is wrong.
std::optional<std::vector<std::string>> ReadTeams(TableReader& r, const SlaContext& ctx) {
  auto teams = r.Strings("teams", false);
  if (!teams) return std::nullopt;
  const toml::array& values = *r.Get("teams", false)->as_array();
  bool ok = true;
  for (size_t i = 0; i < teams->size(); ++i) {
    std::string why = CheckTeam((*teams)[i], ctx);
    if (why.empty()) continue;
    r.errors().Add(Index(r.PathOf("teams"), i), policy_toml::LineOf(*values.get(i)), why);
    ok = false;
  }
  if (!ok) return std::nullopt;
  return teams;
}

std::optional<std::string> ReadTeam(TableReader& r, std::string_view key, const SlaContext& ctx) {
  auto team = r.String(key, true);
  if (!team) return std::nullopt;
  std::string why = CheckTeam(*team, ctx);
  if (why.empty()) return team;
  r.Error(key, why);
  return std::nullopt;
}

RepSettings ReadRep(TableReader& r, const SlaContext& ctx, std::map<std::string, int>& seen) {
  RepSettings rep;
  rep.line = r.line();
  if (auto email = r.String("email", true)) {
    rep.email = AsciiLower(*email);
    std::string why = CheckUser(rep.email, ctx);
    auto [it, inserted] = seen.emplace(rep.email, r.LineOf("email"));
    if (why.empty() && !inserted) {
      why = "duplicate e-mail \"" + rep.email + "\" (first at line " + std::to_string(it->second) +
            ")";
    }
    if (!why.empty()) r.Error("email", why);
  }
  if (auto weight = r.Integer("weight", false, 1, kMaxWeight)) {
    rep.weight = static_cast<int>(*weight);
  }
  if (auto capacity = r.Integer("capacity", false, 1, kMaxCapacity)) {
    rep.capacity = static_cast<int>(*capacity);
  }
  if (auto teams = ReadTeams(r, ctx)) rep.teams = std::move(*teams);
  r.ReportUnknownKeys();
  return rep;
}

void ReadMatchList(TableReader& r, const MatchList& m, tandem::RoutingRule& rule) {
  auto values = r.Strings(m.key, false);
  if (!values) return;
  const toml::array& nodes = *r.Get(m.key, false)->as_array();
  std::vector<std::string> out;
  for (size_t i = 0; i < values->size(); ++i) {
    std::string why = policy_toml::CheckFactValue(m.fact, (*values)[i]);
    if (why.empty()) {
      out.push_back(m.upper_case ? AsciiUpper((*values)[i]) : (*values)[i]);
    } else {
      r.errors().Add(Index(r.PathOf(m.key), i), policy_toml::LineOf(*nodes.get(i)), why);
    }
  }
  if (out.size() == values->size()) rule.*m.field = std::move(out);
}

// A rule whose countries all lie outside its regions matches nobody.
void CheckCountriesInRegions(TableReader& r, const tandem::RoutingRule& rule) {
  if (rule.countries.empty() || rule.regions.empty()) return;
  for (const std::string& country : rule.countries) {
    std::string region(RegionOf(country));
    if (std::find(rule.regions.begin(), rule.regions.end(), region) != rule.regions.end()) return;
  }
  r.Error("regions", "can never match: none of the countries lies in one of the regions");
}

// Why `email` may not take the rule's leads: not a known user, or settings whose teams leave
// out the rule's team. Empty if it may.
std::string CheckRuleRep(const std::string& email, const tandem::RoutingRule& rule,
                         const std::vector<RepSettings>& reps, const SlaContext& ctx) {
  std::string why = CheckUser(email, ctx);
  if (!why.empty() || rule.team.empty()) return why;
  auto settings = std::find_if(reps.begin(), reps.end(),
                               [&](const RepSettings& s) { return s.email == email; });
  if (settings == reps.end() || settings->teams.empty()) return "";
  const auto& teams = settings->teams;
  if (std::find(teams.begin(), teams.end(), rule.team) != teams.end()) return "";
  return "does not take leads for \"" + rule.team + "\" (see the teams of " + email + " at line " +
         std::to_string(settings->line) + ")";
}

void ReadRuleReps(TableReader& r, const SlaContext& ctx, const std::vector<RepSettings>& reps,
                  tandem::RoutingRule& rule) {
  auto emails = r.Strings("reps", false);
  if (!emails) return;
  const toml::array& nodes = *r.Get("reps", false)->as_array();
  for (size_t i = 0; i < emails->size(); ++i) {
    std::string email = AsciiLower((*emails)[i]);
    std::string why = CheckRuleRep(email, rule, reps, ctx);
    if (why.empty()) {
      rule.reps.push_back(std::move(email));
    } else {
      r.errors().Add(Index(r.PathOf("reps"), i), policy_toml::LineOf(*nodes.get(i)), why);
    }
  }
}

tandem::RoutingRule ReadRule(TableReader& r, const SlaContext& ctx,
                             const std::vector<RepSettings>& reps, IdSet& ids) {
  tandem::RoutingRule rule;
  rule.line = r.line();
  auto id = r.Id("id");
  ids.Check(r, id);
  if (id) rule.id = *id;
  bool any = false;
  for (const MatchList& m : kMatchLists) {
    any = any || r.Has(m.key);
    ReadMatchList(r, m, rule);
  }
  if (!any) {
    r.errors().Add(r.path(), r.line(),
                   "a rule needs countries, regions, industries or size_bands (everyone else "
                   "goes to fallback_team)");
  }
  CheckCountriesInRegions(r, rule);
  if (auto team = ReadTeam(r, "team", ctx)) rule.team = *team;
  ReadRuleReps(r, ctx, reps, rule);
  r.ReportUnknownKeys();
  return rule;
}

}  // namespace

RoutingPolicy ReadRouting(TableReader& root, const SlaContext& ctx) {
  RoutingPolicy out;
  const toml::table* table = root.Table("routing", true);
  if (!table) return out;
  TableReader r(*table, "routing", root.errors());
  if (auto team = ReadTeam(r, "fallback_team", ctx)) out.fallback_team = *team;
  std::map<std::string, int> emails;
  policy_toml::ForEachTableOf(
      r, "reps", false, [&](TableReader& rep) { out.reps.push_back(ReadRep(rep, ctx, emails)); });
  IdSet ids;
  policy_toml::ForEachTableOf(r, "rules", false, [&](TableReader& rule) {
    out.rules.push_back(ReadRule(rule, ctx, out.reps, ids));
  });
  r.ReportUnknownKeys();
  return out;
}

}  // namespace tandem::engine::sla_toml
