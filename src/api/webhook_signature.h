// Tandem-Signature: the header that proves an outgoing webhook came from this Tandem and was
// not replayed. Format (DESIGN.md): "t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">".
// A receiver may see several v1= values while a secret is being rotated; one matching is
// enough. Stateless functions; thread-safe.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "base/status.h"
#include "base/time.h"

namespace tandem::api {

inline constexpr std::chrono::minutes kWebhookTolerance{5};

// The header value for body signed with secret at time t (t is truncated to whole seconds):
// "t=1767225600,v1=<64 lower-case hex digits>".
std::string SignWebhook(std::string_view secret, std::string_view body, Timestamp t);

// Checks header (a Tandem-Signature value) against secret and body at time now.
// Ok if the header is well formed, its t is within tolerance of now (either side) and one of
// its v1 values is the HMAC of "<t>.<body>" under secret (compared in constant time).
// Errors, all kUnauthenticated with the reason in the message:
//   "malformed signature: ..." — no t, t not a number, no v1, a v1 not 64 hex digits, or an
//                                item that is not key=value; unknown keys (v0=...) are ignored;
//   "stale signature: ..."     — t is older than now - tolerance, or later than now + tolerance;
//   "signature does not match" — no v1 value matches.
Status VerifyWebhook(std::string_view header, std::string_view secret, std::string_view body,
                     Timestamp now, Duration tolerance = kWebhookTolerance);

}  // namespace tandem::api
