// The demo's deals: after sales qualifies a lead, meetings and an opportunity won or lost. Fit
// and intent drive every step, with noise.
#include <nlohmann/json.hpp>

#include "app/demo_world.h"

namespace tandem::app::demo {
namespace {

using nlohmann::json;
using std::chrono::days;
using std::chrono::minutes;

class DealSim {
 public:
  DealSim(Rng& rng, const Population& pop, size_t index, UserId rep, std::vector<Draft>& out)
      : rng_(rng),
        p_(pop.people[index]),
        c_(pop.companies[p_.company]),
        index_(index),
        out_(out),
        rep_(rep) {
    Region region = c_.country->region;
    offset_ = region == Region::kNa || region == Region::kLatam ? -5 : 1;
  }

  void Run(Timestamp qualified) {
    Timestamp t = qualified;
    Meetings(t);
    Outcome(t);
  }

 private:
  void Meetings(Timestamp& t);
  void Outcome(Timestamp t);
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
  UserId rep_;
  int offset_ = 0;  // the rep's team's hours from UTC
};

void DealSim::Meetings(Timestamp& t) {
  t = NextBusinessTime(rng_, t + days(rng_.Int(2, 8)), offset_);
  Add(t, "meeting_held", "crm", {{"kind", "discovery"}, {"minutes", 30}});
  if (!rng_.Chance(0.5 + 0.4 * p_.truth.fit)) return;
  t = NextBusinessTime(rng_, t + days(rng_.Int(3, 10)), offset_);
  Add(t, "meeting_held", "crm", {{"kind", "demo"}, {"minutes", rng_.Chance(0.5) ? 45 : 60}});
}

// Won or lost some weeks after the last meeting; quality of fit and intent decides, noisily.
void DealSim::Outcome(Timestamp t) {
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

void SimulateDeal(Rng& rng, const Population& pop, size_t index, UserId rep, Timestamp qualified,
                  std::vector<Draft>& out) {
  DealSim(rng, pop, index, rep, out).Run(qualified);
}

}  // namespace tandem::app::demo
