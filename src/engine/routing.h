// Lead routing: who owns a person when they become an MQL.
//
// The decision, in order:
//   1. the person's company has an owner who is an eligible rep (known to the router, any
//      role, active, not out of office, below capacity): that owner;
//   2. otherwise the first routing rule whose criteria all match names a team (and perhaps a
//      subset of its members); the fallback team when no rule matches;
//   3. smooth weighted round robin (as nginx does it) among that pool's eligible reps;
//   4. no eligible rep: the team's manager, or nobody when the team has no manager.
// Every decision says which step decided, which rule, each candidate considered and why an
// ineligible one was skipped, so the journal can store it and a human can read it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/ids.h"
#include "base/status.h"
#include "domain/stage.h"

namespace tandem::engine {

// One routing rule. An empty list matches anything; every non-empty list must contain the
// lead's value. Countries are ISO 3166 alpha-2 codes, regions EMEA/NA/LATAM/APAC (both
// compared upper-cased), industries compared ignoring ASCII case, size bands exactly
// ("1-10", "11-50", "51-200", "201-1000", "1001-5000", "5000+").
struct RoutingRule {
  std::string id;
  std::vector<std::string> countries, regions, industries, size_bands;
  TeamId team;
  std::vector<UserId> reps;  // a subset of the team's members; empty: its sales reps
};

// A user who may receive leads. Only members whose role is sales_rep are in a team's
// round robin, unless a rule names them. A rep may take leads for other teams than their own
// (lead_teams, which then lists every team they take leads for): they are in those teams'
// pools instead, and only rules of those teams may name them.
struct Rep {
  UserId id;
  TeamId team;
  Role role = Role::kSalesRep;
  int weight = 1;      // share in round robin; >= 1
  int capacity = 0;    // most open leads at once; >= 0
  int open_leads = 0;  // open leads now; the router keeps it up to date
  bool out_of_office = false;
  bool active = true;
  std::vector<TeamId> lead_teams;  // empty: {team}
};

struct TeamInfo {
  TeamId id;
  UserId manager;  // invalid: the team has no manager
};

struct RoutingConfig {
  std::vector<RoutingRule> rules;  // in priority order
  TeamId fallback_team;            // used when no rule matches; required
  std::vector<Rep> reps;
  std::vector<TeamInfo> teams;
};

// What is known about the lead. The views must outlive the call only.
struct LeadFacts {
  std::string_view country;    // ISO 3166 alpha-2, any case
  std::string_view region;     // empty: derived from the country
  std::string_view industry;   // any case
  std::string_view size_band;  // one of the reference size bands
  UserId company_owner;        // invalid: the company has no owner
};

enum class RoutingStep {
  kCompanyOwner,  // the company's owner was eligible
  kRoundRobin,    // weighted round robin in the rule's (or fallback team's) pool
  kTeamManager,   // no eligible rep in the pool: the team's manager
  kUnassigned,    // no eligible rep and the team has no manager
};

// Why a user could not take the lead; kEligible if they could.
enum class RepSkip { kEligible, kNotARep, kInactive, kOutOfOffice, kAtCapacity };

// Stable spellings for the journal: "company_owner", "round_robin", ...
std::string_view RoutingStepName(RoutingStep step);
// "eligible", "not_a_rep", "inactive", "out_of_office", "at_capacity".
std::string_view RepSkipName(RepSkip skip);

// One member of the pool, as it stood before the decision.
struct RoutingCandidate {
  UserId user;
  int weight = 0;
  int open_leads = 0;
  int capacity = 0;
  int64_t current = 0;  // smooth round-robin weight when compared; 0 if skipped
  RepSkip skip = RepSkip::kEligible;
};

struct RoutingDecision {
  RoutingStep step = RoutingStep::kUnassigned;
  UserId owner;                // invalid iff step == kUnassigned
  TeamId team;                 // the pool's team; the owner's team for kCompanyOwner
  std::string rule_id;         // the matching rule; empty for kCompanyOwner or the fallback
  bool fallback_team = false;  // no rule matched
  // The company's owner and why they were passed over; user invalid if the company has none.
  RoutingCandidate company_owner;
  std::vector<RoutingCandidate> candidates;  // the pool, by ascending user id; empty for
                                             // kCompanyOwner

  // One line for people, e.g. "rule emea-ent (team 2): user 11 by weighted round robin;
  // candidates: user 11 weight 2 open 3/10 current 4, user 12 skipped: at capacity 10/10".
  std::string Describe() const;
};

// Routes leads and keeps what routing needs between decisions: each rep's open leads,
// absence, and one smooth round-robin state per pool (rules naming the same team and the
// same members share a pool, and so their rotation).
//
// Deterministic: the same configuration and the same sequence of calls give the same
// decisions, so the state is rebuilt by replaying the journal; it is never saved.
// Not thread-safe: one owner thread (the engine partition that routes) calls everything.
//
// Invariants: reps_ sorted by id, unique; every pool member indexes reps_ and pools list
// their members in ascending user id; every rule and the fallback index a pool.
class Router {
 public:
  // Checks and compiles a configuration. InvalidArgument, with one field error per problem,
  // when a rule id is empty or repeated, a rule or the fallback names an unknown team, a rule
  // names a user who is not a member of its team, a criterion value is not a valid code,
  // a rep is in no known team (or takes leads for one) or repeated, a weight is < 1 or a capacity < 0.
  static Result<Router> Build(RoutingConfig config);

  // Decides the owner of one lead and records it: the owner's open leads go up by one (when
  // the owner is a known rep) and the pool's round-robin state advances. A team manager is
  // given the lead regardless of capacity or absence.
  RoutingDecision Route(const LeadFacts& lead);

  // A lead was given to `user` outside Route (a manager's reassignment). Unknown users are
  // ignored (managers and users outside routing have no count).
  void OnAssigned(UserId user);
  // A lead of `user` was closed, recycled or reassigned away. Never goes below zero.
  void OnReleased(UserId user);
  void SetOutOfOffice(UserId user, bool out_of_office);

  // 0 for unknown users.
  int OpenLeads(UserId user) const;

 private:
  struct Pool {
    TeamId team;
    std::vector<int> members;  // indexes into reps_
    std::vector<int64_t> current;
  };
  struct CompiledRule {
    std::string id;
    std::vector<std::string> countries, regions, industries, size_bands;  // normalised
    int pool = 0;
  };

  Router() = default;
  int FindRep(UserId user) const;  // index into reps_, or -1
  // The pool members for a team: the named users, or its sales reps when none are named.
  std::vector<int> Members(TeamId team, const std::vector<UserId>& named, const std::string& field,
                           std::vector<FieldError>& errors) const;
  int PoolFor(TeamId team, std::vector<int> members);
  int MatchingRule(const LeadFacts& lead) const;  // index into rules_, or -1
  bool TryCompanyOwner(UserId owner, RoutingDecision& decision);
  int RoundRobin(int pool, RoutingDecision& decision);  // chosen rep index, or -1
  UserId ManagerOf(TeamId team) const;
  void CompileRule(const RoutingRule& rule, size_t index, std::vector<FieldError>& errors);

  std::vector<Rep> reps_;
  std::vector<TeamInfo> teams_;
  std::vector<CompiledRule> rules_;
  std::vector<Pool> pools_;
  int fallback_pool_ = 0;
};

}  // namespace tandem::engine
