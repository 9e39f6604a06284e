#include "domain/policy.h"

#include <array>

namespace tandem {
namespace {

constexpr std::array<std::string_view, 13> kGrades{"F",  "D-", "D",  "D+", "C-", "C", "C+",
                                                   "B-", "B",  "B+", "A-", "A",  "A+"};
constexpr std::array<std::string_view, 8> kFacts{"job_title",    "seniority", "country",
                                                 "region",       "email_domain", "industry",
                                                 "size_band",    "company_country"};

}  // namespace

std::string GradeName(Grade g) {
  int t = g.thirds < Grade::kMin ? Grade::kMin : g.thirds > Grade::kMax ? Grade::kMax : g.thirds;
  return std::string(kGrades[t]);
}

std::optional<Grade> ParseGrade(std::string_view name) {
  for (size_t i = 0; i < kGrades.size(); ++i) {
    if (kGrades[i] == name) return Grade{static_cast<int>(i)};
  }
  return std::nullopt;
}

std::string_view FactName(Fact f) { return kFacts[static_cast<size_t>(f)]; }

std::optional<Fact> ParseFact(std::string_view name) {
  for (size_t i = 0; i < kFacts.size(); ++i) {
    if (kFacts[i] == name) return static_cast<Fact>(i);
  }
  return std::nullopt;
}

}  // namespace tandem
