// /api/v1/sla: the SLA's versions, proposals and approvals (DESIGN.md, "Policy and SLA
// documents"); /api/v1/queue and /api/v1/people/{id}/lead, the open leads sales owns under
// it with their clocks; /api/v1/outbox, the notifications its escalations send.
#include <algorithm>

#include "api/api.h"
#include "api/document_routes.h"
#include "api/json_codec.h"
#include "api/json_writer.h"
#include "api/list_page.h"
#include "api/problem.h"
#include "api/scorecard_json.h"
#include "api/sla_json.h"
#include "engine/sla_toml.h"
#include "ingest/normalise.h"
#include "store/outbox.h"
#include "store/people.h"
#include "store/users.h"

namespace tandem::api {
namespace {

// The SLA model's documents, answered with the parsed document beside the TOML.
class SlaDocuments final : public ModelDocuments<ingest::SlaModel> {
 public:
  using ModelDocuments::ModelDocuments;
  std::string DocumentJson(const ingest::DocumentVersion& v) const override {
    auto doc = engine::ParseSla(v.toml);  // stored versions parse; their references may not
    return doc.ok() ? SlaDocumentJson(*doc) : "null";
  }
};

// The user `owner` names: "me" (also when absent), a user id or an e-mail; "unassigned"
// names nobody (UserId()). kNotFound if nobody.
Result<UserId> QueueOwner(const ApiContext& ctx, const Call& c) {
  auto it = c.request.query.find("owner");
  if (it == c.request.query.end() || it->second == "me") return c.caller.user;
  if (it->second == "unassigned") return UserId();
  const std::string& who = it->second;
  std::optional<User> user;
  TANDEM_RETURN_IF_ERROR(ctx.store.Read([&](sql::Db& db) {
    if (who.find('@') != std::string::npos) {
      auto email = ingest::NormaliseEmail(who);
      if (email.ok()) user = store::FindUserByEmail(db, *email);
    } else if (auto id = ParseIdSegment(who, "user"); id.ok()) {
      auto u = store::LoadUser(db, UserId(*id));
      if (u.ok()) user = std::move(*u);
    }
    return Status::Ok();
  }));
  if (!user) return NotFound("no user '" + who + "' (owner is a user id, an e-mail or me)");
  return user->id;
}

// Open leads in the model's order (earliest due first); the cursor is an offset into it,
// so a lead closed between two pages may shift the next page by one.
Response Queue(const ApiContext& ctx, const Call& c) {
  auto page = ParseListParams(c.request.query);
  if (!page.ok()) return Problem(page.status());
  auto owner = QueueOwner(ctx, c);
  if (!owner.ok()) return Problem(owner.status());
  if (c.caller.role == Role::kSalesRep && *owner != c.caller.user) {
    return Problem(
        Status(Code::kPermissionDenied, "a sales rep reads only their own queue (owner=me)"));
  }
  std::vector<ingest::OpenLeadView> leads = ctx.sla.Queue(*owner);
  size_t from = std::min(leads.size(), static_cast<size_t>(page->after));
  size_t to = std::min(leads.size(), from + static_cast<size_t>(page->limit));
  Timestamp now = ctx.clock.Now();
  JsonWriter w;
  w.BeginObject().Key("items").BeginArray();
  Status st = ctx.store.Read([&](sql::Db& db) {
    for (size_t i = from; i < to; ++i) w.Raw(OpenLeadJson(db, leads[i], now));
    return Status::Ok();
  });
  if (!st.ok()) return Problem(st);
  w.EndArray().Key("next_cursor");
  to < leads.size() ? w.String(std::to_string(to)) : w.Null();
  return Json(200, std::move(w.EndObject().str()));
}

Response LeadOfPerson(const ApiContext& ctx, const Call& c) {
  auto id = ParseIdSegment(c.params.at("id"), "person");
  if (!id.ok()) return Problem(id.status());
  auto lead = ctx.sla.LeadOf(PersonId(*id));
  std::string body;
  Status st = ctx.store.Read([&](sql::Db& db) {
    auto person = store::LoadPerson(db, PersonId(*id));
    if (!person.ok()) return person.status();
    if (!lead)
      return NotFound("no open lead: person " + std::to_string(*id) + " is not with sales");
    body = OpenLeadJson(*lead, &*person, ctx.clock.Now());
    return Status::Ok();
  });
  return st.ok() ? Json(200, std::move(body)) : Problem(st);
}

Result<std::string> OutboxStatus(const std::map<std::string, std::string>& query) {
  auto it = query.find("status");
  if (it == query.end()) return std::string();
  const std::string& s = it->second;
  if (s == "pending" || s == "delivered" || s == "failed") return s;
  return InvalidArgument("invalid filter", {{"status", "one of pending, delivered, failed"}});
}

// Oldest first; the cursor is the last message's id.
Response Outbox(const ApiContext& ctx, const Call& c) {
  auto page = ParseListParams(c.request.query);
  if (!page.ok()) return Problem(page.status());
  auto status = OutboxStatus(c.request.query);
  if (!status.ok()) return Problem(status.status());
  std::vector<store::OutboxRecord> rows;
  Status st = ctx.store.Read([&](sql::Db& db) {
    rows = store::ListOutbox(db, *status, page->after, page->limit + 1);
    return Status::Ok();
  });
  if (!st.ok()) return Problem(st);
  JsonWriter w;
  w.BeginObject().Key("items").BeginArray();
  size_t n = std::min(rows.size(), static_cast<size_t>(page->limit));
  for (size_t i = 0; i < n; ++i) w.Raw(OutboxMessageJson(rows[i]));
  w.EndArray().Key("next_cursor");
  rows.size() > n ? w.String(std::to_string(rows[n - 1].id)) : w.Null();
  return Json(200, std::move(w.EndObject().str()));
}

// Whether new MQLs can be routed under the active SLA, and the leads waiting for an owner.
Response RoutingHealth(const ApiContext& ctx, const Call&) {
  Status st = ctx.sla.RoutingStatus();
  JsonWriter w;
  w.BeginObject().Key("routing").String(st.ok() ? "ok" : "broken");
  w.Key("detail");
  st.ok() ? w.Null() : w.String(st.message());
  w.Key("errors").BeginArray();
  for (const FieldError& e : st.errors()) {
    w.BeginObject().Key("field").String(e.field).Key("reason").String(e.reason).EndObject();
  }
  w.EndArray().Key("unassigned").Int(static_cast<int64_t>(ctx.sla.Queue(UserId()).size()));
  return Json(200, std::move(w.EndObject().str()));
}

// ?period=2026-11 or 2026-Q4 (default: the current month); a period without data gives zeros.
Response Scorecard(const ApiContext& ctx, const Call& c) {
  Timestamp now = ctx.clock.Now();
  auto given = c.request.query.find("period");
  std::string period =
      given != c.request.query.end() ? given->second : FormatTimestamp(now).substr(0, 7);
  auto p = ingest::ParseScorePeriod(period);
  if (!p.ok()) return Problem(p.status());
  auto doc = ctx.sla.ActiveDocument();
  if (!doc) return Problem(NotFound("no SLA is active"));
  auto card = ingest::BuildScorecard(ctx.store, *doc, ctx.sla.Active().version, *p, now);
  if (!card.ok()) return Problem(card.status());
  return Json(200, ScorecardJson(*card));
}

}  // namespace

void AddSlaRoutes(Router& r, const ApiContext& ctx) {
  AddDocumentRoutes(r,
                    {.segment = "sla",
                     .name = "SLA",
                     .a_name = "an SLA",
                     .long_name = "SLA",
                     .version_header = "Tandem-Sla-Version",
                     .max_bytes = engine::kMaxSlaBytes},
                    std::make_shared<SlaDocuments>(ctx.sla));
  auto bind = [&ctx](auto fn) { return Bind(ctx, fn); };
  r.Add({"GET", "/api/v1/queue", Permission::kRead,
         "A user's open leads with their SLA clocks, the earliest due first (owner: a user id, "
         "an e-mail, me (the default) or unassigned; a sales rep reads only their own)",
         bind(Queue)});
  r.Add({"GET", "/api/v1/people/{id}/lead", Permission::kRead,
         "A person's open lead with its SLA clocks, if sales owns them", bind(LeadOfPerson)});
  r.Add({"GET", "/api/v1/sla/scorecard", Permission::kRead,
         "Both teams' commitments for a month or quarter (period=2026-11, 2026-Q4) against what "
         "happened, per team and rep, and the leads stuck now",
         bind(Scorecard)});
  r.Add({"GET", "/api/v1/sla/routing", Permission::kRead,
         "Whether new MQLs can be routed under the active SLA (routing ok or broken, with the "
         "names it cannot resolve) and how many open leads have no owner",
         bind(RoutingHealth)});
  r.Add({"GET", "/api/v1/outbox", Permission::kAdmin,
         "Notification messages and their delivery, oldest first (status: pending, delivered, "
         "failed)",
         bind(Outbox)});
}

}  // namespace tandem::api
