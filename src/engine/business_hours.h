// A team's working time: its weekly business hours in its time zone, minus its holidays. SLA
// clocks count business time with it ("first touch within 4 business hours").
//
// Immutable after Parse; every method is const, pure (never reads the wall clock) and
// thread-safe. UTC offsets are read from the zone once, at Parse, into a small table, so no
// call touches date/tz; long spans skip whole regular weeks arithmetically, so a call costs
// about 150 ns for 1-40 business hours. Memory: a few kilobytes per calendar.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "base/time.h"

namespace date {
class time_zone;
}

namespace tandem::engine {

// The business hours a team has unless it says otherwise (DESIGN.md, "Users, teams, roles").
inline constexpr std::string_view kDefaultBusinessHours = "Mon-Fri 09:00-17:00";

// At most this many time ranges on one weekday.
inline constexpr int kMaxRangesPerDay = 8;

// Semantics shared by all methods:
// - Business hours are local wall-clock ranges [start, end) per weekday; a holiday (a local
//   date) has none. An instant is open when it lies in one of them.
// - Across DST changes a range keeps its local times, so a day's open time in real (UTC) time
//   can be shorter or longer: a range start that falls in a skipped hour begins when the clocks
//   jump; in a repeated hour a range starts at the earliest and ends at the latest instant its
//   local time names (01:00-04:00 on a fall-back day is open 4 real hours).
// - Offsets come from the system's zone files at Parse; beyond their last transition (2037 on
//   Debian) the last offset holds. Instants are meaningful from 1900 to 9999; later results
//   saturate to Timestamp::max().
class BusinessCalendar {
 public:
  // Builds a calendar from a team's IANA time zone ("Europe/Berlin"), its business hours and
  // its holidays ("2026-12-25", local dates).
  //
  // Business hours: parts separated by ',' or ';', each a day or day range (Mon, Tue, Wed,
  // Thu, Fri, Sat, Sun, any case; "Fri-Mon" wraps) followed by one or more HH:MM-HH:MM ranges
  // (24:00 may end a range): "Mon-Thu 09:00-17:00; Fri 09:00-13:00",
  // "Mon-Fri 09:00-12:00 13:00-17:00". Empty or blank text means kDefaultBusinessHours.
  //
  // Errors (kInvalidArgument, with a FieldError on "time_zone", "business_hours" or
  // "holidays[i]"): unknown time zone; in a part: unknown day, missing or malformed time,
  // range that ends at or before its start, range overlapping another on the same day, more
  // than kMaxRangesPerDay ranges on a day; no business hours at all; a holiday that is not a
  // valid YYYY-MM-DD date.
  static Result<BusinessCalendar> Parse(std::string_view time_zone, std::string_view hours,
                                        const std::vector<std::string>& holidays);

  // Whether t is within business hours.
  bool IsOpen(Timestamp t) const;

  // t if open, else the next instant business hours begin.
  Timestamp NextOpening(Timestamp t) const;

  // The instant at which d of business time has elapsed after start; counting begins at
  // NextOpening(start). When d runs out exactly at a closing time, that closing time (Friday
  // 13:00 + 4 h is Friday 17:00, not Monday 09:00). d <= 0 gives start.
  Timestamp AddBusinessTime(Timestamp start, Duration d) const;

  // The business time within [a, b); zero if b <= a. Inverse of AddBusinessTime:
  // BusinessTimeBetween(s, AddBusinessTime(s, d)) == d for d >= 0.
  Duration BusinessTimeBetween(Timestamp a, Timestamp b) const;

  // The close of business of the days-th business day, counting start's local day as the
  // first when it is a business day and start is before its last closing time; otherwise
  // counting from the next business day. A business day is a local date with open time.
  // days <= 0 gives start.
  Timestamp AddBusinessDays(Timestamp start, int days) const;

  // Business time in a week without holidays or DST change.
  Duration OpenPerWeek() const { return Duration(week_open_us_); }
  const std::string& time_zone() const { return time_zone_; }

 private:
  // A local wall-clock range, microseconds since local midnight.
  struct LocalRange {
    int64_t begin_us;
    int64_t end_us;
  };
  // From begin_us (UTC, microseconds) until the next entry's begin, local = UTC + offset_us.
  struct Offset {
    int64_t begin_us;
    int64_t offset_us;
  };
  // An open interval in UTC microseconds, [begin, end).
  struct Interval {
    int64_t begin;
    int64_t end;
  };
  using DayIntervals = std::array<Interval, kMaxRangesPerDay>;
  class Walker;  // visits local days in order with their open intervals (business_hours.cc)

  BusinessCalendar() = default;
  void ReadOffsets(const date::time_zone& zone);

  size_t SegmentAt(int64_t utc_us) const;
  int64_t SegmentEnd(size_t seg) const;
  int64_t LocalToUtc(int64_t local_us, bool latest) const;
  std::optional<int64_t> SteadyMidnight(int64_t day, size_t& seg) const;
  int OpenIntervals(int64_t day, size_t& seg, DayIntervals& out) const;
  int SlowOpenIntervals(int64_t day, DayIntervals& out) const;

  // Invariants: ranges_[first_[wd] .. first_[wd + 1]) are weekday wd's ranges (0 = Sunday),
  // sorted, non-overlapping, non-empty; week_open_us_ > 0; holidays_ sorted and unique (days
  // since 1970-01-01); offsets_ sorted by begin_us, offsets_[0] covering the far past.
  std::string time_zone_;
  std::vector<LocalRange> ranges_;
  std::array<uint8_t, 8> first_{};
  std::vector<int32_t> holidays_;
  std::vector<Offset> offsets_;
  int64_t week_open_us_ = 0;
  int business_days_per_week_ = 0;
};

}  // namespace tandem::engine
