// A minimal blocking HTTP/1.1 client for the command line's --url mode.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace tandem::app {

struct HttpReply {
  int status = 0;
  std::string body;
};

// Sends one request to base_url ("http://host:port") + path with a bearer token.
// kUnavailable if the server cannot be reached.
Result<HttpReply> HttpCall(const std::string& base_url, const std::string& method,
                           const std::string& path, const std::string& token,
                           const std::string& body = "",
                           const std::string& content_type = "application/json");

// One API call: the body of a 2xx answer; otherwise the problem as a Status — 404 kNotFound,
// 422 kInvalidArgument with the problem's errors (field, reason, line) and its detail as the
// message, anything else kFailedPrecondition ("server answered N: detail"); kUnavailable if
// the server cannot be reached.
Result<std::string> CallApi(const std::string& base_url, const std::string& token,
                            const std::string& method, const std::string& path,
                            const std::string& body = "",
                            const std::string& content_type = "application/json");

// Percent-encodes everything but RFC 3986's unreserved characters, for a query value.
std::string QueryEscape(std::string_view value);

}  // namespace tandem::app
