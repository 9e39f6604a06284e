// POST /api/v1/imports/{people|companies|activities}: a CSV body imported as the command line
// does, for scripts (and `tandem import --url`) while the server holds the store.
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "api/api.h"
#include "api/problem.h"
#include "ingest/import.h"

namespace tandem::api {
namespace {

using nlohmann::json;

json ProblemsJson(const std::vector<ingest::RowProblem>& rows) {
  json out = json::array();
  for (const auto& p : rows) {
    out.push_back({{"row", p.row}, {"column", p.column}, {"reason", p.reason}});
  }
  return out;
}

json ReportJson(const ingest::ImportReport& r) {
  json extra = json::array();
  for (const auto& e : r.extra_columns) {
    extra.push_back(
        {{"column", e.column}, {"field", e.field.empty() ? json(nullptr) : json(e.field)}});
  }
  return {{"rows_read", r.rows_read},
          {"imported", r.imported},
          {"updated", r.updated},
          {"unchanged", r.unchanged},
          {"people_created", r.people_created},
          {"rejected", ProblemsJson(r.rejected)},
          {"warnings", ProblemsJson(r.warnings)},
          {"extra_columns", extra},
          {"dry_run", r.dry_run}};
}

std::optional<ingest::ImportKind> KindOf(const std::string& name) {
  if (name == "people") return ingest::ImportKind::kPeople;
  if (name == "companies") return ingest::ImportKind::kCompanies;
  if (name == "activities") return ingest::ImportKind::kActivities;
  return std::nullopt;
}

// The body in a private temporary file, removed (with its rejected file) on destruction.
struct TempCsv {
  std::filesystem::path path;
  explicit TempCsv(const std::string& body) {
    static std::atomic<int> n{0};
    path = std::filesystem::temp_directory_path() /
           ("tandem-import-" + std::to_string(::getpid()) + "-" + std::to_string(n++) + ".csv");
    std::ofstream(path, std::ios::binary) << body;
  }
  ~TempCsv() {
    std::error_code ec;
    std::filesystem::remove(path, ec);
    std::filesystem::remove(ingest::RejectedFilePath(path.string()), ec);
  }
};

Response Post(const ApiContext& ctx, const Call& c) {
  auto kind = KindOf(c.params.at("kind"));
  if (!kind) return Problem(NotFound("imports are of people, companies or activities"));
  ingest::ImportOptions opt;
  opt.actor = "user:" + std::to_string(c.caller.user.value());
  opt.phone_region = ctx.options.phone_region;
  const auto& q = c.request.query;
  if (auto it = q.find("source"); it != q.end()) opt.source = it->second;
  if (auto it = q.find("dry_run"); it != q.end()) opt.dry_run = it->second == "true";
  for (const auto& [k, v] : q) {
    if (k.rfind("map.", 0) == 0) opt.column_map[k.substr(4)] = v;
  }
  TempCsv file(c.request.body);
  auto report = ingest::ImportCsv(ctx.store, *kind, file.path.string(), opt);
  if (!report.ok()) return Problem(report.status());
  return Json(200, ReportJson(*report).dump(-1, ' ', false, json::error_handler_t::replace));
}

}  // namespace

void AddImportRoutes(Router& r, const ApiContext& ctx) {
  r.Add({"POST", "/api/v1/imports/{kind}", Permission::kWrite,
         "Import a CSV body of people, companies or activities (query: source, dry_run, "
         "map.COLUMN=field); answers the import report",
         [ctx](const Call& c) { return Post(ctx, c); }});
}

}  // namespace tandem::api
