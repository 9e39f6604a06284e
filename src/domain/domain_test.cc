#include <gtest/gtest.h>

#include "domain/activity_type.h"
#include "domain/person.h"
#include "domain/stage.h"

namespace tandem {
namespace {

TEST(Stage, NamesRoundTrip) {
  for (auto s : {Stage::kSubscriber, Stage::kLead, Stage::kMql, Stage::kSal, Stage::kSql,
                 Stage::kOpportunity, Stage::kCustomer, Stage::kRecycled, Stage::kDisqualified,
                 Stage::kLapsed}) {
    EXPECT_EQ(ParseStage(StageName(s)), s);
  }
  EXPECT_FALSE(ParseStage("MQL"));
}

TEST(Role, ViewerWritesNothingAndSalesCannotConfigure) {
  EXPECT_FALSE(RoleMayWriteRecords(Role::kViewer));
  EXPECT_TRUE(RoleMayWriteRecords(Role::kSalesRep));
  EXPECT_FALSE(RoleMayChangeConfiguration(Role::kSalesRep));
  EXPECT_FALSE(RoleMayChangeConfiguration(Role::kSalesManager));
  EXPECT_TRUE(RoleMayChangeConfiguration(Role::kAdmin));
}

TEST(ActivityType, BuiltinsAndCustomNames) {
  ASSERT_NE(FindBuiltinActivityType("demo_request"), nullptr);
  EXPECT_TRUE(FindBuiltinActivityType("call_logged")->is_contact_attempt);
  EXPECT_EQ(FindBuiltinActivityType("teleport"), nullptr);
  EXPECT_TRUE(IsValidActivityTypeName("trial_started"));
  EXPECT_FALSE(IsValidActivityTypeName("Trial"));
  EXPECT_FALSE(IsValidActivityTypeName("1x"));
}

TEST(Company, SizeBands) {
  EXPECT_TRUE(IsValidSizeBand("51-200"));
  EXPECT_FALSE(IsValidSizeBand("50-200"));
}

}  // namespace
}  // namespace tandem
