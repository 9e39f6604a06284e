#include "ingest/activities.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "ingest/records.h"
#include "store/journal.h"
#include "store/people.h"

namespace tandem::ingest {
namespace {

class ActivitiesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("tandem-ingest-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    store_ = std::move(*store::Store::Open((dir_ / "t.db").string(), clock_));
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  IngestReport Post(std::string_view body) {
    auto parsed = ParseActivities(body, clock_.Now(), {});
    EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
    auto r = StoreActivities(*store_, parsed->items, parsed->rejected, {});
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return *r;
  }

  int64_t JournalCount(const char* kind) {
    int64_t n = 0;
    (void)store_->Read([&](sql::Db& db) {
      auto s = db.Prepare("SELECT COUNT(*) FROM journal WHERE kind = ?");
      (*s)->Bind(1, kind);
      (*s)->Step();
      n = (*s)->Int(0);
      return Status::Ok();
    });
    return n;
  }

  FakeClock clock_{*ParseTimestamp("2026-11-10T12:00:00Z")};
  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
};

constexpr const char* kTwo = R"([
  {"id":"w1","type":"form_submit","email":"Ana@Example.com","occurred_at":"2026-11-02T09:14:00Z",
   "source":"website","properties":{"form":"contact-us"}},
  {"id":"w2","type":"page_view","email":"ana@example.com","occurred_at":"2026-11-02T09:15:00Z"}
])";

TEST_F(ActivitiesTest, UnknownEmailCreatesOnePerson) {
  auto r = Post(kTwo);
  EXPECT_EQ(r.accepted, 2);
  EXPECT_EQ(r.people_created, 1);
  EXPECT_TRUE(r.rejected.empty());
  EXPECT_EQ(JournalCount("activity"), 2);
}

TEST_F(ActivitiesTest, SameActivityTwiceIsStoredOnce) {
  Post(kTwo);
  auto r = Post(kTwo);
  EXPECT_EQ(r.accepted, 0);
  EXPECT_EQ(r.duplicates, 2);
  EXPECT_EQ(JournalCount("activity"), 2);
}

TEST_F(ActivitiesTest, ReusedIdWithDifferentContentIsRejected) {
  Post(kTwo);
  auto r = Post(R"([{"id":"w2","type":"page_view","email":"ana@example.com",
                     "occurred_at":"2026-11-03T09:15:00Z"}])");
  ASSERT_EQ(r.rejected.size(), 1u);
  EXPECT_EQ(r.rejected[0].code, "id_reused");
  EXPECT_EQ(r.rejected[0].reason, "id reused with different content");
}

TEST_F(ActivitiesTest, OneBadItemDoesNotRejectTheOthers) {
  auto r = Post(R"([
    {"id":"a","type":"page_view","email":"x@example.com","occurred_at":"2026-11-02T09:00:00Z"},
    {"id":"b","type":"teleport","email":"x@example.com","occurred_at":"2026-11-02T09:00:00Z"},
    {"id":"c","type":"page_view","email":"x@example.com","occurred_at":"2031-01-01T00:00:00Z"},
    {"id":"d","type":"page_view","occurred_at":"2026-11-02T09:00:00Z"},
    {"id":7,"type":"page_view","email":"x@example.com","occurred_at":"2026-11-02T09:00:00Z"},
    {"id":"f","type":"page_view","email":"x@example.com","occurred_at":"yesterday"},
    {"id":"g","type":"page_view","email":"x@example.com","occurred_at":"2026-11-02T09:00:00Z",
     "colour":"red"},
    {"id":"h","type":"page_view","person_id":999,"occurred_at":"2026-11-02T09:00:00Z"},
    "not an object"
  ])");
  EXPECT_EQ(r.accepted, 1);
  ASSERT_EQ(r.rejected.size(), 8u);
  std::vector<std::string> codes;
  for (const auto& x : r.rejected) codes.push_back(x.code);
  EXPECT_EQ(codes, (std::vector<std::string>{"unknown_type", "future_timestamp", "missing_field",
                                             "invalid_field", "invalid_field", "unknown_field",
                                             "unknown_person", "invalid_item"}));
  EXPECT_EQ(r.rejected[0].index, 1u);
}

TEST_F(ActivitiesTest, PersonIdAndEmailThatDisagreeAreRejected) {
  Post(kTwo);
  Post(R"([{"id":"z","type":"page_view","email":"zed@example.com",
            "occurred_at":"2026-11-02T09:00:00Z"}])");
  auto r = Post(R"([{"id":"m","type":"page_view","person_id":1,"email":"zed@example.com",
                     "occurred_at":"2026-11-02T09:00:00Z"}])");
  ASSERT_EQ(r.rejected.size(), 1u);
  EXPECT_EQ(r.rejected[0].code, "person_mismatch");
}

// The caller's transaction decides: what StoreActivities reports inside a transaction that
// is then rolled back (a dry run) is left nowhere, not in the journal, people or timeline.
TEST_F(ActivitiesTest, StoringInsideARolledBackTransactionLeavesNothing) {
  Post(kTwo);
  int64_t activities = JournalCount("activity");
  size_t pending = store_->pending_timeline().size();
  // The second item names ana by id and, by e-mail, the person the first one creates.
  constexpr const char* kBody = R"([
    {"id":"n1","type":"unsubscribe","email":"new@example.com","occurred_at":"2026-11-02T09:00:00Z"},
    {"id":"m","type":"page_view","person_id":1,"email":"new@example.com",
     "occurred_at":"2026-11-02T09:00:00Z"}
  ])";
  auto parsed = ParseActivities(kBody, clock_.Now(), {});
  ASSERT_TRUE(parsed.ok());
  IngestReport report;
  Status st = store_->Write([&](store::WriteTxn& txn) {
    auto r = StoreActivities(txn, parsed->items, parsed->rejected, {});
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (r.ok()) report = *r;
    return FailedPrecondition("roll back");
  });
  EXPECT_EQ(st.code(), Code::kFailedPrecondition);
  EXPECT_EQ(report.accepted, 1);
  EXPECT_EQ(report.people_created, 1);
  ASSERT_EQ(report.rejected.size(), 1u);
  EXPECT_EQ(report.rejected[0].code, "person_mismatch");
  EXPECT_EQ(JournalCount("activity"), activities);
  EXPECT_EQ(JournalCount("consent_changed"), 0);
  EXPECT_EQ(store_->pending_timeline().size(), pending);
  (void)store_->Read([&](sql::Db& db) {
    EXPECT_FALSE(store::FindPersonByEmail(db, "new@example.com"));
    return Status::Ok();
  });
}

TEST_F(ActivitiesTest, UnsubscribeOptsTheEmailChannelOut) {
  Post(R"([{"id":"u","type":"unsubscribe","email":"ana@example.com",
            "occurred_at":"2026-11-02T09:00:00Z","source":"esp"}])");
  (void)store_->Read([&](sql::Db& db) {
    auto id = store::FindPersonByEmail(db, "ana@example.com");
    auto p = store::LoadPerson(db, *id);
    EXPECT_EQ(p->consent["email"].state, ConsentState::kOptedOut);
    return Status::Ok();
  });
  EXPECT_EQ(JournalCount("consent_changed"), 1);
}

TEST_F(ActivitiesTest, ExternalIdLinksToTheEmailsPerson) {
  Post(kTwo);
  auto r = Post(R"([{"id":"h1","type":"email_open","external_id":"hubspot:42",
                     "email":"ana@example.com","occurred_at":"2026-11-02T10:00:00Z"}])");
  EXPECT_EQ(r.accepted, 1);
  EXPECT_EQ(r.people_created, 0);
  (void)store_->Read([&](sql::Db& db) {
    EXPECT_EQ(store::FindPersonByExternalId(db, "hubspot:42"),
              store::FindPersonByEmail(db, "ana@example.com"));
    return Status::Ok();
  });
}

TEST_F(ActivitiesTest, MalformedBodiesAreRefusedWhole) {
  IngestOptions opt;
  EXPECT_EQ(ParseActivities("[{", clock_.Now(), opt).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(ParseActivities("{}", clock_.Now(), opt).status().code(), Code::kInvalidArgument);
  auto utf = ParseActivities("[\"\xff\"]", clock_.Now(), opt);
  EXPECT_EQ(utf.status().message(), "the body is not valid UTF-8");
}

TEST_F(ActivitiesTest, ErasureWipesPersonalDataButKeepsDecisions) {
  Post(kTwo);
  PersonId id;
  (void)store_->Read([&](sql::Db& db) {
    id = *store::FindPersonByEmail(db, "ana@example.com");
    return Status::Ok();
  });
  ASSERT_TRUE(store_->Write([&](store::WriteTxn& t) { return ErasePerson(t, id, {}); }).ok());
  (void)store_->Read([&](sql::Db& db) {
    EXPECT_FALSE(store::FindPersonByEmail(db, "ana@example.com"));
    auto s = db.Prepare(
        "SELECT COUNT(*), SUM(payload IS NOT NULL AND payload LIKE '%ana%') FROM journal "
        "WHERE subject = ?");
    (*s)->Bind(1, id.value());
    (*s)->Step();
    EXPECT_EQ((*s)->Int(0), 4);  // created, two activities, erased
    EXPECT_EQ((*s)->Int(1), 0);
    return Status::Ok();
  });
  EXPECT_EQ(JournalCount("erased"), 1);
}

}  // namespace
}  // namespace tandem::ingest
