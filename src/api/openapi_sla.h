// The SLA's part of the OpenAPI document (openapi.cc): schemas of its bodies and answers, and
// what each of its routes takes and returns.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace tandem::api {

// Schemas by name, for components.schemas: SlaVersion, SlaVersionPage, SlaDocument,
// SalesActionInput, ActionOutcome, OpenLead, QueuePage, OutboxMessage, OutboxPage.
nlohmann::json SlaSchemas();

// Adds parameters, the request body and the success answer to op when key ("GET
// /api/v1/queue") is one of the queue, lead, action or outbox routes; otherwise nothing.
void DescribeSlaRoute(const std::string& key, nlohmann::json& op);

}  // namespace tandem::api
