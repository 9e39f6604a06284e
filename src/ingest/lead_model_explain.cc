// LeadModel::Explain: replays one person's journaled inputs through a traced engine under the
// policies that were active at each point, so every figure is shown with its rule.
#include <algorithm>
#include <set>

#include "ingest/lead_model.h"
#include "ingest/lead_model_impl.h"
#include "store/journal.h"

namespace tandem::ingest {
namespace {

struct OwnedRow {
  int64_t seq = 0;
  Timestamp occurred_at{};
  std::string kind, type, payload;
  int64_t subject = 0;
};

// Every journal entry about subject, via its timeline.
Status ReadSubject(sql::Db& db, const store::PendingTimeline& pending, int64_t subject,
                   std::vector<OwnedRow>& out) {
  std::string cursor;
  do {
    auto page = store::ReadTimeline(db, pending, subject, cursor, 1000);
    if (!page.ok()) return page.status();
    for (auto& e : page->entries) {
      out.push_back({e.seq.value(), e.occurred_at, e.kind, e.type, e.payload, e.subject});
    }
    cursor = page->next_cursor;
  } while (!cursor.empty());
  return Status::Ok();
}

// The companies a person belonged to, from their person_changed payloads.
std::set<int64_t> CompaniesIn(const std::vector<OwnedRow>& rows) {
  std::set<int64_t> out;
  for (const auto& r : rows) {
    if (r.kind != "person_changed") continue;
    size_t at = r.payload.find("\"company_id\":");
    if (at == std::string::npos) continue;
    int64_t id = std::atoll(r.payload.c_str() + at + 13);
    if (id > 0) out.insert(id);
  }
  return out;
}

Explanation::StageStep StepOf(const engine::Decision& d, const engine::CompiledPolicy& p) {
  return {.from = d.stage_before,
          .to = d.stage_after,
          .rule = p.policy().stages[d.stage_rule].id,
          .policy_version = d.policy_version,
          .at = d.at,
          .cause = d.cause};
}

}  // namespace

Result<Explanation> LeadModel::Explain(PersonId person, Timestamp now) const {
  std::map<int64_t, std::shared_ptr<const engine::CompiledPolicy>> policies;
  std::map<int64_t, Timestamp> activated_at;
  {
    std::lock_guard lock(impl_->mu);
    if (!impl_->engine->StandingOf(person, now).known) {
      return NotFound("person " + std::to_string(person.value()) + " is not known to the engine");
    }
    policies = impl_->activations;
    activated_at = impl_->activated_at;
  }
  std::vector<OwnedRow> rows;
  engine::Profile profile;
  TANDEM_RETURN_IF_ERROR(store_.Read([&](sql::Db& db) {
    TANDEM_RETURN_IF_ERROR(ReadSubject(db, store_.pending_timeline(), person.value(), rows));
    for (int64_t c : CompaniesIn(rows))
      TANDEM_RETURN_IF_ERROR(ReadSubject(db, store_.pending_timeline(), c, rows));
    return Status::Ok();
  }));
  for (const auto& [seq, at] : activated_at) rows.push_back({seq, at, "policy_activated"});
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.seq < b.seq; });

  engine::LeadEngine engine(policies.begin()->second);
  engine.TracePerson(person);
  JournalReplay replay(engine, policies);
  replay.OnlyPerson(person);
  engine::DecisionLog log;
  Explanation out{.person = person, .as_of = now};
  for (const auto& r : rows) {
    replay.Apply({Seq(r.seq), r.occurred_at, r.kind, r.subject, r.type, r.payload}, log);
    for (const auto& d : log.decisions) {
      if (d.kind == engine::Decision::Kind::kStage)
        out.stages.push_back(StepOf(d, engine.policy()));
    }
    log.Clear();
  }
  const auto& policy = engine.policy();
  engine::Standing s = engine.StandingOf(person, now);
  out.policy_version = policy.version();
  out.score = s.score;
  out.decayed = engine.TracedDecay(now);
  std::vector<double> points = engine.TracedPoints(now);
  const auto& counts = engine.TracedActivities();
  for (size_t r = 0; r < points.size(); ++r) {
    if (counts[r] == 0) continue;
    const auto& rule = policy.policy().scoring[r];
    out.rules.push_back({rule.id, rule.activity, points[r], counts[r]});
  }
  std::stable_sort(out.rules.begin(), out.rules.end(),
                   [](const auto& a, const auto& b) { return a.points > b.points; });
  out.grade = s.grade;
  out.stage = s.stage;
  if (s.persona >= 0) {
    out.persona = policy.policy().personas[s.persona].id;
    TANDEM_RETURN_IF_ERROR(store_.Read([&](sql::Db& db) {
      auto loaded = LoadProfile(db, person);
      if (!loaded.ok()) return loaded.status();
      profile = loaded->value_or(engine::Profile{});
      return Status::Ok();
    }));
    for (const PersonaCriterion* c : policy.MatchedCriteria(s.persona, engine.FactBitsOf(person))) {
      out.criteria.push_back({std::string(FactName(c->test.fact)),
                              engine::FactValueOf(c->test.fact, profile), c->thirds});
    }
  }
  return out;
}

}  // namespace tandem::ingest
