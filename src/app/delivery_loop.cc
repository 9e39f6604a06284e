#include "app/delivery_loop.h"

namespace tandem::app {

constexpr size_t kBatch = 100;

DeliveryLoop::DeliveryLoop(store::Store& store, const Config& config, const Clock& clock)
    : queue_(store), clock_(clock), deliverer_(config, queue_, clock, {.batch = kBatch}) {}

DeliveryLoop::~DeliveryLoop() { Stop(); }

void DeliveryLoop::Start() {
  thread_ = std::thread([this] { Run(); });
}

void DeliveryLoop::Stop() {
  {
    std::lock_guard lock(mu_);
    if (stop_) return;
    stop_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void DeliveryLoop::Run() {
  for (;;) {
    int attempted = deliverer_.RunOnce(clock_.Now());
    std::unique_lock lock(mu_);
    if (stop_) return;
    if (attempted >= static_cast<int>(kBatch)) continue;
    wake_.wait_for(lock, std::chrono::seconds(1), [this] { return stop_; });
    if (stop_) return;
  }
}

}  // namespace tandem::app
