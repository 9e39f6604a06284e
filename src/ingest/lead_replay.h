// Feeding journaled inputs to a lead engine: activities (their properties decoded), person and
// company changes (folded into profiles from their payloads), erasures and policy
// activations. The live path (LeadModel) and every rebuild use these same steps, so a replay
// of the journal reaches the state the live engine had.
//
// Thread-safety: none; one replay per thread.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/ids.h"
#include "base/time.h"
#include "engine/lead_engine.h"

namespace tandem::ingest {

// Decodes a JSON object's top-level members into props (strings unquoted, other values in
// their JSON spelling); the views stay valid until the next call on this thread. A payload
// that is not an object gives no properties.
void DecodeProperties(std::string_view json, std::vector<engine::Property>& props);

// Whether a company_changed payload changes a fact grading looks at (industry, size band,
// country); only then are the company's people re-graded.
bool TouchesCompanyFacts(std::string_view payload);

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
    "IN ('activity', 'person_changed', 'company_changed', 'erased', 'policy_activated') "
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
  struct CompanyFacts {
    std::string industry, size_band, country;
  };
  struct PersonFacts {
    std::string job_title, country, email;
    int64_t company = 0;
  };
  engine::Profile ProfileOf(const PersonFacts& p) const;
  void FoldPerson(int64_t id, std::string_view payload, Timestamp at, Seq seq,
                  engine::DecisionLog& log);
  void FoldCompany(int64_t id, std::string_view payload, Timestamp at, Seq seq,
                   engine::DecisionLog& log);
  void Activate(const ReplayRow& row, engine::DecisionLog& log);

  engine::LeadEngine& engine_;
  std::map<int64_t, std::shared_ptr<const engine::CompiledPolicy>> policies_;
  std::unordered_map<int64_t, PersonFacts> people_;
  std::unordered_map<int64_t, CompanyFacts> companies_;
  std::unordered_map<int64_t, std::vector<int64_t>> members_;  // company → people (may be stale)
  std::vector<engine::Property> props_;
  PersonId only_;
};

}  // namespace tandem::ingest
