// /api/v1/policy/backtest and /api/v1/policy/calibration: what a candidate policy would have
// done to the recorded history, and how well the active one's score predicts who converts.
// Any authenticated user may run both: they read, and change nothing.
#include <charconv>
#include <cmath>

#include "api/api.h"
#include "api/list_page.h"
#include "api/policy_analysis_json.h"
#include "api/problem.h"
#include "base/strings.h"
#include "engine/policy_toml.h"
#include "ingest/backtest.h"
#include "ingest/calibration.h"

namespace tandem::api {
namespace {

// The media type of a header value, without parameters, lower-cased.
std::string MediaType(const std::string& value) {
  return AsciiLower(Trim(std::string_view(value).substr(0, value.find(';'))));
}

// An optional time from the query: a date ("2026-04-01", midnight UTC) or an RFC 3339 time.
Result<std::optional<Timestamp>> TimeParam(const Call& c, const std::string& key) {
  auto it = c.request.query.find(key);
  if (it == c.request.query.end() || it->second.empty()) return std::optional<Timestamp>();
  auto t = ParseTimestamp(it->second);
  if (!t) {
    return InvalidArgument(key + " must be a date (2026-04-01) or an RFC 3339 time",
                           {{key, "not a date or time"}});
  }
  return std::optional<Timestamp>(*t);
}

// An optional finite number from the query.
Result<std::optional<double>> NumberParam(const Call& c, const std::string& key) {
  auto it = c.request.query.find(key);
  if (it == c.request.query.end() || it->second.empty()) return std::optional<double>();
  const std::string& v = it->second;
  double n = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || end != v.data() + v.size() || !std::isfinite(n)) {
    return InvalidArgument(key + " must be a number", {{key, "not a number"}});
  }
  return std::optional<double>(n);
}

Response Backtest(const ApiContext& ctx, const Call& c) {
  const Request& req = c.request;
  if (MediaType(req.Header("content-type")) != "application/toml") {
    return Problem(InvalidArgument("the candidate policy is sent as TOML text with "
                                   "Content-Type: application/toml"),
                   415);
  }
  if (req.body.size() > engine::kMaxPolicyBytes) {
    return Problem(Status(Code::kTooLarge, "a policy document is at most 256 KiB"));
  }
  if (!IsValidUtf8(req.body)) {
    return Problem(InvalidArgument("the policy is not UTF-8 text", {{"body", "not UTF-8"}}));
  }
  auto from = TimeParam(c, "from");
  if (!from.ok()) return Problem(from.status());
  auto to = TimeParam(c, "to");
  if (!to.ok()) return Problem(to.status());
  auto candidate = ingest::CompileCandidate(ctx.store, req.body);
  if (!candidate.ok()) return Problem(candidate.status());
  auto report = ingest::RunBacktest(ctx.store, ctx.leads.ActivePolicy(), *candidate,
                                    {.from = *from, .to = *to});
  return report.ok() ? Json(200, BacktestJson(*report)) : Problem(report.status());
}

Response Calibration(const ApiContext& ctx, const Call& c) {
  ingest::CalibrationOptions options;
  auto volume = NumberParam(c, "max_mqls_per_month");
  if (!volume.ok()) return Problem(volume.status());
  auto rate = NumberParam(c, "min_mql_to_sql");
  if (!rate.ok()) return Problem(rate.status());
  auto width = NumberParam(c, "band_width");
  if (!width.ok()) return Problem(width.status());
  options.target_mqls_per_month = *volume;
  options.target_mql_to_sql = *rate;
  if (*width) options.band_width = **width;
  auto report = ingest::Calibrate(ctx.store, ctx.leads.ActivePolicy(), options);
  return report.ok() ? Json(200, CalibrationJson(*report)) : Problem(report.status());
}

}  // namespace

void AddPolicyAnalysisRoutes(Router& r, const ApiContext& ctx) {
  auto bind = [&ctx](auto fn) { return Bind(ctx, fn); };
  r.Add({"POST", "/api/v1/policy/backtest", Permission::kRead,
         "Replay the journal through a candidate policy (TOML body) and the active one side by "
         "side: MQLs, SQLs and conversion per ISO week and in total, the persona and grade mix, "
         "and the people whose stage would differ (query: from, to)",
         bind(Backtest)});
  r.Add({"GET", "/api/v1/policy/calibration", Permission::kRead,
         "How well the active policy's score and grade predict conversion: rates by score band "
         "and grade, the area under the ROC curve, and the lowest score threshold meeting "
         "max_mqls_per_month or min_mql_to_sql (query; band_width, default 25)",
         bind(Calibration)});
}

}  // namespace tandem::api
