// /api/v1/companies: create, read, update, list.
#include <nlohmann/json.hpp>

#include "api/api.h"
#include "api/json_codec.h"
#include "api/list_page.h"
#include "api/problem.h"
#include "ingest/normalise.h"
#include "store/people.h"

namespace tandem::api {
namespace {

using nlohmann::json;

ingest::RecordOptions Options(const Call& c) {
  return {.actor = "user:" + std::to_string(c.caller.user.value())};
}

Response Create(const ApiContext& ctx, const Call& c) {
  auto body = ParseObjectBody(c.request.body);
  if (!body.ok()) return Problem(body.status(), 400);
  auto fields = CompanyFieldsFromJson(*body);
  if (!fields.ok()) return Problem(fields.status());
  Company out;
  Status st = ctx.store.Write([&](store::WriteTxn& t) {
    auto ch = ingest::CreateCompany(t, *fields, Options(c));
    if (ch.ok()) out = ch->company;
    return ch.status();
  });
  if (!st.ok()) return Problem(st);
  Response r = Json(201, CompanyToJson(out).dump());
  r.headers.emplace_back("Location", "/api/v1/companies/" + std::to_string(out.id.value()));
  return r;
}

Response Get(const ApiContext& ctx, const Call& c) {
  auto id = ParseIdSegment(c.params.at("id"), "company");
  if (!id.ok()) return Problem(id.status());
  std::string body;
  Status st = ctx.store.Read([&](sql::Db& db) {
    auto co = store::LoadCompany(db, CompanyId(*id));
    if (co.ok()) body = CompanyToJson(*co).dump();
    return co.status();
  });
  return st.ok() ? Json(200, std::move(body)) : Problem(st);
}

Response Patch(const ApiContext& ctx, const Call& c) {
  auto id = ParseIdSegment(c.params.at("id"), "company");
  if (!id.ok()) return Problem(id.status());
  auto body = ParseObjectBody(c.request.body);
  if (!body.ok()) return Problem(body.status(), 400);
  auto fields = CompanyFieldsFromJson(*body);
  if (!fields.ok()) return Problem(fields.status());
  Company out;
  Status st = ctx.store.Write([&](store::WriteTxn& t) {
    auto ch = ingest::UpdateCompany(t, CompanyId(*id), *fields, Options(c));
    if (ch.ok()) out = ch->company;
    return ch.status();
  });
  return st.ok() ? Json(200, CompanyToJson(out).dump()) : Problem(st);
}

Result<store::CompanyFilter> Filter(const std::map<std::string, std::string>& q) {
  store::CompanyFilter f;
  if (auto it = q.find("domain"); it != q.end()) f.domain = ingest::NormaliseDomain(it->second);
  if (auto it = q.find("name"); it != q.end()) f.name = it->second;
  if (auto it = q.find("owner"); it != q.end()) {
    auto v = ParseIdSegment(it->second, "owner");
    if (!v.ok()) return InvalidArgument("invalid filter", {{"owner", "must be a positive id"}});
    f.owner = UserId(*v);
  }
  auto since = ParseTimeParam(q, "updated_since");
  if (!since.ok()) return since.status();
  f.updated_since = *since;
  return f;
}

Response List(const ApiContext& ctx, const Call& c) {
  return ListRoute(ctx, c, Filter, store::ListCompanies,
                   [](const Company& c) { return CompanyToJson(c).dump(); });
}

}  // namespace

void AddCompanyRoutes(Router& r, const ApiContext& ctx) {
  auto bind = [&ctx](auto fn) { return Bind(ctx, fn); };
  r.Add({"POST", "/api/v1/companies", Permission::kWrite, "Create a company", bind(Create)});
  r.Add({"GET", "/api/v1/companies", Permission::kRead,
         "List companies (filters: domain, name, owner, updated_since; cursor paging)",
         bind(List)});
  r.Add({"GET", "/api/v1/companies/{id}", Permission::kRead, "Read a company", bind(Get)});
  r.Add({"PATCH", "/api/v1/companies/{id}", Permission::kWrite, "Change a company's fields",
         bind(Patch)});
}

}  // namespace tandem::api
