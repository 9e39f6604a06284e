// /api/v1/people: create, read, update, list, timeline, erase.
#include <nlohmann/json.hpp>

#include "api/api.h"
#include "api/json_codec.h"
#include "api/json_writer.h"
#include "api/lead_json.h"
#include "api/list_page.h"
#include "api/problem.h"
#include "base/strings.h"
#include "ingest/normalise.h"
#include "store/journal.h"
#include "store/people.h"

namespace tandem::api {
namespace {

using nlohmann::json;

std::string Actor(const Call& c) { return "user:" + std::to_string(c.caller.user.value()); }

ingest::RecordOptions Options(const ApiContext& ctx, const Call& c) {
  return {.actor = Actor(c), .phone_region = ctx.options.phone_region, .reason = ""};
}

Response Create(const ApiContext& ctx, const Call& c) {
  auto body = ParseObjectBody(c.request.body);
  if (!body.ok()) return Problem(body.status(), 400);
  auto fields = PersonFieldsFromJson(*body);
  if (!fields.ok()) return Problem(fields.status());
  if ((!fields->emails || fields->emails->empty()) &&
      (!fields->external_ids || fields->external_ids->empty())) {
    return Problem(InvalidArgument("a person needs an e-mail or an external id",
                                   {{"email", "give email or external_id"}}));
  }
  ingest::PersonChange out;
  Status st = ctx.store.Write([&](store::WriteTxn& t) {
    auto ch = ingest::CreatePerson(t, *fields, Options(ctx, c));
    if (ch.ok()) out = std::move(*ch);
    return ch.status();
  });
  if (!st.ok()) return Problem(st);
  Response r = Json(201, WithLeadNow(ctx, PersonJson(out.person, &out.warnings), out.person.id));
  r.headers.emplace_back("Location", "/api/v1/people/" + std::to_string(out.person.id.value()));
  return r;
}

Response Get(const ApiContext& ctx, const Call& c) {
  auto id = ParseIdSegment(c.params.at("id"), "person");
  if (!id.ok()) return Problem(id.status());
  if (auto cached = ctx.records.Find(*id)) {
    return Json(200, WithLeadNow(ctx, std::move(*cached), PersonId(*id)));
  }
  uint64_t generation = ctx.records.generation();  // before the snapshot: see record_cache.h
  std::string body;
  Status st = ctx.store.Read([&](sql::Db& db) {
    auto p = store::LoadPerson(db, PersonId(*id));
    if (p.ok()) body = PersonJson(*p);
    return p.status();
  });
  if (!st.ok()) return Problem(st);
  ctx.records.Offer(*id, body, generation);
  return Json(200, WithLeadNow(ctx, std::move(body), PersonId(*id)));
}

Response Patch(const ApiContext& ctx, const Call& c) {
  auto id = ParseIdSegment(c.params.at("id"), "person");
  if (!id.ok()) return Problem(id.status());
  auto body = ParseObjectBody(c.request.body);
  if (!body.ok()) return Problem(body.status(), 400);
  auto fields = PersonFieldsFromJson(*body);
  if (!fields.ok()) return Problem(fields.status());
  ingest::PersonChange out;
  Status st = ctx.store.Write([&](store::WriteTxn& t) {
    auto ch = ingest::UpdatePerson(t, PersonId(*id), *fields, Options(ctx, c));
    if (ch.ok()) out = std::move(*ch);
    return ch.status();
  });
  if (!st.ok()) return Problem(st);
  return Json(200, WithLeadNow(ctx, PersonJson(out.person, &out.warnings), out.person.id));
}

Result<store::PersonFilter> Filter(const std::map<std::string, std::string>& q) {
  store::PersonFilter f;
  std::vector<FieldError> errors;
  if (auto it = q.find("email"); it != q.end()) {
    auto email = ingest::NormaliseEmail(it->second);  // the same folding as stored e-mails
    if (email.ok()) {
      f.email = *email;
    } else {
      errors.push_back({"email", email.status().message()});
    }
  }
  if (auto it = q.find("stage"); it != q.end()) {
    f.stage = ParseStage(it->second);
    if (!f.stage) errors.push_back({"stage", "unknown stage '" + it->second + "'"});
  }
  for (const char* key : {"owner", "company"}) {
    auto it = q.find(key);
    if (it == q.end()) continue;
    auto v = ParseIdSegment(it->second, key);
    if (!v.ok())
      errors.push_back({key, "must be a positive integer id"});
    else if (std::string(key) == "owner")
      f.owner = UserId(*v);
    else
      f.company = CompanyId(*v);
  }
  auto since = ParseTimeParam(q, "updated_since");
  if (!since.ok())
    errors.push_back(since.status().errors().front());
  else
    f.updated_since = *since;
  if (!errors.empty()) return InvalidArgument("invalid filter", std::move(errors));
  return f;
}

Response List(const ApiContext& ctx, const Call& c) {
  return ListRoute(ctx, c, Filter, store::ListPeople,
                   [&ctx](const Person& p) { return WithLeadNow(ctx, PersonJson(p), p.id); });
}

Response Timeline(const ApiContext& ctx, const Call& c) {
  auto id = ParseIdSegment(c.params.at("id"), "person");
  if (!id.ok()) return Problem(id.status());
  auto page = ParseListParams({});
  if (auto it = c.request.query.find("limit"); it != c.request.query.end()) {
    page = ParseListParams({{"limit", it->second}});
  }
  if (!page.ok()) return Problem(page.status());
  std::string cursor;
  if (auto it = c.request.query.find("cursor"); it != c.request.query.end()) cursor = it->second;
  json items = json::array();
  std::string next;
  Status st = ctx.store.Read([&](sql::Db& db) {
    TANDEM_RETURN_IF_ERROR(store::LoadPerson(db, PersonId(*id)).status());
    auto tl = store::ReadTimeline(db, ctx.store.pending_timeline(), *id, cursor, page->limit);
    if (!tl.ok()) return tl.status();
    for (const auto& e : tl->entries) items.push_back(JournalEntryToJson(e));
    next = tl->next_cursor;
    return Status::Ok();
  });
  if (!st.ok()) return Problem(st);
  return Json(
      200,
      json{{"items", items}, {"next_cursor", next.empty() ? json(nullptr) : json(next)}}.dump());
}

Response Erase(const ApiContext& ctx, const Call& c) {
  auto id = ParseIdSegment(c.params.at("id"), "person");
  if (!id.ok()) return Problem(id.status());
  Status st = ctx.store.Write(
      [&](store::WriteTxn& t) { return ingest::ErasePerson(t, PersonId(*id), Options(ctx, c)); });
  return st.ok() ? Json(200, json{{"id", *id}, {"erased", true}}.dump()) : Problem(st);
}

}  // namespace

void AddPeopleRoutes(Router& r, const ApiContext& ctx) {
  auto bind = [&ctx](auto fn) { return Bind(ctx, fn); };
  r.Add({"POST", "/api/v1/people", Permission::kWrite, "Create a person", bind(Create)});
  r.Add({"GET", "/api/v1/people", Permission::kRead,
         "List people (filters: email, stage, owner, company, updated_since; cursor paging)",
         bind(List)});
  r.Add({"GET", "/api/v1/people/{id}", Permission::kRead, "Read a person", bind(Get)});
  r.Add({"PATCH", "/api/v1/people/{id}", Permission::kWrite,
         "Change a person's fields (not the stage)", bind(Patch)});
  r.Add({"GET", "/api/v1/people/{id}/timeline", Permission::kRead,
         "A person's activities and journal decisions, newest first", bind(Timeline)});
  r.Add({"POST", "/api/v1/people/{id}/erase", Permission::kAdmin,
         "Erase a person's personal data; decisions stay in the journal", bind(Erase)});
}

}  // namespace tandem::api
