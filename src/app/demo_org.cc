// The demo's sales and marketing organisation: users and teams.
#include <array>

#include "app/demo_world.h"
#include "store/users.h"

namespace tandem::app::demo {
namespace {

constexpr std::string_view kAdminEmail = "admin@tandem.demo";

struct Member {
  std::string_view name;
  Role role;
};

struct TeamPlan {
  std::string_view name, time_zone;
  std::array<Member, 6> members;  // the first is the manager; empty names are skipped
};

constexpr std::array<TeamPlan, 3> kTeams{{
    {"Marketing",
     "Europe/London",
     {{{"Priya Shah", Role::kMarketing},
       {"Tom Becker", Role::kMarketing},
       {"Lucía Fernández", Role::kMarketing},
       {"Grace Okafor", Role::kMarketing}}}},
    {"Sales EMEA",
     "Europe/Berlin",
     {{{"Katrin Vogel", Role::kSalesManager},
       {"Jonas Weber", Role::kSalesRep},
       {"Sophie Martin", Role::kSalesRep},
       {"Luca Rossi", Role::kSalesRep},
       {"Emma de Vries", Role::kSalesRep},
       {"Oliver Hughes", Role::kSalesRep}}}},
    {"Sales Americas",
     "America/New_York",
     {{{"Marcus Johnson", Role::kSalesManager},
       {"Ana Souza", Role::kSalesRep},
       {"Ethan Miller", Role::kSalesRep},
       {"Camila Reyes", Role::kSalesRep},
       {"Ryan Chen", Role::kSalesRep}}}},
}};

// "Lucía Fernández" → "lucia.fernandez@tandem.demo".
std::string DemoEmail(std::string_view name) {
  auto space = name.find(' ');
  return Slug(name.substr(0, space)) + "." + Slug(name.substr(space + 1)) + "@tandem.demo";
}

Result<UserId> AddUser(store::WriteTxn& txn, std::string email, std::string_view name, Role role,
                       TeamId team, Org& org) {
  User u{.email = std::move(email), .name = std::string(name), .role = role, .team = team};
  TANDEM_RETURN_IF_ERROR(store::InsertUser(txn, u));
  ++org.users;
  return u.id;
}

Status AddTeam(store::WriteTxn& txn, const TeamPlan& plan, Org& org) {
  Team team{.name = std::string(plan.name), .time_zone = std::string(plan.time_zone)};
  TANDEM_RETURN_IF_ERROR(store::InsertTeam(txn, team));
  ++org.teams;
  UserId manager;
  for (const Member& m : plan.members) {
    if (m.name.empty()) continue;
    auto id = AddUser(txn, DemoEmail(m.name), m.name, m.role, team.id, org);
    if (!id.ok()) return id.status();
    if (!manager.valid()) manager = *id;
    if (m.role != Role::kSalesRep) continue;
    (plan.name == "Sales EMEA" ? org.emea_reps : org.americas_reps).push_back(*id);
  }
  return store::SetTeamManager(txn, team.id, manager);
}

}  // namespace

Result<Org> CreateOrg(store::WriteTxn& txn) {
  for (const Team& t : store::ListTeams(txn.db())) {
    for (const TeamPlan& plan : kTeams) {
      if (t.name == plan.name) return FailedPrecondition("a team named " + t.name + " exists");
    }
  }
  Org org;
  org.admin_email = kAdminEmail;
  if (auto existing = store::FindUserByEmail(txn.db(), kAdminEmail)) {
    org.admin = existing->id;
  } else {
    auto id = AddUser(txn, org.admin_email, "Demo Admin", Role::kAdmin, TeamId(), org);
    if (!id.ok()) return id.status();
    org.admin = *id;
  }
  for (const TeamPlan& plan : kTeams) TANDEM_RETURN_IF_ERROR(AddTeam(txn, plan, org));
  auto viewer = AddUser(txn, DemoEmail("Daniel Kim"), "Daniel Kim", Role::kViewer, TeamId(), org);
  if (!viewer.ok()) return viewer.status();
  return org;
}

}  // namespace tandem::app::demo
