#include "app/webhook_sender.h"

#include <openssl/ssl.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <memory>
#include <utility>  // before Asio on GCC 12

#include "api/webhook_signature.h"

namespace tandem::app {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using boost::system::error_code;
using tcp = asio::ip::tcp;

struct Url {
  bool tls = false;
  std::string host, port, target;
};

Result<Url> ParseUrl(const std::string& url) {
  Url u;
  std::string rest;
  if (url.rfind("http://", 0) == 0) {
    rest = url.substr(7);
  } else if (url.rfind("https://", 0) == 0) {
    u.tls = true;
    rest = url.substr(8);
  } else {
    return InvalidArgument("webhook url must start with http:// or https://: " + url);
  }
  auto slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  u.target = slash == std::string::npos ? "/" : rest.substr(slash);
  auto colon = authority.rfind(':');
  bool has_port = colon != std::string::npos && authority.find(']', colon) == std::string::npos;
  u.host = has_port ? authority.substr(0, colon) : authority;
  u.port = has_port ? authority.substr(colon + 1) : (u.tls ? "443" : "80");
  if (u.host.size() > 2 && u.host.front() == '[') u.host = u.host.substr(1, u.host.size() - 2);
  if (u.host.empty() || u.port.empty() || url.find_first_of("\r\n ") != std::string::npos) {
    return InvalidArgument("malformed webhook url: " + url);
  }
  return u;
}

std::optional<Duration> RetryAfter(std::string_view value) {
  if (value.empty() || value.size() > 9) return std::nullopt;  // HTTP-dates are not read
  int64_t secs = 0;
  for (char c : value) {
    if (c < '0' || c > '9') return std::nullopt;
    secs = secs * 10 + (c - '0');
  }
  return std::chrono::seconds(secs);
}

WebhookResult Classify(const http::response<http::string_body>& res) {
  WebhookResult r;
  r.http_status = static_cast<int>(res.result_int());
  if (r.http_status >= 200 && r.http_status < 300) return r;
  std::string msg = "webhook receiver answered " + std::to_string(r.http_status) + ": " +
                    res.body().substr(0, 200);
  bool retry = r.http_status == 408 || r.http_status == 429 || r.http_status >= 500;
  r.status = retry ? Status(Code::kUnavailable, msg) : FailedPrecondition(msg);
  if (r.http_status == 429 || r.http_status == 503) {
    r.retry_after = RetryAfter(res[http::field::retry_after]);
  }
  return r;
}

// One HTTP exchange; every step runs until the one deadline, then the socket is closed.
class Exchange {
 public:
  Exchange(const Url& url, std::chrono::seconds timeout)
      : url_(url), deadline_(std::chrono::steady_clock::now() + timeout) {}

  Status Connect(const std::string& ca_file) {
    tcp::resolver::results_type endpoints;
    error_code ec = Await([&](auto done) {
      resolver_.async_resolve(url_.host, url_.port, [&, done](error_code e, auto r) {
        endpoints = r;
        done(e);
      });
    });
    if (!ec) ec = Await([&](auto done) { asio::async_connect(socket_, endpoints, done); });
    if (ec) return Unavailable("cannot connect to " + url_.host + ":" + url_.port, ec);
    if (url_.tls) return Handshake(ca_file);
    return Status::Ok();
  }

  Result<http::response<http::string_body>> Post(http::request<http::string_body>& req) {
    error_code ec =
        Await([&](auto done) { WithStream([&](auto& s) { http::async_write(s, req, done); }); });
    if (ec) return Unavailable("cannot send to " + url_.host, ec);
    boost::beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(1 << 20);
    ec = Await([&](auto done) {
      WithStream([&](auto& s) { http::async_read(s, buffer, parser, done); });
    });
    if (ec && !parser.is_header_done()) return Unavailable("no answer from " + url_.host, ec);
    return parser.release();
  }

 private:
  static Status Unavailable(const std::string& what, error_code ec) {
    return Status(Code::kUnavailable, what + ": " + ec.message());
  }

  Status Handshake(const std::string& ca_file) {
    error_code ec;
    if (ca_file.empty()) {
      ssl_.set_default_verify_paths(ec);
    } else {
      ssl_.load_verify_file(ca_file, ec);
    }
    if (ec) return FailedPrecondition("cannot load trusted certificates: " + ec.message());
    tls_ = std::make_unique<asio::ssl::stream<tcp::socket&>>(socket_, ssl_);
    SSL_set_tlsext_host_name(tls_->native_handle(), url_.host.c_str());
    tls_->set_verify_mode(asio::ssl::verify_peer);
    tls_->set_verify_callback(asio::ssl::host_name_verification(url_.host));
    ec = Await([&](auto done) { tls_->async_handshake(asio::ssl::stream_base::client, done); });
    if (ec) return Unavailable("TLS handshake with " + url_.host + " failed", ec);
    return Status::Ok();
  }

  template <typename Start>
  error_code Await(Start start) {
    error_code result = asio::error::would_block;
    start([&result](error_code ec, auto&&...) { result = ec; });
    ioc_.restart();
    ioc_.run_until(deadline_);
    if (result != asio::error::would_block) return result;
    error_code ignored;
    resolver_.cancel();
    socket_.close(ignored);
    ioc_.restart();
    ioc_.run();
    return asio::error::timed_out;
  }

  template <typename Op>
  void WithStream(Op op) {
    if (tls_) {
      op(*tls_);
    } else {
      op(socket_);
    }
  }

  const Url& url_;
  std::chrono::steady_clock::time_point deadline_;
  asio::io_context ioc_;
  tcp::resolver resolver_{ioc_};
  tcp::socket socket_{ioc_};
  asio::ssl::context ssl_{asio::ssl::context::tls_client};
  std::unique_ptr<asio::ssl::stream<tcp::socket&>> tls_;
};

}  // namespace

WebhookSender::WebhookSender(WebhookConfig config, const Clock& clock)
    : config_(std::move(config)), clock_(clock) {}

WebhookResult WebhookSender::Send(const WebhookRequest& request) const {
  auto url = ParseUrl(config_.url);
  if (!url.ok()) return {url.status()};
  if ((request.event + request.delivery_id).find_first_of("\r\n") != std::string::npos) {
    return {InvalidArgument("line break in a webhook header value")};
  }
  http::request<http::string_body> req{http::verb::post, url->target, 11};
  bool default_port = url->port == (url->tls ? "443" : "80");
  req.set(http::field::host, default_port ? url->host : url->host + ":" + url->port);
  req.set(http::field::user_agent, "Tandem");
  req.set(http::field::content_type, "application/json");
  req.set("Tandem-Event", request.event);
  req.set("Tandem-Delivery", request.delivery_id);
  req.set("Tandem-Signature", api::SignWebhook(config_.secret, request.body, clock_.Now()));
  req.body() = request.body;
  req.prepare_payload();
  try {
    Exchange exchange(*url, config_.timeout);
    if (Status st = exchange.Connect(config_.ca_file); !st.ok()) return {st};
    auto res = exchange.Post(req);
    if (!res.ok()) return {res.status()};
    return Classify(*res);
  } catch (const std::exception& e) {  // allocation or SSL set-up failures
    return {Status(Code::kUnavailable, std::string("webhook delivery failed: ") + e.what())};
  }
}

}  // namespace tandem::app
