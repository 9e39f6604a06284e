// LeadModel's live path: each journaled input runs through the engine inside the write that
// journals it, and each decision is journaled in the same write.
#include "engine/policy_toml.h"
#include "ingest/lead_model.h"
#include "ingest/lead_model_impl.h"
#include "store/documents.h"
#include "store/journal.h"

namespace tandem::ingest {
namespace {

constexpr const char* kProfileSql =
    "SELECT p.id, p.job_title, p.country, (SELECT email FROM person_emails e WHERE "
    "e.person_id = p.id ORDER BY position LIMIT 1), c.industry, c.size_band, c.country FROM "
    "people p LEFT JOIN companies c ON c.id = p.company_id WHERE p.erased_at IS NULL";

engine::Profile ProfileFrom(const sql::Stmt& s) {
  return {.job_title = s.Text(1),
          .country = s.Text(2),
          .email = s.Text(3),
          .industry = s.Text(4),
          .size_band = s.Text(5),
          .company_country = s.Text(6)};
}

bool IsInput(std::string_view kind) {
  return kind == "activity" || kind == "person_changed" || kind == "company_changed" ||
         kind == "erased" || kind == "action";
}

}  // namespace

Result<std::optional<engine::Profile>> LoadProfile(sql::Db& db, PersonId person) {
  static const std::string kSql = std::string(kProfileSql) + " AND p.id = ?";
  auto& s = db.Cached(kSql.c_str());
  s.Bind(1, person.value());
  if (!s.Step()) {
    if (!s.status().ok()) return s.status();
    return std::optional<engine::Profile>();
  }
  engine::Profile profile = ProfileFrom(s);
  s.Reset();
  return std::optional<engine::Profile>(std::move(profile));
}

void LeadModel::SaveForUndo(store::WriteTxn& txn, PersonId person) {
  // One write's hold on the engine's undo log: opened at the write's first change to the
  // engine, closed when the store drops the write's undo (committed with its group, or
  // undone), so the engine keeps its log while any write of the group may still roll back.
  struct Scope {
    Impl* impl;
    uint64_t generation;
    engine::LeadEngine::UndoMark mark;
    ~Scope() {
      std::lock_guard lock(impl->mu);
      if (impl->engine_generation == generation) impl->engine->CloseUndo();
    }
  };
  if (impl_->undo_serial != txn.serial() || txn.serial() == 0) {
    impl_->undo_serial = txn.serial();
    std::shared_ptr<Scope> scope(
        new Scope{impl_.get(), impl_->engine_generation, impl_->engine->OpenUndo()});
    txn.OnRollback([scope] {
      Impl& impl = *scope->impl;
      std::lock_guard lock(impl.mu);
      // A policy switch is undone by rebuilding the engine (Activate's undo), which replaced
      // it if the switch came after this mark (nothing left to do here); if it came before,
      // this runs first and undoes what followed it.
      if (impl.engine_generation == scope->generation) (void)impl.engine->UndoTo(scope->mark);
    });
  }
  impl_->engine->SaveForUndo(person);
}

// A sales action's stage move (DESIGN.md, "Stages"): journaled as stage_changed by the
// action's actor, caused by the action, and applied to the engine and the people view.
Status LeadModel::ApplyAction(store::WriteTxn& txn, const store::JournalEntry& e, Seq seq) {
  auto move = StageOfAction(e.payload);
  if (!move) return Status::Ok();
  PersonId person(e.subject);
  Stage before;
  {
    std::lock_guard lock(impl_->mu);
    SaveForUndo(txn, person);
    before = impl_->engine->StandingOf(person, e.occurred_at).stage;
    impl_->engine->SetStage(person, move->stage, e.occurred_at, move->hold_until);
  }
  std::string reason = "{\"from\":\"" + std::string(StageName(before)) + "\",\"to\":\"" +
                       std::string(StageName(move->stage)) + "\"}";
  store::JournalEntry d{.recorded_at = txn.now(),
                        .occurred_at = e.occurred_at,
                        .kind = "stage_changed",
                        .subject = e.subject,
                        .actor = e.actor,
                        .cause = seq,
                        .reason = std::move(reason)};
  TANDEM_RETURN_IF_ERROR(store::AppendJournal(txn, d).status());
  auto& s = txn.db().Cached("UPDATE people SET stage = ? WHERE id = ?");
  s.Bind(1, StageName(move->stage)).Bind(2, e.subject);
  TANDEM_RETURN_IF_ERROR(s.Run());
  txn.NoteRecordChanged(e.subject);
  return Status::Ok();
}

Status LeadModel::OnAppended(store::WriteTxn& txn, const store::JournalEntry& e, Seq seq) {
  if (!IsInput(e.kind)) return Status::Ok();
  if (e.kind == "action") return ApplyAction(txn, e, seq);
  thread_local engine::DecisionLog log;
  log.Clear();
  std::shared_ptr<const engine::CompiledPolicy> policy;
  {
    std::lock_guard lock(impl_->mu);
    Status st;
    if (e.kind == "activity") {
      st = ApplyActivity(txn, e, seq, log);
    } else if (e.kind == "person_changed") {
      st = ApplyProfile(txn, PersonId(e.subject), e.occurred_at, seq, log);
    } else if (e.kind == "company_changed") {
      st = ApplyCompany(txn, e, seq, log);
    } else {
      SaveForUndo(txn, PersonId(e.subject));
      impl_->engine->Forget(PersonId(e.subject));
    }
    TANDEM_RETURN_IF_ERROR(st);
    policy = impl_->activations.rbegin()->second;
  }
  return JournalDecisions(txn, log, policy->policy(), impl_->scores);
}

Status LeadModel::ApplyActivity(store::WriteTxn& txn, const store::JournalEntry& e, Seq seq,
                                engine::DecisionLog& log) {
  thread_local std::vector<engine::Property> props;
  DecodeProperties(e.payload, props);
  PersonId person(e.subject);
  SaveForUndo(txn, person);
  impl_->engine->OnActivity(
      {.person = person, .seq = seq, .at = e.occurred_at, .type = e.type, .properties = props},
      log);
  return Status::Ok();
}

Status LeadModel::ApplyProfile(store::WriteTxn& txn, PersonId person, Timestamp at, Seq seq,
                               engine::DecisionLog& log) {
  auto profile = LoadProfile(txn.db(), person);
  if (!profile.ok()) return profile.status();
  if (!*profile) return Status::Ok();  // erased: nothing to grade
  SaveForUndo(txn, person);
  impl_->engine->OnProfile(person, **profile, at, seq, log);
  return Status::Ok();
}

Status LeadModel::ApplyCompany(store::WriteTxn& txn, const store::JournalEntry& e, Seq seq,
                               engine::DecisionLog& log) {
  if (!ProfileFold::TouchesCompanyFacts(e.payload)) return Status::Ok();
  std::vector<int64_t> members;
  auto& s = txn.db().Cached(
      "SELECT id FROM people WHERE company_id = ? AND erased_at IS NULL ORDER BY id");
  s.Bind(1, e.subject);
  while (s.Step()) members.push_back(s.Int(0));
  TANDEM_RETURN_IF_ERROR(s.status());
  s.Reset();
  for (int64_t id : members) {
    TANDEM_RETURN_IF_ERROR(ApplyProfile(txn, PersonId(id), e.occurred_at, seq, log));
  }
  return Status::Ok();
}

Status LeadModel::OnWriteEnd(store::WriteTxn& txn) { return FlushScores(txn, impl_->scores); }

Result<Seq> LeadModel::Activate(store::WriteTxn& txn, const PolicyVersion& v) {
  auto compiled =
      engine::CompiledPolicy::FromToml(v.toml, v.version, store::ListCustomActivityTypes(txn.db()));
  if (!compiled.ok()) return compiled.status();
  store::JournalEntry e{.recorded_at = txn.now(),
                        .occurred_at = txn.now(),
                        .kind = "policy_activated",
                        .actor = "policy",
                        .reason = "{\"policy\":" + std::to_string(v.version) + "}",
                        .digest = store::ContentDigest(v.toml)};
  auto seq = store::AppendJournal(txn, e);
  if (!seq.ok()) return seq.status();
  engine::DecisionLog log;
  {
    std::lock_guard lock(impl_->mu);
    impl_->activations[seq->value()] = *compiled;
    impl_->activated_at[seq->value()] = txn.now();
    impl_->engine->SetPolicy(*compiled);
    txn.OnRollback([this, at = seq->value()] {
      {
        std::lock_guard relock(impl_->mu);
        impl_->activations.erase(at);
        impl_->activated_at.erase(at);
      }
      (void)Rebuild();
    });
    auto s = txn.db().Prepare(std::string(kProfileSql) + " ORDER BY p.id");
    if (!s.ok()) return s.status();
    while ((*s)->Step()) {
      impl_->engine->OnProfile(PersonId((*s)->Int(0)), ProfileFrom(**s), txn.now(), *seq, log);
    }
    TANDEM_RETURN_IF_ERROR((*s)->status());
  }
  TANDEM_RETURN_IF_ERROR(JournalDecisions(txn, log, (*compiled)->policy(), impl_->scores));
  return *seq;
}

}  // namespace tandem::ingest
