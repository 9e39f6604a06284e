#include "engine/business_hours.h"

#include <date/tz.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <limits>
#include <optional>

#include "base/strings.h"

namespace tandem::engine {
namespace {

constexpr int64_t kMinuteUs = 60'000'000;
constexpr int64_t kDayUs = 1440 * kMinuteUs;
constexpr int64_t kWeekUs = 7 * kDayUs;
constexpr int64_t kMaxOffsetUs = kMinuteUs * 60 * 26;  // no zone is further from UTC
constexpr int64_t kMinUs = -2'208'988'800'000'000;     // 1900-01-01T00:00Z
constexpr int64_t kMaxUs = 253'402'300'800'000'000;    // 10000-01-01T00:00Z
constexpr int64_t kLastDay = kMaxUs / kDayUs;
constexpr int64_t kFar = std::numeric_limits<int64_t>::max() / 4;  // past any instant used

constexpr std::array<std::string_view, 7> kDayNames{"Sun", "Mon", "Tue", "Wed",
                                                    "Thu", "Fri", "Sat"};

int64_t DayOf(int64_t local_us) {  // days since 1970-01-01, rounding down
  return std::chrono::floor<std::chrono::days>(Duration(local_us)).count();
}

int Weekday(int64_t day) { return static_cast<int>(((day + 4) % 7 + 7) % 7); }  // 0 = Sunday

int64_t Clamp(Timestamp t) { return std::clamp(ToMicros(t), kMinUs, kMaxUs); }

struct Range {
  int64_t begin;
  int64_t end;
};
using Week = std::array<std::vector<Range>, 7>;

std::vector<std::string_view> Words(std::string_view s) {  // s has no tabs
  std::vector<std::string_view> out;
  for (std::string_view word : Split(s, ' ')) {
    if (!word.empty()) out.push_back(word);
  }
  return out;
}

int DayIndex(std::string_view word) {  // 0 = Sunday; -1 if not a day name
  const auto it = std::find_if(kDayNames.begin(), kDayNames.end(), [&](std::string_view d) {
    return AsciiLower(d) == AsciiLower(word);
  });
  return it == kDayNames.end() ? -1 : static_cast<int>(it - kDayNames.begin());
}

// "09:30" as microseconds since midnight; nullopt unless HH:MM within 00:00..24:00.
std::optional<int64_t> ParseClock(std::string_view s) {
  if (s.size() != 5 || s[2] != ':') return std::nullopt;
  for (int i : {0, 1, 3, 4}) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return std::nullopt;
  }
  const int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
  if (m > 59 || h > 24 || (h == 24 && m != 0)) return std::nullopt;
  return (h * 60 + m) * kMinuteUs;
}

std::string Show(Range r) {  // "09:00-17:00"
  const int begin = static_cast<int>(r.begin / kMinuteUs),
            end = static_cast<int>(r.end / kMinuteUs);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02d:%02d-%02d:%02d", begin / 60, begin % 60, end / 60, end % 60);
  return buf;
}

// Parsing steps return why the text is wrong, or "" when it is fine.

std::string ParseRange(std::string_view word, Range& r) {  // "09:00-17:00"
  const size_t dash = word.find('-');
  if (dash == std::string_view::npos) {
    return "bad time range '" + std::string(word) + "' (expected HH:MM-HH:MM)";
  }
  const std::string_view a = word.substr(0, dash), b = word.substr(dash + 1);
  const std::optional<int64_t> begin = ParseClock(a), end = ParseClock(b);
  if (!begin || !end) {
    return "bad time '" + std::string(begin ? b : a) + "' (expected HH:MM from 00:00 to 24:00)";
  }
  r = {*begin, *end};
  return r.end > r.begin ? "" : "range " + Show(r) + " ends at or before its start";
}

std::string AddRange(int wd, Range r, Week& week) {
  const std::string day(kDayNames[wd]);
  for (const Range& other : week[wd]) {
    if (r.begin < other.end && other.begin < r.end) {
      return "range " + Show(r) + " overlaps " + Show(other) + " on " + day;
    }
  }
  if (week[wd].size() == kMaxRangesPerDay) {
    return "more than " + std::to_string(kMaxRangesPerDay) + " ranges on " + day;
  }
  const auto by_begin = [](Range x, Range y) { return x.begin < y.begin; };
  week[wd].insert(std::upper_bound(week[wd].begin(), week[wd].end(), r, by_begin), r);
  return "";
}

std::string ParsePart(std::string_view part, Week& week) {  // "Mon-Fri 09:00-12:00 13:00-17:00"
  const std::vector<std::string_view> words = Words(part);
  const size_t dash = words[0].find('-');
  const std::string_view first = words[0].substr(0, dash);
  const std::string_view last = dash == std::string_view::npos ? first : words[0].substr(dash + 1);
  for (std::string_view day : {first, last}) {
    if (DayIndex(day) < 0) {
      return "unknown day '" + std::string(day) +
             "' (expected Mon, Tue, Wed, Thu, Fri, Sat or Sun)";
    }
  }
  if (words.size() == 1) return "no time range after the days (expected e.g. 09:00-17:00)";
  for (size_t i = 1; i < words.size(); ++i) {
    Range r{};
    if (std::string why = ParseRange(words[i], r); !why.empty()) return why;
    for (int wd = DayIndex(first);; wd = (wd + 1) % 7) {  // "Fri-Mon" wraps round the week
      if (std::string why = AddRange(wd, r, week); !why.empty()) return why;
      if (wd == DayIndex(last)) break;
    }
  }
  return "";
}

Status ParseHours(std::string_view text, Week& week) {
  std::string separated(text);
  std::replace(separated.begin(), separated.end(), ';', ',');
  std::replace(separated.begin(), separated.end(), '\t', ' ');
  const std::vector<std::string_view> parts = Split(separated, ',');
  for (size_t i = 0; i < parts.size(); ++i) {
    const std::string_view part = Trim(parts[i]);
    if (part.empty()) continue;
    const std::string why = ParsePart(part, week);
    if (why.empty()) continue;
    std::string msg =
        "business hours part " + std::to_string(i + 1) + " ('" + std::string(part) + "'): " + why;
    return InvalidArgument(msg, {{"business_hours", why}});
  }
  if (std::any_of(week.begin(), week.end(), [](const auto& day) { return !day.empty(); })) {
    return Status::Ok();
  }
  return InvalidArgument("no business hours: name at least one day and time range, e.g. '" +
                             std::string(kDefaultBusinessHours) + "'",
                         {{"business_hours", "no business hours"}});
}

}  // namespace

Result<BusinessCalendar> BusinessCalendar::Parse(std::string_view time_zone, std::string_view hours,
                                                 const std::vector<std::string>& holidays) {
  const date::time_zone* zone = nullptr;
  try {
    zone = date::locate_zone(std::string(time_zone));
  } catch (const std::exception&) {
    return InvalidArgument("unknown time zone '" + std::string(time_zone) + "'",
                           {{"time_zone", "not an IANA time zone name, e.g. Europe/Berlin"}});
  }
  Week week;
  TANDEM_RETURN_IF_ERROR(ParseHours(Trim(hours).empty() ? kDefaultBusinessHours : hours, week));
  BusinessCalendar cal;
  cal.time_zone_ = std::string(time_zone);
  for (int wd = 0; wd < 7; ++wd) {
    cal.first_[wd] = static_cast<uint8_t>(cal.ranges_.size());
    for (Range r : week[wd]) {
      cal.ranges_.push_back({r.begin, r.end});
      cal.week_open_us_ += r.end - r.begin;
    }
    if (!week[wd].empty()) ++cal.business_days_per_week_;
  }
  cal.first_[7] = static_cast<uint8_t>(cal.ranges_.size());
  for (size_t i = 0; i < holidays.size(); ++i) {
    const std::string_view text = Trim(holidays[i]);  // "2026-12-25", a local date
    const std::optional<Timestamp> day = text.size() == 10 ? ParseTimestamp(text) : std::nullopt;
    if (!day) {
      return InvalidArgument("holiday '" + holidays[i] + "' is not a date (expected YYYY-MM-DD)",
                             {{"holidays[" + std::to_string(i) + "]", "not a YYYY-MM-DD date"}});
    }
    cal.holidays_.push_back(static_cast<int32_t>(DayOf(ToMicros(*day))));
  }
  std::sort(cal.holidays_.begin(), cal.holidays_.end());
  cal.holidays_.erase(std::unique(cal.holidays_.begin(), cal.holidays_.end()), cal.holidays_.end());
  cal.ReadOffsets(*zone);
  return cal;
}

// One entry per change of UTC offset from 1900 on, so no later call needs date/tz.
void BusinessCalendar::ReadOffsets(const date::time_zone& zone) {
  date::sys_seconds t{std::chrono::seconds(kMinUs / 1'000'000)};
  while (t < date::sys_seconds{std::chrono::seconds(kMaxUs / 1'000'000)}) {
    const date::sys_info info = zone.get_info(t);
    const int64_t offset = std::chrono::duration_cast<Duration>(info.offset).count();
    if (offsets_.empty() || offset != offsets_.back().offset_us) {
      const int64_t begin = ToMicros(std::chrono::time_point_cast<Duration>(info.begin));
      offsets_.push_back({offsets_.empty() ? -kFar : begin, offset});
    }
    if (info.end <= t) break;
    t = info.end;
  }
}

size_t BusinessCalendar::SegmentAt(int64_t utc_us) const {
  const auto it = std::upper_bound(offsets_.begin() + 1, offsets_.end(), utc_us,
                                   [](int64_t u, const Offset& o) { return u < o.begin_us; });
  return static_cast<size_t>(it - offsets_.begin()) - 1;
}

int64_t BusinessCalendar::SegmentEnd(size_t seg) const {
  return seg + 1 < offsets_.size() ? offsets_[seg + 1].begin_us : kFar;
}

// The UTC instant a local time names: the earliest or latest when it occurs twice, the
// instant of the jump when the clocks skip it.
int64_t BusinessCalendar::LocalToUtc(int64_t local_us, bool latest) const {
  std::optional<int64_t> found;
  for (size_t i = SegmentAt(local_us - kMaxOffsetUs);
       i < offsets_.size() && offsets_[i].begin_us <= local_us + kMaxOffsetUs; ++i) {
    const int64_t utc = local_us - offsets_[i].offset_us, end = SegmentEnd(i);
    if (utc >= offsets_[i].begin_us && utc < end) {
      if (!latest) return utc;
      found = utc;
    } else if (!found && utc >= end && i + 1 < offsets_.size() &&
               local_us - offsets_[i + 1].offset_us < end) {
      return end;
    }
  }
  return found ? *found : local_us - offsets_[SegmentAt(local_us)].offset_us;
}

// Fills out with day's open intervals in UTC, in order; seg is a hint, moved forward.
int BusinessCalendar::OpenIntervals(int64_t day, size_t& seg, DayIntervals& out) const {
  const int wd = Weekday(day);
  const int first = first_[wd], count = first_[wd + 1] - first;
  if (count == 0) return 0;
  const std::optional<int64_t> lo = SteadyMidnight(day, seg);
  if (!lo) return SlowOpenIntervals(day, out);
  for (int i = 0; i < count; ++i) {
    out[i] = {*lo + ranges_[first + i].begin_us, *lo + ranges_[first + i].end_us};
  }
  return count;
}

// The UTC instant of day's local midnight when the whole day has one offset, offsets_[seg]'s
// (seg, a hint, is moved forward); nullopt when the offset changes during the day.
std::optional<int64_t> BusinessCalendar::SteadyMidnight(int64_t day, size_t& seg) const {
  const int64_t midnight = day * kDayUs;
  while (seg + 1 < offsets_.size() &&
         midnight - offsets_[seg].offset_us >= offsets_[seg + 1].begin_us) {
    ++seg;
  }
  const int64_t lo = midnight - offsets_[seg].offset_us;
  if (lo < offsets_[seg].begin_us || lo + kDayUs >= SegmentEnd(seg)) return std::nullopt;
  return lo;
}

int BusinessCalendar::SlowOpenIntervals(int64_t day, DayIntervals& out) const {
  const int wd = Weekday(day);
  const int64_t midnight = day * kDayUs;
  const int64_t lo = LocalToUtc(midnight, false), hi = LocalToUtc(midnight + kDayUs, false);
  int n = 0;
  for (int i = first_[wd]; i < first_[wd + 1]; ++i) {
    const int64_t begin = std::max(lo, LocalToUtc(midnight + ranges_[i].begin_us, false));
    const int64_t end = std::min(hi, LocalToUtc(midnight + ranges_[i].end_us, true));
    if (begin >= end) continue;              // wholly inside skipped time
    if (n > 0 && begin <= out[n - 1].end) {  // ranges met in a repeated hour
      out[n - 1].end = std::max(out[n - 1].end, end);
    } else {
      out[n++] = {begin, end};
    }
  }
  return n;
}

// Visits local days in order from the day before t's (so a day whose midnight moved with a DST
// change is never missed), yielding each day's open intervals, and skips regular weeks whole.
class BusinessCalendar::Walker {
 public:
  Walker(const BusinessCalendar& cal, int64_t t) : cal_(cal), seg_(cal.SegmentAt(t)) {
    day_ = DayOf(t + cal.offsets_[seg_].offset_us) - 1;
    holiday_ = static_cast<size_t>(
        std::lower_bound(cal.holidays_.begin(), cal.holidays_.end(), day_) - cal.holidays_.begin());
  }

  int64_t day() const { return day_; }

  // The current day's open intervals (none on a holiday); then moves to the next day.
  int Next(DayIntervals& out) {
    SyncHoliday();
    const bool holiday = holiday_ < cal_.holidays_.size() && cal_.holidays_[holiday_] == day_;
    const int n = holiday ? 0 : cal_.OpenIntervals(day_, seg_, out);
    ++day_;
    return n;
  }

  // Skips up to max_weeks whole weeks from the current day if each is regular (no holiday,
  // one UTC offset, so exactly OpenPerWeek of business time) and lies within [from, until].
  // Returns the weeks skipped.
  int64_t SkipWeeks(int64_t max_weeks, int64_t from, int64_t until) {
    max_weeks = std::min(max_weeks, (kLastDay - day_) / 7 + 1);
    if (max_weeks <= 0) return 0;
    SyncHoliday();
    const std::optional<int64_t> lo = cal_.SteadyMidnight(day_, seg_);
    if (!lo || *lo < from) return 0;
    int64_t weeks =
        std::min({max_weeks, (cal_.SegmentEnd(seg_) - 1 - *lo) / kWeekUs, (until - *lo) / kWeekUs});
    if (holiday_ < cal_.holidays_.size()) {
      weeks = std::min<int64_t>(weeks, (cal_.holidays_[holiday_] - day_) / 7);
    }
    if (weeks <= 0) return 0;
    day_ += 7 * weeks;
    return weeks;
  }

 private:
  void SyncHoliday() {
    while (holiday_ < cal_.holidays_.size() && cal_.holidays_[holiday_] < day_) ++holiday_;
  }

  const BusinessCalendar& cal_;
  size_t seg_;
  int64_t day_;
  size_t holiday_;
};

bool BusinessCalendar::IsOpen(Timestamp t) const { return NextOpening(t) == FromMicros(Clamp(t)); }

Timestamp BusinessCalendar::NextOpening(Timestamp t) const {
  const int64_t u = Clamp(t);
  Walker walk(*this, u);
  DayIntervals iv;
  while (walk.day() <= kLastDay + 1) {
    const int n = walk.Next(iv);
    for (int i = 0; i < n; ++i) {
      if (iv[i].end > u) return FromMicros(std::max(iv[i].begin, u));
    }
  }
  return Timestamp::max();
}

Timestamp BusinessCalendar::AddBusinessTime(Timestamp start, Duration d) const {
  if (d <= Duration::zero()) return start;
  const int64_t t = Clamp(start);
  int64_t left = d.count();
  Walker walk(*this, t);
  DayIntervals iv;
  while (walk.day() <= kLastDay + 1) {
    // Never skip to exactly zero left: d then ends at a closing time within the last week.
    left -= walk.SkipWeeks((left - 1) / week_open_us_, t, kFar) * week_open_us_;
    const int n = walk.Next(iv);
    for (int i = 0; i < n; ++i) {
      const int64_t from = std::max(iv[i].begin, t);
      if (from >= iv[i].end) continue;
      if (left <= iv[i].end - from) return FromMicros(from + left);
      left -= iv[i].end - from;
    }
  }
  return Timestamp::max();
}

Duration BusinessCalendar::BusinessTimeBetween(Timestamp a, Timestamp b) const {
  const int64_t from = Clamp(a), until = Clamp(b);
  if (until <= from) return Duration::zero();
  const int64_t last_day = DayOf(until + offsets_[SegmentAt(until)].offset_us) + 1;
  int64_t total = 0;
  Walker walk(*this, from);
  DayIntervals iv;
  while (walk.day() <= last_day) {
    total += walk.SkipWeeks(kFar, from, until) * week_open_us_;
    const int n = walk.Next(iv);
    for (int i = 0; i < n; ++i) {
      total += std::max<int64_t>(0, std::min(iv[i].end, until) - std::max(iv[i].begin, from));
    }
  }
  return Duration(total);
}

Timestamp BusinessCalendar::AddBusinessDays(Timestamp start, int days) const {
  if (days <= 0) return start;
  const int64_t t = Clamp(start);
  int64_t left = days;
  Walker walk(*this, t);
  DayIntervals iv;
  while (walk.day() <= kLastDay + 1) {
    left -= walk.SkipWeeks((left - 1) / business_days_per_week_, t, kFar) * business_days_per_week_;
    const int n = walk.Next(iv);
    if (n > 0 && iv[n - 1].end > t && --left == 0) return FromMicros(iv[n - 1].end);
  }
  return Timestamp::max();
}

}  // namespace tandem::engine
