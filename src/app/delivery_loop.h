// The server's delivery of the outbox: a thread that sends due messages (e-mail, signed
// webhooks) once a second, and at once again while a batch came back full. Delivery is
// separate from deciding: a decision is durable with its outbox message before anything is
// sent, and a failed send is retried (app/delivery.h).
//
// Thread-safety: Start and Stop from one thread; store, config and clock outlive it.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "app/delivery.h"
#include "app/outbox_queue.h"

namespace tandem::app {

class DeliveryLoop {
 public:
  DeliveryLoop(store::Store& store, const Config& config, const Clock& clock);
  ~DeliveryLoop();  // stops
  DeliveryLoop(const DeliveryLoop&) = delete;
  DeliveryLoop& operator=(const DeliveryLoop&) = delete;

  void Start();
  void Stop();

 private:
  void Run();

  StoreOutbox queue_;
  const Clock& clock_;
  Deliverer deliverer_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace tandem::app
