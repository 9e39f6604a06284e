// The OpenAPI 3.1 document, generated from the route table so it cannot miss a route.
#include <nlohmann/json.hpp>

#include "api/api.h"
#include "api/openapi_sla.h"
#include "base/strings.h"

namespace tandem::api {
namespace {

using nlohmann::json;

json Ref(const std::string& name) { return {{"$ref", "#/components/schemas/" + name}}; }

json Nullable(const char* type) { return {{"type", json::array({type, "null"})}}; }

json LeadStanding() {
  return {{"type", json::array({"object", "null"})},
          {"description", "score, grade and persona now; null if the lead model has no record"},
          {"properties",
           {{"score", {{"type", "number"}}},
            {"grade", {{"type", "string"}}},
            {"persona", Nullable("string")}}}};
}

json PolicyVersion() {
  json approval = {{"type", json::array({"object", "null"})},
                   {"properties", {{"user", Nullable("integer")}, {"at", {{"type", "string"}}}}}};
  return {{"type", "object"},
          {"properties",
           {{"version", {{"type", "integer"}}},
            {"name", {{"type", "string"}}},
            {"status", {{"type", "string"}, {"enum", {"draft", "active", "superseded"}}}},
            {"created_at", {{"type", "string"}}},
            {"author", Nullable("integer")},
            {"approvals",
             {{"type", "object"}, {"properties", {{"marketing", approval}, {"sales", approval}}}}},
            {"activated_at", Nullable("string")},
            {"toml", {{"type", "string"}, {"description", "the document (not in lists)"}}}}}};
}

json Explanation() {
  json obj = {{"type", "object"}};
  auto list = [](json props) {
    return json{{"type", "array"}, {"items", {{"type", "object"}, {"properties", props}}}};
  };
  json s = {{"type", "string"}}, n = {{"type", "number"}}, i = {{"type", "integer"}};
  obj["properties"] = {
      {"person", i},
      {"as_of", s},
      {"policy_version", i},
      {"score", n},
      {"decayed", n},
      {"rules", list({{"rule", s}, {"activity", s}, {"points", n}, {"activities", i}})},
      {"grade", s},
      {"persona", Nullable("string")},
      {"criteria", list({{"fact", s}, {"value", s}, {"thirds", i}})},
      {"stage", s},
      {"stages", list({{"from", s},
                       {"to", s},
                       {"rule", s},
                       {"policy_version", i},
                       {"at", s},
                       {"cause", Nullable("integer")}})}};
  return obj;
}

// An agreed document's routes (/api/v1/policy, /api/v1/sla): TOML in, TOML or JSON out, and
// the statuses a document edit can meet. schema names the JSON of one version.
void DescribeDocument(const std::string& key, json& op, const std::string& segment,
                      const char* schema) {
  std::string base = "/api/v1/" + segment;
  json problem = {{"description", "a problem (RFC 9457)"},
                  {"content", {{"application/problem+json", {{"schema", Ref("Problem")}}}}}};
  json version = {{"description", "the version (TOML for Accept: application/toml)"},
                  {"content",
                   {{"application/json", {{"schema", Ref(schema)}}},
                    {"application/toml", {{"schema", {{"type", "string"}}}}}}}};
  if (key == "GET " + base || key == "GET " + base + "/versions/{v}") {
    op["responses"]["200"] = version;
  }
  if (key == "POST " + base + "/versions/{v}/approve") {
    op["responses"]["200"] = version;
    op["responses"]["412"] = problem;
  }
  if (key == "PUT " + base) {
    op["requestBody"] = {
        {"required", true},
        {"content",
         {{"application/toml", {{"schema", {{"type", "string"}, {"maxLength", 262144}}}}}}}};
    op["parameters"] = json::array({{{"name", "If-Match"},
                                     {"in", "header"},
                                     {"required", false},
                                     {"schema", {{"type", "string"}}}}});
    op["responses"]["201"] = version;
    op["responses"]["412"] = problem;
    op["responses"]["415"] = problem;
  }
  if (key == "GET " + base + "/versions") {
    op["responses"]["200"] = {
        {"description", "success"},
        {"content", {{"application/json", {{"schema", Ref(std::string(schema) + "Page")}}}}}};
  }
}

void DescribePolicy(const std::string& key, json& op) {
  DescribeDocument(key, op, "policy", "PolicyVersion");
  if (key == "GET /api/v1/people/{id}/explain") {
    op["responses"]["200"] = {
        {"description", "success"},
        {"content", {{"application/json", {{"schema", Ref("Explanation")}}}}}};
  }
}

json Schemas() {
  json str = {{"type", "string"}}, integer = {{"type", "integer"}};
  json nullable_int = {{"type", json::array({"integer", "null"})}};
  json strings = {{"type", "array"}, {"items", str}};
  auto page = [&](const char* item) {
    return json{{"type", "object"},
                {"properties",
                 {{"items", {{"type", "array"}, {"items", Ref(item)}}},
                  {"next_cursor", {{"type", json::array({"string", "null"})}}}}}};
  };
  json schemas = {
      {"Problem",
       {{"type", "object"},
        {"required", {"type", "title", "status", "detail", "errors"}},
        {"properties",
         {{"type", str},
          {"title", str},
          {"status", integer},
          {"detail", str},
          {"errors",
           {{"type", "array"},
            {"items",
             {{"type", "object"},
              {"properties", {{"field", str}, {"reason", str}, {"line", integer}}}}}}}}}}},
      {"Person",
       {{"type", "object"},
        {"properties",
         {{"id", integer},
          {"emails", strings},
          {"external_ids", strings},
          {"phones",
           {{"type", "array"},
            {"items", {{"type", "object"}, {"properties", {{"e164", str}, {"raw", str}}}}}}},
          {"first_name", str},
          {"last_name", str},
          {"job_title", str},
          {"country", str},
          {"company_id", nullable_int},
          {"owner", nullable_int},
          {"stage",
           {{"type", "string"},
            {"enum",
             {"subscriber", "lead", "mql", "sal", "sql", "opportunity", "customer", "recycled",
              "disqualified", "lapsed"}}}},
          {"consent", {{"type", "object"}}},
          {"custom", {{"type", "object"}}},
          {"created_at", str},
          {"updated_at", str},
          {"erased", {{"type", "boolean"}}},
          {"lead", Ref("LeadStanding")}}}}},
      {"PersonInput",
       {{"type", "object"},
        {"description",
         "email/emails, phone/phones, external_id/external_ids, first_name, "
         "last_name, job_title, country, company_id, owner, custom. stage is "
         "refused: it changes only by rules and sales actions."}}},
      {"Company",
       {{"type", "object"},
        {"properties",
         {{"id", integer},
          {"name", str},
          {"domain", str},
          {"industry", str},
          {"size_band",
           {{"type", "string"},
            {"enum", {"1-10", "11-50", "51-200", "201-1000", "1001-5000", "5000+"}}}},
          {"country", str},
          {"owner", nullable_int}}}}},
      {"Activity",
       {{"type", "object"},
        {"required", {"id", "type", "occurred_at"}},
        {"properties",
         {{"id", str},
          {"type", str},
          {"source", str},
          {"person_id", integer},
          {"email", str},
          {"external_id", str},
          {"occurred_at", str},
          {"properties", {{"type", "object"}}}}}}},
      {"IngestReport",
       {{"type", "object"},
        {"properties",
         {{"accepted", integer},
          {"duplicates", integer},
          {"people_created", integer},
          {"rejected",
           {{"type", "array"},
            {"items",
             {{"type", "object"},
              {"properties", {{"index", integer}, {"code", str}, {"reason", str}}}}}}}}}}},
      {"LeadStanding", LeadStanding()},
      {"PolicyVersion", PolicyVersion()},
      {"PolicyVersionPage", page("PolicyVersion")},
      {"Explanation", Explanation()},
      {"PersonPage", page("Person")},
      {"CompanyPage", page("Company")},
      {"TimelinePage", {{"type", "object"}}},
  };
  schemas.update(SlaSchemas());
  return schemas;
}

// The policy analyses: a TOML candidate in, a report out (its shape: api/policy_analysis_json.h).
void DescribePolicyAnalysis(const std::string& key, json& op) {
  auto query = [](const char* name, const char* type, const char* what) {
    return json{{"name", name},
                {"in", "query"},
                {"required", false},
                {"schema", {{"type", type}}},
                {"description", what}};
  };
  json report = {{"description", "success"},
                 {"content", {{"application/json", {{"schema", {{"type", "object"}}}}}}}};
  if (key == "POST /api/v1/policy/backtest") {
    op["requestBody"] = {
        {"required", true},
        {"content",
         {{"application/toml", {{"schema", {{"type", "string"}, {"maxLength", 262144}}}}}}}};
    op["parameters"] = {query("from", "string", "count decisions from this date or time"),
                        query("to", "string", "and before this one")};
    op["responses"]["200"] = report;
    op["responses"]["415"] = {
        {"description", "a problem (RFC 9457)"},
        {"content", {{"application/problem+json", {{"schema", Ref("Problem")}}}}}};
  }
  if (key == "GET /api/v1/policy/calibration") {
    op["parameters"] = {
        query("max_mqls_per_month", "number", "volume target: at most this many MQLs a month"),
        query("min_mql_to_sql", "number", "conversion target: a share between 0 and 1"),
        query("band_width", "number", "score band width (default 25)")};
    op["responses"]["200"] = report;
  }
}

// Request and response schemas for the routes that have them.
void Describe(const std::string& key, json& op) {
  auto body = [&](json schema) {
    op["requestBody"] = {{"required", true},
                         {"content", {{"application/json", {{"schema", schema}}}}}};
  };
  auto ok = [&](const char* code, json schema) {
    op["responses"][code] = {{"description", "success"},
                             {"content", {{"application/json", {{"schema", schema}}}}}};
  };
  if (key == "POST /api/v1/people") body(Ref("PersonInput")), ok("201", Ref("Person"));
  if (key == "PATCH /api/v1/people/{id}") body(Ref("PersonInput")), ok("200", Ref("Person"));
  if (key == "GET /api/v1/people/{id}") ok("200", Ref("Person"));
  if (key == "GET /api/v1/people") ok("200", Ref("PersonPage"));
  if (key == "GET /api/v1/people/{id}/timeline") ok("200", Ref("TimelinePage"));
  if (key == "POST /api/v1/companies") body(Ref("Company")), ok("201", Ref("Company"));
  if (key == "PATCH /api/v1/companies/{id}") body(Ref("Company")), ok("200", Ref("Company"));
  if (key == "GET /api/v1/companies/{id}") ok("200", Ref("Company"));
  if (key == "GET /api/v1/companies") ok("200", Ref("CompanyPage"));
  DescribePolicy(key, op);
  DescribeDocument(key, op, "sla", "SlaVersion");
  DescribeSlaRoute(key, op);
  DescribePolicyAnalysis(key, op);
  if (key == "POST /api/v1/activities") {
    body({{"type", "array"}, {"maxItems", 10000}, {"items", Ref("Activity")}});
    ok("200", Ref("IngestReport"));
  }
}

json Operation(const Route& r) {
  json op = {{"summary", r.summary},
             {"operationId", AsciiLower(r.method) + r.pattern},
             {"responses", json::object()}};
  json params = json::array();
  for (auto seg : Split(r.pattern, '/')) {
    if (seg.size() > 2 && seg.front() == '{') {
      params.push_back({{"name", std::string(seg.substr(1, seg.size() - 2))},
                        {"in", "path"},
                        {"required", true},
                        {"schema", {{"type", "string"}}}});
    }
  }
  if (!params.empty()) op["parameters"] = params;
  if (r.permission == Permission::kPublic) op["security"] = json::array();
  Describe(r.method + " " + r.pattern, op);
  if (!op["responses"].contains("200") && !op["responses"].contains("201")) {
    op["responses"]["200"] = {{"description", "success"}};
  }
  json problem = {{"content", {{"application/problem+json", {{"schema", Ref("Problem")}}}}}};
  for (const char* code : {"400", "401", "403", "404", "409", "413", "422"}) {
    op["responses"][code] = problem;
    op["responses"][code]["description"] = "a problem (RFC 9457)";
  }
  return op;
}

}  // namespace

std::string BuildOpenApiDocument(const Router& router, const std::string& version) {
  json paths = json::object();
  for (const auto& r : router.routes()) paths[r.pattern][AsciiLower(r.method)] = Operation(r);
  json doc = {
      {"openapi", "3.1.0"},
      {"info",
       {{"title", "Tandem API"},
        {"version", version},
        {"description",
         "One person record, one lead model and one SLA for marketing "
         "and sales. Every call but /health needs a bearer token."}}},
      {"servers", json::array({{{"url", "/"}}})},
      {"security", json::array({{{"bearer", json::array()}}})},
      {"paths", paths},
      {"components",
       {{"schemas", Schemas()},
        {"securitySchemes", {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}}}}}},
  };
  return doc.dump();
}

}  // namespace tandem::api
