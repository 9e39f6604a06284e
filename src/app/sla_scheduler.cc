#include "app/sla_scheduler.h"

#include <algorithm>

namespace tandem::app {

// The longest sleep: a clock (e.g. the system clock jumping) never waits longer than this.
constexpr Duration kMaxSleep = std::chrono::seconds(1);

SlaScheduler::SlaScheduler(ingest::SlaModel& sla, const Clock& clock,
                           std::function<void(const std::string&)> on_error)
    : sla_(sla), clock_(clock), on_error_(std::move(on_error)) {}

SlaScheduler::~SlaScheduler() { Stop(); }

void SlaScheduler::Start() {
  FireNow();
  sla_.OnEarlierDue([this] {
    std::lock_guard lock(mu_);
    poked_ = true;
    wake_.notify_one();
  });
  thread_ = std::thread([this] { Run(); });
}

void SlaScheduler::Stop() {
  {
    std::lock_guard lock(mu_);
    if (stop_) return;
    stop_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
  sla_.OnEarlierDue(nullptr);
}

void SlaScheduler::FireNow() {
  auto fired = sla_.FireDue(clock_.Now());
  if (!fired.ok() && on_error_) on_error_("SLA timers: " + fired.status().ToString());
}

// Never holds mu_ while calling the model: the model calls back (OnEarlierDue) under its own
// lock, so the two locks are never held in the other order.
void SlaScheduler::Run() {
  for (;;) {
    std::optional<Timestamp> next = sla_.NextDue();
    Timestamp now = clock_.Now();
    if (next && *next <= now) {
      FireNow();
      std::lock_guard lock(mu_);
      if (stop_) return;
      continue;
    }
    Duration sleep = next ? std::min(*next - now, kMaxSleep) : kMaxSleep;
    std::unique_lock lock(mu_);
    wake_.wait_for(lock, sleep, [this] { return stop_ || poked_; });
    poked_ = false;
    if (stop_) return;
  }
}

}  // namespace tandem::app
