#include "store/store.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "store/journal.h"
#include "store/people.h"
#include "store/users.h"

namespace tandem::store {
namespace {

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("tandem-store-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    path_ = (dir_ / "t.db").string();
    auto s = Store::Open(path_, clock_);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  FakeClock clock_{*ParseTimestamp("2026-11-01T00:00:00Z")};
  std::filesystem::path dir_;
  std::string path_;
  std::unique_ptr<Store> store_;
};

TEST_F(StoreTest, SecondWriterIsRefusedWithTheHolderNamed) {
  auto second = Store::Open(path_, clock_, {.holder = "server http://127.0.0.1:1"});
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(second.status().message().find("held by tandem"), std::string::npos)
      << second.status().message();
  auto reader = Store::Open(path_, clock_, {.read_only = true});
  EXPECT_TRUE(reader.ok());
}

TEST_F(StoreTest, PersonRoundTripsWithIdentifiers) {
  Person p;
  p.first_name = "Ana";
  p.emails = {"ana@example.com", "ana.b@example.org"};
  p.phones = {{"+442071234567", "020 7123 4567"}};
  p.external_ids = {"hubspot:123"};
  p.consent["email"] = {ConsentState::kOptedIn, "form", clock_.Now()};
  p.custom["shoe_size"] = "42";
  ASSERT_TRUE(store_->Write([&](WriteTxn& t) { return InsertPerson(t, p); }).ok());
  ASSERT_TRUE(p.id.valid());
  ASSERT_TRUE(store_
                  ->Read([&](sql::Db& db) {
                    auto got = LoadPerson(db, p.id);
                    EXPECT_TRUE(got.ok());
                    EXPECT_EQ(got->emails, p.emails);
                    EXPECT_EQ(got->phones[0].e164, "+442071234567");
                    EXPECT_EQ(got->consent["email"].state, ConsentState::kOptedIn);
                    EXPECT_EQ(got->custom["shoe_size"], "42");
                    EXPECT_EQ(FindPersonByEmail(db, "ana.b@example.org"), p.id);
                    EXPECT_EQ(FindPersonByExternalId(db, "hubspot:123"), p.id);
                    return Status::Ok();
                  })
                  .ok());
}

TEST_F(StoreTest, FailedWriteLeavesNothingBehind) {
  Person p;
  p.emails = {"x@example.com"};
  Status st = store_->Write([&](WriteTxn& t) {
    TANDEM_RETURN_IF_ERROR(InsertPerson(t, p));
    return InvalidArgument("changed my mind");
  });
  EXPECT_FALSE(st.ok());
  (void)store_->Read([&](sql::Db& db) {
    EXPECT_FALSE(FindPersonByEmail(db, "x@example.com"));
    EXPECT_EQ(CountPeople(db), 0);
    return Status::Ok();
  });
}

TEST_F(StoreTest, ConcurrentWritesCommitTogetherButFailAlone) {
  std::vector<std::thread> threads;
  std::vector<Status> results(16);
  for (int i = 0; i < 16; ++i) {
    threads.emplace_back([&, i] {
      results[i] = store_->Write([&](WriteTxn& t) {
        Person p;
        p.emails = {"w" + std::to_string(i) + "@example.com"};
        TANDEM_RETURN_IF_ERROR(InsertPerson(t, p));
        if (i % 5 == 0) return InvalidArgument("writer " + std::to_string(i) + " gives up");
        return Status::Ok();
      });
    });
  }
  for (auto& t : threads) t.join();
  (void)store_->Read([&](sql::Db& db) {
    for (int i = 0; i < 16; ++i) {
      bool stored = FindPersonByEmail(db, "w" + std::to_string(i) + "@example.com").has_value();
      EXPECT_EQ(results[i].ok(), i % 5 != 0) << i;
      EXPECT_EQ(stored, i % 5 != 0) << i;
    }
    EXPECT_EQ(CountPeople(db), 12);
    return Status::Ok();
  });
}

TEST_F(StoreTest, JournalRejectsReusedIdempotencyKeyAndPagesTimeline) {
  for (int i = 0; i < 5; ++i) {
    JournalEntry e{.occurred_at = clock_.Now() + std::chrono::minutes(i),
                   .kind = "activity",
                   .subject = 9,
                   .actor = "api",
                   .type = "page_view",
                   .source = "web",
                   .client_id = "a" + std::to_string(i),
                   .digest = ContentDigest("x")};
    ASSERT_TRUE(store_->Write([&](WriteTxn& t) { return AppendJournal(t, e).status(); }).ok());
  }
  JournalEntry dup{
      .kind = "activity", .subject = 9, .actor = "api", .source = "web", .client_id = "a1"};
  Status st = store_->Write([&](WriteTxn& t) { return AppendJournal(t, dup).status(); });
  EXPECT_EQ(st.code(), Code::kConflict);
  (void)store_->Read([&](sql::Db& db) {
    auto p1 = ReadTimeline(db, store_->pending_timeline(), 9, "", 3);
    EXPECT_EQ(p1->entries.size(), 3u);
    EXPECT_EQ(p1->entries[0].client_id, "a4");
    auto p2 = ReadTimeline(db, store_->pending_timeline(), 9, p1->next_cursor, 3);
    EXPECT_EQ(p2->entries.size(), 2u);
    EXPECT_EQ(p2->entries[1].client_id, "a0");
    EXPECT_TRUE(p2->next_cursor.empty());
    EXPECT_FALSE(ReadTimeline(db, store_->pending_timeline(), 9, "garbage", 3).ok());
    return Status::Ok();
  });
}

TEST_F(StoreTest, TimelineMergesFlushedAndPendingKeysAcrossReopen) {
  auto append = [&](int i) {
    JournalEntry e{.occurred_at = clock_.Now() + std::chrono::minutes(i),
                   .kind = "activity",
                   .subject = 5,
                   .actor = "api",
                   .type = "page_view",
                   .source = "web",
                   .client_id = "t" + std::to_string(i)};
    ASSERT_TRUE(store_->Write([&](WriteTxn& t) { return AppendJournal(t, e).status(); }).ok());
  };
  auto read_all = [&] {
    std::vector<std::string> ids;
    (void)store_->Read([&](sql::Db& db) {
      std::string cursor;
      do {
        auto page = ReadTimeline(db, store_->pending_timeline(), 5, cursor, 2);
        EXPECT_TRUE(page.ok());
        for (const auto& e : page->entries) ids.push_back(e.client_id);
        cursor = page->next_cursor;
      } while (!cursor.empty());
      return Status::Ok();
    });
    return ids;
  };
  for (int i : {0, 2, 4}) append(i);
  ASSERT_TRUE(store_->FlushTimeline().ok());
  EXPECT_EQ(store_->pending_timeline().size(), 0u);
  for (int i : {1, 3, 5}) append(i);  // pending, interleaved in time with the flushed ones
  std::vector<std::string> expected{"t5", "t4", "t3", "t2", "t1", "t0"};
  EXPECT_EQ(read_all(), expected);
  // Reopening reads the same, whatever was flushed on close.
  store_.reset();
  store_ = std::move(*Store::Open(path_, clock_));
  EXPECT_EQ(read_all(), expected);
}

TEST_F(StoreTest, TokensAreHashedRevocableAndExpire) {
  User u{.email = "ops@example.com", .role = Role::kAdmin};
  NewToken tok;
  ASSERT_TRUE(store_
                  ->Write([&](WriteTxn& t) {
                    TANDEM_RETURN_IF_ERROR(InsertUser(t, u));
                    auto r = CreateToken(t, u, "cli", clock_.Now() + std::chrono::hours(1));
                    if (r.ok()) tok = *r;
                    return r.status();
                  })
                  .ok());
  (void)store_->Read([&](sql::Db& db) {
    EXPECT_TRUE(Authenticate(db, tok.secret, clock_.Now()).ok());
    EXPECT_EQ(Authenticate(db, tok.secret, clock_.Now() + std::chrono::hours(2)).status().message(),
              "token expired");
    EXPECT_FALSE(Authenticate(db, "tdm_wrong", clock_.Now()).ok());
    auto s = db.Prepare("SELECT COUNT(*) FROM tokens WHERE hash = ?");
    (*s)->Bind(1, tok.secret);
    (*s)->Step();
    EXPECT_EQ((*s)->Int(0), 0) << "the secret itself must never be stored";
    return Status::Ok();
  });
  ASSERT_TRUE(store_->Write([&](WriteTxn& t) { return RevokeToken(t, tok.info.id); }).ok());
  (void)store_->Read([&](sql::Db& db) {
    EXPECT_EQ(Authenticate(db, tok.secret, clock_.Now()).status().message(), "token revoked");
    return Status::Ok();
  });
}

}  // namespace
}  // namespace tandem::store
