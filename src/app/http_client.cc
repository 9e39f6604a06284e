#include "app/http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <utility>  // before Asio on GCC 12

namespace tandem::app {

Result<HttpReply> HttpCall(const std::string& base_url, const std::string& method,
                           const std::string& path, const std::string& token,
                           const std::string& body, const std::string& content_type) {
  namespace beast = boost::beast;
  namespace http = beast::http;
  using tcp = boost::asio::ip::tcp;
  std::string rest = base_url;
  if (rest.rfind("http://", 0) == 0)
    rest = rest.substr(7);
  else
    return InvalidArgument("--url must start with http://");
  while (!rest.empty() && rest.back() == '/') rest.pop_back();
  auto colon = rest.rfind(':');
  std::string host = colon == std::string::npos ? rest : rest.substr(0, colon);
  std::string port = colon == std::string::npos ? "80" : rest.substr(colon + 1);
  try {
    boost::asio::io_context ioc;
    tcp::resolver resolver(ioc);
    beast::tcp_stream stream(ioc);
    stream.connect(resolver.resolve(host, port));
    http::request<http::string_body> req{http::string_to_verb(method), path, 11};
    req.set(http::field::host, host);
    req.set(http::field::authorization, "Bearer " + token);
    if (!body.empty()) req.set(http::field::content_type, content_type);
    req.body() = body;
    req.prepare_payload();
    http::write(stream, req);
    beast::flat_buffer buf;
    http::response_parser<http::string_body> parser;
    parser.body_limit(256u << 20);
    http::read(stream, buf, parser);
    beast::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    return HttpReply{static_cast<int>(parser.get().result_int()), parser.get().body()};
  } catch (const std::exception& e) {
    return Status(Code::kUnavailable, "cannot reach " + base_url + ": " + e.what());
  }
}

Result<std::string> CallApi(const std::string& base_url, const std::string& token,
                            const std::string& method, const std::string& path,
                            const std::string& body, const std::string& content_type) {
  auto r = HttpCall(base_url, method, path, token, body, content_type);
  if (!r.ok()) return r.status();
  if (r->status >= 200 && r->status < 300) return std::move(r->body);
  auto problem = nlohmann::json::parse(r->body, nullptr, false);
  std::string detail = problem.is_object() ? problem.value("detail", r->body) : r->body;
  if (r->status == 422 && problem.is_object()) {
    std::vector<FieldError> errors;
    for (const auto& e : problem.value("errors", nlohmann::json::array())) {
      errors.push_back({e.value("field", ""), e.value("reason", ""), e.value("line", 0)});
    }
    return InvalidArgument(detail, std::move(errors));
  }
  Code code = r->status == 404 ? Code::kNotFound : Code::kFailedPrecondition;
  return Status(code, "server answered " + std::to_string(r->status) + ": " + detail);
}

std::string QueryEscape(std::string_view value) {
  std::string out;
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

}  // namespace tandem::app
