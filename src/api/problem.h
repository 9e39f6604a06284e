// application/problem+json (RFC 9457) responses, and the one mapping from Status codes to
// HTTP statuses.
#pragma once

#include "api/http.h"
#include "base/status.h"

namespace tandem::api {

int HttpStatusFor(Code code);

// A problem response for a non-ok status: type "/problems/<code>", title, status, detail,
// and errors[] ({field, reason}) from the status's field errors.
// http_status overrides the mapped status (e.g. 405, 400) when not 0.
Response Problem(const Status& status, int http_status = 0);

// A JSON response with the given HTTP status.
Response Json(int status, std::string body);

}  // namespace tandem::api
