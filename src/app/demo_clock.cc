#include "app/demo_clock.h"

namespace tandem::app {

void DemoClock::Set(Timestamp t) {
  int64_t want = ToMicros(t);
  int64_t seen = micros_.load(std::memory_order_acquire);
  while (seen < want && !micros_.compare_exchange_weak(seen, want, std::memory_order_acq_rel)) {
  }
}

}  // namespace tandem::app
