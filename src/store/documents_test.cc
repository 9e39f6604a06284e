#include "store/documents.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace tandem::store {
namespace {

class PolicyStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("tandem-policy-store-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    auto s = Store::Open((dir_ / "t.db").string(), clock_);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  Result<int> Insert(const std::string& name, UserId author) {
    int v = 0;
    Status st = store_->Write([&](WriteTxn& t) {
      auto r =
          InsertDocumentVersion(t, Document::kPolicy, name, "name = \"" + name + "\"\n", author);
      if (r.ok()) v = *r;
      return r.status();
    });
    if (!st.ok()) return st;
    return v;
  }
  Status Approve(int v, ApprovalSide side, UserId who) {
    return store_->Write(
        [&](WriteTxn& t) { return ApproveDocumentVersion(t, Document::kPolicy, v, side, who); });
  }
  DocumentRecord Load(int v) {
    DocumentRecord out;
    EXPECT_TRUE(store_
                    ->Read([&](sql::Db& db) {
                      auto p = LoadDocumentVersion(db, Document::kPolicy, v);
                      if (p.ok()) out = *p;
                      return p.status();
                    })
                    .ok());
    return out;
  }

  FakeClock clock_{*ParseTimestamp("2026-11-01T00:00:00Z")};
  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(PolicyStoreTest, DefaultIsVersionOneActiveByNobody) {
  Status st = store_->Write([&](WriteTxn& t) {
    auto v =
        InstallDefaultDocument(t, Document::kPolicy, "default", "name = \"default\"\n", Seq(7));
    EXPECT_TRUE(v.ok());
    EXPECT_EQ(*v, 1);
    return v.status();
  });
  ASSERT_TRUE(st.ok()) << st.ToString();
  DocumentRecord p = Load(1);
  EXPECT_EQ(p.status, "active");
  EXPECT_EQ(p.name, "default");
  EXPECT_FALSE(p.author.valid());
  EXPECT_EQ(p.activated_seq, Seq(7));
  EXPECT_EQ(p.activated_at, clock_.Now());
  Status again = store_->Write([&](WriteTxn& t) {
    return InstallDefaultDocument(t, Document::kPolicy, "default", "x", Seq(8)).status();
  });
  EXPECT_EQ(again.code(), Code::kFailedPrecondition);
}

TEST_F(PolicyStoreTest, VersionsAreNumberedInOrderAndListedNewestFirst) {
  EXPECT_EQ(*Insert("a", UserId(3)), 1);
  EXPECT_EQ(*Insert("b", UserId(4)), 2);
  ASSERT_TRUE(store_
                  ->Read([&](sql::Db& db) {
                    auto all = ListDocumentVersions(db, Document::kPolicy);
                    EXPECT_EQ(all.size(), 2u);
                    EXPECT_EQ(all[0].version, 2);
                    EXPECT_EQ(all[0].author, UserId(4));
                    EXPECT_EQ(all[0].status, "draft");
                    EXPECT_EQ(LatestDocumentVersion(db, Document::kPolicy)->version, 2);
                    EXPECT_FALSE(ActiveDocumentVersion(db, Document::kPolicy).has_value());
                    EXPECT_EQ(LoadDocumentVersion(db, Document::kPolicy, 9).status().code(),
                              Code::kNotFound);
                    return Status::Ok();
                  })
                  .ok());
}

TEST_F(PolicyStoreTest, EachSideApprovesOnceAndOnlyDrafts) {
  int v = *Insert("a", UserId(3));
  ASSERT_TRUE(Approve(v, ApprovalSide::kMarketing, UserId(5)).ok());
  EXPECT_EQ(Approve(v, ApprovalSide::kMarketing, UserId(6)).code(), Code::kFailedPrecondition);
  ASSERT_TRUE(Approve(v, ApprovalSide::kSales, UserId(6)).ok());
  DocumentRecord p = Load(v);
  EXPECT_EQ(p.marketing_approver, UserId(5));
  EXPECT_EQ(p.sales_approver, UserId(6));
  EXPECT_TRUE(p.sales_approved_at.has_value());
  EXPECT_EQ(Approve(42, ApprovalSide::kSales, UserId(6)).code(), Code::kNotFound);
  int w = *Insert("b", UserId(3));
  ASSERT_TRUE(store_
                  ->Write([&](WriteTxn& t) {
                    return MarkDocumentActive(t, Document::kPolicy, w, t.now(), Seq(1));
                  })
                  .ok());
  EXPECT_EQ(Approve(w, ApprovalSide::kSales, UserId(6)).code(), Code::kFailedPrecondition);
}

TEST_F(PolicyStoreTest, ActivatingSupersedesThePreviousVersion) {
  int a = *Insert("a", UserId(3));
  int b = *Insert("b", UserId(3));
  ASSERT_TRUE(store_
                  ->Write([&](WriteTxn& t) {
                    return MarkDocumentActive(t, Document::kPolicy, a, t.now(), Seq(10));
                  })
                  .ok());
  clock_.Advance(std::chrono::hours(1));
  ASSERT_TRUE(store_
                  ->Write([&](WriteTxn& t) {
                    return MarkDocumentActive(t, Document::kPolicy, b, t.now(), Seq(20));
                  })
                  .ok());
  EXPECT_EQ(Load(a).status, "superseded");
  EXPECT_EQ(Load(b).status, "active");
  EXPECT_EQ(Load(b).activated_seq, Seq(20));
  Status again = store_->Write(
      [&](WriteTxn& t) { return MarkDocumentActive(t, Document::kPolicy, a, t.now(), Seq(30)); });
  EXPECT_EQ(again.code(), Code::kFailedPrecondition);
}

TEST_F(PolicyStoreTest, CustomActivityTypesExcludeBuiltins) {
  ASSERT_TRUE(store_
                  ->Write([&](WriteTxn& t) {
                    return t.db().Exec(
                        "INSERT INTO activity_types VALUES('trial_started','product',0),"
                        "('page_view','web',1)");
                  })
                  .ok());
  ASSERT_TRUE(store_
                  ->Read([&](sql::Db& db) {
                    EXPECT_EQ(ListCustomActivityTypes(db),
                              std::vector<std::string>{"trial_started"});
                    return Status::Ok();
                  })
                  .ok());
}

TEST_F(PolicyStoreTest, SlaVersionsAreNumberedApartFromPolicyVersions) {
  ASSERT_TRUE(Insert("p1", UserId(5)).ok());
  ASSERT_TRUE(Insert("p2", UserId(5)).ok());
  ASSERT_TRUE(store_
                  ->Write([&](WriteTxn& t) {
                    return InstallDefaultDocument(t, Document::kSla, "sla", "x", Seq(3)).status();
                  })
                  .ok());
  ASSERT_TRUE(store_
                  ->Read([&](sql::Db& db) {
                    EXPECT_EQ(LatestDocumentVersion(db, Document::kPolicy)->version, 2);
                    auto sla = ActiveDocumentVersion(db, Document::kSla);
                    EXPECT_TRUE(sla.has_value());
                    EXPECT_EQ(sla->version, 1);
                    EXPECT_EQ(sla->activated_seq, Seq(3));
                    EXPECT_FALSE(ActiveDocumentVersion(db, Document::kPolicy).has_value());
                    return Status::Ok();
                  })
                  .ok());
}

}  // namespace
}  // namespace tandem::store
