// POST /api/v1/people/{id}/actions: a sales action on a person's open lead (DESIGN.md,
// "Stages"; docs/SLA.md), checked against the SLA and journaled by the SLA model.
#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "api/api.h"
#include "api/document_routes.h"
#include "api/json_codec.h"
#include "api/list_page.h"
#include "api/problem.h"
#include "api/sla_json.h"

namespace tandem::api {
namespace {

using nlohmann::json;

// An action is a few short fields; anything larger is not one.
constexpr size_t kMaxActionBytes = 64 * 1024;

constexpr const char* kActions =
    "accept, reject, attempt, connect, qualify, recycle, disqualify, reassign";

// Reads the action's fields strictly: unknown keys and wrong types are field errors. A null
// value counts as absent.
class ActionReader {
 public:
  explicit ActionReader(const json& j) : j_(j) {}

  void CheckKnown() {
    static constexpr const char* kKnown[] = {"action", "channel", "outcome", "reason",
                                             "to",     "note",    "at",      "fields"};
    for (const auto& [k, v] : j_.items()) {
      if (std::find(std::begin(kKnown), std::end(kKnown), k) == std::end(kKnown)) {
        errors_.push_back({k,
                           "unknown field; an action has action, channel, outcome, reason, "
                           "to, note, at and fields"});
      }
    }
  }

  std::optional<std::string> Text(const char* key) {
    auto it = j_.find(key);
    if (it == j_.end() || it->is_null()) return std::nullopt;
    if (it->is_string()) return it->get<std::string>();
    errors_.push_back({key, "must be a string"});
    return std::nullopt;
  }

  std::optional<UserId> UserIdField(const char* key) {
    auto it = j_.find(key);
    if (it == j_.end() || it->is_null()) return std::nullopt;
    if (it->is_number_integer() && it->get<int64_t>() > 0) return UserId(it->get<int64_t>());
    errors_.push_back({key, "must be a user id (a positive integer)"});
    return std::nullopt;
  }

  // An object of strings ("fields": {"budget": "confirmed"}); empty if absent.
  std::map<std::string, std::string> TextMap(const char* key) {
    std::map<std::string, std::string> out;
    auto it = j_.find(key);
    if (it == j_.end() || it->is_null()) return out;
    if (!it->is_object()) {
      errors_.push_back({key, "must be an object of strings"});
      return out;
    }
    for (const auto& [k, v] : it->items()) {
      if (v.is_string()) {
        out[k] = v.get<std::string>();
      } else {
        errors_.push_back({std::string(key) + "." + k, "must be a string"});
      }
    }
    return out;
  }

  void Error(const char* key, std::string why) { errors_.push_back({key, std::move(why)}); }
  std::vector<FieldError>& errors() { return errors_; }

 private:
  const json& j_;
  std::vector<FieldError> errors_;
};

// The action in body; `at` may not lie after now. kInvalidArgument naming every bad field.
Result<SalesAction> ActionFromJson(const json& body, Timestamp now) {
  ActionReader r(body);
  r.CheckKnown();
  SalesAction a;
  if (auto name = r.Text("action")) {
    if (auto kind = ParseSalesAction(*name)) {
      a.kind = *kind;
    } else {
      r.Error("action", "unknown action '" + *name + "'; one of: " + kActions);
    }
  } else if (!body.contains("action") || body["action"].is_null()) {
    r.Error("action", std::string("required; one of: ") + kActions);
  }
  if (auto channel = r.Text("channel")) {
    a.channel = ParseContactChannel(*channel);
    if (!a.channel)
      r.Error("channel", "unknown channel '" + *channel +
                             "'; one of: call, "
                             "email, social, meeting");
  }
  a.outcome = r.Text("outcome").value_or("");
  a.reason = r.Text("reason").value_or("");
  a.note = r.Text("note").value_or("");
  a.to = r.UserIdField("to").value_or(UserId());
  a.fields = r.TextMap("fields");
  if (auto at = r.Text("at")) {
    a.at = ParseTimestamp(*at);
    if (!a.at) {
      r.Error("at", "must be an RFC 3339 time, e.g. 2026-11-02T09:14:00Z");
    } else if (*a.at > now) {
      r.Error("at", "lies in the future (now is " + FormatTimestamp(now) + ")");
    }
  }
  if (!r.errors().empty()) return InvalidArgument("invalid action", std::move(r.errors()));
  return a;
}

// The model's refusals: kFailedPrecondition (no open lead, accepted twice) is a conflict
// with the lead's state, not an HTTP precondition, so 409 rather than the mapped 412.
Response ActProblem(const Status& st) {
  return Problem(st, st.code() == Code::kFailedPrecondition ? 409 : 0);
}

Response Act(const ApiContext& ctx, const Call& c) {
  auto id = ParseIdSegment(c.params.at("id"), "person");
  if (!id.ok()) return Problem(id.status());
  if (c.request.body.size() > kMaxActionBytes) {
    return Problem(Status(Code::kTooLarge, "an action is at most 64 KiB"));
  }
  auto body = ParseObjectBody(c.request.body);
  if (!body.ok()) return Problem(body.status(), 400);
  auto action = ActionFromJson(*body, ctx.clock.Now());
  if (!action.ok()) return Problem(action.status());
  auto out = ctx.sla.Act(PersonId(*id), *action, CallerOf(c));
  if (!out.ok()) return ActProblem(out.status());
  std::string lead = "null";
  if (auto open = ctx.sla.LeadOf(PersonId(*id))) {
    Status st = ctx.store.Read([&](sql::Db& db) {
      lead = OpenLeadJson(db, *open, ctx.clock.Now());
      return Status::Ok();
    });
    if (!st.ok()) return Problem(st);
  }
  return Json(201, ActionOutcomeJson(*out, action->kind, lead));
}

}  // namespace

void AddActionRoutes(Router& r, const ApiContext& ctx) {
  auto bind = [&ctx](auto fn) { return Bind(ctx, fn); };
  r.Add({"POST", "/api/v1/people/{id}/actions", Permission::kWrite,
         "A sales action on the person's open lead (accept, reject, attempt, connect, qualify, "
         "recycle, disqualify, reassign), held to the SLA",
         bind(Act)});
}

}  // namespace tandem::api
