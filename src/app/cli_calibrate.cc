// tandem calibrate [--max-mqls-per-month N] [--min-mql-to-sql R] [--band-width W] [--json]:
// how well the active policy's score and grade predict conversion, and the score threshold
// meeting a target (ingest/calibration.h) — directly on the store, or through a running
// server's API with --url and --token.
#include <cmath>
#include <cstdio>
#include <iostream>

#include "api/policy_analysis_json.h"
#include "app/cli_analysis.h"
#include "ingest/calibration.h"

namespace tandem::app {
namespace {

struct CalibrateArgs {
  double max_mqls = NAN, min_rate = NAN, band_width = 25;
  bool json = false;
};

ingest::CalibrationOptions OptionsOf(const CalibrateArgs& a) {
  ingest::CalibrationOptions o{.band_width = a.band_width};
  if (!std::isnan(a.max_mqls)) o.target_mqls_per_month = a.max_mqls;
  if (!std::isnan(a.min_rate)) o.target_mql_to_sql = a.min_rate;
  return o;
}

Result<OrderedJson> Local(const Globals& g, const ingest::CalibrationOptions& options) {
  auto a = OpenAnalysisStore(g, "tandem calibrate");
  if (!a.ok()) return a.status();
  auto report = ingest::Calibrate(*a->store, a->active, options);
  if (!report.ok()) return report.status();
  return OrderedJson::parse(api::CalibrationJson(*report));
}

Result<OrderedJson> Remote(const Globals& g, const ingest::CalibrationOptions& o) {
  auto number = [](double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return std::string(buf);
  };
  std::string path = "/api/v1/policy/calibration?band_width=" + number(o.band_width);
  if (o.target_mqls_per_month) path += "&max_mqls_per_month=" + number(*o.target_mqls_per_month);
  if (o.target_mql_to_sql) path += "&min_mql_to_sql=" + number(*o.target_mql_to_sql);
  return AskServer(g, "GET", path);
}

std::string Str(const OrderedJson& v, const char* none = "-") {
  return v.is_string() ? v.get<std::string>() : std::string(none);
}
long long Count(const OrderedJson& v) { return static_cast<long long>(v.get<int64_t>()); }

// Groups without people are left out (the JSON keeps every band).
void PrintGroups(const char* title, const char* key, const OrderedJson& groups) {
  std::printf("\n%-16s %9s %10s %8s\n", title, "people", "converted", "rate");
  for (const auto& g : groups) {
    if (g["people"].get<int64_t>() == 0) continue;
    std::printf("%-16s %9lld %10lld %8s\n", Str(g[key]).c_str(), Count(g["people"]),
                Count(g["converted"]), Percent(g["rate"]).c_str());
  }
}

void PrintAnswer(const char* what, const OrderedJson& a) {
  std::printf("\nTarget: %s\n", what);
  if (!a["met"].get<bool>()) {
    std::printf("  not met: %s\n", Str(a["note"]).c_str());
    return;
  }
  std::printf(
      "  lowest threshold: score at least %lld -> %lld people, %.1f MQLs a month, "
      "%s convert\n",
      Count(a["score_at_least"]), Count(a["people"]), a["mqls_per_month"].get<double>(),
      Percent(a["conversion_rate"]).c_str());
}

void Print(const OrderedJson& r) {
  std::printf("Calibration of the active policy \"%s\" (version %d)\n",
              Str(r["policy"]["name"]).c_str(), r["policy"]["version"].get<int>());
  const auto& h = r["history"];
  std::printf(
      "History %s to %s (%.1f months): %lld people with activities or outcomes, %lld "
      "converted (%s)\n",
      Str(h["first_activity"]).c_str(), Str(h["last_activity"]).c_str(), h["months"].get<double>(),
      Count(r["people"]), Count(r["converted"]), Percent(r["conversion_rate"]).c_str());
  if (r["auc"].is_number()) {
    std::printf("Score ranks converters above the rest with AUC %.3f (0.5 is chance, 1 perfect)\n",
                r["auc"].get<double>());
  } else {
    std::printf("AUC: not defined until some people converted and some did not\n");
  }
  PrintGroups("score band", "label", r["bands"]);
  PrintGroups("grade", "grade", r["grades"]);
  const auto& t = r["targets"];
  if (t.contains("max_mqls_per_month")) {
    char what[64];
    std::snprintf(what, sizeof what, "at most %g MQLs a month",
                  t["max_mqls_per_month"]["target"].get<double>());
    PrintAnswer(what, t["max_mqls_per_month"]);
  }
  if (t.contains("min_mql_to_sql")) {
    std::string what = "at least " + Percent(t["min_mql_to_sql"]["target"]) + " MQL -> SQL";
    PrintAnswer(what.c_str(), t["min_mql_to_sql"]);
  }
}

int Calibrate(const Globals& g, const CalibrateArgs& a) {
  ingest::CalibrationOptions options = OptionsOf(a);
  auto report = g.url.empty() ? Local(g, options) : Remote(g, options);
  if (!report.ok()) return Fail(report.status());
  if (a.json) {
    std::cout << report->dump(2) << "\n";
  } else {
    Print(*report);
  }
  return 0;
}

}  // namespace

void AddCalibrateCommand(CLI::App& app, Globals& g) {
  auto a = std::make_shared<CalibrateArgs>();
  auto* sub = app.add_subcommand(
      "calibrate",
      "How well the active policy's score and grade predict conversion, and the score "
      "threshold that meets a target");
  sub->add_option("--max-mqls-per-month", a->max_mqls,
                  "Find the lowest threshold giving at most this many MQLs a month");
  sub->add_option("--min-mql-to-sql", a->min_rate,
                  "Find the lowest threshold at which this share converts (0.4 for 40 %)");
  sub->add_option("--band-width", a->band_width, "Score band width (default 25)");
  sub->add_flag("--json", a->json, "Print the report as JSON (as the API gives it)");
  sub->add_option("--url", g.url, "Ask a running server, e.g. http://127.0.0.1:8080");
  sub->add_option("--token", g.token, "A token for --url");
  sub->callback([&g, a] {
    if (int rc = Calibrate(g, *a)) throw CLI::RuntimeError(rc);
  });
}

}  // namespace tandem::app
