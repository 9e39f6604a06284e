// Test support: a real HTTP receiver for signed webhooks (Boost.Beast on a loopback port).
// For app_test only.
#pragma once

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "api/webhook_signature.h"
#include "base/time.h"

namespace tandem::app::test_support {

// A webhook receiver on an ephemeral loopback port: checks each request's Tandem-Signature
// against secret at `now`, answers 401 if it is bad, else the next scripted answer (200 once
// the script is used up), and keeps what it saw.
class Receiver {
 public:
  struct Answer {
    int status = 200;
    std::string retry_after;
  };
  struct Seen {
    std::string event, delivery, content_type, body;
    Status signature;
  };

  Receiver(Timestamp now, std::string secret, std::vector<Answer> script = {})
      : now_(now),
        secret_(std::move(secret)),
        script_(std::move(script)),
        thread_([this] { Serve(); }) {}
  ~Receiver() {
    stop_ = true;
    boost::system::error_code ec;
    boost::asio::ip::tcp::socket wake(ioc_);
    wake.connect(acceptor_.local_endpoint(), ec);
    thread_.join();
  }
  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()) + "/hooks";
  }
  std::vector<Seen> seen() const {
    std::lock_guard lock(mu_);
    return seen_;
  }

 private:
  void Serve() {
    while (!stop_) {
      boost::asio::ip::tcp::socket s(ioc_);
      boost::system::error_code ec;
      acceptor_.accept(s, ec);
      if (ec || stop_) return;
      Handle(s);
    }
  }
  void Handle(boost::asio::ip::tcp::socket& s) {
    boost::beast::flat_buffer buffer;
    boost::beast::http::request<boost::beast::http::string_body> req;
    boost::system::error_code ec;
    boost::beast::http::read(s, buffer, req, ec);
    if (ec) return;
    Seen seen{std::string(req["Tandem-Event"]), std::string(req["Tandem-Delivery"]),
              std::string(req[boost::beast::http::field::content_type]), req.body(),
              api::VerifyWebhook(req["Tandem-Signature"], secret_, req.body(), now_)};
    Answer a = seen.signature.ok() ? Next() : Answer{401};
    {
      std::lock_guard lock(mu_);
      seen_.push_back(seen);
    }
    boost::beast::http::response<boost::beast::http::string_body> res{static_cast<boost::beast::http::status>(a.status), 11};
    if (!a.retry_after.empty()) res.set(boost::beast::http::field::retry_after, a.retry_after);
    res.body() =
        seen.signature.ok() ? "answer " + std::to_string(a.status) : seen.signature.message();
    res.prepare_payload();
    boost::beast::http::write(s, res, ec);
  }
  Answer Next() {
    if (next_ >= script_.size()) return {};
    return script_[next_++];
  }

  Timestamp now_;
  std::string secret_;
  std::vector<Answer> script_;
  size_t next_ = 0;
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_{ioc_, {boost::asio::ip::make_address("127.0.0.1"), 0}};
  mutable std::mutex mu_;
  std::vector<Seen> seen_;
  std::atomic<bool> stop_{false};
  std::thread thread_;  // last: starts once everything above exists
};

}  // namespace tandem::app::test_support
