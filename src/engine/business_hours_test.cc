#include "engine/business_hours.h"

#include <date/tz.h>
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <chrono>
#include <sstream>
#include <string>
#include <vector>

namespace tandem::engine {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

Timestamp At(std::string_view text) {
  const std::optional<Timestamp> t = ParseTimestamp(text);
  EXPECT_TRUE(t.has_value()) << text;
  return t.value_or(Timestamp{});
}

BusinessCalendar Calendar(std::string_view zone, std::string_view hours_text = "",
                          const std::vector<std::string>& holidays = {}) {
  Result<BusinessCalendar> r = BusinessCalendar::Parse(zone, hours_text, holidays);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return std::move(r).value();
}

Status ParseError(std::string_view zone, std::string_view hours_text,
                  const std::vector<std::string>& holidays = {}) {
  Result<BusinessCalendar> r = BusinessCalendar::Parse(zone, hours_text, holidays);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  return r.status();
}

TEST(BusinessHours, EmptyHoursMeanMondayToFridayNineToFive) {
  const BusinessCalendar cal = Calendar("Europe/Berlin");
  EXPECT_EQ(cal.OpenPerWeek(), hours(40));
  EXPECT_FALSE(cal.IsOpen(At("2026-11-02T08:59:00+01:00")));
  EXPECT_TRUE(cal.IsOpen(At("2026-11-02T09:00:00+01:00")));
  EXPECT_TRUE(cal.IsOpen(At("2026-11-06T16:59:59+01:00")));
  EXPECT_FALSE(cal.IsOpen(At("2026-11-06T17:00:00+01:00")));
  EXPECT_FALSE(cal.IsOpen(At("2026-11-07T12:00:00+01:00")));
}

TEST(BusinessHours, FourBusinessHoursFromFridayAfternoonEndMondayMorning) {
  const BusinessCalendar cal = Calendar("Europe/Berlin");
  EXPECT_EQ(cal.AddBusinessTime(At("2026-11-06T15:00:00+01:00"), hours(4)),
            At("2026-11-09T11:00:00+01:00"));
}

TEST(BusinessHours, BusinessTimeRunningOutAtCloseEndsAtClose) {
  const BusinessCalendar cal = Calendar("Europe/Berlin");
  EXPECT_EQ(cal.AddBusinessTime(At("2026-11-06T13:00:00+01:00"), hours(4)),
            At("2026-11-06T17:00:00+01:00"));
}

TEST(BusinessHours, CountingStartsAtNextOpeningWhenStartIsOutsideHours) {
  const BusinessCalendar cal = Calendar("Europe/Berlin");
  EXPECT_EQ(cal.AddBusinessTime(At("2026-11-07T12:00:00+01:00"), hours(1)),
            At("2026-11-09T10:00:00+01:00"));
  EXPECT_EQ(cal.AddBusinessTime(At("2026-11-09T07:00:00+01:00"), hours(1)),
            At("2026-11-09T10:00:00+01:00"));
}

TEST(BusinessHours, NoBusinessTimeToAddGivesStart) {
  const BusinessCalendar cal = Calendar("Europe/Berlin");
  const Timestamp saturday = At("2026-11-07T12:00:00+01:00");
  EXPECT_EQ(cal.AddBusinessTime(saturday, Duration::zero()), saturday);
  EXPECT_EQ(cal.AddBusinessTime(saturday, -hours(3)), saturday);
}

TEST(BusinessHours, SplitDayPausesOverLunch) {
  const BusinessCalendar cal = Calendar("Europe/Berlin", "Mon-Fri 09:00-12:00 13:00-17:00");
  EXPECT_EQ(cal.AddBusinessTime(At("2026-11-02T11:00:00+01:00"), hours(2)),
            At("2026-11-02T14:00:00+01:00"));
  EXPECT_FALSE(cal.IsOpen(At("2026-11-02T12:30:00+01:00")));
}

TEST(BusinessHours, PartsGiveDaysTheirOwnHours) {
  const BusinessCalendar cal = Calendar("Europe/Berlin", "Mon-Thu 09:00-17:00; Fri 09:00-13:00");
  EXPECT_EQ(cal.OpenPerWeek(), hours(36));
  EXPECT_EQ(cal.AddBusinessTime(At("2026-11-06T12:00:00+01:00"), hours(2)),
            At("2026-11-09T10:00:00+01:00"));
}

TEST(BusinessHours, DayRangeMayWrapRoundTheWeek) {
  const BusinessCalendar cal = Calendar("Asia/Dubai", "Sun-Thu 08:00-16:00");
  EXPECT_EQ(cal.AddBusinessTime(At("2026-11-05T15:00:00+04:00"), hours(2)),
            At("2026-11-08T09:00:00+04:00"));
}

TEST(BusinessHours, AdjacentRangesAndMidnightEndAreAccepted) {
  const BusinessCalendar cal = Calendar("UTC", "mon 09:00-12:00 12:00-24:00");
  EXPECT_TRUE(cal.IsOpen(At("2026-11-02T12:00:00Z")));
  EXPECT_TRUE(cal.IsOpen(At("2026-11-02T23:59:59Z")));
  EXPECT_FALSE(cal.IsOpen(At("2026-11-03T00:00:00Z")));
  EXPECT_EQ(cal.OpenPerWeek(), hours(15));
}

TEST(BusinessHours, HolidayIsSkipped) {
  const BusinessCalendar cal = Calendar("Europe/Berlin", "", {"2026-12-25", "2026-12-24"});
  EXPECT_FALSE(cal.IsOpen(At("2026-12-24T10:00:00+01:00")));
  EXPECT_EQ(cal.AddBusinessTime(At("2026-12-23T16:00:00+01:00"), hours(2)),
            At("2026-12-28T10:00:00+01:00"));
  EXPECT_EQ(cal.NextOpening(At("2026-12-23T17:00:00+01:00")), At("2026-12-28T09:00:00+01:00"));
}

TEST(BusinessHours, DstSpringForwardDayHasSameLocalHours) {
  const BusinessCalendar cal = Calendar("Europe/Berlin", "Mon-Sun 09:00-17:00");
  EXPECT_EQ(cal.NextOpening(At("2026-03-29T00:00:00Z")), At("2026-03-29T09:00:00+02:00"));
  EXPECT_EQ(cal.AddBusinessTime(At("2026-03-28T16:00:00+01:00"), hours(2)),
            At("2026-03-29T10:00:00+02:00"));
  EXPECT_EQ(cal.BusinessTimeBetween(At("2026-03-28T00:00:00Z"), At("2026-03-30T00:00:00Z")),
            hours(16));
}

TEST(BusinessHours, DstFallBackDayHasSameLocalHours) {
  const BusinessCalendar cal = Calendar("Europe/Berlin", "Mon-Sun 09:00-17:00");
  EXPECT_EQ(cal.NextOpening(At("2026-10-25T00:00:00Z")), At("2026-10-25T09:00:00+01:00"));
  EXPECT_EQ(cal.AddBusinessTime(At("2026-10-24T16:00:00+02:00"), hours(2)),
            At("2026-10-25T10:00:00+01:00"));
}

TEST(BusinessHours, NewYorkDstChangesKeepLocalHours) {
  const BusinessCalendar cal = Calendar("America/New_York");
  EXPECT_EQ(cal.AddBusinessTime(At("2026-03-06T16:00:00-05:00"), hours(2)),
            At("2026-03-09T10:00:00-04:00"));
  EXPECT_EQ(cal.AddBusinessTime(At("2026-10-30T16:00:00-04:00"), hours(2)),
            At("2026-11-02T10:00:00-05:00"));
}

TEST(BusinessHours, SkippedHourIsNotOpenAndRepeatedHourIsOpenTwice) {
  const BusinessCalendar cal = Calendar("America/New_York", "Sun 01:00-04:00");
  EXPECT_EQ(cal.BusinessTimeBetween(At("2026-03-07T00:00:00Z"), At("2026-03-10T00:00:00Z")),
            hours(2));
  EXPECT_EQ(cal.BusinessTimeBetween(At("2026-10-31T00:00:00Z"), At("2026-11-03T00:00:00Z")),
            hours(4));
  EXPECT_TRUE(cal.IsOpen(At("2026-11-01T01:30:00-05:00")));  // the second 01:30
}

TEST(BusinessHours, AllDayCalendarCountsRealHoursAcrossDst) {
  const BusinessCalendar cal = Calendar("America/New_York", "Mon-Sun 00:00-24:00");
  EXPECT_EQ(
      cal.BusinessTimeBetween(At("2026-03-07T00:00:00-05:00"), At("2026-03-09T00:00:00-04:00")),
      hours(47));
  EXPECT_EQ(
      cal.BusinessTimeBetween(At("2026-10-31T00:00:00-04:00"), At("2026-11-02T00:00:00-05:00")),
      hours(49));
  EXPECT_TRUE(cal.IsOpen(At("2026-11-01T06:30:00Z")));
}

TEST(BusinessHours, FiftyTwoWorkingWeeksEndOnTheLastFridayAtClose) {
  const BusinessCalendar cal = Calendar("Europe/Berlin");
  const Timestamp start = At("2026-01-05T09:00:00+01:00");
  const Timestamp end = cal.AddBusinessTime(start, 52 * hours(40));
  EXPECT_EQ(end, At("2027-01-01T17:00:00+01:00"));
  EXPECT_EQ(cal.BusinessTimeBetween(start, end), 52 * hours(40));
}

TEST(BusinessHours, LongDurationsSkipHolidaysInside) {
  const BusinessCalendar cal = Calendar("Europe/Berlin", "", {"2026-12-25"});
  EXPECT_EQ(cal.AddBusinessTime(At("2026-01-05T09:00:00+01:00"), 52 * hours(40)),
            At("2027-01-04T17:00:00+01:00"));
}

TEST(BusinessHours, BusinessTimeBetweenIsZeroWhenEndIsNotAfterStart) {
  const BusinessCalendar cal = Calendar("Europe/Berlin");
  const Timestamp t = At("2026-11-02T10:00:00+01:00");
  EXPECT_EQ(cal.BusinessTimeBetween(t, t), Duration::zero());
  EXPECT_EQ(cal.BusinessTimeBetween(t, t - hours(1)), Duration::zero());
}

TEST(BusinessHours, OpenInstantIsItsOwnNextOpening) {
  const BusinessCalendar cal = Calendar("Europe/Berlin");
  const Timestamp t = At("2026-11-02T10:00:00+01:00");
  EXPECT_EQ(cal.NextOpening(t), t);
  EXPECT_EQ(cal.NextOpening(At("2026-11-02T17:00:00+01:00")), At("2026-11-03T09:00:00+01:00"));
}

TEST(BusinessDays, OneBusinessDayBeforeCloseEndsTodayAtClose) {
  const BusinessCalendar cal = Calendar("Europe/Berlin");
  EXPECT_EQ(cal.AddBusinessDays(At("2026-11-06T16:59:00+01:00"), 1),
            At("2026-11-06T17:00:00+01:00"));
  EXPECT_EQ(cal.AddBusinessDays(At("2026-11-06T07:00:00+01:00"), 1),
            At("2026-11-06T17:00:00+01:00"));
}

TEST(BusinessDays, OneBusinessDayFromCloseEndsNextBusinessDayAtClose) {
  const BusinessCalendar cal = Calendar("Europe/Berlin");
  EXPECT_EQ(cal.AddBusinessDays(At("2026-11-06T17:00:00+01:00"), 1),
            At("2026-11-09T17:00:00+01:00"));
}

TEST(BusinessDays, WeekendsAndHolidaysAreNotBusinessDays) {
  const BusinessCalendar cal = Calendar("Europe/Berlin", "", {"2026-12-24", "2026-12-25"});
  EXPECT_EQ(cal.AddBusinessDays(At("2026-12-18T10:00:00+01:00"), 5),
            At("2026-12-28T17:00:00+01:00"));
}

TEST(BusinessDays, AYearOfBusinessDaysEndsOnTheLastFriday) {
  const BusinessCalendar cal = Calendar("Europe/Berlin");
  EXPECT_EQ(cal.AddBusinessDays(At("2026-01-05T10:00:00+01:00"), 260),
            At("2027-01-01T17:00:00+01:00"));
  const Timestamp t = At("2026-01-05T10:00:00+01:00");
  EXPECT_EQ(cal.AddBusinessDays(t, 0), t);
}

// ---- Errors ----

TEST(BusinessHoursParse, UnknownTimeZoneIsRejected) {
  const Status s = ParseError("Europe/Berlinn", "");
  EXPECT_EQ(s.message(), "unknown time zone 'Europe/Berlinn'");
  ASSERT_EQ(s.errors().size(), 1u);
  EXPECT_EQ(s.errors()[0].field, "time_zone");
}

TEST(BusinessHoursParse, UnknownDayIsRejectedNamingThePart) {
  const Status s = ParseError("UTC", "Mon-Fri 09:00-17:00; Sa 10:00-12:00");
  EXPECT_EQ(s.message(),
            "business hours part 2 ('Sa 10:00-12:00'): unknown day 'Sa' (expected Mon, Tue, Wed, "
            "Thu, Fri, Sat or Sun)");
  ASSERT_EQ(s.errors().size(), 1u);
  EXPECT_EQ(s.errors()[0].field, "business_hours");
}

TEST(BusinessHoursParse, MalformedTimeIsRejected) {
  EXPECT_NE(ParseError("UTC", "Mon-Fri 9:00-17:00").message().find("bad time '9:00'"),
            std::string::npos);
  EXPECT_NE(ParseError("UTC", "Mon 09:00-24:30").message().find("bad time '24:30'"),
            std::string::npos);
  EXPECT_NE(ParseError("UTC", "Mon 09:00").message().find("bad time range '09:00'"),
            std::string::npos);
}

TEST(BusinessHoursParse, RangeEndingAtOrBeforeItsStartIsRejected) {
  EXPECT_EQ(ParseError("UTC", "Mon 17:00-09:00").message(),
            "business hours part 1 ('Mon 17:00-09:00'): range 17:00-09:00 ends at or before its "
            "start");
  EXPECT_NE(ParseError("UTC", "Mon 09:00-09:00").message().find("ends at or before"),
            std::string::npos);
}

TEST(BusinessHoursParse, OverlappingRangesAreRejected) {
  EXPECT_EQ(ParseError("UTC", "Mon-Fri 09:00-17:00; Fri 16:00-18:00").message(),
            "business hours part 2 ('Fri 16:00-18:00'): range 16:00-18:00 overlaps 09:00-17:00 "
            "on Fri");
  EXPECT_NE(ParseError("UTC", "Mon 09:00-12:00 11:00-13:00").message().find("overlaps"),
            std::string::npos);
}

TEST(BusinessHoursParse, DaysWithoutTimeRangeAreRejected) {
  EXPECT_NE(ParseError("UTC", "Mon-Fri").message().find("no time range after the days"),
            std::string::npos);
}

TEST(BusinessHoursParse, TooManyRangesOnADayAreRejected) {
  const std::string nine =
      "Mon 01:00-02:00 03:00-04:00 05:00-06:00 07:00-08:00 09:00-10:00 "
      "11:00-12:00 13:00-14:00 15:00-16:00 17:00-18:00";
  EXPECT_NE(ParseError("UTC", nine).message().find("more than 8 ranges on Mon"), std::string::npos);
}

TEST(BusinessHoursParse, NoBusinessHoursIsRejected) {
  EXPECT_EQ(ParseError("UTC", " ; , ").message(),
            "no business hours: name at least one day and time range, e.g. 'Mon-Fri "
            "09:00-17:00'");
}

TEST(BusinessHoursParse, BadHolidayDateIsRejected) {
  const Status s = ParseError("UTC", "", {"2026-12-25", "2026-02-30"});
  EXPECT_EQ(s.message(), "holiday '2026-02-30' is not a date (expected YYYY-MM-DD)");
  ASSERT_EQ(s.errors().size(), 1u);
  EXPECT_EQ(s.errors()[0].field, "holidays[1]");
  EXPECT_EQ(ParseError("UTC", "", {"25.12.2026"}).errors()[0].field, "holidays[0]");
}

// ---- Properties, over zones with unusual DST (30-minute, at midnight, none) ----

// Weekly hours with an independent reading of them: weekday (0 = Sunday), minute of the day.
struct Schedule {
  const char* text;
  bool (*open)(unsigned weekday, int minute);
};
const Schedule kSchedules[] = {
    {"", [](unsigned wd, int m) { return wd >= 1 && wd <= 5 && m >= 540 && m < 1020; }},
    {"Mon-Fri 09:00-12:00 13:00-17:00",
     [](unsigned wd, int m) {
       return wd >= 1 && wd <= 5 && ((m >= 540 && m < 720) || (m >= 780 && m < 1020));
     }},
    {"Mon-Sun 00:00-24:00", [](unsigned, int) { return true; }},
    {"Sun 01:00-04:00, Wed 23:00-24:00",
     [](unsigned wd, int m) { return (wd == 0 && m >= 60 && m < 240) || (wd == 3 && m >= 1380); }},
    {"Sat-Sun 00:00-03:30; Tue 02:00-02:30",
     [](unsigned wd, int m) {
       return ((wd == 6 || wd == 0) && m < 210) || (wd == 2 && m >= 120 && m < 150);
     }},
};
constexpr size_t kScheduleCount = std::size(kSchedules);
const std::vector<std::string> kHolidays{"2018-11-04", "2026-12-24", "2026-12-25", "2027-01-01"};

const std::vector<BusinessCalendar>& Calendars() {  // zone-major, kScheduleCount per zone
  static const std::vector<BusinessCalendar> cals = [] {
    std::vector<BusinessCalendar> out;
    for (const char* zone : {"Europe/Berlin", "America/New_York", "Australia/Lord_Howe",
                             "Asia/Kolkata", "America/Sao_Paulo", "UTC"}) {
      for (const Schedule& schedule : kSchedules) {
        out.push_back(*BusinessCalendar::Parse(zone, schedule.text, kHolidays));
      }
    }
    return out;
  }();
  return cals;
}

size_t AnyCalendarIndex() { return *rc::gen::inRange<size_t>(0, Calendars().size()); }

// Half the time within days of a DST change of one of the zones, else anywhere in 2015-2035.
Timestamp AnyInstant() {
  static const std::vector<Timestamp> changes = [] {
    std::vector<Timestamp> out;
    for (const char* day : {"2026-03-29", "2026-10-25", "2026-03-08", "2026-11-01", "2026-04-05",
                            "2026-10-04", "2018-02-18", "2018-11-04"}) {
      out.push_back(At(day));
    }
    return out;
  }();
  if (*rc::gen::arbitrary<bool>()) {
    return changes[*rc::gen::inRange<size_t>(0, changes.size())] +
           Duration(*rc::gen::inRange<int64_t>(-3 * 86'400'000'000LL, 2 * 86'400'000'000LL));
  }
  return FromMicros(*rc::gen::inRange<int64_t>(1'420'070'400'000'000, 2'051'222'400'000'000));
}

Duration AnyDuration() { return Duration(*rc::gen::inRange<int64_t>(0, 2'000LL * 3'600'000'000)); }

RC_GTEST_PROP(BusinessHoursProperty, BusinessTimeBetweenInvertsAddBusinessTime, ()) {
  const BusinessCalendar& cal = Calendars()[AnyCalendarIndex()];
  const Timestamp start = AnyInstant();
  const Duration d = AnyDuration();
  const Timestamp end = cal.AddBusinessTime(start, d);
  RC_ASSERT(end >= start);
  RC_ASSERT(cal.BusinessTimeBetween(start, end) == d);
  if (d > Duration::zero()) RC_ASSERT(cal.IsOpen(end - Duration(1)));
}

RC_GTEST_PROP(BusinessHoursProperty, AddBusinessTimeIsMonotoneInStartAndDuration, ()) {
  const BusinessCalendar& cal = Calendars()[AnyCalendarIndex()];
  Timestamp s1 = AnyInstant(), s2 = AnyInstant();
  Duration d1 = AnyDuration(), d2 = AnyDuration();
  if (s2 < s1) std::swap(s1, s2);
  if (d2 < d1) std::swap(d1, d2);
  RC_ASSERT(cal.AddBusinessTime(s1, d1) <= cal.AddBusinessTime(s1, d2));
  RC_ASSERT(cal.AddBusinessTime(s1, d1) <= cal.AddBusinessTime(s2, d1));
}

// Three days, minute by minute, against local time read from date/tz at each minute.
RC_GTEST_PROP(BusinessHoursProperty, MatchesMinuteWalkWithTimeZoneLibrary, ()) {
  const size_t index = AnyCalendarIndex();
  const BusinessCalendar& cal = Calendars()[index];
  const Schedule& schedule = kSchedules[index % kScheduleCount];
  std::vector<date::local_days> holidays;
  for (const std::string& h : kHolidays) {
    std::istringstream in(h);
    date::local_days day;
    in >> date::parse("%F", day);
    holidays.push_back(day);
  }
  const date::time_zone* zone = date::locate_zone(cal.time_zone());
  const Timestamp from = std::chrono::floor<minutes>(AnyInstant());
  Duration expected{0};
  for (Timestamp t = from; t < from + hours(72); t += minutes(1)) {
    const auto local = zone->to_local(t);
    const auto day = std::chrono::floor<date::days>(local);
    const int minute = static_cast<int>(std::chrono::floor<minutes>(local - day).count());
    const bool open = std::find(holidays.begin(), holidays.end(), day) == holidays.end() &&
                      schedule.open(date::weekday(day).c_encoding(), minute);
    RC_ASSERT(cal.IsOpen(t) == open);
    if (open) expected += minutes(1);
  }
  RC_ASSERT(cal.BusinessTimeBetween(from, from + hours(72)) == expected);
}

}  // namespace
}  // namespace tandem::engine
