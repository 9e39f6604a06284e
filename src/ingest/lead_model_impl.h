// LeadModel's private state, shared by its source files. Internal to ingest.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "engine/lead_engine.h"
#include "ingest/lead_model.h"
#include "ingest/lead_replay.h"
#include "store/db.h"

namespace tandem::ingest {

// The score decisions of one write, journaled together as one scores_changed entry when the
// write ends (or every kMaxDecisions): a score moves with nearly every activity, and one row
// per decision would double the rows an ingest writes. Touched only inside writes (the
// store's writer thread).
struct ScoreBatch {
  static constexpr size_t kMaxDecisions = 2000;
  uint64_t serial = 0;  // the write the decisions belong to
  std::string json;     // the decisions so far, comma-separated objects
  size_t count = 0;
};

// Invariants: activations holds every activated version by its policy_activated seq; the
// engine applies the latest; engine state reflects every committed journal entry (and, during
// a write, that write's uncommitted ones, undone if it rolls back).
struct LeadModel::Impl {
  mutable std::mutex mu;  // guards everything below
  std::unique_ptr<engine::LeadEngine> engine;
  std::map<int64_t, std::shared_ptr<const engine::CompiledPolicy>> activations;
  std::map<int64_t, Timestamp> activated_at;
  // The write whose undo scope in the engine is open (LeadModel::SaveForUndo), and how many
  // times the engine was replaced (Rebuild): an undo scope of an engine since replaced is moot.
  uint64_t undo_serial = 0;
  uint64_t engine_generation = 0;
  ScoreBatch scores;  // not guarded by mu: only the writer thread touches it
};


// Journals each decision in log: grade_changed and stage_changed entries at once (moving the
// people view's stage with stage decisions), score decisions into batch.
Status JournalDecisions(store::WriteTxn& txn, const engine::DecisionLog& log,
                        const QualificationPolicy& policy, ScoreBatch& batch);
// Journals batch's decisions as one scores_changed entry (none if it holds none for txn).
Status FlushScores(store::WriteTxn& txn, ScoreBatch& batch);

// The facts the engine grades a person by, as the views hold them now; nullopt for an erased
// or unknown person.
Result<std::optional<engine::Profile>> LoadProfile(sql::Db& db, PersonId person);

// A row of kReplaySql.
ReplayRow ReadReplayRow(sql::Stmt& s);

}  // namespace tandem::ingest
