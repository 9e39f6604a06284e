// tandem backtest --policy FILE [--from DATE] [--to DATE] [--json]: a candidate policy and the
// active one replayed side by side over the store's journal (ingest/backtest.h) — directly on
// the store, or through a running server's API with --url and --token.
#include <cctype>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "api/policy_analysis_json.h"
#include "app/cli_analysis.h"
#include "app/http_client.h"
#include "ingest/backtest.h"
#include "ingest/lead_model.h"

namespace tandem::app {

Result<AnalysisStore> OpenAnalysisStore(const Globals& g, const std::string& who) {
  if (auto read = g.OpenForRead(); read.ok()) {
    auto active = ingest::LoadActivePolicy(**read);
    if (active.ok()) return AnalysisStore{std::move(*read), std::move(*active)};
    if (active.status().code() != Code::kNotFound) return active.status();
  }
  auto store = g.OpenForWrite(who);
  if (!store.ok()) return store.status();
  auto text = DefaultPolicyText(g.Resolve());
  if (!text.ok()) return text.status();
  auto leads = ingest::LeadModel::Open(**store, *text);
  if (!leads.ok()) return leads.status();
  auto active = (*leads)->ActivePolicy();
  leads->reset();  // unregisters from the store before the store moves
  return AnalysisStore{std::move(*store), std::move(active)};
}

Result<OrderedJson> AskServer(const Globals& g, const std::string& method, const std::string& path,
                              const std::string& body, const std::string& content_type) {
  auto answer = CallApi(g.url, g.token, method, path, body, content_type);
  if (!answer.ok()) return answer.status();
  OrderedJson j = OrderedJson::parse(*answer, nullptr, false);
  if (j.is_discarded()) return FailedPrecondition("the server's answer is not JSON");
  return j;
}

std::string Percent(const OrderedJson& v) {
  if (!v.is_number()) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", 100 * v.get<double>());
  return buf;
}

namespace {

struct BacktestArgs {
  std::string policy, from, to;
  bool json = false;
};

// A refused candidate: each problem as FILE:LINE: key: reason; exit code 2.
int Refused(const std::string& file, const Status& st) {
  if (st.code() != Code::kInvalidArgument || st.errors().empty()) return Fail(st);
  std::cerr << "tandem: " << file << " is not a valid policy: " << st.message() << "\n";
  for (const auto& e : st.errors()) {
    std::cerr << file << (e.line > 0 ? ":" + std::to_string(e.line) : "") << ": " << e.field << ": "
              << e.reason << "\n";
  }
  return 2;
}

Result<std::optional<Timestamp>> DateOption(const std::string& name, const std::string& value) {
  if (value.empty()) return std::optional<Timestamp>();
  auto t = ParseTimestamp(value);
  if (!t) return InvalidArgument(name + " must be a date (2026-04-01) or an RFC 3339 time");
  return std::optional<Timestamp>(*t);
}

Result<OrderedJson> Local(const Globals& g, const ingest::BacktestOptions& window,
                          const std::string& toml) {
  auto a = OpenAnalysisStore(g, "tandem backtest");
  if (!a.ok()) return a.status();
  auto candidate = ingest::CompileCandidate(*a->store, toml);
  if (!candidate.ok()) return candidate.status();
  auto report = ingest::RunBacktest(*a->store, a->active, *candidate, window);
  if (!report.ok()) return report.status();
  return OrderedJson::parse(api::BacktestJson(*report));
}

Result<OrderedJson> Remote(const Globals& g, const BacktestArgs& a, const std::string& toml) {
  std::string path = "/api/v1/policy/backtest";
  std::string sep = "?";
  for (const auto& [key, value] : {std::pair{"from", a.from}, std::pair{"to", a.to}}) {
    if (value.empty()) continue;
    path += sep + key + "=" + QueryEscape(value);
    sep = "&";
  }
  return AskServer(g, "POST", path, toml, "application/toml");
}

void PrintRow(const char* label, const OrderedJson& a, const OrderedJson& c) {
  std::printf("%-10s %7lld %7lld   %7lld %7lld   %7s %7s   %7s %7s\n", label,
              static_cast<long long>(a["mqls"].get<int64_t>()),
              static_cast<long long>(c["mqls"].get<int64_t>()),
              static_cast<long long>(a["sqls"].get<int64_t>()),
              static_cast<long long>(c["sqls"].get<int64_t>()), Percent(a["mql_to_sql"]).c_str(),
              Percent(c["mql_to_sql"]).c_str(), Percent(a["mql_to_customer"]).c_str(),
              Percent(c["mql_to_customer"]).c_str());
}

// One mix (personas or grades) of both sides: the active side's order, then names only the
// candidate has.
void PrintMix(const char* title, const OrderedJson& a, const OrderedJson& c) {
  std::printf("\nMQLs by %-20s %7s %9s\n", title, "active", "candidate");
  std::vector<std::string> names;
  for (const auto& [name, n] : a.items()) names.push_back(name);
  for (const auto& [name, n] : c.items()) {
    if (!a.contains(name)) names.push_back(name);
  }
  for (const auto& name : names) {
    std::printf("  %-26s %7lld %9lld\n", name.c_str(),
                static_cast<long long>(a.value(name, int64_t{0})),
                static_cast<long long>(c.value(name, int64_t{0})));
  }
}

void PrintHeader(const OrderedJson& r) {
  const auto& read = r["read"];
  std::printf("Backtest of \"%s\" against the active policy \"%s\" (version %d)\n",
              r["candidate"]["name"].get<std::string>().c_str(),
              r["active"]["name"].get<std::string>().c_str(), r["active"]["version"].get<int>());
  auto bound = [](const OrderedJson& t, const char* none) {
    return t.is_string() ? t.get<std::string>() : std::string(none);
  };
  std::printf(
      "Decisions from %s up to %s; read %lld activities (%lld journal entries) for %lld "
      "people in %.1f s\n\n",
      bound(r["window"]["from"], "the start").c_str(), bound(r["window"]["to"], "the end").c_str(),
      static_cast<long long>(read["activities"].get<int64_t>()),
      static_cast<long long>(read["journal_entries"].get<int64_t>()),
      static_cast<long long>(read["people"].get<int64_t>()),
      read["elapsed_ms"].get<double>() / 1000);
  std::printf("%-10s %15s   %15s   %15s   %15s\n", "", "MQLs", "SQLs", "MQL -> SQL",
              "MQL -> customer");
  std::printf("%-10s %7s %7s   %7s %7s   %7s %7s   %7s %7s\n", "week", "active", "cand.", "active",
              "cand.", "active", "cand.", "active", "cand.");
}

void Print(const OrderedJson& r) {
  PrintHeader(r);
  for (const auto& w : r["weeks"]) {
    PrintRow(w["week"].get<std::string>().c_str(), w["active"], w["candidate"]);
  }
  PrintRow("total", r["total"]["active"], r["total"]["candidate"]);
  PrintMix("persona", r["total"]["active"]["personas"], r["total"]["candidate"]["personas"]);
  PrintMix("grade", r["total"]["active"]["grades"], r["total"]["candidate"]["grades"]);
  const auto& d = r["differing"];
  int64_t n = d["people"].get<int64_t>();
  std::printf("\n%lld %s would end at a different stage", static_cast<long long>(n),
              n == 1 ? "person" : "people");
  if (n == 0) return (void)std::printf(".\n");
  std::printf(" (active -> candidate)%s:\n", n > 100 ? ", the first 100" : "");
  for (const auto& p : d["items"]) {
    std::printf("  person %lld: %s -> %s\n", static_cast<long long>(p["person"].get<int64_t>()),
                p["active"].get<std::string>().c_str(), p["candidate"].get<std::string>().c_str());
  }
}

int Backtest(const Globals& g, const BacktestArgs& a) {
  std::ifstream in(a.policy, std::ios::binary);
  if (!in) return Fail(InvalidArgument("cannot open " + a.policy));
  std::stringstream toml;
  toml << in.rdbuf();
  auto from = DateOption("--from", a.from);
  if (!from.ok()) return Fail(from.status());
  auto to = DateOption("--to", a.to);
  if (!to.ok()) return Fail(to.status());
  auto report =
      g.url.empty() ? Local(g, {.from = *from, .to = *to}, toml.str()) : Remote(g, a, toml.str());
  if (!report.ok()) return Refused(a.policy, report.status());
  if (a.json) {
    std::cout << report->dump(2) << "\n";
  } else {
    Print(*report);
  }
  return 0;
}

}  // namespace

void AddBacktestCommand(CLI::App& app, Globals& g) {
  auto a = std::make_shared<BacktestArgs>();
  auto* sub = app.add_subcommand(
      "backtest",
      "Replay the journal through a candidate policy and the active one side by side: MQLs, "
      "SQLs and conversion per week, the persona and grade mix, who would end elsewhere");
  sub->add_option("--policy", a->policy, "The candidate policy (TOML)")->required();
  sub->add_option("--from", a->from, "Count decisions from this date (2026-04-01) or time");
  sub->add_option("--to", a->to, "... and before this one");
  sub->add_flag("--json", a->json, "Print the report as JSON (as the API gives it)");
  sub->add_option("--url", g.url, "Ask a running server, e.g. http://127.0.0.1:8080");
  sub->add_option("--token", g.token, "A token for --url");
  sub->callback([&g, a] {
    if (int rc = Backtest(g, *a)) throw CLI::RuntimeError(rc);
  });
}

}  // namespace tandem::app
