#include "api/webhook_signature.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <optional>
#include <vector>

namespace tandem::api {
namespace {

using Digest = std::array<unsigned char, 32>;

constexpr size_t kMaxTimeDigits = 12;  // keeps t * 10^6 microseconds inside int64

Digest Hmac(std::string_view secret, std::string_view signed_text) {
  Digest out{};
  unsigned int n = 0;
  // An empty string_view may have a null data(); HMAC wants a real pointer for an empty key.
  const char* key = secret.empty() ? "" : secret.data();
  HMAC(EVP_sha256(), key, static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(signed_text.data()), signed_text.size(), out.data(),
       &n);
  return out;
}

Digest SignedDigest(std::string_view secret, std::string_view body, int64_t unix_seconds) {
  std::string text = std::to_string(unix_seconds);
  text += '.';
  text += body;
  return Hmac(secret, text);
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<Digest> ParseHexDigest(std::string_view hex) {
  if (hex.size() != 64) return std::nullopt;
  Digest d{};
  for (size_t i = 0; i < d.size(); ++i) {
    int hi = HexValue(hex[2 * i]), lo = HexValue(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    d[i] = static_cast<unsigned char>(hi * 16 + lo);
  }
  return d;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

struct ParsedHeader {
  std::optional<int64_t> t;
  std::vector<Digest> v1;
};

Status Malformed(const std::string& why) {
  return Status(Code::kUnauthenticated, "malformed signature: " + why);
}

Status ParseTime(std::string_view value, ParsedHeader& out) {
  if (out.t) return Malformed("t given twice");
  if (value.empty() || value.size() > kMaxTimeDigits) return Malformed("t is not a unix time");
  int64_t t = 0;
  for (char c : value) {
    if (c < '0' || c > '9') return Malformed("t is not a unix time");
    t = t * 10 + (c - '0');
  }
  out.t = t;
  return Status::Ok();
}

Status ParseItem(std::string_view item, ParsedHeader& out) {
  auto eq = item.find('=');
  if (eq == std::string_view::npos) return Malformed("item without '='");
  std::string_view key = item.substr(0, eq), value = item.substr(eq + 1);
  if (key == "t") return ParseTime(value, out);
  if (key == "v1") {
    auto d = ParseHexDigest(value);
    if (!d) return Malformed("v1 is not 64 hex digits");
    out.v1.push_back(*d);
  }
  return Status::Ok();  // other schemes are ignored, as receivers of newer senders must
}

Result<ParsedHeader> Parse(std::string_view header) {
  ParsedHeader parsed;
  while (true) {
    auto comma = header.find(',');
    TANDEM_RETURN_IF_ERROR(ParseItem(Trim(header.substr(0, comma)), parsed));
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  if (!parsed.t) return Malformed("no t=");
  if (parsed.v1.empty()) return Malformed("no v1=");
  return parsed;
}

Status CheckAge(int64_t t, Timestamp now, Duration tolerance) {
  using std::chrono::duration_cast;
  using std::chrono::seconds;
  Duration age = now - Timestamp(seconds(t));
  if (age <= tolerance && -age <= tolerance) return Status::Ok();
  auto secs = [](Duration d) { return std::to_string(duration_cast<seconds>(d).count()) + " s"; };
  std::string limit = ", tolerance " + secs(tolerance);
  if (age > tolerance) {
    return Status(Code::kUnauthenticated, "stale signature: signed " + secs(age) + " ago" + limit);
  }
  return Status(Code::kUnauthenticated,
                "stale signature: signed " + secs(-age) + " in the future" + limit);
}

}  // namespace

std::string SignWebhook(std::string_view secret, std::string_view body, Timestamp t) {
  int64_t unix_seconds = std::chrono::floor<std::chrono::seconds>(t).time_since_epoch().count();
  Digest d = SignedDigest(secret, body, unix_seconds);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "t=" + std::to_string(unix_seconds) + ",v1=";
  for (unsigned char b : d) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

Status VerifyWebhook(std::string_view header, std::string_view secret, std::string_view body,
                     Timestamp now, Duration tolerance) {
  auto parsed = Parse(header);
  if (!parsed.ok()) return parsed.status();
  TANDEM_RETURN_IF_ERROR(CheckAge(*parsed->t, now, tolerance));
  Digest expected = SignedDigest(secret, body, *parsed->t);
  bool match = false;
  for (const Digest& candidate : parsed->v1) {
    match |= CRYPTO_memcmp(candidate.data(), expected.data(), expected.size()) == 0;
  }
  if (!match) return Status(Code::kUnauthenticated, "signature does not match");
  return Status::Ok();
}

}  // namespace tandem::api
