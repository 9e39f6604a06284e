// JSON shapes of the SLA model's resources: the parsed SLA document, open leads with their
// clocks, the outcome of a sales action and outbox messages. Stateless functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "domain/person.h"
#include "domain/sales_action.h"
#include "domain/sla.h"
#include "ingest/sla_model.h"
#include "store/db.h"
#include "store/outbox.h"

namespace tandem::api {

// The document with the TOML's keys and units: {name, horizon_days, horizon_derived,
// marketing, lead_types, recycle_reasons, disqualify_reasons, escalation, routing}.
std::string SlaDocumentJson(const SlaDocument& doc);

// An open lead as of now: {person: {id, name, email, stage}, owner, team, lead_type,
// sla_version, assigned_at, accepted, clocks_running, attempts, attempts_required, channels,
// channels_required, clocks: [{clock, started, due, met, breached, seconds_left}], next_due,
// seconds_left}. seconds_left is negative when late and null for a met clock (or, at the
// top, when no clock is running). person may be null (the record could not be read).
std::string OpenLeadJson(const ingest::OpenLeadView& lead, const Person* person, Timestamp now);
// The same with the person read from db.
std::string OpenLeadJson(sql::Db& db, const ingest::OpenLeadView& lead, Timestamp now);

// {seq, action, stage (or null), owner, lead}; lead_json is the open lead's JSON or "null".
std::string ActionOutcomeJson(const ingest::ActionOutcome& outcome, SalesActionKind kind,
                              std::string_view lead_json);

// {id, seq, channel, target, event, subject, status, attempts, created_at, next_attempt_at,
// delivered_at, last_error}: never the body, which may hold personal data.
std::string OutboxMessageJson(const store::OutboxRecord& m);

}  // namespace tandem::api
