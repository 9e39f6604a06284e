// The demo's sales process after a demo or call-back request: attempts to reach the person,
// meetings, and an opportunity won or lost. Fit and intent drive every step, with noise; most
// first touches are prompt, some are late (the SLA has something to find).
#include <nlohmann/json.hpp>

#include "app/demo_world.h"

namespace tandem::app::demo {
namespace {

using nlohmann::json;
using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

class SalesSim {
 public:
  SalesSim(Rng& rng, const Org& org, const Population& pop, size_t index, std::vector<Draft>& out)
      : rng_(rng), p_(pop.people[index]), c_(pop.companies[p_.company]), index_(index), out_(out) {
    Region region = c_.country->region;
    offset_ = region == Region::kNa || region == Region::kLatam ? -5 : 1;
    const auto& reps = org.RepsFor(region);
    rep_ = p_.owner.valid() || reps.empty() ? p_.owner : rng.Pick(std::span<const UserId>(reps));
  }

  void Run(Timestamp request);

 private:
  bool Reach(Timestamp& t);
  void Meetings(Timestamp& t);
  void Outcome(Timestamp t);
  Timestamp FirstTouch(Timestamp request);
  void Add(Timestamp at, std::string_view type, std::string_view source, json props) {
    props["rep"] = rep_.value();
    out_.push_back({at, type, source, props.dump()});
  }
  std::string Opportunity() const { return "OPP-" + std::to_string(10000 + index_); }
  std::string_view Currency() const {
    if (c_.country->code == "GB") return "GBP";
    return c_.country->region == Region::kEmea ? "EUR" : "USD";
  }

  Rng& rng_;
  const PersonPlan& p_;
  const CompanyPlan& c_;
  size_t index_;
  std::vector<Draft>& out_;
  int offset_ = 0;  // the rep's team's hours from UTC
  UserId rep_;
};

void SalesSim::Run(Timestamp request) {
  if (!rep_.valid()) return;
  Timestamp t = FirstTouch(request);
  if (!Reach(t)) return;
  if (!rng_.Chance(0.3 + 0.55 * p_.truth.fit)) return;  // talked, but no reason to meet
  Meetings(t);
  Outcome(t);
}

// Mostly within hours; a quarter within two days; one in ten late by days.
Timestamp SalesSim::FirstTouch(Timestamp request) {
  double r = rng_.Unit();
  Duration delay = r < 0.65  ? Duration(minutes(rng_.Int(10, 240)))
                   : r < 0.9 ? Duration(hours(rng_.Int(4, 48)))
                             : Duration(hours(rng_.Int(48, 144)));
  return NextBusinessTime(rng_, request + delay, offset_);
}

// Calls and e-mails until the person answers or the rep gives up. t ends at the last touch.
bool SalesSim::Reach(Timestamp& t) {
  static constexpr std::string_view kMissed[] = {"voicemail", "no_answer"};
  double intent = p_.truth.intent;
  int attempts = static_cast<int>(rng_.Int(2, 5));
  for (int a = 0; a < attempts; ++a) {
    if (a > 0) t = NextBusinessTime(rng_, t + hours(rng_.Int(20, 72)), offset_);
    if (a % 2 == 0) {
      bool answered = rng_.Chance(0.35 + 0.35 * intent);
      std::string_view outcome =
          answered ? "connected" : rng_.Pick(std::span<const std::string_view>(kMissed));
      Add(t, "call_logged", "crm",
          {{"outcome", outcome},
           {"duration_s", answered ? rng_.Int(180, 1500) : rng_.Int(10, 60)}});
      if (answered) return true;
    } else {
      Add(t, "sales_email_sent", "crm", {{"template", "follow-up-" + std::to_string(a)}});
      if (rng_.Chance(0.15 + 0.2 * intent)) return true;  // they wrote back
    }
  }
  return false;
}

void SalesSim::Meetings(Timestamp& t) {
  t = NextBusinessTime(rng_, t + days(rng_.Int(2, 8)), offset_);
  Add(t, "meeting_held", "crm", {{"kind", "discovery"}, {"minutes", 30}});
  if (!rng_.Chance(0.5 + 0.4 * p_.truth.fit)) return;
  t = NextBusinessTime(rng_, t + days(rng_.Int(3, 10)), offset_);
  Add(t, "meeting_held", "crm", {{"kind", "demo"}, {"minutes", rng_.Chance(0.5) ? 45 : 60}});
}

// Won or lost some weeks after the last meeting; quality of fit and intent decides, noisily.
void SalesSim::Outcome(Timestamp t) {
  t = NextBusinessTime(rng_, t + days(rng_.Int(10, 45)), offset_);
  double q = Clamp01(0.6 * p_.truth.fit + 0.4 * p_.truth.intent + rng_.Noise(0.15));
  double p_win = std::clamp(0.05 + 1.1 * (q - 0.35), 0.03, 0.85);
  int64_t amount = rng_.Int(c_.size->deal_min, c_.size->deal_max) / 10 * 10;
  json deal = {{"opportunity", Opportunity()}, {"amount", amount}, {"currency", Currency()}};
  if (!rng_.Chance(p_win)) {
    deal["reason"] = rng_.Pick(LossReasons());
    Add(t, "opportunity_lost", "crm", deal);
    return;
  }
  Add(t, "opportunity_won", "crm", deal);
  json order = {{"order", "SO-" + std::to_string(200000 + index_)},
                {"plan", c_.size_index >= 3 ? "enterprise" : "business"},
                {"amount", amount},
                {"currency", Currency()}};
  out_.push_back(
      {t + days(rng_.Int(0, 7)) + minutes(rng_.Int(0, 600)), "purchase", "shop", order.dump()});
}

}  // namespace

void SimulateSales(Rng& rng, const Org& org, const Population& pop, size_t index, Timestamp request,
                   std::vector<Draft>& out) {
  SalesSim(rng, org, pop, index, out).Run(request);
}

}  // namespace tandem::app::demo
