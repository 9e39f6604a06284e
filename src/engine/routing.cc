#include "engine/routing.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <utility>

#include "base/strings.h"
#include "domain/reference.h"

namespace tandem::engine {
namespace {

constexpr std::array<std::string_view, 4> kRegions{"EMEA", "NA", "LATAM", "APAC"};
constexpr std::array<std::string_view, 6> kSizeBands{"1-10",     "11-50",     "51-200",
                                                     "201-1000", "1001-5000", "5000+"};

constexpr std::array<std::string_view, 4> kStepNames{"company_owner", "round_robin", "team_manager",
                                                     "unassigned"};
constexpr std::array<std::string_view, 5> kSkipNames{"eligible", "not_a_rep", "inactive",
                                                     "out_of_office", "at_capacity"};
constexpr std::array<std::string_view, 5> kSkipTexts{"eligible", "not a routed rep", "inactive",
                                                     "out of office", "at capacity"};

char Upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }
char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string AsciiUpper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = Upper(c);
  return out;
}

// A short code (country, region) upper-cased into `buf` without allocating; longer text is
// returned as is, since it is no valid code and matches nothing either way.
std::string_view UpperInto(std::string_view s, std::array<char, 8>& buf) {
  if (s.size() > buf.size()) return s;
  std::transform(s.begin(), s.end(), buf.begin(), Upper);
  return {buf.data(), s.size()};
}

bool IsCountryCode(std::string_view s) {
  return s.size() == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z';
}

template <size_t N>
bool OneOf(const std::array<std::string_view, N>& values, std::string_view s) {
  return std::find(values.begin(), values.end(), s) != values.end();
}

// An empty list matches anything.
bool Matches(const std::vector<std::string>& list, std::string_view value) {
  return list.empty() || std::find(list.begin(), list.end(), value) != list.end();
}

// `list` holds lower-case values.
bool MatchesIgnoringCase(const std::vector<std::string>& list, std::string_view value) {
  auto same = [value](const std::string& item) {
    return item.size() == value.size() && std::equal(item.begin(), item.end(), value.begin(),
                                                     [](char a, char b) { return a == Lower(b); });
  };
  return list.empty() || std::any_of(list.begin(), list.end(), same);
}

RepSkip SkipOf(const Rep& rep) {
  if (!rep.active) return RepSkip::kInactive;
  if (rep.out_of_office) return RepSkip::kOutOfOffice;
  if (rep.open_leads >= rep.capacity) return RepSkip::kAtCapacity;
  return RepSkip::kEligible;
}

RoutingCandidate CandidateOf(const Rep& rep) {
  return {rep.id, rep.weight, rep.open_leads, rep.capacity, 0, SkipOf(rep)};
}

std::string Field(std::string_view list, size_t index, std::string_view member = {}) {
  std::string out = std::string(list) + '[' + std::to_string(index) + ']';
  if (!member.empty()) (out += '.') += member;
  return out;
}

bool KnownTeam(const std::vector<TeamInfo>& teams, TeamId team) {
  return team.valid() && std::any_of(teams.begin(), teams.end(),
                                     [team](const TeamInfo& t) { return t.id == team; });
}

void CheckTeams(const std::vector<TeamInfo>& teams, std::vector<FieldError>& errors) {
  for (size_t i = 0; i < teams.size(); ++i) {
    const TeamId id = teams[i].id;
    if (!id.valid()) errors.push_back({Field("teams", i, "id"), "team id must be positive"});
    if (std::any_of(teams.begin(), teams.begin() + i, [id](auto& t) { return t.id == id; })) {
      errors.push_back({Field("teams", i, "id"), "repeated team id"});
    }
  }
}

// Whether rep is in team's pools: their own team, unless they list the teams they serve.
bool TakesLeadsFor(const Rep& rep, TeamId team) {
  if (rep.lead_teams.empty()) return rep.team == team;
  return std::find(rep.lead_teams.begin(), rep.lead_teams.end(), team) != rep.lead_teams.end();
}

void CheckReps(const std::vector<Rep>& reps, const std::vector<TeamInfo>& teams,
               std::vector<FieldError>& errors) {
  for (size_t i = 0; i < reps.size(); ++i) {
    const Rep& rep = reps[i];
    auto fail = [&](std::string_view member, std::string reason) {
      errors.push_back({Field("reps", i, member), std::move(reason)});
    };
    if (!rep.id.valid()) fail("id", "user id must be positive");
    if (std::any_of(reps.begin(), reps.begin() + i, [&rep](auto& r) { return r.id == rep.id; })) {
      fail("id", "repeated user");
    }
    if (!KnownTeam(teams, rep.team)) fail("team", "in no team");
    for (size_t t = 0; t < rep.lead_teams.size(); ++t) {
      if (!KnownTeam(teams, rep.lead_teams[t])) {
        errors.push_back({Field(Field("reps", i, "lead_teams"), t), "unknown team"});
      }
    }
    if (rep.weight < 1) fail("weight", "must be at least 1");
    if (rep.capacity < 0) fail("capacity", "must not be negative");
    if (rep.open_leads < 0) fail("open_leads", "must not be negative");
  }
}

// Normalises one criterion list; `valid` says if a normalised value is one it accepts.
template <typename Normalise, typename Valid>
std::vector<std::string> Criterion(const std::vector<std::string>& values, std::string_view field,
                                   Normalise normalise, Valid valid,
                                   std::vector<FieldError>& errors) {
  std::vector<std::string> out;
  out.reserve(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    out.push_back(normalise(Trim(values[i])));
    if (!valid(out.back())) errors.push_back({Field(field, i), "unknown value " + values[i]});
  }
  return out;
}

void AppendPart(std::string& out, std::string_view s) { out += s; }
void AppendPart(std::string& out, int64_t v) {
  std::array<char, 24> buf;
  out.append(buf.data(), std::to_chars(buf.data(), buf.data() + buf.size(), v).ptr);
}
void AppendPart(std::string& out, UserId user) {
  out += "user ";
  AppendPart(out, user.value());
}

template <typename... Parts>
void Append(std::string& out, const Parts&... parts) {
  (AppendPart(out, parts), ...);
}

void AppendCandidate(std::string& out, const RoutingCandidate& c) {
  if (c.skip == RepSkip::kEligible) {
    return Append(out, c.user, " weight ", c.weight, " open ", c.open_leads, "/", c.capacity,
                  " current ", c.current);
  }
  Append(out, c.user, " skipped: ", kSkipTexts[static_cast<size_t>(c.skip)]);
  if (c.skip == RepSkip::kAtCapacity) Append(out, " ", c.open_leads, "/", c.capacity);
}

}  // namespace

std::string_view RoutingStepName(RoutingStep step) { return kStepNames[static_cast<size_t>(step)]; }

std::string_view RepSkipName(RepSkip skip) { return kSkipNames[static_cast<size_t>(skip)]; }

std::string RoutingDecision::Describe() const {
  std::string out;
  out.reserve(128 + 48 * candidates.size());
  if (step == RoutingStep::kCompanyOwner) {
    Append(out, "company owner: ", owner, " open ", company_owner.open_leads, "/",
           company_owner.capacity);
    return out;
  }
  if (company_owner.user.valid()) {
    Append(out, "company owner ");
    AppendCandidate(out, company_owner);
    Append(out, "; ");
  }
  if (fallback_team) {
    Append(out, "no rule matched, fallback team ", team.value(), ": ");
  } else {
    Append(out, "rule ", rule_id, " (team ", team.value(), "): ");
  }
  if (step == RoutingStep::kRoundRobin) {
    Append(out, owner, " by weighted round robin");
  } else if (step == RoutingStep::kTeamManager) {
    Append(out, "no eligible rep, team manager ", owner);
  } else {
    Append(out, "no eligible rep and no team manager, unassigned");
  }
  Append(out, "; candidates: ", candidates.empty() ? "none" : "");
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (i > 0) Append(out, ", ");
    AppendCandidate(out, candidates[i]);
  }
  return out;
}

Result<Router> Router::Build(RoutingConfig config) {
  std::vector<FieldError> errors;
  CheckTeams(config.teams, errors);
  CheckReps(config.reps, config.teams, errors);
  Router router;
  router.teams_ = std::move(config.teams);
  router.reps_ = std::move(config.reps);
  std::sort(router.reps_.begin(), router.reps_.end(),
            [](const Rep& a, const Rep& b) { return a.id < b.id; });
  for (size_t i = 0; i < config.rules.size(); ++i) router.CompileRule(config.rules[i], i, errors);
  if (KnownTeam(router.teams_, config.fallback_team)) {
    router.fallback_pool_ =
        router.PoolFor(config.fallback_team, router.Members(config.fallback_team, {}, "", errors));
  } else {
    errors.push_back({"fallback_team", "unknown team"});
  }
  if (!errors.empty()) return InvalidArgument("invalid routing configuration", std::move(errors));
  return router;
}

void Router::CompileRule(const RoutingRule& rule, size_t index, std::vector<FieldError>& errors) {
  const std::string at = Field("rules", index);
  CompiledRule out;
  out.id = std::string(Trim(rule.id));
  if (out.id.empty()) errors.push_back({at + ".id", "rule id must not be empty"});
  for (const CompiledRule& earlier : rules_) {
    if (earlier.id == out.id && !out.id.empty()) {
      errors.push_back({at + ".id", "repeated rule id " + out.id});
    }
  }
  auto upper = [](std::string_view s) { return AsciiUpper(s); };
  auto lower = [](std::string_view s) { return AsciiLower(s); };
  auto same = [](std::string_view s) { return std::string(s); };
  out.countries = Criterion(rule.countries, at + ".countries", upper, IsCountryCode, errors);
  out.regions = Criterion(
      rule.regions, at + ".regions", upper, [](std::string_view s) { return OneOf(kRegions, s); },
      errors);
  out.industries = Criterion(
      rule.industries, at + ".industries", lower, [](std::string_view s) { return !s.empty(); },
      errors);
  out.size_bands = Criterion(
      rule.size_bands, at + ".size_bands", same,
      [](std::string_view s) { return OneOf(kSizeBands, s); }, errors);
  if (KnownTeam(teams_, rule.team)) {
    out.pool = PoolFor(rule.team, Members(rule.team, rule.reps, at + ".reps", errors));
  } else {
    errors.push_back({at + ".team", "unknown team " + std::to_string(rule.team.value())});
  }
  rules_.push_back(std::move(out));
}

std::vector<int> Router::Members(TeamId team, const std::vector<UserId>& named,
                                 const std::string& field, std::vector<FieldError>& errors) const {
  std::vector<int> members;
  for (size_t i = 0; i < reps_.size() && named.empty(); ++i) {
    if (TakesLeadsFor(reps_[i], team) && reps_[i].role == Role::kSalesRep) {
      members.push_back(static_cast<int>(i));
    }
  }
  for (size_t i = 0; i < named.size(); ++i) {
    const int rep = FindRep(named[i]);
    if (rep < 0 || !TakesLeadsFor(reps_[rep], team)) {
      errors.push_back({Field(field, i), "not a member of the rule's team"});
    } else if (std::find(members.begin(), members.end(), rep) == members.end()) {
      members.push_back(rep);
    }
  }
  std::sort(members.begin(), members.end());  // reps_ is sorted: ascending user id
  return members;
}

int Router::PoolFor(TeamId team, std::vector<int> members) {
  for (size_t i = 0; i < pools_.size(); ++i) {
    if (pools_[i].team == team && pools_[i].members == members) return static_cast<int>(i);
  }
  std::vector<int64_t> current(members.size(), 0);
  pools_.push_back({team, std::move(members), std::move(current)});
  return static_cast<int>(pools_.size() - 1);
}

int Router::FindRep(UserId user) const {
  auto it = std::lower_bound(reps_.begin(), reps_.end(), user,
                             [](const Rep& r, UserId id) { return r.id < id; });
  if (it == reps_.end() || it->id != user) return -1;
  return static_cast<int>(it - reps_.begin());
}

UserId Router::ManagerOf(TeamId team) const {
  for (const TeamInfo& t : teams_) {
    if (t.id == team) return t.manager;
  }
  return UserId();
}

int Router::MatchingRule(const LeadFacts& lead) const {
  std::array<char, 8> country_buf, region_buf;
  const std::string_view country = UpperInto(Trim(lead.country), country_buf);
  std::string_view region = UpperInto(Trim(lead.region), region_buf);
  if (region.empty()) region = RegionOf(country);
  const std::string_view industry = Trim(lead.industry);
  const std::string_view size_band = Trim(lead.size_band);
  for (size_t i = 0; i < rules_.size(); ++i) {
    const CompiledRule& rule = rules_[i];
    if (Matches(rule.countries, country) && Matches(rule.regions, region) &&
        MatchesIgnoringCase(rule.industries, industry) && Matches(rule.size_bands, size_band)) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

bool Router::TryCompanyOwner(UserId owner, RoutingDecision& decision) {
  const int index = FindRep(owner);
  if (index < 0) {
    decision.company_owner.user = owner;
    decision.company_owner.skip = RepSkip::kNotARep;
    return false;
  }
  Rep& rep = reps_[index];
  decision.company_owner = CandidateOf(rep);
  if (decision.company_owner.skip != RepSkip::kEligible) return false;
  decision.step = RoutingStep::kCompanyOwner;
  decision.owner = rep.id;
  decision.team = rep.team;
  ++rep.open_leads;
  return true;
}

// Smooth weighted round robin over the eligible members: each adds its weight to its current
// weight, the highest current wins (the lowest user id on a tie) and gives back the total.
int Router::RoundRobin(int pool_index, RoutingDecision& decision) {
  Pool& pool = pools_[pool_index];
  decision.candidates.reserve(pool.members.size());
  int best = -1;
  int64_t total = 0;
  for (size_t i = 0; i < pool.members.size(); ++i) {
    const Rep& rep = reps_[pool.members[i]];
    RoutingCandidate& candidate = decision.candidates.emplace_back(CandidateOf(rep));
    if (candidate.skip != RepSkip::kEligible) continue;
    pool.current[i] += rep.weight;
    total += rep.weight;
    candidate.current = pool.current[i];
    if (best < 0 || pool.current[i] > pool.current[best]) best = static_cast<int>(i);
  }
  if (best < 0) return -1;
  pool.current[best] -= total;
  return pool.members[best];
}

RoutingDecision Router::Route(const LeadFacts& lead) {
  RoutingDecision decision;
  if (lead.company_owner.valid() && TryCompanyOwner(lead.company_owner, decision)) {
    return decision;
  }
  const int rule = MatchingRule(lead);
  const int pool = rule >= 0 ? rules_[rule].pool : fallback_pool_;
  if (rule >= 0) {
    decision.rule_id = rules_[rule].id;
  } else {
    decision.fallback_team = true;
  }
  decision.team = pools_[pool].team;
  if (const int chosen = RoundRobin(pool, decision); chosen >= 0) {
    decision.step = RoutingStep::kRoundRobin;
    decision.owner = reps_[chosen].id;
    ++reps_[chosen].open_leads;
    return decision;
  }
  decision.owner = ManagerOf(decision.team);
  if (!decision.owner.valid()) {
    decision.step = RoutingStep::kUnassigned;
    return decision;
  }
  decision.step = RoutingStep::kTeamManager;
  OnAssigned(decision.owner);
  return decision;
}

void Router::OnAssigned(UserId user) {
  if (const int i = FindRep(user); i >= 0) ++reps_[i].open_leads;
}

void Router::OnReleased(UserId user) {
  if (const int i = FindRep(user); i >= 0 && reps_[i].open_leads > 0) --reps_[i].open_leads;
}

void Router::SetOutOfOffice(UserId user, bool out_of_office) {
  if (const int i = FindRep(user); i >= 0) reps_[i].out_of_office = out_of_office;
}

int Router::OpenLeads(UserId user) const {
  const int i = FindRep(user);
  return i < 0 ? 0 : reps_[i].open_leads;
}

}  // namespace tandem::engine
