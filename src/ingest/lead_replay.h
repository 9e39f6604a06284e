// Feeding journaled inputs to a lead engine: activities (their properties decoded), person and
// company changes (folded into profiles from their payloads), erasures and policy
// activations. The live path (LeadModel) and every rebuild use these same steps, so a replay
// of the journal reaches the state the live engine had.
//
// Thread-safety: none; one replay per thread.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/ids.h"
#include "base/time.h"
#include "engine/lead_engine.h"
#include "ingest/profile_fold.h"

namespace tandem::ingest {

// Decodes a JSON object's top-level members into props (strings unquoted, other values in
// their JSON spelling); the views stay valid until the next call on this thread. A payload
// that is not an object gives no properties.
void DecodeProperties(std::string_view json, std::vector<engine::Property>& props);

// What a sales action (journal kind "action") does to the stage: the stage it moves the
// person to and, for a recycle, when its cool-down ends. nullopt for an action that does not
// move the stage (an attempt) or a payload without "stage".
struct ActionStage {
  Stage stage = Stage::kLead;
  std::optional<Timestamp> hold_until;
};
std::optional<ActionStage> StageOfAction(std::string_view payload);

// The journal columns a replay reads.
struct ReplayRow {
  Seq seq;
  Timestamp occurred_at{};
  std::string_view kind;
  int64_t subject = 0;
  std::string_view type;
  std::string_view payload;
};

// The SELECT a replay reads, in seq order (bind 1: the first seq to read).
inline constexpr const char* kReplaySql =
    "SELECT seq, occurred_at, kind, subject, type, payload FROM journal WHERE seq >= ? AND kind "
    "IN ('activity', 'person_changed', 'company_changed', 'erased', 'policy_activated', 'action') "
    "ORDER BY seq";

class JournalReplay {
 public:
  // policies: the compiled version each policy_activated entry switched to, by its seq. The
  // engine starts under the earliest of them, which also applies to entries before it.
  JournalReplay(engine::LeadEngine& engine,
                std::map<int64_t, std::shared_ptr<const engine::CompiledPolicy>> policies);

  // Applies one entry; decisions go to log (the caller clears it as it likes).
  void Apply(const ReplayRow& row, engine::DecisionLog& log);

  // Only entries about this person (and their company, and activations) change anything.
  void OnlyPerson(PersonId person) { only_ = person; }

 private:
  // Hands the fold's profile changes to the engine (only the traced person's, if one is set).
  struct EngineSink final : ProfileFold::Sink {
    JournalReplay* replay = nullptr;
    engine::DecisionLog* log = nullptr;
    void Profile(PersonId person, const engine::Profile& profile, Timestamp at, Seq cause) override;
    void Erased(PersonId person, Timestamp at, Seq cause) override;
  };
  void Activate(const ReplayRow& row, EngineSink& sink);

  engine::LeadEngine& engine_;
  std::map<int64_t, std::shared_ptr<const engine::CompiledPolicy>> policies_;
  ProfileFold fold_;
  std::vector<engine::Property> props_;
  PersonId only_;
};

}  // namespace tandem::ingest
