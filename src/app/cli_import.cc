// tandem import people|companies|activities FILE.csv — directly on the store, or through a
// running server's API with --url and --token.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app/cli.h"
#include "app/http_client.h"
#include "ingest/import.h"

namespace tandem::app {
namespace {

using nlohmann::json;

struct ImportArgs {
  std::string kind, file, source = "csv";
  std::vector<std::string> maps;
  bool dry_run = false;
};

void PrintProblems(const char* what, const json& rows) {
  if (rows.empty()) return;
  std::cout << what << ":\n";
  size_t shown = 0;
  for (const auto& p : rows) {
    if (++shown > 20) {
      std::cout << "  … and " << rows.size() - 20 << " more\n";
      break;
    }
    std::cout << "  row " << p["row"] << ": " << p["reason"].get<std::string>() << "\n";
  }
}

void PrintReport(const json& r, const std::string& rejected_file) {
  std::cout << (r["dry_run"].get<bool>() ? "dry run, nothing written: " : "") << "read "
            << r["rows_read"] << " rows: imported " << r["imported"] << ", updated " << r["updated"]
            << ", unchanged " << r["unchanged"] << ", rejected " << r["rejected"].size();
  if (r["people_created"].get<int64_t>() > 0) {
    std::cout << " (" << r["people_created"] << " new people)";
  }
  std::cout << "\n";
  PrintProblems("rejected", r["rejected"]);
  if (!rejected_file.empty()) std::cout << "rejected rows written to " << rejected_file << "\n";
  PrintProblems("warnings", r["warnings"]);
  for (const auto& e : r["extra_columns"]) {
    std::cout << "column '" << e["column"].get<std::string>() << "' "
              << (e["field"].is_null() ? std::string("ignored")
                                       : "kept as " + e["field"].get<std::string>())
              << "\n";
  }
}

json ToJson(const ingest::ImportReport& r) {
  auto rows = [](const std::vector<ingest::RowProblem>& v) {
    json out = json::array();
    for (const auto& p : v) out.push_back({{"row", p.row}, {"reason", p.reason}});
    return out;
  };
  json extra = json::array();
  for (const auto& e : r.extra_columns) {
    extra.push_back({{"column", e.column},
                     {"field", e.field.empty() ? json(nullptr) : json("custom field " + e.field)}});
  }
  return {{"rows_read", r.rows_read},
          {"imported", r.imported},
          {"updated", r.updated},
          {"unchanged", r.unchanged},
          {"people_created", r.people_created},
          {"rejected", rows(r.rejected)},
          {"warnings", rows(r.warnings)},
          {"extra_columns", extra},
          {"dry_run", r.dry_run}};
}

// Shows progress on a terminal at most twice a second.
std::function<void(const ingest::ImportProgress&)> Progress() {
  if (!isatty(STDERR_FILENO)) return nullptr;
  auto last = std::make_shared<std::chrono::steady_clock::time_point>();
  return [last](const ingest::ImportProgress& p) {
    auto now = std::chrono::steady_clock::now();
    if (now - *last < std::chrono::milliseconds(500) && p.bytes_done < p.total_bytes) return;
    *last = now;
    double pct = p.total_bytes ? 100.0 * static_cast<double>(p.bytes_done) /
                                     static_cast<double>(p.total_bytes)
                               : 100.0;
    std::fprintf(stderr, "\r  %lld rows, %.0f%%", static_cast<long long>(p.rows_done), pct);
    if (p.bytes_done >= p.total_bytes) std::fprintf(stderr, "\n");
  };
}

int Remote(const Globals& g, const ImportArgs& a, const std::map<std::string, std::string>& map) {
  std::ifstream in(a.file, std::ios::binary);
  if (!in) return Fail(NotFound("cannot open " + a.file));
  std::stringstream body;
  body << in.rdbuf();
  std::string path =
      "/api/v1/imports/" + a.kind + "?source=" + a.source + (a.dry_run ? "&dry_run=true" : "");
  for (const auto& [k, v] : map) path += "&map." + k + "=" + v;
  auto r = HttpCall(g.url, "POST", path, g.token, body.str(), "text/csv");
  if (!r.ok()) return Fail(r.status());
  json j = json::parse(r->body, nullptr, false);
  if (r->status != 200) {
    std::string detail = j.is_object() ? j.value("detail", r->body) : r->body;
    return Fail(Status(Code::kFailedPrecondition,
                       "server answered " + std::to_string(r->status) + ": " + detail));
  }
  PrintReport(j, "");
  return 0;
}

int Import(const Globals& g, const ImportArgs& a) {
  std::map<std::string, std::string> map;
  for (const auto& m : a.maps) {
    auto eq = m.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Fail(InvalidArgument("--map takes column=field, got '" + m + "'"));
    }
    map[m.substr(0, eq)] = m.substr(eq + 1);
  }
  if (!g.url.empty()) return Remote(g, a, map);
  auto store = g.OpenForWrite("tandem import");
  if (!store.ok()) return Fail(store.status());
  auto models = g.OpenModels(**store);
  if (!models.ok()) return Fail(models.status());
  ingest::ImportOptions opt;
  opt.source = a.source;
  opt.column_map = map;
  opt.dry_run = a.dry_run;
  opt.phone_region = g.Resolve().phone_region;
  opt.progress = Progress();
  ingest::ImportKind kind = a.kind == "people"      ? ingest::ImportKind::kPeople
                            : a.kind == "companies" ? ingest::ImportKind::kCompanies
                                                    : ingest::ImportKind::kActivities;
  auto report = ingest::ImportCsv(**store, kind, a.file, opt);
  if (!report.ok()) return Fail(report.status());
  PrintReport(ToJson(*report), report->rejected_file);
  return 0;
}

}  // namespace

void AddImportCommand(CLI::App& app, Globals& g) {
  auto a = std::make_shared<ImportArgs>();
  auto* sub =
      app.add_subcommand("import",
                         "Import people, companies or activities from a CSV file; bad rows go to "
                         "FILE.rejected.csv, good rows land, and importing again changes nothing");
  sub->add_option("kind", a->kind, "people, companies or activities")
      ->required()
      ->check(CLI::IsMember({"people", "companies", "activities"}));
  sub->add_option("file", a->file, "The CSV file (first row: column names)")->required();
  sub->add_option("--source", a->source, "Source name for activities (default csv)");
  sub->add_option("--map", a->maps,
                  "column=field, e.g. --map \"E-mail Address=email\" (field '-' skips it)");
  sub->add_flag("--dry-run", a->dry_run, "Report what would happen; write nothing");
  sub->add_option("--url", g.url, "Import through a running server, e.g. http://127.0.0.1:8080");
  sub->add_option("--token", g.token, "A token for --url");
  sub->callback([&g, a] {
    if (int rc = Import(g, *a)) throw CLI::RuntimeError(rc);
  });
}

}  // namespace tandem::app
