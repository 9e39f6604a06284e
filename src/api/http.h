// Plain HTTP request and response values, independent of the server library.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tandem::api {

struct Request {
  std::string method;                          // "GET", "POST", …
  std::string target;                          // path and query as sent
  std::string path;                            // decoded path without the query
  std::map<std::string, std::string> query;    // decoded; a repeated key keeps the last
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;

  std::string Header(const std::string& lower_name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// Splits target into path and query, percent-decoding both ('+' is a space in the query).
// nullopt if the encoding is malformed.
std::optional<std::pair<std::string, std::map<std::string, std::string>>> ParseTarget(
    std::string_view target);

}  // namespace tandem::api
