// Reading the journal once for several consumers: every consumer sees every entry in order,
// and activities' properties decode exactly as the live engine's DecodeProperties does.
#include "ingest/journal_batches.h"

#include <mutex>

#include "ingest/analysis_test_fixture.h"
#include "ingest/journal_batch_builder.h"
#include "ingest/lead_replay.h"
#include "store/db.h"

namespace tandem::ingest {
namespace {

class JournalBatchesTest : public AnalysisTest {
 protected:
  // Each journal entry's seq and its properties as "key=value;" text, as DecodeProperties
  // decodes the stored payload.
  std::vector<std::pair<int64_t, std::string>> Expected() {
    std::vector<std::pair<int64_t, std::string>> out;
    (void)store_->Read([&](sql::Db& db) {
      auto s = db.Prepare("SELECT seq, kind, payload FROM journal ORDER BY seq");
      std::vector<engine::Property> props;
      while ((*s)->Step()) {
        if ((*s)->TextView(1) != "activity") continue;
        DecodeProperties((*s)->TextView(2), props);
        out.emplace_back((*s)->Int(0), Text(props));
      }
      return Status::Ok();
    });
    return out;
  }
  static std::string Text(std::span<const engine::Property> props) {
    std::string t;
    for (const auto& p : props) t += std::string(p.key) + "=" + std::string(p.value) + ";";
    return t;
  }
};

TEST_F(JournalBatchesTest, PropertiesDecodeAsTheLiveEngineDecodesThem) {
  AddPerson("ana@example.com");
  const char* shapes[] = {
      R"({})",
      R"({"path":"/pricing"})",
      R"({"path":"/pricing","referrer":"g2"})",
      R"({"amount":1200,"currency":"EUR"})",
      R"({"quote":"say \"hi\"","tab":"a\tb"})",
      R"({"nested":{"a":[1,2]},"flag":true,"none":null})",
      R"({"city":"Zürich","emoji":"🙂"})",
      R"({"empty":""})",
  };
  int n = 0;
  for (const char* props : shapes) {
    Post("ana@example.com", "page_view", "2026-03-02T09:0" + std::to_string(n++) + ":00Z", 1,
         props);
  }
  std::vector<std::pair<int64_t, std::string>> seen[2];
  std::vector<BatchConsumer> consumers;
  for (auto& out : seen) {
    consumers.push_back([&out](const DecodedBatch& b) {
      for (const auto& e : b.entries()) {
        if (e.kind == DecodedEntry::Kind::kActivity) {
          out.emplace_back(e.seq.value(), Text(e.properties));
        }
      }
    });
  }
  auto stats = FanOutJournal(*store_, consumers);
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->activities, 8);
  EXPECT_EQ(stats->entries, 9);  // and the person's creation
  auto expected = Expected();
  EXPECT_EQ(seen[0], expected);
  EXPECT_EQ(seen[1], expected);
  EXPECT_EQ(expected[1].second, "path=/pricing;");
  EXPECT_EQ(expected[3].second, "amount=1200;currency=EUR;");
}

TEST(DecodeFlatObjectTest, OnlyFlatObjectsOfPlainStringsTakeTheFastPath) {
  std::vector<std::pair<size_t, size_t>> spans;
  EXPECT_TRUE(DecodeFlatObject("{}", spans));
  EXPECT_TRUE(spans.empty());
  ASSERT_TRUE(DecodeFlatObject(R"({"a":"bc","d":""})", spans));
  EXPECT_EQ(spans, (std::vector<std::pair<size_t, size_t>>{{2, 1}, {6, 2}, {11, 1}, {15, 0}}));
  for (const char* other :
       {R"({"a":1})", R"({"a":"b\"c"})", R"({ "a":"b"})", R"({"a":"b",})", R"({"a":"b""c":"d"})",
        R"({"a"})", R"({"a":"b"}x)", R"({"a":"b)", R"([])", ""}) {
    EXPECT_FALSE(DecodeFlatObject(other, spans)) << other;
  }
}

TEST_F(JournalBatchesTest, EveryConsumerSeesEveryEntryInOrder) {
  AddPerson("bo@example.com");
  Post("bo@example.com", "page_view", "2026-03-02T09:00:00Z", 10000);
  std::vector<int64_t> seqs[2];
  std::vector<BatchConsumer> consumers;
  for (auto& out : seqs) {
    consumers.push_back([&out](const DecodedBatch& b) {
      for (const auto& e : b.entries()) out.push_back(e.seq.value());
    });
  }
  auto stats = FanOutJournal(*store_, consumers);
  ASSERT_TRUE(stats.ok());
  ASSERT_EQ(seqs[0].size(), 10001u);
  EXPECT_TRUE(std::is_sorted(seqs[0].begin(), seqs[0].end()));
  EXPECT_EQ(seqs[0], seqs[1]);
}

TEST_F(JournalBatchesTest, AConsumerThatThrowsFailsTheRead) {
  AddPerson("cy@example.com");
  std::vector<BatchConsumer> consumers{
      [](const DecodedBatch&) { throw std::runtime_error("boom"); }};
  auto stats = FanOutJournal(*store_, consumers);
  EXPECT_EQ(stats.status().code(), Code::kInternal);
}

}  // namespace
}  // namespace tandem::ingest
