// Calibration's statistics: conversion by score band and grade, the area under the ROC curve,
// and the lowest whole-score thresholds meeting a volume or a conversion target.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "ingest/calibration_internal.h"

namespace tandem::ingest {
namespace {

using internal::ScoredPerson;

std::optional<double> Rate(int64_t converted, int64_t people) {
  if (people == 0) return std::nullopt;
  return static_cast<double>(converted) / static_cast<double>(people);
}

std::string Number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

void FillBands(const std::vector<ScoredPerson>& people, double width, CalibrationReport& r) {
  int top = -1;
  std::vector<int64_t> counts(kMaxBands, 0), converted(kMaxBands, 0);
  for (const auto& p : people) {
    double band = std::floor(p.peak / width);
    int i = band >= kMaxBands - 1 ? kMaxBands - 1 : static_cast<int>(band);
    ++counts[i];
    converted[i] += p.converted;
    top = std::max(top, i);
  }
  for (int i = 0; i <= top; ++i) {
    ConversionGroup g{.low = i * width, .people = counts[i], .converted = converted[i]};
    if (i < kMaxBands - 1) {
      g.high = (i + 1) * width;
      g.label = "[" + Number(g.low) + ", " + Number(*g.high) + ")";
    } else {
      g.label = "≥ " + Number(g.low);
    }
    g.rate = Rate(g.converted, g.people);
    r.bands.push_back(std::move(g));
  }
}

void FillGrades(const std::vector<ScoredPerson>& people, CalibrationReport& r) {
  int64_t counts[Grade::kMax + 1] = {}, converted[Grade::kMax + 1] = {};
  for (const auto& p : people) {
    int g = std::clamp(p.grade, Grade::kMin, Grade::kMax);
    ++counts[g];
    converted[g] += p.converted;
  }
  for (int g = Grade::kMax; g >= Grade::kMin; --g) {
    r.grades.push_back({.label = GradeName(Grade{g}),
                        .people = counts[g],
                        .converted = converted[g],
                        .rate = Rate(converted[g], counts[g])});
  }
}

// People whose peak score has the same whole part: a threshold s (a whole number) takes all
// of a level or none of it (peak ≥ s exactly when floor(peak) ≥ s).
struct Level {
  int64_t floor = 0, people = 0, converted = 0;  // people and converted: this level and above
};

std::vector<Level> LevelsOf(const std::vector<ScoredPerson>& people) {
  std::vector<Level> levels;
  std::vector<std::pair<int64_t, bool>> floors;
  floors.reserve(people.size());
  for (const auto& p : people) floors.emplace_back(static_cast<int64_t>(p.peak), p.converted);
  std::sort(floors.begin(), floors.end());
  for (const auto& [f, conv] : floors) {
    if (levels.empty() || levels.back().floor != f) levels.push_back({.floor = f});
    ++levels.back().people;
    levels.back().converted += conv;
  }
  for (size_t i = levels.size(); i-- > 1;) {
    levels[i - 1].people += levels[i].people;
    levels[i - 1].converted += levels[i].converted;
  }
  return levels;
}

// The lowest whole threshold whose people meet `meets`: for level j, the lowest s that takes
// exactly levels j and above is one past the level below (0 for the first).
template <typename Meets>
ThresholdAnswer Lowest(const std::vector<Level>& levels, double months, double target,
                       Meets meets) {
  ThresholdAnswer a{.target = target};
  for (size_t j = 0; j < levels.size(); ++j) {
    if (!meets(levels[j])) continue;
    a.met = true;
    a.score_at_least = j == 0 ? 0 : levels[j - 1].floor + 1;
    a.people = levels[j].people;
    a.converted = levels[j].converted;
    a.mqls_per_month = static_cast<double>(a.people) / months;
    a.rate = Rate(a.converted, a.people);
    return a;
  }
  return a;
}

ThresholdAnswer ForVolume(const std::vector<Level>& levels, double months, double target) {
  auto a = Lowest(levels, months, target,
                  [&](const Level& l) { return static_cast<double>(l.people) / months <= target; });
  if (!a.met) {
    a.note = levels.empty() ? "no one has any activity yet"
                            : "only a threshold above every score (" +
                                  std::to_string(levels.back().floor + 1) +
                                  ") keeps MQLs under the target, and then nobody is an MQL";
  }
  return a;
}

ThresholdAnswer ForRate(const std::vector<Level>& levels, double months, double target) {
  auto a = Lowest(levels, months, target, [&](const Level& l) {
    return static_cast<double>(l.converted) >= target * static_cast<double>(l.people);
  });
  if (!a.met) {
    a.note =
        "no score threshold gives a conversion rate that high: the score alone does not "
        "single out enough people who convert";
  }
  return a;
}

}  // namespace

std::optional<double> AreaUnderRoc(const std::vector<double>& scores,
                                   const std::vector<bool>& converted) {
  std::vector<size_t> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[a] < scores[b]; });
  double positives = 0, rank_sum = 0;  // ranks from 1; ties share their mean rank
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j < order.size() && scores[order[j]] == scores[order[i]]) ++j;
    double mean_rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2;
    for (size_t k = i; k < j; ++k) {
      if (!converted[order[k]]) continue;
      ++positives;
      rank_sum += mean_rank;
    }
    i = j;
  }
  double negatives = static_cast<double>(scores.size()) - positives;
  if (positives == 0 || negatives == 0) return std::nullopt;
  return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives);
}

namespace internal {

void FillStatistics(const std::vector<ScoredPerson>& people, const CalibrationOptions& options,
                    CalibrationReport& report) {
  report.people = static_cast<int64_t>(people.size());
  for (const auto& p : people) report.converted += p.converted;
  report.rate = Rate(report.converted, report.people);
  FillBands(people, options.band_width, report);
  FillGrades(people, report);
  std::vector<double> scores;
  std::vector<bool> outcomes;
  for (const auto& p : people) {
    scores.push_back(p.peak);
    outcomes.push_back(p.converted);
  }
  report.auc = AreaUnderRoc(scores, outcomes);
  std::vector<Level> levels = LevelsOf(people);
  if (options.target_mqls_per_month) {
    report.for_mqls_per_month = ForVolume(levels, report.months, *options.target_mqls_per_month);
  }
  if (options.target_mql_to_sql) {
    report.for_mql_to_sql = ForRate(levels, report.months, *options.target_mql_to_sql);
  }
}

}  // namespace internal
}  // namespace tandem::ingest
