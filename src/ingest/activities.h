// Activity ingest: a batch of activities in, each stored once in the journal, people resolved
// (and created for unknown e-mails or external ids), consent updated by unsubscribes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "domain/activity.h"
#include "store/store.h"

namespace tandem::ingest {

constexpr size_t kMaxBatchItems = 10'000;

// Why one item of a batch was refused. `code` is stable: missing_field, invalid_field,
// unknown_field, unknown_type, future_timestamp, unknown_person, person_mismatch, id_reused,
// invalid_item.
struct ItemRejection {
  size_t index = 0;
  std::string code;
  std::string reason;
};

struct IngestReport {
  int64_t accepted = 0;
  int64_t duplicates = 0;  // same key, same content: stored once already
  int64_t people_created = 0;
  std::vector<ItemRejection> rejected;
};

struct IngestOptions {
  std::string actor = "api";
  std::string phone_region = "US";
  // Items more than this far past `now` are refused (clocks drift; the future does not come
  // in batches).
  Duration max_future = std::chrono::hours(24);
};

// One validated item waiting to be stored; produced by ParseActivities or by callers that
// build activities themselves (CSV import, the demo).
struct PendingActivity {
  size_t index = 0;
  Activity activity;
};

struct ParsedBatch {
  std::vector<PendingActivity> items;
  std::vector<ItemRejection> rejected;
};

// Parses a JSON array body. kInvalidArgument if it is not JSON, not UTF-8 or not an array;
// kTooLarge if it holds more than kMaxBatchItems. Item-level problems become rejections.
Result<ParsedBatch> ParseActivities(std::string_view body, Timestamp now, const IngestOptions& opt);

// Stores the items inside the caller's transaction, with the people they create and the
// consent they change: a duplicate key with the same content counts as a duplicate, with
// other content as a rejection (id_reused); a type not in the catalogue, a person_id that
// names nobody, or a person_id and email naming different people are rejected too
// (unknown_type, unknown_person, person_mismatch). The report's rejections are `rejected`
// plus these, in index order. Nothing is visible until the caller commits, and a transaction
// rolled back (a dry run) leaves nothing behind. A non-ok status is the store's; the caller
// must then roll back, as the items may be partly written.
Result<IngestReport> StoreActivities(store::WriteTxn& txn, std::vector<PendingActivity> items,
                                     std::vector<ItemRejection> rejected, const IngestOptions& opt);

// As above, in one transaction of its own. Returns once durable.
Result<IngestReport> StoreActivities(store::Store& store, std::vector<PendingActivity> items,
                                     std::vector<ItemRejection> rejected, const IngestOptions& opt);

// The canonical content an activity's digest covers.
std::string CanonicalContent(const Activity& a);

}  // namespace tandem::ingest
