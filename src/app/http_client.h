// A minimal blocking HTTP/1.1 client for the command line's --url mode.
#pragma once

#include <string>

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

}  // namespace tandem::app
