#include "ingest/normalise.h"

#include <gtest/gtest.h>

namespace tandem::ingest {
namespace {

TEST(Normalise, EmailsAreTrimmedAndCaseFolded) {
  EXPECT_EQ(*NormaliseEmail("  Ana.B@Example.COM "), "ana.b@example.com");
  EXPECT_EQ(*NormaliseEmail("ÖZIL@Beispiel.DE"), "özil@beispiel.de");
}

TEST(Normalise, BadEmailsSayWhy) {
  for (const char* bad : {"", "no-at.example.com", "a@b@c.com", "@example.com", "ana@localhost",
                          "ana @example.com", "ana@example.", "\xff@x.com"}) {
    auto r = NormaliseEmail(bad);
    EXPECT_FALSE(r.ok()) << bad;
  }
}

TEST(Normalise, PhonesBecomeE164InTheDefaultRegion) {
  EXPECT_EQ(NormalisePhone("020 7946 0018", "GB"), "+442079460018");
  EXPECT_EQ(NormalisePhone("+1 (650) 253-0000", "GB"), "+16502530000");
  EXPECT_EQ(NormalisePhone("(650) 253-0000", "US"), "+16502530000");
  EXPECT_FALSE(NormalisePhone("12", "US"));
  EXPECT_FALSE(NormalisePhone("call me", "US"));
}

TEST(Normalise, Domains) {
  EXPECT_EQ(NormaliseDomain("https://www.Example.com/about?x=1"), "example.com");
  EXPECT_EQ(NormaliseDomain("sub.example.co.uk."), "sub.example.co.uk");
  EXPECT_EQ(NormaliseDomain("localhost"), "");
  EXPECT_EQ(EmailDomain("ana@example.com"), "example.com");
}

TEST(Normalise, NamesCollapseWhiteSpace) {
  EXPECT_EQ(NormaliseName("  Ana \t  Maria  "), "Ana Maria");
}

}  // namespace
}  // namespace tandem::ingest
