// Building the batches FanOutJournal hands out, in two stages that run on two threads: the
// reader copies each journal row's text into a batch as it steps through SQLite (RowCollector),
// then the decoder turns the rows into engine inputs — activities' properties decoded, person
// and company changes folded into profiles once (BatchDecoder). Batches are recycled through a
// pool, so their buffers are allocated once per run rather than once per batch.
// Internal to ingest.
//
// Thread-safety: a RowCollector and a BatchDecoder each belong to one thread at a time;
// BatchPool is thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
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

// The kinds of journal row a replay of records and activities reads.
enum class RowKind : uint8_t { kActivity, kPersonChanged, kCompanyChanged, kErased };

// Spare batches, cleared but keeping their buffers. Shared by the stages and the consumers:
// the last consumer to let go of a batch gives it back.
class BatchPool : public std::enable_shared_from_this<BatchPool> {
 public:
  // A cleared batch: a spare one if any.
  std::unique_ptr<DecodedBatch> Take();
  // The batch, shared; given back to the pool when the last holder drops it.
  std::shared_ptr<const DecodedBatch> Share(std::unique_ptr<DecodedBatch> batch);

 private:
  void GiveBack(DecodedBatch* batch);
  std::mutex mu_;
  std::vector<std::unique_ptr<DecodedBatch>> spare_;
};

// Rows as read, their text (type, payload) already in the batch that will hold the decoded
// entries.
struct RawBatch {
  struct Row {
    RowKind kind = RowKind::kActivity;
    Seq seq;
    Timestamp at{};
    int64_t subject = 0;
    uint32_t type_begin = 0, type_size = 0;  // in batch->text_
    uint32_t payload_begin = 0, payload_size = 0;
  };
  std::unique_ptr<DecodedBatch> batch;  // null: the end of the rows
  std::vector<Row> rows;
  explicit operator bool() const { return batch != nullptr; }
};

// Stage one: collects rows into raw batches.
class RowCollector {
 public:
  explicit RowCollector(std::shared_ptr<BatchPool> pool) : pool_(std::move(pool)) { Start(); }
  // One journal row; type and payload are copied.
  void Add(RowKind kind, Seq seq, Timestamp at, int64_t subject, std::string_view type,
           std::string_view payload);
  bool Full() const;
  bool Empty() const { return raw_.rows.empty(); }
  // The rows so far; the collector starts a new batch.
  RawBatch Take();

 private:
  void Start();
  std::shared_ptr<BatchPool> pool_;
  RawBatch raw_;
};

// Stage two: decodes raw batches in journal order, keeping the profiles' fold across them.
class BatchDecoder final : ProfileFold::Sink {
 public:
  explicit BatchDecoder(std::shared_ptr<BatchPool> pool) : pool_(std::move(pool)) {}
  // The entries of raw's rows, ready to share (a company change may give several, an
  // activity one).
  std::shared_ptr<const DecodedBatch> Decode(RawBatch raw);

 private:
  // Where an entry's views will point once the batch is complete.
  struct Pending {
    uint32_t type_begin = 0, type_size = 0;
    size_t first = 0, end = 0;  // its properties in offsets_
    size_t profile = SIZE_MAX;  // in batch_->profiles_
  };

  // ProfileFold::Sink
  void Profile(PersonId person, const engine::Profile& profile, Timestamp at, Seq cause) override;
  void Erased(PersonId person, Timestamp at, Seq cause) override;

  void Activity(const RawBatch::Row& row);
  void AddProperties(size_t begin, size_t size);
  void Finish();
  std::string_view Text(size_t begin, size_t size) const {
    return std::string_view(batch_->text_).substr(begin, size);
  }

  std::shared_ptr<BatchPool> pool_;
  DecodedBatch* batch_ = nullptr;  // the batch being decoded
  size_t profiles_ = 0;            // used in batch_->profiles_
  std::vector<std::pair<std::pair<size_t, size_t>, std::pair<size_t, size_t>>> offsets_;
  std::vector<Pending> pending_;  // one per entry
  std::vector<engine::Property> scratch_;
  std::vector<std::pair<size_t, size_t>> flat_;
  ProfileFold fold_;
};

}  // namespace tandem::ingest
