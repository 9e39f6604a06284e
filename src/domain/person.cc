#include "domain/person.h"

#include <array>
#include <string_view>

namespace tandem {

std::string_view ConsentStateName(ConsentState s) {
  switch (s) {
    case ConsentState::kOptedIn:
      return "opted_in";
    case ConsentState::kOptedOut:
      return "opted_out";
    case ConsentState::kUnknown:
      break;
  }
  return "unknown";
}

std::optional<ConsentState> ParseConsentState(std::string_view name) {
  if (name == "opted_in") return ConsentState::kOptedIn;
  if (name == "opted_out") return ConsentState::kOptedOut;
  if (name == "unknown") return ConsentState::kUnknown;
  return std::nullopt;
}

bool IsValidSizeBand(std::string_view band) {
  static constexpr std::array<std::string_view, 6> kBands{"1-10",     "11-50",     "51-200",
                                                          "201-1000", "1001-5000", "5000+"};
  for (auto b : kBands) {
    if (b == band) return true;
  }
  return false;
}

}  // namespace tandem
