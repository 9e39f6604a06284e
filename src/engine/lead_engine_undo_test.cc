// LeadEngine's undo: undoing to a mark leaves the engine exactly as an engine that never saw
// the changes after it — standings now and later (expiring points included), and what later
// activities score (caps, sightings) — however many overflow windows people hold.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "engine/lead_engine.h"

namespace tandem::engine {
namespace {

using std::chrono::days;
using std::chrono::hours;

const Timestamp kStart = *ParseTimestamp("2026-01-01T00:00:00Z");

std::shared_ptr<const CompiledPolicy> DefaultPolicy() {
  std::ifstream in(std::string(TANDEM_CONFIG_DIR) + "/policy.toml");
  std::stringstream text;
  text << in.rdbuf();
  auto compiled = CompiledPolicy::FromToml(text.str(), 1);
  EXPECT_TRUE(compiled.ok()) << compiled.status().ToString();
  return *compiled;
}

// Activity kinds the default policy scores: expiring points (uncapped and capped), capped
// points, and sightings that stage rules look at.
struct Kind {
  const char* type;
  const char* key;
  const char* value;
};
constexpr Kind kKinds[] = {
    {"email_click", "campaign", "product-update-nov"},
    {"email_click", "campaign", "case-study-acme"},
    {"webinar_attended", "webinar", "from-mql-to-revenue"},
    {"form_submit", "form", "webinar-registration"},
    {"form_submit", "form", "gated-content"},
    {"content_download", "asset", "lead-scoring-playbook"},
    {"page_view", "path", "/pricing"},
    {"email_open", "campaign", "x"},
    // More capped rules than a person's block holds windows: caps spill into the pool.
    {"page_view", "path", "/demo"},
    {"page_view", "path", "/product/routing"},
    {"page_view", "path", "/integrations/crm"},
    {"page_view", "path", "/customers/acme"},
    {"page_view", "path", "/security"},
    {"page_view", "path", "/compare/rival"},
    {"page_view", "path", "/docs/getting-started"},
    {"page_view", "path", "/blog/scoring"},
    {"page_view", "path", "/events"},
};
constexpr int kKindCount = sizeof(kKinds) / sizeof(kKinds[0]);

// One change to the engine, as data so that two engines can be given the same ones.
struct Op {
  enum class What { kActivity, kProfile, kSetStage, kForget } what = What::kActivity;
  int64_t person = 1;
  Timestamp at;
  int kind = 0;
  bool hold = false;
};

void Apply(LeadEngine& engine, const Op& op, DecisionLog& log, int64_t seq) {
  const PersonId p(op.person);
  switch (op.what) {
    case Op::What::kActivity: {
      const Kind& k = kKinds[op.kind];
      const Property props[] = {{k.key, k.value}};
      engine.OnActivity(
          {.person = p, .seq = Seq(seq), .at = op.at, .type = k.type, .properties = props}, log);
      break;
    }
    case Op::What::kProfile:
      engine.OnProfile(p, {.job_title = op.kind % 2 ? "CTO" : "Student", .country = "DE"}, op.at,
                       Seq(seq), log);
      break;
    case Op::What::kSetStage:
      engine.SetStage(p, Stage::kRecycled, op.at,
                      op.hold ? std::optional<Timestamp>(op.at + days(30)) : std::nullopt);
      break;
    case Op::What::kForget:
      engine.Forget(p);
      break;
  }
}

// A write: save each person before changing them, as LeadModel does.
void Write(LeadEngine& engine, const std::vector<Op>& ops, int64_t& seq) {
  DecisionLog log;
  for (const Op& op : ops) {
    engine.SaveForUndo(PersonId(op.person));
    Apply(engine, op, log, ++seq);
  }
}

void Feed(LeadEngine& engine, const std::vector<Op>& ops, int64_t& seq) {
  DecisionLog log;
  for (const Op& op : ops) Apply(engine, op, log, ++seq);
}

// Everything the engine shows of people 1..n: standings at several times (so expiring points
// count), fact bits, window counts.
std::string Show(const LeadEngine& e, int64_t n, Timestamp from) {
  std::ostringstream out;
  out.precision(17);
  for (int64_t i = 1; i <= n; ++i) {
    for (Timestamp t : {from, from + days(45), from + days(100), from + days(200)}) {
      Standing s = e.StandingOf(PersonId(i), t);
      out << i << ": " << s.known << " " << s.score << " " << int(s.grade.thirds) << " "
          << s.persona << " " << int(s.stage) << " " << s.stage_rule << " "
          << s.stage_policy_version << " " << ToMicros(s.stage_at) << "\n";
    }
    out << "facts " << e.FactBitsOf(PersonId(i)) << "\n";
  }
  out << "people " << e.PeopleCount() << " windows " << e.WindowEntries() << "\n";
  return out.str();
}

// What a round of every kind of activity for people 1..n scores, hit by hit: caps and
// sightings left in the windows show here.
std::string Probe(LeadEngine& e, int64_t n, Timestamp at) {
  std::ostringstream out;
  out.precision(17);
  DecisionLog log;
  int64_t seq = 1'000'000;
  for (int64_t i = 1; i <= n; ++i) {
    for (int k = 0; k < kKindCount; ++k) {
      Apply(e, {.person = i, .at = at + hours(k), .kind = k}, log, ++seq);
    }
  }
  for (const Decision& d : log.decisions) {
    out << d.person.value() << " " << int(d.kind) << " " << d.score_before << " " << d.score_after
        << " " << d.expired << " " << int(d.stage_after) << " [";
    for (uint32_t h = d.hits_begin; h < d.hits_end; ++h) {
      out << log.hits[h].rule << ":" << log.hits[h].points << (log.hits[h].capped ? "c " : " ");
    }
    out << "]\n";
  }
  return out.str() + Show(e, n, at + days(1));
}

// n activities for a person, one every `every`, cycling through the kinds from `kind`.
std::vector<Op> History(int64_t person, Timestamp from, int n, std::chrono::minutes every,
                        int kind = 0) {
  std::vector<Op> ops;
  for (int i = 0; i < n; ++i) {
    ops.push_back({.person = person, .at = from + i * every, .kind = (kind + i) % kKindCount});
  }
  return ops;
}

TEST(LeadEngineUndoTest, UndoingAWriteForAHeavyUserLeavesTheirWindowsAsTheyWere) {
  auto policy = DefaultPolicy();
  LeadEngine live(policy), twin(policy);
  int64_t seq = 0, twin_seq = 0;
  // 800 activities over 100 days: the first ones' points have expired, hundreds have not.
  std::vector<Op> history = History(1, kStart, 800, std::chrono::minutes(180));
  Feed(live, history, seq);
  Feed(twin, history, twin_seq);
  ASSERT_GT(live.WindowEntries(), 200u);
  const Timestamp now = kStart + days(100);
  const std::string before = Show(live, 1, now);

  // A write that scores several activities, some expiring others' points, some a week late.
  LeadEngine::UndoMark mark = live.OpenUndo();
  Write(live, History(1, now + days(30), 12, std::chrono::minutes(90)), seq);
  Write(live, History(1, now - days(7), 5, std::chrono::minutes(45), 3), seq);
  ASSERT_NE(Show(live, 1, now), before);
  ASSERT_TRUE(live.UndoTo(mark).ok());
  live.CloseUndo();

  EXPECT_EQ(Show(live, 1, now), before);
  EXPECT_EQ(Show(live, 1, now), Show(twin, 1, now));
  EXPECT_EQ(Probe(live, 1, now + days(3)), Probe(twin, 1, now + days(3)));
}

TEST(LeadEngineUndoTest, OverlappingWritesUndoNewestFirstAsAGroupCommitFailing) {
  auto policy = DefaultPolicy();
  LeadEngine live(policy), twin(policy);
  int64_t seq = 0, twin_seq = 0;
  for (int64_t p = 1; p <= 3; ++p) {
    auto h = History(p, kStart, 150, std::chrono::minutes(600), static_cast<int>(p));
    Feed(live, h, seq);
    Feed(twin, h, twin_seq);
  }
  const Timestamp now = kStart + days(63);
  // Three writes in one group; the second fails on its own, then the commit fails.
  LeadEngine::UndoMark m1 = live.OpenUndo();
  Write(live, History(1, now, 20, std::chrono::minutes(30)), seq);
  Write(live, {{.what = Op::What::kSetStage, .person = 2, .at = now, .hold = true}}, seq);
  LeadEngine::UndoMark m2 = live.OpenUndo();
  Write(live, History(2, now, 20, std::chrono::minutes(30)), seq);
  Write(live, {{.what = Op::What::kForget, .person = 3}}, seq);
  ASSERT_TRUE(live.UndoTo(m2).ok());
  live.CloseUndo();
  LeadEngine::UndoMark m3 = live.OpenUndo();
  Write(live, History(3, now + days(40), 20, std::chrono::minutes(30)), seq);
  ASSERT_TRUE(live.UndoTo(m3).ok());
  ASSERT_TRUE(live.UndoTo(m1).ok());
  live.CloseUndo();
  live.CloseUndo();

  EXPECT_EQ(Show(live, 3, now), Show(twin, 3, now));
  EXPECT_EQ(Probe(live, 3, now + days(1)), Probe(twin, 3, now + days(1)));
}

TEST(LeadEngineUndoTest, APolicySwitchCannotBeUndone) {
  auto policy = DefaultPolicy();
  LeadEngine engine(policy);
  int64_t seq = 0;
  LeadEngine::UndoMark before = engine.OpenUndo();
  Write(engine, History(1, kStart, 20, std::chrono::minutes(60)), seq);
  engine.SetPolicy(policy);
  LeadEngine::UndoMark after = engine.OpenUndo();
  const std::string switched = Show(engine, 1, kStart + days(2));
  Write(engine, History(1, kStart + days(1), 20, std::chrono::minutes(60)), seq);
  // Changes after the switch undo; those before it do not, and nothing changes then.
  EXPECT_TRUE(engine.UndoTo(after).ok());
  EXPECT_EQ(Show(engine, 1, kStart + days(2)), switched);
  EXPECT_EQ(engine.UndoTo(before).code(), Code::kFailedPrecondition);
  EXPECT_EQ(Show(engine, 1, kStart + days(2)), switched);
  engine.CloseUndo();
  engine.CloseUndo();
}

// Random groups of random writes, each write failing or not and each group's commit failing
// or not: the engine ends as one fed only what was committed.
RC_GTEST_PROP(LeadEngineUndoProperty, UndoneWritesLeaveNoTrace, ()) {
  static auto policy = DefaultPolicy();
  LeadEngine live(policy), twin(policy);
  int64_t seq = 0, twin_seq = 0;
  const int64_t people = *rc::gen::inRange<int64_t>(1, 4);
  for (int64_t p = 1; p <= people; ++p) {
    auto h = History(p, kStart, *rc::gen::inRange(0, 120), std::chrono::minutes(700),
                     *rc::gen::inRange(0, kKindCount));
    Feed(live, h, seq);
    Feed(twin, h, twin_seq);
  }
  Timestamp clock = kStart + days(60);
  auto random_op = [&] {
    Op op{.person = *rc::gen::inRange<int64_t>(1, people + 1),
          .kind = *rc::gen::inRange(0, kKindCount)};
    clock += std::chrono::minutes(*rc::gen::inRange(0, 24 * 60 * 4));
    op.at = clock - std::chrono::minutes(*rc::gen::inRange(0, 24 * 60 * 10));  // some late
    int what = *rc::gen::inRange(0, 40);
    if (what == 0) op.what = Op::What::kForget;
    if (what == 1 || what == 2) op.what = Op::What::kSetStage;
    if (what == 3) op.what = Op::What::kProfile;
    op.hold = what == 2;
    return op;
  };
  const int groups = *rc::gen::inRange(1, 6);
  for (int g = 0; g < groups; ++g) {
    std::vector<std::pair<LeadEngine::UndoMark, std::vector<Op>>> done;
    const int writes = *rc::gen::inRange(1, 5);
    for (int w = 0; w < writes; ++w) {
      std::vector<Op> ops(*rc::gen::inRange(1, 30));
      for (Op& op : ops) op = random_op();
      LeadEngine::UndoMark mark = live.OpenUndo();
      Write(live, ops, seq);
      if (*rc::gen::inRange(0, 3) == 0) {
        RC_ASSERT(live.UndoTo(mark).ok());
        live.CloseUndo();
      } else {
        done.emplace_back(mark, std::move(ops));
      }
    }
    const bool commit_fails = *rc::gen::inRange(0, 3) == 0;
    for (auto it = done.rbegin(); commit_fails && it != done.rend(); ++it) {
      RC_ASSERT(live.UndoTo(it->first).ok());
    }
    for (auto& [mark, ops] : done) {
      live.CloseUndo();
      if (!commit_fails) Feed(twin, ops, twin_seq);
    }
    RC_ASSERT(Show(live, people, clock) == Show(twin, people, clock));
  }
  RC_ASSERT(Probe(live, people, clock + days(1)) == Probe(twin, people, clock + days(1)));
}

}  // namespace
}  // namespace tandem::engine
