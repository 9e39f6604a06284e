#include "domain/sales_action.h"

#include <array>
#include <utility>

namespace tandem {
namespace {

constexpr std::array<std::pair<SalesActionKind, std::string_view>, 8> kNames{{
    {SalesActionKind::kAccept, "accept"},
    {SalesActionKind::kReject, "reject"},
    {SalesActionKind::kAttempt, "attempt"},
    {SalesActionKind::kConnect, "connect"},
    {SalesActionKind::kQualify, "qualify"},
    {SalesActionKind::kRecycle, "recycle"},
    {SalesActionKind::kDisqualify, "disqualify"},
    {SalesActionKind::kReassign, "reassign"},
}};

}  // namespace

std::string_view SalesActionName(SalesActionKind k) {
  for (const auto& [kind, name] : kNames) {
    if (kind == k) return name;
  }
  return "attempt";
}

std::optional<SalesActionKind> ParseSalesAction(std::string_view name) {
  for (const auto& [kind, n] : kNames) {
    if (n == name) return kind;
  }
  return std::nullopt;
}

}  // namespace tandem
