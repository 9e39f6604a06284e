// The catalogue of activity types. Built-in types are always known; installs may add more
// (stored in the store's activity_types table).
#pragma once

#include <span>
#include <string_view>

namespace tandem {

enum class ActivityCategory { kMarketing, kSales, kCommerce, kConsent };

struct ActivityTypeInfo {
  std::string_view name;
  ActivityCategory category;
  bool is_contact_attempt;  // a sales touch that counts as an SLA attempt
};

std::span<const ActivityTypeInfo> BuiltinActivityTypes();
const ActivityTypeInfo* FindBuiltinActivityType(std::string_view name);

// A custom type name: 1–64 characters of [a-z0-9_], starting with a letter.
bool IsValidActivityTypeName(std::string_view name);

}  // namespace tandem
