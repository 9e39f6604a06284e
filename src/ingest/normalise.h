// Normalisation of what people type: e-mails, phones, web domains, names.
// Thread-safe: all functions are pure (libphonenumber's utility is a thread-safe singleton).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace tandem::ingest {

// Trims, Unicode case-folds and checks an e-mail address (one '@', a non-empty local part,
// a dotted domain, no spaces, at most 254 bytes). kInvalidArgument says why not.
Result<std::string> NormaliseEmail(std::string_view raw);

// An E.164 number ("+442071234567") for raw, parsed in default_region (ISO 3166 alpha-2)
// when it has no country code; nullopt if it is not a valid number.
std::optional<std::string> NormalisePhone(std::string_view raw, std::string_view default_region);

// "https://www.Example.com/about" → "example.com". Empty if nothing usable is left.
std::string NormaliseDomain(std::string_view raw);

// The domain part of a normalised e-mail.
std::string_view EmailDomain(std::string_view email);

// Trims and collapses runs of white space to one space.
std::string NormaliseName(std::string_view raw);

}  // namespace tandem::ingest
