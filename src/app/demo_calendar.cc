// When things happen in the demo: working hours, weekdays, and the marketing calendar.
#include <algorithm>
#include <array>

#include "app/demo_world.h"

namespace tandem::app::demo {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using std::chrono::sys_days;

constexpr days kHistory{200};  // a little over six months

// How likely each local hour is: office hours dominate, evenings trail, nights are rare.
constexpr std::array<double, 24> kHourWeights{0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.4, 1.0,
                                              3.0, 5.0, 6.0, 6.0, 4.0, 4.0, 5.0, 5.0,
                                              4.0, 3.0, 1.5, 1.2, 1.0, 0.8, 0.5, 0.3};

bool IsWeekend(sys_days d) {
  std::chrono::weekday w{d};
  return w == std::chrono::Saturday || w == std::chrono::Sunday;
}

sys_days NextWeekday(sys_days d, std::chrono::weekday w) {
  while (std::chrono::weekday{d} != w) d += days(1);
  return d;
}

std::string Date(Timestamp t) { return FormatTimestamp(t).substr(0, 10); }

// One campaign per week on Tuesday mornings, rotating through four kinds.
Campaign WeeklyCampaign(sys_days tuesday, int week) {
  Timestamp at = Timestamp(tuesday) + hours(9) + minutes(7 * (week % 8));
  auto assets = Assets();
  auto pages = GeneralPages();
  std::string asset(assets[static_cast<size_t>(week) % assets.size()]);
  switch (week % 4) {
    case 0:
      return {at, "newsletter-" + Date(at), std::string(pages[2 + (week / 4) % 7])};
    case 1:
      return {at, "nurture-" + asset, "/resources/" + asset};
    case 2:
      return {at, "product-update-" + Date(at).substr(0, 7), "/product/backtesting"};
    default:
      return {at, "case-study-northwind-logistics", "/customers/northwind-logistics"};
  }
}

}  // namespace

Timestamp WorkTime(Rng& rng, sys_days day, int utc_offset) {
  int hour = static_cast<int>(rng.Weighted(kHourWeights));
  return Timestamp(day) + hours(hour - utc_offset) + minutes(rng.Int(0, 59)) +
         seconds(rng.Int(0, 59));
}

sys_days PickDay(Rng& rng, sys_days from, sys_days to) {
  int64_t span = (to - from).count();
  sys_days d = from;
  for (int attempt = 0; attempt < 8; ++attempt) {
    d = from + days(rng.Int(0, std::max<int64_t>(span, 0)));
    if (!IsWeekend(d) || rng.Chance(0.25)) return d;
  }
  return d;
}

Timestamp NextBusinessTime(Rng& rng, Timestamp t, int utc_offset) {
  Timestamp local = t + hours(utc_offset);
  sys_days day = std::chrono::floor<days>(local);
  auto time_of_day = local - Timestamp(day);
  if (!IsWeekend(day) && time_of_day >= hours(9) && time_of_day < hours(17)) return t;
  if (time_of_day >= hours(9)) day += days(1);
  while (IsWeekend(day)) day += days(1);
  return Timestamp(day) + hours(9 - utc_offset) + minutes(rng.Int(0, 59));
}

Schedule PlanSchedule(Timestamp now) {
  Schedule s{.start = now - kHistory, .end = now};
  sys_days first = NextWeekday(std::chrono::ceil<days>(s.start), std::chrono::Tuesday);
  for (int week = 0; Timestamp(first + days(7 * week)) < s.end; ++week) {
    Campaign c = WeeklyCampaign(first + days(7 * week), week);
    if (c.at <= s.end) s.campaigns.push_back(std::move(c));
  }
  auto webinars = Webinars();
  sys_days day = NextWeekday(std::chrono::ceil<days>(s.start) + days(12), std::chrono::Wednesday);
  for (size_t i = 0; i < webinars.size() && Timestamp(day) < s.end; ++i, day += days(25)) {
    day = NextWeekday(day, std::chrono::Wednesday);
    Timestamp at = Timestamp(day) + hours(15);
    if (at > s.end) break;
    s.webinars.push_back({at, &webinars[i]});
    Timestamp invite = Timestamp(day - days(8)) + hours(10);
    std::string slug(webinars[i].slug);
    s.campaigns.push_back({invite, "webinar-invite-" + slug, "/webinars/" + slug});
  }
  std::sort(s.campaigns.begin(), s.campaigns.end(),
            [](const Campaign& a, const Campaign& b) { return a.at < b.at; });
  return s;
}

}  // namespace tandem::app::demo
