// The backtest's figures from two finished sides: MQLs and SQLs per ISO week and in total,
// their conversion, the persona and grade mix, and the people whose stages differ.
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <iterator>
#include <map>
#include <tuple>

#include "ingest/backtest_internal.h"

namespace tandem::ingest::internal {
namespace {

using Moment = SideTally::Moment;
constexpr int64_t kMicrosPerDay = 86'400'000'000;

// Raw counts for one side in one period.
struct Counter {
  int64_t mqls = 0, sqls = 0, to_sql = 0, to_customer = 0;
  std::vector<int64_t> personas;  // [persona + 1]; 0 is no persona
  std::array<int64_t, Grade::kMax + 1> grades{};
};

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

// The Monday (days since 1970-01-01, a Thursday) of the week holding t.
int64_t WeekOf(int64_t t) {
  int64_t day = FloorDiv(t, kMicrosPerDay);
  return day - (day + 3 - FloorDiv(day + 3, 7) * 7);
}

// "2026-W14": the ISO year is the year of the week's Thursday.
std::string IsoWeekLabel(int64_t monday) {
  using namespace std::chrono;
  sys_days thursday{days(monday + 3)};
  year_month_day ymd{thursday};
  sys_days jan1{ymd.year() / January / 1};
  int week = static_cast<int>((thursday - jan1).count() / 7 + 1);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-W%02d", static_cast<int>(ymd.year()), week);
  return buf;
}

void CountMql(const Moment& m, const SideTally& side, Counter& c) {
  ++c.mqls;
  auto i = static_cast<size_t>(m.person);
  const SideTally::Marks marks = i < side.marks.size() ? side.marks[i] : SideTally::Marks{};
  c.to_sql += marks.sql_at >= m.at;
  c.to_customer += marks.customer_at >= m.at;
  auto slot = static_cast<size_t>(m.persona + 1);
  if (c.personas.size() <= slot) c.personas.resize(slot + 1);
  ++c.personas[slot];
  ++c.grades[static_cast<size_t>(std::clamp<int>(m.grade, Grade::kMin, Grade::kMax))];
}

// moments sorted by (key, person, at); calls fn with the first of each (key, person).
template <typename Key, typename Fn>
void FirstPerKey(std::vector<Moment> moments, Key key, Fn fn) {
  std::sort(moments.begin(), moments.end(), [&](const Moment& a, const Moment& b) {
    return std::tuple(key(a), a.person, a.at) < std::tuple(key(b), b.person, b.at);
  });
  for (size_t i = 0; i < moments.size(); ++i) {
    if (i > 0 && key(moments[i]) == key(moments[i - 1]) &&
        moments[i].person == moments[i - 1].person) {
      continue;
    }
    fn(moments[i]);
  }
}

BacktestFigures FiguresOf(const Counter& c, const engine::CompiledPolicy& policy) {
  BacktestFigures f{.mqls = c.mqls,
                    .sqls = c.sqls,
                    .mqls_reaching_sql = c.to_sql,
                    .mqls_reaching_customer = c.to_customer};
  if (c.mqls > 0) {
    f.mql_to_sql = static_cast<double>(c.to_sql) / static_cast<double>(c.mqls);
    f.mql_to_customer = static_cast<double>(c.to_customer) / static_cast<double>(c.mqls);
  }
  const auto& personas = policy.policy().personas;
  for (size_t i = 1; i < c.personas.size(); ++i) {
    if (c.personas[i] > 0 && i - 1 < personas.size())
      f.personas.push_back({personas[i - 1].id, c.personas[i]});
  }
  if (!c.personas.empty() && c.personas[0] > 0) f.personas.push_back({"none", c.personas[0]});
  for (int g = Grade::kMax; g >= Grade::kMin; --g) {
    if (c.grades[g] > 0) f.grades.push_back({GradeName(Grade{g}), c.grades[g]});
  }
  return f;
}

// Per-week counters of both sides, by Monday.
using Weeks = std::map<int64_t, std::array<Counter, 2>>;

// Counts one side (0 active, 1 candidate) into the weeks and its total.
void CountSide(const SideTally& side, int which, Weeks& weeks, Counter& total) {
  auto week = [](const Moment& m) { return WeekOf(m.at); };
  auto none = [](const Moment&) { return 0; };
  FirstPerKey(side.mqls, week, [&](const Moment& m) { CountMql(m, side, weeks[week(m)][which]); });
  FirstPerKey(side.mqls, none, [&](const Moment& m) { CountMql(m, side, total); });
  FirstPerKey(side.sqls, week, [&](const Moment& m) { ++weeks[week(m)][which].sqls; });
  FirstPerKey(side.sqls, none, [&](const Moment&) { ++total.sqls; });
}

void FillWeeks(const Weeks& weeks, const engine::CompiledPolicy& active,
               const engine::CompiledPolicy& candidate, BacktestReport& report) {
  if (weeks.empty()) return;
  const std::array<Counter, 2> empty{};
  for (int64_t w = weeks.begin()->first; w <= weeks.rbegin()->first; w += 7) {
    auto it = weeks.find(w);
    const auto& counters = it == weeks.end() ? empty : it->second;
    report.weeks.push_back({.week = IsoWeekLabel(w),
                            .starts = FromMicros(w * kMicrosPerDay),
                            .active = FiguresOf(counters[0], active),
                            .candidate = FiguresOf(counters[1], candidate)});
  }
}

// Every person either engine knows, ascending, and whether their final stages differ.
void CompareStages(const engine::LeadEngine& a, const engine::LeadEngine& c, Timestamp at,
                   BacktestReport& report) {
  std::vector<PersonId> people = a.People(), more = c.People(), all;
  std::set_union(people.begin(), people.end(), more.begin(), more.end(), std::back_inserter(all));
  report.people = static_cast<int64_t>(all.size());
  for (PersonId p : all) {
    Stage sa = a.StandingOf(p, at).stage, sc = c.StandingOf(p, at).stage;
    if (sa == sc) continue;
    ++report.people_differing;
    if (report.differences.size() < kMaxDifferences) {
      report.differences.push_back({.person = p, .active = sa, .candidate = sc});
    }
  }
}

}  // namespace

void Summarise(const SideReplay& active, const SideReplay& candidate, BacktestReport& report) {
  Weeks weeks;
  Counter totals[2];
  CountSide(active.tally(), 0, weeks, totals[0]);
  CountSide(candidate.tally(), 1, weeks, totals[1]);
  const auto& pa = active.engine().policy();
  const auto& pc = candidate.engine().policy();
  FillWeeks(weeks, pa, pc, report);
  report.active = FiguresOf(totals[0], pa);
  report.candidate = FiguresOf(totals[1], pc);
  int64_t last = active.tally().last_at;
  CompareStages(active.engine(), candidate.engine(),
                last == kNever ? Timestamp{} : FromMicros(last), report);
}

}  // namespace tandem::ingest::internal
