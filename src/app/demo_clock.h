// The clock the demo company's store is opened with: the demo sets it as it writes its
// history in time order, so every write is stamped (WriteTxn::now, the journal's
// recorded_at) and every SLA clock starts at the simulated time, not the real one.
#pragma once

#include <atomic>

#include "base/time.h"

namespace tandem::app {

// A clock that stands still until set. Thread-safe: Now and Set may run concurrently.
// Invariants: it never moves backwards (Set to an earlier time leaves it where it is).
class DemoClock final : public Clock {
 public:
  explicit DemoClock(Timestamp start) : micros_(ToMicros(start)) {}
  Timestamp Now() const override { return FromMicros(micros_.load(std::memory_order_acquire)); }
  // Moves the clock forward to t; nothing if t is earlier than the time it shows.
  void Set(Timestamp t);

 private:
  std::atomic<int64_t> micros_;
};

}  // namespace tandem::app
