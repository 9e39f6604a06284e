#include "domain/activity_type.h"

#include <array>

namespace tandem {
namespace {

using C = ActivityCategory;
constexpr std::array<ActivityTypeInfo, 16> kBuiltin{{
    {"page_view", C::kMarketing, false},
    {"email_open", C::kMarketing, false},
    {"email_click", C::kMarketing, false},
    {"email_bounce", C::kMarketing, false},
    {"form_submit", C::kMarketing, false},
    {"webinar_attended", C::kMarketing, false},
    {"content_download", C::kMarketing, false},
    {"callback_request", C::kMarketing, false},
    {"demo_request", C::kMarketing, false},
    {"purchase", C::kCommerce, false},
    {"opportunity_won", C::kCommerce, false},
    {"opportunity_lost", C::kCommerce, false},
    {"unsubscribe", C::kConsent, false},
    {"call_logged", C::kSales, true},
    {"sales_email_sent", C::kSales, true},
    {"meeting_held", C::kSales, true},
}};

}  // namespace

std::span<const ActivityTypeInfo> BuiltinActivityTypes() { return kBuiltin; }

const ActivityTypeInfo* FindBuiltinActivityType(std::string_view name) {
  for (const auto& t : kBuiltin) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

bool IsValidActivityTypeName(std::string_view name) {
  if (name.empty() || name.size() > 64 || name[0] < 'a' || name[0] > 'z') return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

}  // namespace tandem
