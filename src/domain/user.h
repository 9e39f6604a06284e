// Users, teams and tokens, as DESIGN.md's contracts define them.
#pragma once

#include <string>
#include <vector>

#include "base/ids.h"
#include "base/time.h"
#include "domain/stage.h"

namespace tandem {

struct User {
  UserId id;
  std::string email, name;
  Role role = Role::kViewer;
  TeamId team;
  bool out_of_office = false;
};

// Business hours default to Mon–Fri 09:00–17:00 in the team's time zone.
struct Team {
  TeamId id;
  std::string name;
  UserId manager;
  std::string time_zone = "UTC";
  std::string business_hours = "Mon-Fri 09:00-17:00";
  std::vector<std::string> holidays;  // ISO dates
};

// A token's metadata; the secret itself is never stored, only its SHA-256.
struct TokenInfo {
  TokenId id;
  UserId user;
  std::string user_email;
  Role role = Role::kViewer;
  std::string label;
  Timestamp created_at{};
  std::optional<Timestamp> expires_at, revoked_at;
};

}  // namespace tandem
