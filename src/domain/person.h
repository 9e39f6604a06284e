// The shared person record and the company it belongs to: plain values, no I/O.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/ids.h"
#include "base/time.h"
#include "domain/stage.h"

namespace tandem {

enum class ConsentState { kUnknown, kOptedIn, kOptedOut };
std::string_view ConsentStateName(ConsentState s);
std::optional<ConsentState> ParseConsentState(std::string_view name);

// Consent for one channel ("email", "phone", "sms", …), with where and when it was given.
struct Consent {
  ConsentState state = ConsentState::kUnknown;
  std::string source;
  Timestamp at{};
};

struct Phone {
  std::string e164;  // empty if the raw value could not be parsed
  std::string raw;
};

// Invariants: emails are normalised and case-folded, unique across people; external ids are
// "system:id", unique across people; stage changes only through rules or sales actions.
struct Person {
  PersonId id;
  std::vector<std::string> emails;
  std::vector<Phone> phones;
  std::vector<std::string> external_ids;
  std::string first_name, last_name, job_title, country;
  CompanyId company_id;
  UserId owner;
  Stage stage = Stage::kLead;
  std::map<std::string, Consent> consent;     // by channel
  std::map<std::string, std::string> custom;  // custom fields
  Timestamp created_at{}, updated_at{};
  bool erased = false;
};

// Company size bands as DESIGN.md lists them.
bool IsValidSizeBand(std::string_view band);

struct Company {
  CompanyId id;
  std::string name, domain, industry, size_band, country;
  UserId owner;
  Timestamp created_at{}, updated_at{};
};

}  // namespace tandem
