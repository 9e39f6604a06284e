#include "ingest/normalise.h"

#include <phonenumbers/phonenumberutil.h>
#include <unicode/unistr.h>

#include "base/strings.h"

namespace tandem::ingest {

Result<std::string> NormaliseEmail(std::string_view raw) {
  std::string_view t = Trim(raw);
  if (t.empty()) return InvalidArgument("e-mail is empty");
  if (t.size() > 254) return InvalidArgument("e-mail is longer than 254 bytes");
  if (!IsValidUtf8(t)) return InvalidArgument("e-mail is not valid UTF-8");
  std::string folded;
  bool ascii = true;
  for (unsigned char c : t) ascii = ascii && c < 0x80;
  if (ascii) {
    folded = AsciiLower(t);
  } else {
    icu::UnicodeString u =
        icu::UnicodeString::fromUTF8(icu::StringPiece(t.data(), static_cast<int32_t>(t.size())));
    u.foldCase();
    u.toUTF8String(folded);
  }
  auto at = folded.find('@');
  if (at == std::string::npos || at == 0 || folded.find('@', at + 1) != std::string::npos) {
    return InvalidArgument("e-mail must have exactly one '@' with a local part before it");
  }
  std::string_view domain = std::string_view(folded).substr(at + 1);
  auto dot = domain.find('.');
  if (domain.empty() || dot == std::string_view::npos || dot == 0 || domain.back() == '.') {
    return InvalidArgument("e-mail domain must be a dotted name like example.com");
  }
  for (unsigned char c : folded) {
    if (c <= ' ' || c == ',' || c == ';' || c == '<' || c == '>' || c == '"') {
      return InvalidArgument("e-mail contains a space or a forbidden character");
    }
  }
  return folded;
}

std::optional<std::string> NormalisePhone(std::string_view raw, std::string_view default_region) {
  using i18n::phonenumbers::PhoneNumber;
  using i18n::phonenumbers::PhoneNumberUtil;
  std::string_view t = Trim(raw);
  if (t.empty() || t.size() > 64) return std::nullopt;
  const PhoneNumberUtil* util = PhoneNumberUtil::GetInstance();
  PhoneNumber number;
  if (util->Parse(std::string(t), std::string(default_region), &number) !=
      PhoneNumberUtil::NO_PARSING_ERROR) {
    return std::nullopt;
  }
  if (!util->IsValidNumber(number)) return std::nullopt;
  std::string out;
  util->Format(number, PhoneNumberUtil::E164, &out);
  return out;
}

std::string NormaliseDomain(std::string_view raw) {
  std::string d = AsciiLower(Trim(raw));
  if (auto p = d.find("://"); p != std::string::npos) d.erase(0, p + 3);
  if (auto p = d.find_first_of("/?#"); p != std::string::npos) d.erase(p);
  if (auto p = d.find('@'); p != std::string::npos) d.erase(0, p + 1);
  if (auto p = d.find(':'); p != std::string::npos) d.erase(p);
  if (StartsWith(d, "www.")) d.erase(0, 4);
  while (!d.empty() && d.back() == '.') d.pop_back();
  if (d.find('.') == std::string::npos) return {};
  return d;
}

std::string_view EmailDomain(std::string_view email) {
  auto at = email.rfind('@');
  return at == std::string_view::npos ? std::string_view{} : email.substr(at + 1);
}

std::string NormaliseName(std::string_view raw) {
  std::string out;
  bool space = false;
  for (char c : Trim(raw)) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

}  // namespace tandem::ingest
