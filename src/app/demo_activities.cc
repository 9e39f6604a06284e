// What one demo person does over the history: e-mails opened, visits, research bursts,
// webinars, requests to sales, self-serve purchases, and visits as a customer. Behaviour
// follows the hidden truth.
#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>

#include "app/demo_world.h"

namespace tandem::app::demo {
namespace {

using nlohmann::json;
using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using std::chrono::sys_days;

constexpr uint64_t kActivityStream = 10, kCustomerStream = 11;

struct Burst {
  sys_days from, to;
};

class PersonSim {
 public:
  PersonSim(uint64_t seed, const Schedule& s, const Population& pop, size_t i,
            uint64_t stream = kActivityStream)
      : rng_(Rng::For(seed, stream, i)),
        s_(s),
        pop_(pop),
        index_(i),
        p_(pop.people[i]),
        offset_(p_.home->utc_offset) {}

  std::vector<Draft> Run();
  // Visits as a customer after buying at `bought` (a deal sales won).
  std::vector<Draft> RunCustomer(Timestamp bought);

 private:
  void Arrive();
  void PlanBursts();
  void Emails();
  bool Email(const Campaign& c, double engagement);
  void Browse();
  void Research(const Burst& b);
  void Request(Timestamp at);
  void Webinars();
  void SelfServe();
  void CustomerVisits();
  void VisitAsCustomer(Timestamp bought);
  Timestamp Visit(Timestamp at, std::span<const std::string_view> pages, double share,
                  std::string_view referrer);
  void Add(Timestamp at, std::string_view type, std::string_view source, const json& props) {
    out_.push_back({at, type, source, props.dump()});
  }
  sys_days Day(Timestamp t) const { return std::chrono::floor<days>(t + hours(offset_)); }
  sys_days LastDay() const { return Day(s_.end); }

  Rng rng_;
  const Schedule& s_;
  const Population& pop_;
  size_t index_;
  const PersonPlan& p_;
  int offset_;
  Timestamp known_from_{};
  bool subscribed_ = false;
  std::vector<Burst> bursts_;
  std::optional<Timestamp> request_;
  std::vector<Draft> out_;
};

std::vector<Draft> PersonSim::Run() {
  Arrive();
  PlanBursts();
  Emails();
  Browse();
  for (const Burst& b : bursts_) Research(b);
  Webinars();
  SelfServe();
  CustomerVisits();
  // Nothing before the person is known, nothing after now.
  std::erase_if(out_, [&](const Draft& d) { return d.at < known_from_ || d.at > s_.end; });
  return std::move(out_);
}

std::vector<Draft> PersonSim::RunCustomer(Timestamp bought) {
  VisitAsCustomer(bought);
  std::erase_if(out_, [&](const Draft& d) { return d.at > s_.end; });
  return std::move(out_);
}

// Most people are known when the history starts; the rest arrive through a form.
void PersonSim::Arrive() {
  if (rng_.Chance(0.6)) {
    known_from_ = s_.start;
    subscribed_ = rng_.Chance(0.8);
    return;
  }
  known_from_ = WorkTime(rng_, PickDay(rng_, Day(s_.start) + days(1), LastDay()), offset_);
  static constexpr std::string_view kForms[] = {"newsletter-signup", "contact-us", "gated-content",
                                                "newsletter-signup"};
  std::string_view form = rng_.Pick(std::span<const std::string_view>(kForms));
  Timestamp t = Visit(known_from_, GeneralPages(), 0, rng_.Pick(Referrers()));
  std::string asset(rng_.Pick(Assets()));
  json props = {{"form", form}, {"page", form == "contact-us" ? "/contact" : "/blog"}};
  if (form == "gated-content") props.update({{"asset", asset}, {"page", "/resources/" + asset}});
  Add(t + seconds(rng_.Int(20, 180)), "form_submit", "website", props);
  if (form == "gated-content") {
    Add(t + seconds(rng_.Int(200, 260)), "content_download", "website",
        {{"asset", asset}, {"format", "pdf"}});
  }
  subscribed_ = form == "newsletter-signup" || rng_.Chance(0.5);
}

// Research bursts: a few weeks of evaluation, more often for people with intent.
void PersonSim::PlanBursts() {
  double intent = p_.truth.intent;
  int n = rng_.Poisson(0.1 + 0.6 * intent + 2.2 * intent * intent);
  sys_days first = Day(known_from_), last = LastDay() - days(3);
  for (int i = 0; i < n && first <= last; ++i) {
    sys_days from = PickDay(rng_, first, last);
    bursts_.push_back({from, std::min(from + days(rng_.Int(7, 28)), LastDay())});
  }
}

void PersonSim::Emails() {
  if (!subscribed_) return;
  double engagement = Clamp01(0.1 + 0.35 * p_.truth.intent + 0.1 * p_.truth.fit + rng_.Noise(0.08));
  for (const Campaign& c : s_.campaigns) {
    if (c.at >= known_from_ && !Email(c, engagement)) return;
  }
}

// One campaign reaching the person; false once nothing more can reach them.
bool PersonSim::Email(const Campaign& c, double engagement) {
  json campaign = {{"campaign", c.name}};
  if (p_.bounces) {
    Add(c.at + seconds(rng_.Int(5, 90)), "email_bounce", "esp",
        {{"campaign", c.name}, {"kind", "hard"}, {"reason", "mailbox does not exist"}});
    return false;
  }
  if (!rng_.Chance(engagement)) return true;
  double r = rng_.Unit();
  Timestamp t = c.at + (r < 0.5    ? Duration(minutes(rng_.Int(2, 120)))
                        : r < 0.85 ? Duration(hours(rng_.Int(2, 24)))
                                   : Duration(hours(rng_.Int(24, 96))));
  Add(t, "email_open", "esp", campaign);
  if (rng_.Chance(0.006)) {
    Add(t + seconds(rng_.Int(20, 300)), "unsubscribe", "esp",
        {{"campaign", c.name}, {"list", "marketing"}});
    return false;
  }
  if (!rng_.Chance(0.15 + 0.35 * p_.truth.intent)) return true;
  t += seconds(rng_.Int(5, 300));
  Add(t, "email_click", "esp", {{"campaign", c.name}, {"url", c.landing}});
  Add(t + seconds(rng_.Int(1, 4)), "page_view", "website",
      {{"path", c.landing}, {"utm_campaign", c.name}, {"utm_medium", "email"}});
  return true;
}

// A visit of one or more pages; `share` of them from `pages`, the rest general. Returns the
// time of the last page.
Timestamp PersonSim::Visit(Timestamp at, std::span<const std::string_view> pages, double share,
                           std::string_view referrer) {
  int n = std::min(8, 1 + rng_.Poisson(0.8 + 1.2 * share));
  for (int k = 0; k < n; ++k) {
    std::string_view path = rng_.Chance(share) ? rng_.Pick(pages) : rng_.Pick(GeneralPages());
    if (p_.truth.fit < 0.2 && rng_.Chance(0.3)) path = "/careers";
    Add(at, "page_view", "website", {{"path", path}, {"referrer", k ? "internal" : referrer}});
    if (k + 1 < n) at += seconds(rng_.Int(15, 240));
  }
  return at;
}

// Casual visits spread over the whole history.
void PersonSim::Browse() {
  const Truth& t = p_.truth;
  int n = rng_.Poisson(3.5 + 5 * t.intent + 2 * t.fit);
  for (int i = 0; i < n; ++i) {
    Timestamp at = WorkTime(rng_, PickDay(rng_, Day(known_from_), LastDay()), offset_);
    Visit(at, ResearchPages(), 0.1 + 0.2 * t.intent, rng_.Pick(Referrers()));
  }
}

void PersonSim::Research(const Burst& b) {
  const Truth& t = p_.truth;
  int n = std::max(1, rng_.Poisson(3 + 9 * t.intent));
  Timestamp last{};
  for (int i = 0; i < n; ++i) {
    Timestamp at = WorkTime(rng_, PickDay(rng_, b.from, b.to), offset_);
    Timestamp end = Visit(at, ResearchPages(), 0.75, rng_.Pick(Referrers()));
    last = std::max(last, end);
    if (!rng_.Chance(0.12 + 0.2 * t.intent)) continue;
    std::string asset(rng_.Pick(Assets()));
    end += seconds(rng_.Int(30, 300));
    Add(end, "form_submit", "website", {{"form", "gated-content"}, {"asset", asset}});
    Add(end + seconds(rng_.Int(5, 40)), "content_download", "website",
        {{"asset", asset}, {"format", "pdf"}});
  }
  double p = -0.05 + 0.9 * t.fit * t.intent + 0.15 * t.intent * t.intent + rng_.Noise(0.05);
  if (rng_.Chance(std::min(0.8, p))) Request(last + minutes(rng_.Int(1, 30)));
}

// A demo or call-back request; the first one starts the sales process.
void PersonSim::Request(Timestamp at) {
  bool demo = rng_.Chance(0.65);
  std::string_view page = demo ? "/demo" : "/contact";
  Add(at, "page_view", "website", {{"path", page}, {"referrer", "internal"}});
  at += seconds(rng_.Int(40, 200));
  if (demo) {
    Add(at, "demo_request", "website", {{"form", "demo-request"}, {"page", page}});
  } else {
    static constexpr std::string_view kWhen[] = {"morning", "afternoon", "any time"};
    Add(at, "callback_request", "website",
        {{"form", "callback-request"},
         {"page", page},
         {"preferred_time", rng_.Pick(std::span<const std::string_view>(kWhen))}});
  }
  if (!request_ || at < *request_) request_ = at;
}

void PersonSim::Webinars() {
  const Truth& t = p_.truth;
  for (const WebinarSlot& w : s_.webinars) {
    if (w.at < known_from_ + days(1)) continue;
    sys_days day = Day(w.at);
    bool bursting = std::any_of(bursts_.begin(), bursts_.end(),
                                [&](const Burst& b) { return b.from <= day && day <= b.to; });
    if (!rng_.Chance(0.015 + 0.12 * t.intent + 0.04 * t.fit + (bursting ? 0.2 : 0))) continue;
    std::string slug(w.webinar->slug);
    sys_days from = std::max(Day(known_from_), day - days(12));
    Add(WorkTime(rng_, PickDay(rng_, from, day - days(1)), offset_), "form_submit", "website",
        {{"form", "webinar-registration"}, {"webinar", slug}});
    if (!rng_.Chance(0.55 + 0.2 * t.intent)) continue;
    Add(w.at + minutes(rng_.Int(0, 10)), "webinar_attended", "webinar",
        {{"webinar", slug}, {"title", w.webinar->title}, {"minutes", rng_.Int(8, 60)}});
  }
}

// Small firms sometimes buy the starter plan online without talking to sales.
void PersonSim::SelfServe() {
  const CompanyPlan& c = pop_.companies[p_.company];
  if (request_ || bursts_.empty() || c.size_index > 1 || p_.truth.intent < 0.5) return;
  if (!rng_.Chance(0.12 * p_.truth.fit)) return;
  Timestamp at = WorkTime(rng_, bursts_.back().to, offset_);
  Add(at, "purchase", "shop",
      {{"order", "SO-W" + std::to_string(100000 + index_)},
       {"plan", "starter"},
       {"amount", c.size_index == 0 ? 588 : 1188},
       {"currency", c.country->region == Region::kEmea ? "EUR" : "USD"}});
}

// Customers keep coming back: log-ins and documentation.
void PersonSim::CustomerVisits() {
  std::optional<Timestamp> bought;
  for (const Draft& d : out_) {
    if (d.type == "purchase" && (!bought || d.at < *bought)) bought = d.at;
  }
  if (bought) VisitAsCustomer(*bought);
}

void PersonSim::VisitAsCustomer(Timestamp bought) {
  if (Day(bought) + days(1) > LastDay()) return;
  int n = static_cast<int>(rng_.Int(2, 8));
  for (int i = 0; i < n; ++i) {
    Timestamp at = WorkTime(rng_, PickDay(rng_, Day(bought) + days(1), LastDay()), offset_);
    Visit(at, CustomerPages(), 0.9, "direct");
  }
}

}  // namespace

std::vector<Draft> SimulatePerson(uint64_t seed, const Schedule& schedule, const Population& pop,
                                  size_t index) {
  return PersonSim(seed, schedule, pop, index).Run();
}

std::vector<Draft> SimulateCustomer(uint64_t seed, const Schedule& schedule, const Population& pop,
                                    size_t index, Timestamp bought) {
  return PersonSim(seed, schedule, pop, index, kCustomerStream).RunCustomer(bought);
}

}  // namespace tandem::app::demo
