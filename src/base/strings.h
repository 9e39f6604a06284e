// Small string helpers shared by every module.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tandem {

std::string_view Trim(std::string_view s);
std::string AsciiLower(std::string_view s);
std::vector<std::string_view> Split(std::string_view s, char sep);
bool StartsWith(std::string_view s, std::string_view prefix);
// True if s is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool IsValidUtf8(std::string_view s);

}  // namespace tandem
