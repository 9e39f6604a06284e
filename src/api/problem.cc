#include "api/problem.h"

#include <nlohmann/json.hpp>

namespace tandem::api {
namespace {

const char* TitleFor(Code code) {
  switch (code) {
    case Code::kInvalidArgument:
      return "Invalid request";
    case Code::kNotFound:
      return "Not found";
    case Code::kAlreadyExists:
      return "Already exists";
    case Code::kConflict:
      return "Conflict";
    case Code::kFailedPrecondition:
      return "Precondition failed";
    case Code::kPermissionDenied:
      return "Forbidden";
    case Code::kUnauthenticated:
      return "Unauthorized";
    case Code::kUnavailable:
      return "Unavailable";
    case Code::kDeadlineExceeded:
      return "Deadline exceeded";
    case Code::kTooLarge:
      return "Too large";
    case Code::kInternal:
      return "Internal error";
    case Code::kOk:
      break;
  }
  return "Error";
}

}  // namespace

int HttpStatusFor(Code code) {
  switch (code) {
    case Code::kOk:
      return 200;
    case Code::kInvalidArgument:
      return 422;
    case Code::kNotFound:
      return 404;
    case Code::kAlreadyExists:
      return 409;
    case Code::kConflict:
      return 409;
    case Code::kFailedPrecondition:
      return 412;
    case Code::kPermissionDenied:
      return 403;
    case Code::kUnauthenticated:
      return 401;
    case Code::kUnavailable:
      return 503;
    case Code::kDeadlineExceeded:
      return 504;
    case Code::kTooLarge:
      return 413;
    case Code::kInternal:
      return 500;
  }
  return 500;
}

Response Problem(const Status& status, int http_status) {
  nlohmann::json errors = nlohmann::json::array();
  for (const auto& e : status.errors()) {
    nlohmann::json item = {{"field", e.field}, {"reason", e.reason}};
    if (e.line > 0) item["line"] = e.line;
    errors.push_back(std::move(item));
  }
  int http = http_status ? http_status : HttpStatusFor(status.code());
  nlohmann::json body = {{"type", std::string("/problems/") + CodeName(status.code())},
                         {"title", TitleFor(status.code())},
                         {"status", http},
                         {"detail", status.message()},
                         {"errors", errors}};
  Response r;
  r.status = http;
  r.content_type = "application/problem+json";
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (http == 401) r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"tandem\"");
  return r;
}

Response Json(int status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

}  // namespace tandem::api
