// The HTTP/1.1 server: Boost.Beast over Asio, keep-alive, a body size limit, and a handler
// called on the I/O thread that read the request.
//
// Thread-safety: Start() and Stop() from one thread; the handler is called concurrently from
// up to `threads` threads and must be thread-safe.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "api/http.h"
#include "base/status.h"

namespace tandem::api {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0 picks a free port (see HttpServer::port())
  int threads = 2;
  size_t max_body_bytes = 32u << 20;  // larger bodies get 413
};

using Handler = std::function<Response(Request)>;

class HttpServer {
 public:
  HttpServer(ServerOptions options, Handler handler);
  ~HttpServer();

  // Binds and starts serving on background threads. kUnavailable if the address is in use.
  Status Start();
  // Stops accepting, closes connections, joins the threads. Idempotent.
  void Stop();
  int port() const { return port_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
};

}  // namespace tandem::api
