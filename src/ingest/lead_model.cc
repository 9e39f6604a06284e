// LeadModel: opening (policies, replay), the live path from journal entries to decisions, and
// policy activation. Policy documents are in lead_model_policy.cc, explanations in
// lead_model_explain.cc.
#include "ingest/lead_model.h"

#include <charconv>

#include "engine/policy_toml.h"
#include "ingest/lead_model_impl.h"
#include "store/documents.h"
#include "store/journal.h"

namespace tandem::ingest {
namespace {

std::string Quoted(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  out += s;
  out += '"';
  return out;
}

// The reason a grade or stage decision is journaled with: machine-readable, no personal data.
std::string ReasonOf(const engine::Decision& d, const QualificationPolicy& p) {
  std::string r = "{\"policy\":" + std::to_string(d.policy_version);
  if (d.kind == engine::Decision::Kind::kGrade) {
    r += ",\"grade\":" + Quoted(GradeName(d.grade_after)) +
         ",\"from\":" + Quoted(GradeName(d.grade_before));
    r += ",\"persona\":" +
         (d.persona_after < 0 ? std::string("null") : Quoted(p.personas[d.persona_after].id));
  } else {
    r += ",\"rule\":" + Quoted(p.stages[d.stage_rule].id) +
         ",\"from\":" + Quoted(StageName(d.stage_before)) +
         ",\"to\":" + Quoted(StageName(d.stage_after));
  }
  return r + "}";
}

// The actor of a grade or stage decision: "grading@v3", "rule:demo_request@v3".
std::string ActorOf(const engine::Decision& d, const QualificationPolicy& p) {
  std::string v = "@v" + std::to_string(d.policy_version);
  if (d.kind == engine::Decision::Kind::kGrade) return "grading" + v;
  return "rule:" + p.stages[d.stage_rule].id + v;
}

void AppendNumber(std::string& out, double v) {
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

void AppendInt(std::string& out, int64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

// One score decision as an element of a scores_changed entry's "decisions": whose score, the
// entry that caused it and when, the policy version, the score after, the change, each rule's
// points and the points lost to decay and expiry since the last activity.
void AppendScore(std::string& out, const engine::Decision& d, const engine::DecisionLog& log,
                 const QualificationPolicy& p) {
  out += "{\"person\":";
  AppendInt(out, d.person.value());
  out += ",\"cause\":";
  AppendInt(out, d.cause.value());
  out += ",\"at_us\":";
  AppendInt(out, ToMicros(d.at));
  out += ",\"policy\":";
  AppendInt(out, d.policy_version);
  out += ",\"score\":";
  AppendNumber(out, d.score_after);
  out += ",\"delta\":";
  AppendNumber(out, d.score_after - d.score_before);
  out += ",\"rules\":[";
  for (uint32_t i = d.hits_begin; i < d.hits_end; ++i) {
    const auto& h = log.hits[i];
    if (i != d.hits_begin) out += ',';
    out += "{\"rule\":\"";
    out += p.scoring[h.rule].id;  // ids are checked identifiers: nothing to escape
    out += "\",\"points\":";
    AppendNumber(out, h.points);
    out += h.capped ? ",\"capped\":true}" : "}";
  }
  out += ']';
  if (d.decayed != 0) {
    out += ",\"decayed\":";
    AppendNumber(out, d.decayed);
  }
  if (d.expired != 0) {
    out += ",\"expired\":";
    AppendNumber(out, d.expired);
  }
  out += '}';
}

}  // namespace

Status FlushScores(store::WriteTxn& txn, ScoreBatch& batch) {
  if (batch.serial != txn.serial() || batch.count == 0) return Status::Ok();
  store::JournalEntry e{.recorded_at = txn.now(),
                        .occurred_at = txn.now(),
                        .kind = "scores_changed",
                        .actor = "lead_engine",
                        .reason = "{\"decisions\":[" + batch.json + "]}"};
  batch.json.clear();
  batch.count = 0;
  return store::AppendJournal(txn, e).status();
}

Status JournalDecisions(store::WriteTxn& txn, const engine::DecisionLog& log,
                        const QualificationPolicy& policy, ScoreBatch& batch) {
  if (batch.serial != txn.serial() || txn.serial() == 0) {  // a new write (or a failed one's)
    batch.serial = txn.serial();
    batch.json.clear();
    batch.count = 0;
  }
  for (const auto& d : log.decisions) {
    if (d.kind == engine::Decision::Kind::kScore) {
      if (batch.count++ > 0) batch.json += ',';
      AppendScore(batch.json, d, log, policy);
      if (batch.count >= ScoreBatch::kMaxDecisions || txn.serial() == 0) {
        TANDEM_RETURN_IF_ERROR(FlushScores(txn, batch));
      }
      continue;
    }
    store::JournalEntry e{.recorded_at = txn.now(),
                          .occurred_at = d.at,
                          .kind = d.kind == engine::Decision::Kind::kGrade ? "grade_changed"
                                                                            : "stage_changed",
                          .subject = d.person.value(),
                          .actor = ActorOf(d, policy),
                          .cause = d.cause,
                          .reason = ReasonOf(d, policy)};
    TANDEM_RETURN_IF_ERROR(store::AppendJournal(txn, e).status());
    if (d.kind != engine::Decision::Kind::kStage) continue;
    auto& s = txn.db().Cached("UPDATE people SET stage = ? WHERE id = ?");
    s.Bind(1, StageName(d.stage_after)).Bind(2, d.person.value());
    TANDEM_RETURN_IF_ERROR(s.Run());
    txn.NoteRecordChanged(d.person.value());
  }
  return Status::Ok();
}

LeadModel::LeadModel(store::Store& store)
    : store_(store),
      documents_(store, store::Document::kPolicy, "policy"),
      impl_(std::make_unique<Impl>()) {}

LeadModel::~LeadModel() { store_.RemoveJournalObserver(this); }

Result<std::unique_ptr<LeadModel>> LeadModel::Open(store::Store& store,
                                                   std::string_view default_policy_toml) {
  std::unique_ptr<LeadModel> model(new LeadModel(store));
  TANDEM_RETURN_IF_ERROR(model->InstallDefault(default_policy_toml));
  TANDEM_RETURN_IF_ERROR(model->LoadPolicies());
  TANDEM_RETURN_IF_ERROR(model->Rebuild());
  store.AddJournalObserver(model.get());
  return model;
}

Status LeadModel::InstallDefault(std::string_view toml) {
  bool have = false;
  TANDEM_RETURN_IF_ERROR(store_.Read([&](sql::Db& db) {
    have = store::LatestDocumentVersion(db, store::Document::kPolicy).has_value();
    return Status::Ok();
  }));
  if (have) return Status::Ok();
  auto parsed = engine::ParsePolicy(toml);
  if (!parsed.ok()) {
    return Status(Code::kInvalidArgument,
                  "the default policy does not check: " + parsed.status().message(),
                  parsed.status().errors());
  }
  return store_.Write([&](store::WriteTxn& txn) {
    store::JournalEntry e{.recorded_at = txn.now(),
                          .occurred_at = txn.now(),
                          .kind = "policy_activated",
                          .actor = "system",
                          .reason = "{\"policy\":1,\"name\":" + Quoted(parsed->name) +
                                    ",\"why\":\"default policy installed\"}",
                          .digest = store::ContentDigest(toml)};
    auto seq = store::AppendJournal(txn, e);
    if (!seq.ok()) return seq.status();
    return store::InstallDefaultDocument(txn, store::Document::kPolicy, parsed->name, toml, *seq)
        .status();
  });
}

Status LeadModel::LoadPolicies() {
  std::vector<store::DocumentRecord> records;
  std::vector<std::string> custom;
  TANDEM_RETURN_IF_ERROR(store_.Read([&](sql::Db& db) {
    records = store::ListDocumentVersions(db, store::Document::kPolicy);
    custom = store::ListCustomActivityTypes(db);
    return Status::Ok();
  }));
  for (const auto& r : records) {
    if (!r.activated_seq.valid()) continue;
    auto compiled = engine::CompiledPolicy::FromToml(r.toml, r.version, custom);
    if (!compiled.ok()) return compiled.status();
    impl_->activations[r.activated_seq.value()] = *compiled;
    impl_->activated_at[r.activated_seq.value()] = r.activated_at.value_or(Timestamp{});
  }
  if (impl_->activations.empty()) return FailedPrecondition("the store holds no active policy");
  return Status::Ok();
}

Status LeadModel::Rebuild() {
  auto engine = std::make_unique<engine::LeadEngine>(impl_->activations.rbegin()->second);
  JournalReplay replay(*engine, impl_->activations);
  engine::DecisionLog log;
  TANDEM_RETURN_IF_ERROR(store_.Read([&](sql::Db& db) {
    auto st = db.Prepare(kReplaySql);
    if (!st.ok()) return st.status();
    (*st)->Bind(1, int64_t{0});
    while ((*st)->Step()) {
      replay.Apply(ReadReplayRow(**st), log);
      log.Clear();
    }
    return (*st)->status();
  }));
  std::lock_guard lock(impl_->mu);
  impl_->engine = std::move(engine);
  ++impl_->engine_generation;
  impl_->undo_serial = 0;
  return Status::Ok();
}

ReplayRow ReadReplayRow(sql::Stmt& s) {
  return {.seq = Seq(s.Int(0)),
          .occurred_at = FromMicros(s.Int(1)),
          .kind = s.TextView(2),
          .subject = s.Int(3),
          .type = s.TextView(4),
          .payload = s.TextView(5)};
}

engine::Standing LeadModel::StandingOf(PersonId person, Timestamp now) const {
  std::lock_guard lock(impl_->mu);
  return impl_->engine->StandingOf(person, now);
}

std::shared_ptr<const engine::CompiledPolicy> LeadModel::ActivePolicy() const {
  std::lock_guard lock(impl_->mu);
  return impl_->activations.rbegin()->second;
}

}  // namespace tandem::ingest
