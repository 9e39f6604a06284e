// Reading the journal once for several replays at a time (backtests, calibration): one reader
// decodes each entry a replay needs — an activity's properties decoded once, person and company
// changes folded into profiles once (ingest/profile_fold.h), whoever uses them — into
// batches, and every consumer gets every batch, in journal order, on a thread of its own. With
// two consumers (a candidate policy and the active one) on a two-core machine, the reader and
// both engines run side by side.
//
// Thread-safety: FanOutJournal may be called from any thread; a batch is immutable once a
// consumer sees it and is shared between consumers.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/ids.h"
#include "base/status.h"
#include "base/time.h"
#include "engine/lead_engine.h"
#include "store/store.h"

namespace tandem::ingest {

// One input for an engine, as a replay feeds it. Views point into the batch that holds it.
struct DecodedEntry {
  enum class Kind : uint8_t {
    kActivity,  // LeadEngine::OnActivity
    kProfile,   // LeadEngine::OnProfile: a person's new profile, from a person or company change
    kErased,    // LeadEngine::Forget
  };
  Kind kind = Kind::kActivity;
  Seq seq;  // the journal entry; the cause of what follows
  Timestamp at{};
  int64_t subject = 0;                           // the person
  std::string_view type;                         // kActivity: the activity type
  std::span<const engine::Property> properties;  // kActivity: decoded once
  const engine::Profile* profile = nullptr;      // kProfile

  engine::ActivityEvent AsActivity() const {
    return {
        .person = PersonId(subject), .seq = seq, .at = at, .type = type, .properties = properties};
  }
};

// A run of consecutive entries and the text their views point into.
class DecodedBatch {
 public:
  std::span<const DecodedEntry> entries() const { return entries_; }

 private:
  friend class BatchPool;
  friend class RowCollector;
  friend class BatchDecoder;
  std::vector<DecodedEntry> entries_;
  std::string text_;
  std::vector<engine::Property> properties_;
  std::vector<engine::Profile> profiles_;
};

// Called with every batch in journal order, on the consumer's own thread. Must not throw
// (an exception is caught, reported as kInternal, and the consumer gets no further batches).
using BatchConsumer = std::function<void(const DecodedBatch&)>;

struct JournalReadStats {
  int64_t entries = 0;     // journal entries read
  int64_t activities = 0;  // of which activities
};

// Reads, in seq order and from one consistent snapshot of store, every journal entry a replay
// of records and activities needs (activities, person and company changes, erasures; not
// policy activations: callers choose their policies), turns them into engine inputs as
// JournalReplay would, and hands each batch to every consumer.
// Returns once every consumer has seen every batch. The store's error if the read fails (the
// consumers then have seen only part of the journal); kInternal if a consumer threw.
Result<JournalReadStats> FanOutJournal(store::Store& store,
                                       std::span<const BatchConsumer> consumers);

}  // namespace tandem::ingest
