#include "ingest/sla_scorecard.h"

#include <date/date.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <memory>
#include <unordered_map>

#include "engine/business_hours.h"
#include "store/users.h"

namespace tandem::ingest {
namespace {

using nlohmann::json;
constexpr Duration kStuckMql = std::chrono::hours(24 * 14);
constexpr Duration kStuckSql = std::chrono::hours(24 * 7);

constexpr const char* kSql =
    "SELECT occurred_at, kind, subject, actor, reason, type FROM journal WHERE kind IN "
    "('stage_changed', 'grade_changed', 'assigned', 'action', 'sla_breached') OR (kind = "
    "'activity' AND type IN ('call_logged', 'sales_email_sent', 'meeting_held')) ORDER BY seq";

// Raw counts and samples for one owner; merged for teams and all of sales.
struct Acc {
  SalesScore counts;
  std::vector<int64_t> to_accept, to_touch;
  std::vector<int> recycle_attempts;
  void Merge(const Acc& o) {
    counts.assigned += o.counts.assigned;
    counts.accepted += o.counts.accepted;
    counts.qualified += o.counts.qualified;
    counts.recycled += o.counts.recycled;
    counts.disqualified += o.counts.disqualified;
    counts.breached += o.counts.breached;
    to_accept.insert(to_accept.end(), o.to_accept.begin(), o.to_accept.end());
    to_touch.insert(to_touch.end(), o.to_touch.begin(), o.to_touch.end());
    recycle_attempts.insert(recycle_attempts.end(), o.recycle_attempts.begin(),
                            o.recycle_attempts.end());
  }
};

DurationStats Stats(std::vector<int64_t> v) {
  DurationStats s{.count = static_cast<int64_t>(v.size())};
  if (v.empty()) return s;
  std::sort(v.begin(), v.end());
  auto at = [&](double q) { return Duration(v[static_cast<size_t>(q * (v.size() - 1) + 0.5)]); };
  s.median = at(0.5);
  s.p90 = at(0.9);
  return s;
}

SalesScore Finish(const Acc& a) {
  SalesScore s = a.counts;
  s.share_breached = s.assigned ? static_cast<double>(s.breached) / s.assigned : 0;
  s.to_accept = Stats(a.to_accept);
  s.to_first_touch = Stats(a.to_touch);
  if (!a.recycle_attempts.empty()) {
    double sum = 0;
    for (int n : a.recycle_attempts) sum += n;
    s.attempts_before_recycle = sum / a.recycle_attempts.size();
  }
  return s;
}

// One person as the journal tells it so far.
struct Track {
  std::string grade = "D";
  Stage stage = Stage::kLead;
  int64_t stage_at = 0, last_touch = 0;
  bool mql_in_period = false, sql = false;
  UserId owner;  // of the lead assigned in the period (invalid: none)
  UserId current_owner;
  int64_t assigned_at = 0;
  bool accepted = false, touched = false, breached = false;
  int attempts = 0;
};

struct Row {
  int64_t at;
  std::string_view kind, actor, type;
  PersonId person;
  json reason;
};

// Business time between two instants in an owner's team's calendar (as the SLA clocks count
// it); elapsed time for owners without a team or a readable calendar.
class OwnerCalendars {
 public:
  OwnerCalendars(const std::vector<User>& users, const std::vector<Team>& teams) {
    std::unordered_map<int64_t, const engine::BusinessCalendar*> by_team;
    for (const Team& t : teams) {
      auto c = engine::BusinessCalendar::Parse(t.time_zone, t.business_hours, t.holidays);
      if (!c.ok()) continue;
      calendars_.push_back(std::make_unique<engine::BusinessCalendar>(std::move(*c)));
      by_team[t.id.value()] = calendars_.back().get();
    }
    for (const User& u : users) {
      if (auto it = by_team.find(u.team.value()); it != by_team.end()) {
        by_user_[u.id.value()] = it->second;
      }
    }
  }
  int64_t Between(UserId owner, int64_t from_us, int64_t to_us) const {
    auto it = by_user_.find(owner.value());
    if (it == by_user_.end() || to_us <= from_us) return to_us - from_us;
    return it->second->BusinessTimeBetween(FromMicros(from_us), FromMicros(to_us)).count();
  }

 private:
  std::vector<std::unique_ptr<engine::BusinessCalendar>> calendars_;
  std::unordered_map<int64_t, const engine::BusinessCalendar*> by_user_;
};

class Folder {
 public:
  Folder(const ScorePeriod& p, const OwnerCalendars& calendars)
      : from_(ToMicros(p.from)), to_(ToMicros(p.to)), calendars_(calendars) {}
  void Apply(const Row& r);
  std::unordered_map<int64_t, Track> people;
  std::unordered_map<int64_t, Acc> by_owner;
  std::map<std::string, int64_t> grade_mix, recycle_reasons, disqualify_reasons;
  int64_t mqls = 0, mqls_to_sql = 0;

 private:
  bool InPeriod(int64_t t) const { return t >= from_ && t < to_; }
  void Stage(Track& t, const Row& r);
  void Touch(Track& t, const Row& r);
  void Action(Track& t, const Row& r);
  int64_t from_, to_;
  const OwnerCalendars& calendars_;
};

void Folder::Apply(const Row& r) {
  Track& t = people[r.person.value()];
  if (r.kind == "grade_changed") {
    t.grade = r.reason.value("grade", t.grade);
  } else if (r.kind == "stage_changed") {
    Stage(t, r);
  } else if (r.kind == "assigned") {
    t.current_owner = UserId(r.reason.value("owner", int64_t{0}));
    if (!InPeriod(r.at)) return;
    t.owner = UserId(r.reason.value("owner", int64_t{0}));
    t.assigned_at = r.at;
    t.accepted = t.touched = t.breached = false;
    ++by_owner[t.owner.value()].counts.assigned;
  } else if (r.kind == "sla_breached") {
    if (!t.owner.valid() || t.breached) return;
    t.breached = true;
    ++by_owner[t.owner.value()].counts.breached;
  } else if (r.kind == "action") {
    Action(t, r);
  } else {
    Touch(t, r);
  }
}

void Folder::Stage(Track& t, const Row& r) {
  auto to = ParseStage(r.reason.value("to", std::string()));
  if (!to) return;
  t.stage = *to;
  t.stage_at = r.at;
  bool by_rule = r.actor.rfind("rule:", 0) == 0;
  if (by_rule && (*to == Stage::kMql || *to == Stage::kSql) && InPeriod(r.at) &&
      !t.mql_in_period) {
    t.mql_in_period = true;
    ++mqls;
    ++grade_mix[t.grade];
  }
  if (*to == Stage::kSql && t.mql_in_period && !t.sql) {
    t.sql = true;
    ++mqls_to_sql;
  }
}

void Folder::Touch(Track& t, const Row& r) {
  t.last_touch = r.at;
  if (!t.owner.valid()) return;
  ++t.attempts;
  if (!t.touched) {
    t.touched = true;
    by_owner[t.owner.value()].to_touch.push_back(calendars_.Between(t.owner, t.assigned_at, r.at));
  }
}

void Folder::Action(Track& t, const Row& r) {
  std::string action = r.reason.value("action", std::string());
  std::string reason = r.reason.value("reason", std::string());
  if (action == "attempt" || action == "connect") return Touch(t, r);
  if (action == "qualify" || action == "accept") t.last_touch = r.at;
  if (!t.owner.valid()) return;
  Acc& a = by_owner[t.owner.value()];
  if (action == "accept" && !t.accepted) {
    t.accepted = true;
    ++a.counts.accepted;
    a.to_accept.push_back(calendars_.Between(t.owner, t.assigned_at, r.at));
  } else if (action == "qualify") {
    ++a.counts.qualified;
  } else if (action == "recycle") {
    ++a.counts.recycled;
    ++recycle_reasons[reason];
    a.recycle_attempts.push_back(t.attempts);
  } else if (action == "disqualify") {
    ++a.counts.disqualified;
    ++disqualify_reasons[reason];
  }
}

Status Scan(store::Store& store, Folder& f) {
  return store.Read([&](sql::Db& db) {
    auto st = db.Prepare(kSql);
    if (!st.ok()) return st.status();
    sql::Stmt& s = **st;
    while (s.Step()) {
      Row r{.at = s.Int(0),
            .kind = s.TextView(1),
            .actor = s.TextView(3),
            .type = s.TextView(5),
            .person = PersonId(s.Int(2))};
      if (r.kind != "activity") r.reason = json::parse(s.TextView(4), nullptr, false);
      if (!r.reason.is_object() && r.kind != "activity") continue;
      f.Apply(r);
    }
    return s.status();
  });
}

std::vector<StuckLead> Stuck(const Folder& f, Timestamp now) {
  std::vector<StuckLead> out;
  const int64_t t = ToMicros(now);
  for (const auto& [id, p] : f.people) {
    auto days = [&](int64_t since) { return std::to_string((t - since) / 86'400'000'000) + " days"; };
    if (p.stage == Stage::kMql && t - p.stage_at > kStuckMql.count()) {
      out.push_back({PersonId(id), p.stage, p.current_owner, FromMicros(p.stage_at),
                     "MQL for " + days(p.stage_at)});
    }
    int64_t touched = std::max(p.stage_at, p.last_touch);
    if (p.stage == Stage::kSql && t - touched > kStuckSql.count()) {
      out.push_back({PersonId(id), p.stage, p.current_owner, FromMicros(touched),
                     "SQL untouched for " + days(touched)});
    }
  }
  std::sort(out.begin(), out.end(), [](const StuckLead& a, const StuckLead& b) {
    return a.since != b.since ? a.since < b.since : a.person < b.person;
  });
  return out;
}

}  // namespace

Result<ScorePeriod> ParseScorePeriod(std::string_view text) {
  auto bad = [&] {
    return InvalidArgument("period must be a month (2026-11) or a quarter (2026-Q4)",
                           {{"period", "not YYYY-MM or YYYY-Qn: '" + std::string(text) + "'"}});
  };
  int year = 0, n = 0;
  if (text.size() != 7 || text[4] != '-') return bad();
  auto [end, ec] = std::from_chars(text.data(), text.data() + 4, year);
  if (ec != std::errc() || end != text.data() + 4 || year < 1970 || year > 9999) return bad();
  bool quarter = text[5] == 'Q';
  auto [e2, ec2] = std::from_chars(text.data() + (quarter ? 6 : 5), text.data() + 7, n);
  if (ec2 != std::errc() || e2 != text.data() + 7) return bad();
  if (quarter ? (n < 1 || n > 4) : (n < 1 || n > 12)) return bad();
  int first = quarter ? (n - 1) * 3 + 1 : n, months = quarter ? 3 : 1;
  using namespace date;
  auto ym = year_month(date::year(year), date::month(first));
  auto from = sys_days(ym / 1);
  auto to = sys_days((ym + date::months(months)) / 1);
  return ScorePeriod{.name = std::string(text),
                     .from = Timestamp(std::chrono::duration_cast<Duration>(from.time_since_epoch())),
                     .to = Timestamp(std::chrono::duration_cast<Duration>(to.time_since_epoch()))};
}

Result<Scorecard> BuildScorecard(store::Store& store, const SlaDocument& doc, int sla_version,
                                 const ScorePeriod& period, Timestamp now) {
  std::vector<User> users;
  std::vector<Team> teams;
  TANDEM_RETURN_IF_ERROR(store.Read([&](sql::Db& db) {
    users = store::ListUsers(db);
    teams = store::ListTeams(db);
    return Status::Ok();
  }));
  OwnerCalendars calendars(users, teams);
  Folder f(period, calendars);
  TANDEM_RETURN_IF_ERROR(Scan(store, f));
  Scorecard c{.period = period, .sla_version = sla_version};
  MarketingScore& m = c.marketing;
  m.mqls = f.mqls;
  m.mql_target = doc.marketing.mql_target;
  m.grade_mix = f.grade_mix;
  m.quality_grade = GradeName(doc.marketing.quality_grade);
  int64_t good = 0;
  for (const auto& [grade, count] : f.grade_mix) {
    auto g = ParseGrade(grade);
    if (g && *g >= doc.marketing.quality_grade) good += count;
  }
  m.quality_share = f.mqls ? static_cast<double>(good) / f.mqls : 0;
  m.quality_share_target = doc.marketing.quality_share;
  m.mql_to_sql = f.mqls ? static_cast<double>(f.mqls_to_sql) / f.mqls : 0;
  m.mql_to_sql_target = doc.marketing.mql_to_sql_target;
  m.volume_met = m.mqls >= m.mql_target;
  m.quality_met = m.quality_share >= m.quality_share_target;
  m.conversion_met = m.mql_to_sql >= m.mql_to_sql_target;
  Acc all;
  std::map<int64_t, Acc> by_team;
  for (const User& u : users) {
    if (u.role != Role::kSalesRep && u.role != Role::kSalesManager) continue;
    Acc a;
    if (auto it = f.by_owner.find(u.id.value()); it != f.by_owner.end()) a = it->second;
    c.reps.push_back({u.id, u.name, u.email, u.team, Finish(a)});
    by_team[u.team.value()].Merge(a);
    all.Merge(a);
  }
  for (const Team& t : teams) {
    if (auto it = by_team.find(t.id.value()); it != by_team.end()) {
      c.teams.push_back({t.id, t.name, Finish(it->second)});
    }
  }
  c.sales = Finish(all);
  c.recycle_reasons = f.recycle_reasons;
  c.disqualify_reasons = f.disqualify_reasons;
  c.stuck = Stuck(f, now);
  return c;
}

}  // namespace tandem::ingest
