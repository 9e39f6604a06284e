// Timeline keys committed to the journal but not yet written into the timeline table.
//
// Why: the timeline table is ordered by person, so inserting each activity's key as it comes
// dirties one page per person touched, several times the bytes of the activity itself.
// Keys wait here and are written in one sorted bulk insert (see Store::Write), which touches
// each page once. Readers merge these keys with the table's. After a crash the keys are
// rebuilt from the journal (every entry after the table's high-water mark).
//
// Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <vector>

namespace tandem::store {

struct TimelineKey {
  int64_t subject = 0;
  int64_t occurred_at = 0;  // microseconds since the epoch
  int64_t seq = 0;
};

class PendingTimeline {
 public:
  void Add(const std::vector<TimelineKey>& keys);
  // The pending keys of one subject, in no particular order.
  std::vector<TimelineKey> ForSubject(int64_t subject) const;
  // Every pending key, sorted by (subject, occurred_at, seq).
  std::vector<TimelineKey> SortedCopy() const;
  // Forgets keys with seq <= upto (they are in the table now).
  void DropUpTo(int64_t upto);
  size_t size() const;

 private:
  mutable std::mutex mu_;
  std::vector<TimelineKey> keys_;  // guarded by mu_
};

}  // namespace tandem::store
