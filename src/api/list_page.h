// Helpers the route files share: binding handlers to the context, and list answers.
#pragma once

#include <string>
#include <vector>

#include "api/api.h"
#include "api/json_codec.h"
#include "api/json_writer.h"
#include "api/problem.h"

namespace tandem::api {

inline RouteHandler Bind(const ApiContext& ctx, Response (*fn)(const ApiContext&, const Call&)) {
  return [ctx, fn](const Call& c) { return fn(ctx, c); };
}

// The answer to a list request ({"items": [...], "next_cursor": ...}) from rows fetched with
// one more than limit: renders the first limit rows; if there were more, next_cursor is the
// id of the last one rendered. Row has an `id` with value().
template <typename Row, typename Render>
Response ListPage(const std::vector<Row>& rows, int limit, Render render) {
  JsonWriter w;
  w.BeginObject().Key("items").BeginArray();
  size_t n = std::min(rows.size(), static_cast<size_t>(limit));
  for (size_t i = 0; i < n; ++i) w.Raw(render(rows[i]));
  w.EndArray().Key("next_cursor");
  if (rows.size() > n) {
    w.String(std::to_string(rows[n - 1].id.value()));
  } else {
    w.Null();
  }
  return Json(200, std::move(w.EndObject().str()));
}

// A whole list route: `limit` and `cursor`, the route's own filter, one read, the page.
template <typename Filter, typename Row, typename Render>
Response ListRoute(const ApiContext& ctx, const Call& c,
                   Result<Filter> (*parse_filter)(const std::map<std::string, std::string>&),
                   Result<std::vector<Row>> (*fetch)(sql::Db&, const Filter&, int64_t, int),
                   Render render) {
  auto page = ParseListParams(c.request.query);
  if (!page.ok()) return Problem(page.status());
  auto filter = parse_filter(c.request.query);
  if (!filter.ok()) return Problem(filter.status());
  std::vector<Row> rows;
  Status st = ctx.store.Read([&](sql::Db& db) {
    auto r = fetch(db, *filter, page->after, page->limit + 1);
    if (r.ok()) rows = std::move(*r);
    return r.status();
  });
  if (!st.ok()) return Problem(st);
  return ListPage(rows, page->limit, render);
}

}  // namespace tandem::api
