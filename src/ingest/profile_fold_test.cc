// Folding profiles once for several engines (FanOutJournal) must decide exactly as the live
// path's JournalReplay does: same grades, personas and stages, caused by the same entries.
#include "ingest/profile_fold.h"

#include "ingest/analysis_test_fixture.h"
#include "ingest/backtest_internal.h"
#include "ingest/default_policy.h"
#include "ingest/lead_replay.h"
#include "store/db.h"

namespace tandem::ingest {
namespace {

std::string Describe(const engine::Decision& d) {
  return std::to_string(static_cast<int>(d.kind)) + " p" + std::to_string(d.person.value()) + " c" +
         std::to_string(d.cause.value()) + " @" + FormatTimestamp(d.at) + " g" +
         std::to_string(d.grade_after.thirds) + " persona" + std::to_string(d.persona_after) + " " +
         std::string(StageName(d.stage_after)) + " s" + std::to_string(d.score_after);
}

class ProfileFoldTest : public AnalysisTest {
 protected:
  CompanyId AddCompany(const std::string& name, const std::string& industry,
                       const std::string& band, const std::string& country) {
    CompanyId id;
    Write([&](store::WriteTxn& txn) {
      auto c = CreateCompany(
          txn, {.name = name, .industry = industry, .size_band = band, .country = country}, {});
      if (c.ok()) id = c->company.id;
      return c.status();
    });
    return id;
  }
  void Write(const std::function<Status(store::WriteTxn&)>& fn) {
    Status st = store_->Write(fn);
    ASSERT_TRUE(st.ok()) << st.ToString();
  }

  // Every decision an engine makes when JournalReplay feeds it the journal.
  std::vector<std::string> ByJournalReplay() {
    engine::LeadEngine engine(policy_);
    JournalReplay replay(engine, {});
    engine::DecisionLog log;
    (void)store_->Read([&](sql::Db& db) {
      auto s = db.Prepare(kReplaySql);
      (*s)->Bind(1, int64_t{0});
      while ((*s)->Step()) {
        if ((*s)->TextView(2) == "policy_activated") continue;
        replay.Apply({.seq = Seq((*s)->Int(0)),
                      .occurred_at = FromMicros((*s)->Int(1)),
                      .kind = (*s)->TextView(2),
                      .subject = (*s)->Int(3),
                      .type = (*s)->TextView(4),
                      .payload = (*s)->TextView(5)},
                     log);
      }
      return Status::Ok();
    });
    std::vector<std::string> out;
    for (const auto& d : log.decisions) out.push_back(Describe(d));
    return out;
  }

  // The same from batches read once.
  std::vector<std::string> ByBatches() {
    engine::LeadEngine engine(policy_);
    engine::DecisionLog log;
    std::vector<BatchConsumer> consumers{[&](const DecodedBatch& b) {
      for (const auto& e : b.entries()) {
        if (e.kind == DecodedEntry::Kind::kActivity) {
          engine.OnActivity(e.AsActivity(), log);
        } else {
          internal::ApplyRecord(engine, e, log);
        }
      }
    }};
    EXPECT_TRUE(FanOutJournal(*store_, consumers).ok());
    std::vector<std::string> out;
    for (const auto& d : log.decisions) out.push_back(Describe(d));
    return out;
  }

  std::shared_ptr<const engine::CompiledPolicy> policy_ =
      Compile(std::string(EmbeddedDefaultPolicy()), 1);
};

TEST_F(ProfileFoldTest, DecidesAsJournalReplayDoes) {
  CompanyId acme = AddCompany("Acme", "software", "51-200", "DE");
  CompanyId school = AddCompany("School", "education", "1-10", "US");
  PersonId vp = AddPerson("vp@acme.example", "VP Marketing");
  PersonId student = AddPerson("kid@uni.edu", "Student");
  AddPerson("boss@gmail.com", "CEO");
  Write([&](store::WriteTxn& txn) {
    TANDEM_RETURN_IF_ERROR(UpdatePerson(txn, vp, {.company = acme}, {}).status());
    return UpdatePerson(txn, student, {.company = school}, {}).status();
  });
  Post("vp@acme.example", "demo_request", "2026-03-02T09:00:00Z");
  Write([&](store::WriteTxn& txn) {
    TANDEM_RETURN_IF_ERROR(UpdateCompany(txn, acme, {.industry = "finance"}, {}).status());
    TANDEM_RETURN_IF_ERROR(UpdatePerson(txn, vp, {.company = school}, {}).status());
    TANDEM_RETURN_IF_ERROR(UpdateCompany(txn, school, {.size_band = "51-200"}, {}).status());
    return UpdateCompany(txn, acme, {.name = "Acme Group"}, {}).status();  // no graded fact
  });
  Write([&](store::WriteTxn& txn) { return ErasePerson(txn, student, {}); });
  Write([&](store::WriteTxn& txn) {
    return UpdateCompany(txn, school, {.country = "GB"}, {}).status();
  });
  Post("boss@gmail.com", "page_view", "2026-03-03T09:00:00Z", 3, R"({"path":"/pricing"})");
  auto expected = ByJournalReplay();
  EXPECT_GT(expected.size(), 8u);
  EXPECT_EQ(ByBatches(), expected);
}

}  // namespace
}  // namespace tandem::ingest
