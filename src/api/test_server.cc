#include "api/test_server.h"

#include <unistd.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <utility>  // before Asio on GCC 12

#include "ingest/default_policy.h"
#include "ingest/default_sla.h"
#include "store/users.h"

namespace tandem::api {

TestServer::TestServer(size_t max_body_bytes) {
  static std::atomic<int> counter{0};
  dir_ = std::filesystem::temp_directory_path() /
         ("tandem-api-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::filesystem::remove_all(dir_);
  store_ = std::move(*store::Store::Open((dir_ / "t.db").string(), clock_));
  auto leads = ingest::LeadModel::Open(*store_, ingest::EmbeddedDefaultPolicy());
  if (!leads.ok()) throw std::runtime_error(leads.status().ToString());
  leads_ = std::move(*leads);
  auto sla = ingest::OpenSlaModel(*store_, ingest::EmbeddedDefaultSla(), *leads_);
  if (!sla.ok()) throw std::runtime_error(sla.status().ToString());
  sla_ = std::move(*sla);
  api_ = std::make_unique<Api>(*store_, *leads_, *sla_, clock_, ApiOptions{.phone_region = "GB"});
  server_ = std::make_unique<HttpServer>(
      ServerOptions{.host = "127.0.0.1", .port = 0, .threads = 2, .max_body_bytes = max_body_bytes},
      [this](Request r) { return api_->Handle(std::move(r)); });
  Status st = server_->Start();
  if (!st.ok()) throw std::runtime_error(st.ToString());
}

TestServer::~TestServer() {
  server_->Stop();
  api_.reset();
  sla_.reset();
  leads_.reset();
  store_.reset();
  std::filesystem::remove_all(dir_);
}

std::string TestServer::TokenFor(const std::string& email, Role role) {
  std::string secret;
  Status st = store_->Write([&](store::WriteTxn& t) {
    auto user = store::FindUserByEmail(t.db(), email);
    if (!user) {
      User u{.email = email, .role = role};
      TANDEM_RETURN_IF_ERROR(store::InsertUser(t, u));
      user = u;
    }
    auto tok = store::CreateToken(t, *user, "test", std::nullopt);
    if (tok.ok()) secret = tok->secret;
    return tok.status();
  });
  if (!st.ok()) throw std::runtime_error(st.ToString());
  return secret;
}

TestReply TestServer::Call(const std::string& method, const std::string& target,
                           const std::string& token, const std::string& body) {
  return Call(method, target, token, body, {});
}

TestReply TestServer::Call(const std::string& method, const std::string& target,
                           const std::string& token, const std::string& body,
                           const std::vector<std::pair<std::string, std::string>>& headers) {
  namespace beast = boost::beast;
  namespace http = beast::http;
  using tcp = boost::asio::ip::tcp;
  boost::asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"),
                               static_cast<unsigned short>(port())));
  http::request<http::string_body> req{http::string_to_verb(method), target, 11};
  req.set(http::field::host, "127.0.0.1");
  if (!token.empty()) req.set(http::field::authorization, "Bearer " + token);
  req.set(http::field::content_type, "application/json");
  for (const auto& [name, value] : headers) req.set(name, value);
  req.body() = body;
  req.prepare_payload();
  http::write(stream, req);
  beast::flat_buffer buf;
  http::response_parser<http::string_body> parser;
  parser.body_limit(512u << 20);
  beast::error_code ec;
  http::read(stream, buf, parser, ec);
  if (ec) return {0, "", ec.message()};
  auto& res = parser.get();
  TestReply reply{static_cast<int>(res.result_int()),
                  std::string(res[http::field::content_type]),
                  res.body(),
                  {}};
  for (const auto& f : res) {
    std::string name(f.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    reply.headers[name] = std::string(f.value());
  }
  return reply;
}

}  // namespace tandem::api
