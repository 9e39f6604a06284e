// JSON shapes of the API's resources, both ways. Decoding is strict: unknown fields and wrong
// types are refused with the field named.
#pragma once

#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>

#include "base/status.h"
#include "domain/person.h"
#include "ingest/records.h"
#include "store/journal.h"

namespace tandem::api {

// A person as JSON text, with the warnings of the change that produced it, if any.
std::string PersonJson(const Person& p, const std::vector<FieldError>* warnings = nullptr);
nlohmann::json CompanyToJson(const Company& c);
nlohmann::json JournalEntryToJson(const store::JournalEntry& e);

// Parses a request body as a JSON object. kInvalidArgument (HTTP 400 by the caller) if it is
// not JSON, not UTF-8, or not an object.
Result<nlohmann::json> ParseObjectBody(const std::string& body);

// body[key] as a string, or fallback when absent; a value of another type adds a FieldError
// naming key and yields fallback.
std::string OptionalString(const nlohmann::json& body, const char* key, std::string fallback,
                           std::vector<FieldError>& errors);

Result<ingest::PersonFields> PersonFieldsFromJson(const nlohmann::json& j);
Result<ingest::CompanyFields> CompanyFieldsFromJson(const nlohmann::json& j);

// A positive integer id from a path segment; kNotFound for anything else (a malformed id
// names nothing).
Result<int64_t> ParseIdSegment(const std::string& segment, const char* what);

}  // namespace tandem::api

namespace tandem::api {

// `limit` (1–1000, default 100) and `cursor` (an id this API issued) of a list request.
struct ListParams {
  int limit = 100;
  int64_t after = 0;
};
Result<ListParams> ParseListParams(const std::map<std::string, std::string>& query);

// An optional RFC 3339 query parameter; kInvalidArgument naming it if malformed.
Result<std::optional<Timestamp>> ParseTimeParam(const std::map<std::string, std::string>& query,
                                                const char* name);

}  // namespace tandem::api
