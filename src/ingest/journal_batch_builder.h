// Building the batches FanOutJournal hands out: journal rows in, engine inputs out, with
// activities' properties decoded and person and company changes folded into profiles once.
// Internal to ingest.
//
// Thread-safety: none; the reader thread owns the builder.
#pragma once

#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "ingest/journal_batches.h"
#include "ingest/profile_fold.h"

namespace tandem::ingest {

// An object of string members without escapes or whitespace — what ingest stores for almost
// every activity — decoded without a parser: each member's key and then value as (offset,
// size) within json. False for anything else (DecodeProperties decodes those). On valid JSON
// — and the journal holds only JSON the store wrote — it yields what DecodeProperties does.
bool DecodeFlatObject(std::string_view json, std::vector<std::pair<size_t, size_t>>& spans);

// Fills batches row by row. Views into a batch's text are made by Seal, once it stops moving.
class BatchBuilder final : ProfileFold::Sink {
 public:
  BatchBuilder() { Reset(); }

  // One journal row of kind "activity", "person_changed", "company_changed" or "erased".
  void Activity(Seq seq, Timestamp at, int64_t person, std::string_view type,
                std::string_view payload);
  void PersonChanged(Seq seq, Timestamp at, int64_t person, std::string_view payload) {
    fold_.PersonChanged(person, payload, at, seq, *this);
  }
  void CompanyChanged(Seq seq, Timestamp at, int64_t company, std::string_view payload) {
    fold_.CompanyChanged(company, payload, at, seq, *this);
  }
  void Erased(Seq seq, Timestamp at, int64_t person) { fold_.PersonErased(person, at, seq, *this); }

  bool Full() const;
  bool Empty() const { return batch_->entries_.empty(); }
  // The batch so far, ready to share; the builder starts a new one.
  std::shared_ptr<const DecodedBatch> Seal();

 private:
  struct Span {
    size_t begin = 0, size = 0;
  };
  // Where an entry's views will point once the batch is sealed.
  struct Pending {
    Span type;
    size_t first = 0, end = 0;  // its properties in offsets_
    size_t profile = SIZE_MAX;  // in batch_->profiles_
  };

  // ProfileFold::Sink
  void Profile(PersonId person, engine::Profile profile, Timestamp at, Seq cause) override;
  void Erased(PersonId person, Timestamp at, Seq cause) override;

  void AddProperties(std::string_view json);
  Span Copy(std::string_view text);
  std::string_view View(Span s) const;
  void Reset();

  std::shared_ptr<DecodedBatch> batch_;
  std::vector<std::pair<Span, Span>> offsets_;  // properties: key, value
  std::vector<Pending> pending_;                // one per entry
  std::vector<engine::Property> scratch_;
  std::vector<std::pair<size_t, size_t>> flat_;
  ProfileFold fold_;
};

}  // namespace tandem::ingest
