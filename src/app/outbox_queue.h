// The store's outbox (store/outbox.h) as the delivery loop's queue (app/delivery.h).
//
// Thread-safety: safe from any thread (the store serialises writes).
#pragma once

#include "app/delivery.h"
#include "store/store.h"

namespace tandem::app {

class StoreOutbox final : public OutboxQueue {
 public:
  explicit StoreOutbox(store::Store& store) : store_(store) {}
  std::vector<OutboxMessage> Due(Timestamp now, size_t limit) override;
  Status MarkDelivered(int64_t id, Timestamp at) override;
  Status MarkRetry(int64_t id, std::string error, Timestamp next_attempt_at) override;
  Status MarkFailed(int64_t id, std::string error) override;

 private:
  store::Store& store_;
};

}  // namespace tandem::app
