#include "domain/stage.h"

#include <array>
#include <utility>

namespace tandem {
namespace {

constexpr std::array<std::pair<Stage, std::string_view>, 10> kStages{{
    {Stage::kSubscriber, "subscriber"},
    {Stage::kLead, "lead"},
    {Stage::kMql, "mql"},
    {Stage::kSal, "sal"},
    {Stage::kSql, "sql"},
    {Stage::kOpportunity, "opportunity"},
    {Stage::kCustomer, "customer"},
    {Stage::kRecycled, "recycled"},
    {Stage::kDisqualified, "disqualified"},
    {Stage::kLapsed, "lapsed"},
}};

constexpr std::array<std::pair<Role, std::string_view>, 5> kRoles{{
    {Role::kAdmin, "admin"},
    {Role::kMarketing, "marketing"},
    {Role::kSalesManager, "sales_manager"},
    {Role::kSalesRep, "sales_rep"},
    {Role::kViewer, "viewer"},
}};

template <typename E, size_t N>
std::string_view NameOf(const std::array<std::pair<E, std::string_view>, N>& table, E v) {
  for (const auto& [e, name] : table) {
    if (e == v) return name;
  }
  return "unknown";
}

template <typename E, size_t N>
std::optional<E> Parse(const std::array<std::pair<E, std::string_view>, N>& table,
                       std::string_view name) {
  for (const auto& [e, n] : table) {
    if (n == name) return e;
  }
  return std::nullopt;
}

}  // namespace

std::string_view StageName(Stage s) { return NameOf(kStages, s); }
std::optional<Stage> ParseStage(std::string_view name) { return Parse(kStages, name); }
std::string_view RoleName(Role r) { return NameOf(kRoles, r); }
std::optional<Role> ParseRole(std::string_view name) { return Parse(kRoles, name); }

bool RoleMayWriteRecords(Role r) { return r != Role::kViewer; }
bool RoleMayChangeConfiguration(Role r) { return r == Role::kAdmin || r == Role::kMarketing; }

}  // namespace tandem
