#include "api/openapi_sla.h"

namespace tandem::api {
namespace {

using nlohmann::json;

json Ref(const std::string& name) { return {{"$ref", "#/components/schemas/" + name}}; }
json Type(const char* type) { return {{"type", type}}; }
json Nullable(const char* type) { return {{"type", json::array({type, "null"})}}; }
json Enum(std::initializer_list<const char*> values) {
  json list = json::array();
  for (const char* v : values) list.push_back(v);
  return {{"type", "string"}, {"enum", list}};
}
json Object(json properties) { return {{"type", "object"}, {"properties", std::move(properties)}}; }
json ArrayOf(json items) { return {{"type", "array"}, {"items", std::move(items)}}; }
json Page(const char* item) {
  return Object({{"items", ArrayOf(Ref(item))}, {"next_cursor", Nullable("string")}});
}

json LeadTypeSchema() {
  json n = Type("number"), i = Type("integer");
  return Object(
      {{"id", Type("string")},
       {"name", Type("string")},
       {"default", Type("boolean")},
       {"stage_rules", ArrayOf(Type("string"))},
       {"accept_within_business_hours", n},
       {"first_touch_within_business_hours", n},
       {"attempts", Object({{"minimum", i}, {"within_business_days", i}, {"channels", i}})},
       {"disposition_within_business_days", i}});
}

json RoutingSchema() {
  json s = Type("string"), strings = ArrayOf(Type("string"));
  json rule = Object({{"id", s},
                      {"countries", strings},
                      {"regions", strings},
                      {"industries", strings},
                      {"size_bands", strings},
                      {"team", s},
                      {"reps", strings}});
  json rep = Object({{"email", s},
                     {"weight", Type("integer")},
                     {"capacity", Nullable("integer")},
                     {"teams", strings}});
  return Object({{"fallback_team", s}, {"rules", ArrayOf(rule)}, {"reps", ArrayOf(rep)}});
}

// The parsed document, keys and units as in the TOML (docs/SLA.md).
json SlaDocumentSchema() {
  json s = Type("string"), n = Type("number"), i = Type("integer");
  json doc = Object(
      {{"name", s},
       {"horizon_days", i},
       {"horizon_derived", Type("boolean")},
       {"marketing", Object({{"period", Enum({"month", "quarter"})},
                             {"mql_target", i},
                             {"quality_grade", s},
                             {"quality_share", n},
                             {"mql_to_sql_target", n}})},
       {"lead_types", ArrayOf(LeadTypeSchema())},
       {"recycle_reasons",
        ArrayOf(Object({{"id", s}, {"name", s}, {"nurture_track", s}, {"cool_down_days", i}}))},
       {"qualify_fields",
        ArrayOf(Object({{"id", s}, {"name", s}, {"values", ArrayOf(Type("string"))}}))},
       {"disqualify_reasons",
        ArrayOf(Object({{"id", s}, {"name", s}, {"exempt_from_attempts", Type("boolean")}}))},
       {"escalation",
        ArrayOf(Object({{"at", n},
                        {"action", Enum({"remind_owner", "alert_manager", "reassign"})},
                        {"channels", ArrayOf(Enum({"email", "webhook"}))},
                        {"webhook", Nullable("string")}}))},
       {"routing", RoutingSchema()}});
  doc["description"] = "the SLA document as parsed (docs/SLA.md describes every key)";
  return doc;
}

json OpenLeadSchema() {
  json s = Type("string"), i = Type("integer"), b = Type("boolean");
  json clock = Object({{"clock", Enum({"accept", "first_touch", "attempts", "disposition"})},
                       {"started", s},
                       {"due", s},
                       {"met", b},
                       {"breached", b},
                       {"seconds_left", Nullable("integer")}});
  clock["description"] = "seconds_left: negative when late, null once met";
  return Object({{"person", Object({{"id", i},
                                    {"name", Nullable("string")},
                                    {"email", Nullable("string")},
                                    {"stage", Nullable("string")}})},
                 {"owner", i},
                 {"team", Nullable("integer")},
                 {"lead_type", s},
                 {"sla_version", i},
                 {"assigned_at", s},
                 {"accepted", b},
                 {"clocks_running", b},
                 {"attempts", i},
                 {"attempts_required", i},
                 {"channels", i},
                 {"channels_required", i},
                 {"clocks", ArrayOf(clock)},
                 {"next_due", Nullable("string")},
                 {"seconds_left", Nullable("integer")}});
}

json SalesActionInputSchema() {
  json s = Type("string");
  json input = Object({{"action", Enum({"accept", "reject", "attempt", "connect", "qualify",
                                        "recycle", "disqualify", "reassign"})},
                       {"channel", Enum({"call", "email", "social", "meeting"})},
                       {"outcome", s},
                       {"reason", s},
                       {"to", Type("integer")},
                       {"note", s},
                       {"at", {{"type", "string"}, {"format", "date-time"}}},
                       {"fields", {{"type", "object"}, {"additionalProperties", s}}}});
  input["required"] = {"action"};
  input["additionalProperties"] = false;
  input["description"] =
      "attempt needs channel; recycle and disqualify a reason from the SLA's lists; reject a "
      "free-text reason; reassign `to` (a user id); qualify `fields`, one per the SLA's "
      "qualify_fields (a listed value where it lists values); at defaults to now and may not "
      "be later";
  return input;
}

json OutboxMessageSchema() {
  json s = Type("string"), i = Type("integer");
  return Object({{"id", i},
                 {"seq", i},
                 {"channel", Enum({"email", "webhook"})},
                 {"target", s},
                 {"event", s},
                 {"subject", s},
                 {"status", Enum({"pending", "delivered", "failed"})},
                 {"attempts", i},
                 {"created_at", s},
                 {"next_attempt_at", s},
                 {"delivered_at", Nullable("string")},
                 {"last_error", Nullable("string")}});
}

json Query(const char* name, const char* what) {
  return {{"name", name},
          {"in", "query"},
          {"required", false},
          {"schema", Type("string")},
          {"description", what}};
}

void Answer(json& op, const char* code, const char* schema) {
  op["responses"][code] = {{"description", "success"},
                           {"content", {{"application/json", {{"schema", Ref(schema)}}}}}};
}

void AddParams(json& op, std::initializer_list<json> params) {
  if (!op.contains("parameters")) op["parameters"] = json::array();
  for (const auto& p : params) op["parameters"].push_back(p);
}

}  // namespace

json SlaSchemas() {
  json version = {
      {"allOf", json::array({Ref("PolicyVersion"), Object({{"document", Ref("SlaDocument")}})})}};
  json outcome = Object({{"seq", Type("integer")},
                         {"action", Type("string")},
                         {"stage", Nullable("string")},
                         {"owner", Nullable("integer")},
                         {"lead", {{"anyOf", json::array({Ref("OpenLead"), Type("null")})}}}});
  return {{"SlaVersion", version},
          {"SlaVersionPage", Page("PolicyVersion")},
          {"SlaDocument", SlaDocumentSchema()},
          {"SalesActionInput", SalesActionInputSchema()},
          {"ActionOutcome", outcome},
          {"OpenLead", OpenLeadSchema()},
          {"QueuePage", Page("OpenLead")},
          {"OutboxMessage", OutboxMessageSchema()},
          {"OutboxPage", Page("OutboxMessage")},
          {"RoutingHealth",
           Object({{"routing", Enum({"ok", "broken"})},
                   {"detail", Nullable("string")},
                   {"errors", ArrayOf(Object({{"field", Type("string")},
                                              {"reason", Type("string")}}))},
                   {"unassigned", Type("integer")}})}};
}

void DescribeSlaRoute(const std::string& key, json& op) {
  json limit = Query("limit", "1 to 1000 (default 100)");
  json cursor = Query("cursor", "next_cursor of the previous page");
  if (key == "GET /api/v1/queue") {
    AddParams(op, {Query("owner", "a user id, an e-mail, me (the default) or unassigned"),
                   limit, cursor});
    Answer(op, "200", "QueuePage");
  }
  if (key == "GET /api/v1/people/{id}/lead") Answer(op, "200", "OpenLead");
  if (key == "GET /api/v1/sla/routing") Answer(op, "200", "RoutingHealth");
  if (key == "POST /api/v1/people/{id}/actions") {
    op["requestBody"] = {
        {"required", true},
        {"content", {{"application/json", {{"schema", Ref("SalesActionInput")}}}}}};
    Answer(op, "201", "ActionOutcome");
  }
  if (key == "GET /api/v1/outbox") {
    AddParams(op, {Query("status", "pending, delivered or failed"), limit, cursor});
    Answer(op, "200", "OutboxPage");
  }
}

}  // namespace tandem::api
