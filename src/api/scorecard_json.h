// The SLA scorecard as JSON (GET /api/v1/sla/scorecard, `tandem sla report --json`).
#pragma once

#include <string>

#include "ingest/sla_scorecard.h"

namespace tandem::api {

// Durations are seconds (median, p90; null without samples); shares are 0..1.
std::string ScorecardJson(const ingest::Scorecard& card);

}  // namespace tandem::api
