#include "api/webhook_signature.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cctype>
#include <string>

namespace tandem::api {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

const Timestamp kT = Timestamp(seconds(1767225600));  // 2026-01-01T00:00:00Z
constexpr const char* kBody = R"({"event":"sla_breached","person_id":42})";

// Computed independently:
//   printf '%s' '1767225600.{"event":"sla_breached","person_id":42}' |
//     openssl dgst -sha256 -hmac whsec_test
constexpr const char* kKnownHex =
    "fef893c7a97bb006a3732abb6a70408456e8febfa3c4c713c94a3f146623e4ba";

TEST(WebhookSignatureTest, SignatureIsTheHmacOfTimeDotBody) {
  EXPECT_EQ(SignWebhook("whsec_test", kBody, kT), std::string("t=1767225600,v1=") + kKnownHex);
  // Sub-second parts of the time are dropped, not rounded.
  EXPECT_EQ(SignWebhook("whsec_test", kBody, kT + std::chrono::milliseconds(999)),
            SignWebhook("whsec_test", kBody, kT));
}

TEST(WebhookSignatureTest, KnownVectorVerifies) {
  std::string header = std::string("t=1767225600,v1=") + kKnownHex;
  EXPECT_TRUE(VerifyWebhook(header, "whsec_test", kBody, kT + minutes(1)).ok());
}

TEST(WebhookSignatureTest, SignatureOlderThanToleranceIsStale) {
  std::string header = SignWebhook("s", kBody, kT);
  EXPECT_TRUE(VerifyWebhook(header, "s", kBody, kT + minutes(5)).ok());
  Status st = VerifyWebhook(header, "s", kBody, kT + minutes(5) + seconds(1));
  EXPECT_EQ(st.code(), Code::kUnauthenticated);
  EXPECT_EQ(st.message(), "stale signature: signed 301 s ago, tolerance 300 s");
  EXPECT_TRUE(VerifyWebhook(header, "s", kBody, kT + minutes(20), minutes(30)).ok());
}

TEST(WebhookSignatureTest, SignatureFromTooFarInTheFutureIsStale) {
  std::string header = SignWebhook("s", kBody, kT + minutes(10));
  Status st = VerifyWebhook(header, "s", kBody, kT);
  EXPECT_EQ(st.code(), Code::kUnauthenticated);
  EXPECT_EQ(st.message(), "stale signature: signed 600 s in the future, tolerance 300 s");
  EXPECT_TRUE(VerifyWebhook(SignWebhook("s", kBody, kT + minutes(4)), "s", kBody, kT).ok());
}

TEST(WebhookSignatureTest, TamperedBodyOrWrongSecretDoesNotMatch) {
  std::string header = SignWebhook("s", kBody, kT);
  Status body = VerifyWebhook(header, "s", std::string(kBody) + " ", kT);
  EXPECT_EQ(body.code(), Code::kUnauthenticated);
  EXPECT_EQ(body.message(), "signature does not match");
  EXPECT_EQ(VerifyWebhook(header, "other", kBody, kT).message(), "signature does not match");
}

TEST(WebhookSignatureTest, ReplayedSignatureWithAnotherTimeDoesNotMatch) {
  std::string header = SignWebhook("s", kBody, kT);
  std::string moved = "t=1767225660" + header.substr(header.find(','));
  EXPECT_EQ(VerifyWebhook(moved, "s", kBody, kT).message(), "signature does not match");
}

TEST(WebhookSignatureTest, AnyOfSeveralV1ValuesMayMatchDuringKeyRotation) {
  std::string old_key = SignWebhook("old", kBody, kT);
  std::string new_key = SignWebhook("new", kBody, kT);
  std::string both = old_key + "," + new_key.substr(new_key.find("v1="));
  EXPECT_TRUE(VerifyWebhook(both, "old", kBody, kT).ok());
  EXPECT_TRUE(VerifyWebhook(both, "new", kBody, kT).ok());
  EXPECT_FALSE(VerifyWebhook(both, "neither", kBody, kT).ok());
}

TEST(WebhookSignatureTest, UnknownSchemesAndSpacesAreTolerated) {
  std::string header = SignWebhook("s", kBody, kT);
  std::string v1 = header.substr(header.find("v1="));
  EXPECT_TRUE(VerifyWebhook("v0=abc, t=1767225600 , " + v1, "s", kBody, kT).ok());
}

TEST(WebhookSignatureTest, MalformedHeadersSayWhatIsWrong) {
  const std::string v1 = std::string("v1=") + kKnownHex;
  struct Case {
    std::string header, reason;
  } cases[] = {
      {"", "item without '='"},
      {v1, "no t="},
      {"t=1767225600", "no v1="},
      {"t=17672256x0," + v1, "t is not a unix time"},
      {"t=," + v1, "t is not a unix time"},
      {"t=-5," + v1, "t is not a unix time"},
      {"t=1767225600000000," + v1, "t is not a unix time"},
      {"t=1,t=2," + v1, "t given twice"},
      {"t=1767225600,v1=abc", "v1 is not 64 hex digits"},
      {"t=1767225600,v1=" + std::string(64, 'g'), "v1 is not 64 hex digits"},
      {"t=1767225600;" + v1, "t is not a unix time"},
      {"garbage", "item without '='"},
  };
  for (const auto& c : cases) {
    Status st = VerifyWebhook(c.header, "whsec_test", kBody, kT);
    EXPECT_EQ(st.code(), Code::kUnauthenticated) << c.header;
    EXPECT_EQ(st.message(), "malformed signature: " + c.reason) << c.header;
  }
}

TEST(WebhookSignatureTest, UpperCaseHexIsAccepted) {
  std::string hex = kKnownHex;
  for (char& c : hex) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_TRUE(VerifyWebhook("t=1767225600,v1=" + hex, "whsec_test", kBody, kT).ok());
}

RC_GTEST_PROP(WebhookSignatureProperty, SignedBodiesVerifyWithinTolerance,
              (const std::string& secret, const std::string& body, uint32_t unix_seconds,
               uint16_t delay_seconds)) {
  Timestamp t = Timestamp(seconds(unix_seconds));
  Timestamp now = t + seconds(delay_seconds % 301);
  std::string header = SignWebhook(secret, body, t);
  RC_ASSERT(VerifyWebhook(header, secret, body, now).ok());
  RC_ASSERT(!VerifyWebhook(header, secret, body + "x", now).ok());
  RC_ASSERT(!VerifyWebhook(header, secret + "x", body, now).ok());
  RC_ASSERT(!VerifyWebhook(header, secret, body, now + minutes(6)).ok());
}

RC_GTEST_PROP(WebhookSignatureProperty, AChangedCharacterBreaksTheSignature,
              (const std::string& body, uint8_t position, char replacement)) {
  std::string header = SignWebhook("s", body, kT), changed = header;
  size_t at = position % header.size();
  changed[at] = replacement;
  // Only the same text, or a hex digit's other case, still verifies.
  bool same =
      changed == header || (at >= header.find("v1=") + 3 &&
                            std::tolower(static_cast<unsigned char>(replacement)) == header[at]);
  RC_ASSERT(VerifyWebhook(changed, "s", body, kT).ok() == same);
}

RC_GTEST_PROP(WebhookSignatureProperty, AnyHeaderIsAnsweredWithoutCrashing,
              (const std::string& header, const std::string& body)) {
  Status st = VerifyWebhook(header, "s", body, kT);
  RC_ASSERT(st.code() == Code::kUnauthenticated);
}

}  // namespace
}  // namespace tandem::api
