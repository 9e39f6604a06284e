// Calibration's statistics over one score, grade and outcome per person. Internal to ingest.
#pragma once

#include <cstdint>
#include <vector>

#include "ingest/calibration.h"

namespace tandem::ingest::internal {

struct ScoredPerson {
  double peak = 0;  // ≥ 0
  int grade = 0;    // thirds above F
  bool converted = false;
};

// Fills report's population figures, bands, grades, AUC and the answers for the targets in
// options. REQUIRES: options checked; report.months set.
void FillStatistics(const std::vector<ScoredPerson>& people, const CalibrationOptions& options,
                    CalibrationReport& report);

}  // namespace tandem::ingest::internal
