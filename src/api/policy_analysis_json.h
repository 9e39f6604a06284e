// JSON shapes of the policy analyses — a backtest and a calibration — as
// POST /api/v1/policy/backtest and GET /api/v1/policy/calibration answer and as
// `tandem backtest|calibrate --json` print them. Stateless functions; thread-safe.
#pragma once

#include <string>

#include "ingest/backtest.h"
#include "ingest/calibration.h"

namespace tandem::api {

// {window: {from, to}, active: {version, name}, candidate: {name}, weeks: [{week, starts,
//  active: FIGURES, candidate: FIGURES}], total: {active: FIGURES, candidate: FIGURES},
//  differing: {people, items: [{person, active, candidate}]},
//  read: {journal_entries, activities, people, elapsed_ms}}
// FIGURES = {mqls, sqls, mqls_reaching_sql, mqls_reaching_customer, mql_to_sql,
//  mql_to_customer, personas: {id: mqls}, grades: {grade: mqls}}; rates are shares (0 … 1)
// with four decimals, null without MQLs.
std::string BacktestJson(const ingest::BacktestReport& r);

// {policy: {version, name}, people, converted, conversion_rate,
//  history: {first_activity, last_activity, months}, band_width,
//  bands: [{label, from, to, people, converted, rate}], grades: [{grade, people, converted,
//  rate}], auc, targets: {max_mqls_per_month: ANSWER, min_mql_to_sql: ANSWER} (each only when
//  asked), read: {journal_entries, activities, elapsed_ms}}
// ANSWER = {target, met, score_at_least, people, converted, mqls_per_month, conversion_rate,
//  note}.
std::string CalibrationJson(const ingest::CalibrationReport& r);

}  // namespace tandem::api
