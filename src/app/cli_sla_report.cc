// tandem sla report [--period 2026-11|2026-Q4] [--json]: the SLA scorecard for both teams,
// from the store or through a running server (GET /api/v1/sla/scorecard).
#include <cstdio>
#include <iostream>

#include "api/scorecard_json.h"
#include "app/cli.h"
#include "app/cli_documents.h"
#include "app/http_client.h"
#include "ingest/sla_scorecard.h"

namespace tandem::app {
namespace {

using nlohmann::json;

struct ReportArgs {
  std::string period;  // default: the current month
  bool json = false;
};

Result<json> LocalReport(const Globals& g, const std::string& period) {
  auto p = ingest::ParseScorePeriod(period);
  if (!p.ok()) return p.status();
  auto store = g.OpenForWrite("tandem sla report");
  if (!store.ok()) return store.status();
  auto models = g.OpenModels(**store);
  if (!models.ok()) return models.status();
  auto card = ingest::BuildScorecard(**store, *models->sla->ActiveDocument(),
                                     models->sla->Active().version, *p, g.clock.Now());
  if (!card.ok()) return card.status();
  return json::parse(api::ScorecardJson(*card));
}

std::string Hours(const json& seconds) {
  if (!seconds.is_number()) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f h", seconds.get<double>() / 3600);
  return buf;
}

std::string Percent(double share) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.0f %%", share * 100);
  return buf;
}

void PrintSales(const std::string& who, const json& s) {
  std::printf("  %-28s %5lld assigned %5lld accepted  accept %-8s touch %-8s breached %-5s",
              who.c_str(), static_cast<long long>(s["assigned"].get<int64_t>()),
              static_cast<long long>(s["accepted"].get<int64_t>()),
              Hours(s["time_to_accept"]["median_s"]).c_str(),
              Hours(s["time_to_first_touch"]["median_s"]).c_str(),
              Percent(s["share_breached"].get<double>()).c_str());
  std::printf(" recycled %lld\n", static_cast<long long>(s["recycled"].get<int64_t>()));
}

void Print(const json& c) {
  const json& m = c["marketing"];
  std::printf("SLA scorecard %s (SLA version %d)\n\nMarketing\n",
              c["period"].get<std::string>().c_str(), c["sla_version"].get<int>());
  std::printf("  MQLs delivered        %lld of %lld  %s\n",
              static_cast<long long>(m["mqls"].get<int64_t>()),
              static_cast<long long>(m["mql_target"].get<int64_t>()),
              m["volume_met"] ? "met" : "short");
  std::printf("  grade %s or better    %s (target %s)  %s\n",
              m["quality_grade"].get<std::string>().c_str(), Percent(m["quality_share"]).c_str(),
              Percent(m["quality_share_target"]).c_str(), m["quality_met"] ? "met" : "short");
  std::printf("  MQL -> SQL            %s (target %s)  %s\n", Percent(m["mql_to_sql"]).c_str(),
              Percent(m["mql_to_sql_target"]).c_str(), m["conversion_met"] ? "met" : "short");
  std::printf("\nSales (medians of business time in the owner's team's hours)\n");
  PrintSales("all", c["sales"]);
  for (const auto& t : c["teams"]) PrintSales(t["name"].get<std::string>(), t["sales"]);
  for (const auto& r : c["reps"]) PrintSales(r["email"].get<std::string>(), r["sales"]);
  std::printf("\nRecycle reasons:");
  for (const auto& [reason, n] : c["recycle_reasons"].items()) {
    std::printf(" %s %lld", reason.c_str(), static_cast<long long>(n.get<int64_t>()));
  }
  std::printf("\nStuck leads: %zu\n", c["stuck"].size());
  for (size_t i = 0; i < c["stuck"].size() && i < 20; ++i) {
    const json& s = c["stuck"][i];
    std::printf("  person %lld: %s\n", static_cast<long long>(s["person"].get<int64_t>()),
                s["why"].get<std::string>().c_str());
  }
}

int Report(const Globals& g, const ReportArgs& a) {
  std::string period = a.period.empty() ? FormatTimestamp(g.clock.Now()).substr(0, 7) : a.period;
  auto card = g.url.empty()
                  ? LocalReport(g, period)
                  : AskApi(g, "GET", "/api/v1/sla/scorecard?period=" + QueryEscape(period));
  if (!card.ok()) return Fail(card.status());
  if (a.json) {
    std::cout << card->dump() << "\n";
  } else {
    Print(*card);
  }
  return 0;
}

}  // namespace

void AddSlaReportCommand(CLI::App& app, Globals& g) {
  CLI::App* sla = app.get_subcommand("sla");
  auto a = std::make_shared<ReportArgs>();
  auto* sub = sla->add_subcommand("report", "The scorecard of both teams for a month or quarter");
  sub->add_option("--period", a->period, "2026-11 or 2026-Q4 (default: this month)");
  sub->add_flag("--json", a->json, "As GET /api/v1/sla/scorecard gives it");
  AddRemoteOptions(sub, g);
  sub->callback([&g, a] {
    if (int rc = Report(g, *a)) throw CLI::RuntimeError(rc);
  });
}

}  // namespace tandem::app
