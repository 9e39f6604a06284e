// Fires SLA escalation steps when they fall due: one thread sleeps until the SLA model's
// earliest due time (woken early when a sooner clock is armed, and at least once a second),
// then journals every step due by then. No database polling per clock: the due times live in
// the model's in-memory timers.
//
// Thread-safety: Start and Stop from one thread; the model and clock must outlive it.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "base/time.h"
#include "ingest/sla_model.h"

namespace tandem::app {

class SlaScheduler {
 public:
  // on_error hears of a failed firing (it is retried on the next wake-up).
  SlaScheduler(ingest::SlaModel& sla, const Clock& clock,
               std::function<void(const std::string&)> on_error);
  ~SlaScheduler();  // stops
  SlaScheduler(const SlaScheduler&) = delete;
  SlaScheduler& operator=(const SlaScheduler&) = delete;

  // Fires everything already due (steps that fell due while the server was down, in order),
  // then starts the thread.
  void Start();
  void Stop();

 private:
  void Run();
  void FireNow();

  ingest::SlaModel& sla_;
  const Clock& clock_;
  std::function<void(const std::string&)> on_error_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;   // guarded by mu_
  bool poked_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace tandem::app
