#include "api/http_server.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <utility>  // before Asio on GCC 12

namespace tandem::api {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr auto kReadTimeout = std::chrono::seconds(60);

Request ToRequest(http::request<http::string_body>& in) {
  Request r;
  r.method = std::string(in.method_string());
  r.target = std::string(in.target());
  for (const auto& f : in) {
    std::string name(f.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    r.headers[name] = std::string(f.value());
  }
  r.body = std::move(in.body());
  return r;
}

Response ProblemBody(int status, const char* type, const char* title, const char* detail) {
  Response r;
  r.status = status;
  r.content_type = "application/problem+json";
  r.body = std::string("{\"type\":\"") + type + "\",\"title\":\"" + title +
           "\",\"status\":" + std::to_string(status) + ",\"detail\":\"" + detail +
           "\",\"errors\":[]}";
  return r;
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, const Handler& handler, size_t max_body)
      : stream_(std::move(socket)), handler_(handler), max_body_(max_body) {}

  void Run() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->Read(); });
  }

 private:
  void Read() {
    parser_.emplace();
    parser_->body_limit(max_body_);
    parser_->header_limit(64 * 1024);
    stream_.expires_after(kReadTimeout);
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnRead(ec); });
  }

  void OnRead(beast::error_code ec) {
    if (ec == http::error::body_limit) {
      return Send(ProblemBody(413, "/problems/too-large", "Request body too large",
                              "the body is over the server's size limit"),
                  false, 11);
    }
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == asio::error::connection_reset || ec == asio::error::operation_aborted) {
      return Close();
    }
    if (ec) {
      return Send(ProblemBody(400, "/problems/bad-request", "Malformed HTTP request",
                              "the request could not be parsed as HTTP/1.1"),
                  false, 11);
    }
    auto& req = parser_->get();
    Response res = handler_(ToRequest(req));
    Send(std::move(res), req.keep_alive(), req.version());
  }

  void Send(Response r, bool keep_alive, unsigned version) {
    res_ = {};
    res_.version(version);
    res_.result(static_cast<http::status>(r.status));
    res_.set(http::field::server, "tandem");
    res_.set(http::field::content_type, r.content_type);
    for (auto& [k, v] : r.headers) res_.set(k, v);
    res_.body() = std::move(r.body);
    res_.keep_alive(keep_alive);
    res_.prepare_payload();
    http::async_write(stream_, res_,
                      [self = shared_from_this(), keep_alive](beast::error_code ec, size_t) {
                        if (ec || !keep_alive) return self->Close();
                        self->Read();
                      });
  }

  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> res_;
  const Handler& handler_;
  size_t max_body_;
};

}  // namespace

struct HttpServer::Impl {
  ServerOptions options;
  Handler handler;
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc};
  std::vector<std::thread> threads;
  std::atomic<bool> stopped{false};

  void Accept() {
    acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket s) {
      if (ec) {
        if (!stopped) Accept();
        return;
      }
      s.set_option(tcp::no_delay(true), ec);
      std::make_shared<Session>(std::move(s), handler, options.max_body_bytes)->Run();
      Accept();
    });
  }
};

HttpServer::HttpServer(ServerOptions options, Handler handler) : impl_(new Impl) {
  impl_->options = std::move(options);
  impl_->handler = std::move(handler);
}

HttpServer::~HttpServer() { Stop(); }

Status HttpServer::Start() {
  beast::error_code ec;
  auto address = asio::ip::make_address(impl_->options.host, ec);
  if (ec) return InvalidArgument("cannot listen on '" + impl_->options.host + "': not an IP");
  tcp::endpoint ep(address, static_cast<unsigned short>(impl_->options.port));
  auto& acc = impl_->acceptor;
  acc.open(ep.protocol(), ec);
  if (!ec) acc.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acc.bind(ep, ec);
  if (!ec) acc.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status(Code::kUnavailable, "cannot listen on " + impl_->options.host + ":" +
                                          std::to_string(impl_->options.port) + ": " +
                                          ec.message());
  }
  port_ = acc.local_endpoint().port();
  impl_->Accept();
  for (int i = 0; i < std::max(1, impl_->options.threads); ++i) {
    impl_->threads.emplace_back([this] { impl_->ioc.run(); });
  }
  return Status::Ok();
}

void HttpServer::Stop() {
  if (!impl_ || impl_->stopped.exchange(true)) return;
  beast::error_code ec;
  impl_->acceptor.close(ec);
  impl_->ioc.stop();
  for (auto& t : impl_->threads) t.join();
  impl_->threads.clear();
}

}  // namespace tandem::api
