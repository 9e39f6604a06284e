// Lifecycle stages and roles: closed vocabularies with stable spellings.
#pragma once

#include <optional>
#include <string_view>

namespace tandem {

// Where a person stands. The forward funnel is ordered; recycled, disqualified and lapsed are
// side stages. Only the policy's rules and journaled sales actions change it.
enum class Stage {
  kSubscriber,
  kLead,
  kMql,
  kSal,
  kSql,
  kOpportunity,
  kCustomer,
  kRecycled,
  kDisqualified,
  kLapsed,
};

std::string_view StageName(Stage s);
std::optional<Stage> ParseStage(std::string_view name);

enum class Role { kAdmin, kMarketing, kSalesManager, kSalesRep, kViewer };

std::string_view RoleName(Role r);
std::optional<Role> ParseRole(std::string_view name);

// What a role may do. An admin may do anything; a viewer only reads.
bool RoleMayWriteRecords(Role r);         // people, companies, activities, actions
bool RoleMayChangeConfiguration(Role r);  // policy, SLA, users, tokens of others

}  // namespace tandem
