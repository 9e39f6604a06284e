// /api/v1/activities (batch ingest) and the activity-type catalogue.
#include <nlohmann/json.hpp>

#include "api/api.h"
#include "api/json_codec.h"
#include "api/list_page.h"
#include "api/problem.h"
#include "domain/activity_type.h"
#include "ingest/activities.h"

namespace tandem::api {
namespace {

using nlohmann::json;

std::string ReportJson(const ingest::IngestReport& r) {
  json rejected = json::array();
  for (const auto& x : r.rejected) {
    rejected.push_back({{"index", x.index}, {"code", x.code}, {"reason", x.reason}});
  }
  return json{{"accepted", r.accepted},
              {"duplicates", r.duplicates},
              {"people_created", r.people_created},
              {"rejected", rejected}}
      .dump(-1, ' ', false, json::error_handler_t::replace);
}

Response Post(const ApiContext& ctx, const Call& c) {
  ingest::IngestOptions opt{.actor = "user:" + std::to_string(c.caller.user.value()),
                            .phone_region = ctx.options.phone_region};
  auto parsed = ingest::ParseActivities(c.request.body, ctx.clock.Now(), opt);
  if (!parsed.ok()) {
    return Problem(parsed.status(), parsed.status().code() == Code::kTooLarge ? 413 : 400);
  }
  auto report = ingest::StoreActivities(ctx.store, std::move(parsed->items),
                                        std::move(parsed->rejected), opt);
  if (!report.ok()) return Problem(report.status());
  return Json(200, ReportJson(*report));
}

Response ListTypes(const ApiContext& ctx, const Call&) {
  json items = json::array();
  for (const auto& t : BuiltinActivityTypes()) {
    items.push_back(
        {{"name", t.name}, {"builtin", true}, {"contact_attempt", t.is_contact_attempt}});
  }
  Status st = ctx.store.Read([&](sql::Db& db) {
    auto& s = db.Cached("SELECT name, category FROM activity_types ORDER BY name");
    while (s.Step()) {
      items.push_back({{"name", s.Text(0)},
                       {"builtin", false},
                       {"category", s.Text(1)},
                       {"contact_attempt", false}});
    }
    return s.status();
  });
  if (!st.ok()) return Problem(st);
  return Json(200, json{{"items", items}, {"next_cursor", nullptr}}.dump());
}

Response AddType(const ApiContext& ctx, const Call& c) {
  auto body = ParseObjectBody(c.request.body);
  if (!body.ok()) return Problem(body.status(), 400);
  std::vector<FieldError> errors;
  std::string name = OptionalString(*body, "name", "", errors);
  std::string category = OptionalString(*body, "category", "marketing", errors);
  if (errors.empty() && !IsValidActivityTypeName(name)) {
    errors.push_back({"name", "1-64 characters of a-z, 0-9 and _, starting with a letter"});
  }
  if (!errors.empty()) return Problem(InvalidArgument("invalid activity type", std::move(errors)));
  if (FindBuiltinActivityType(name)) {
    return Problem(Status(Code::kAlreadyExists, name + " is a built-in type"));
  }
  Status st = ctx.store.Write([&](store::WriteTxn& t) {
    return t.db()
        .Cached(
            "INSERT INTO activity_types(name, category, builtin) VALUES(?,?,0) "
            "ON CONFLICT(name) DO UPDATE SET category = excluded.category")
        .Bind(1, name)
        .Bind(2, category)
        .Run();
  });
  if (!st.ok()) return Problem(st);
  return Json(201, json{{"name", name}, {"category", category}, {"builtin", false}}.dump());
}

}  // namespace

void AddActivityRoutes(Router& r, const ApiContext& ctx) {
  auto bind = [&ctx](auto fn) { return Bind(ctx, fn); };
  r.Add({"POST", "/api/v1/activities", Permission::kWrite,
         "Ingest up to 10,000 activities; each is stored once per (source, id)", bind(Post)});
  r.Add({"GET", "/api/v1/activity-types", Permission::kRead, "The activity-type catalogue",
         bind(ListTypes)});
  r.Add({"POST", "/api/v1/activity-types", Permission::kConfigure, "Add a custom activity type",
         bind(AddType)});
}

}  // namespace tandem::api
