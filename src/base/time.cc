#include "base/time.h"

namespace tandem {
namespace {

bool Digits(std::string_view s, size_t pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

}  // namespace

std::optional<Timestamp> ParseTimestamp(std::string_view s) {
  using namespace std::chrono;
  int y, mo, d;
  if (!Digits(s, 0, 4, y) || s.size() < 10 || s[4] != '-' || !Digits(s, 5, 2, mo) || s[7] != '-' ||
      !Digits(s, 8, 2, d)) {
    return std::nullopt;
  }
  year_month_day ymd{year(y), month(static_cast<unsigned>(mo)), day(static_cast<unsigned>(d))};
  if (!ymd.ok()) return std::nullopt;
  Timestamp t = time_point_cast<Duration>(sys_days(ymd));
  if (s.size() == 10) return t;
  if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') return std::nullopt;
  int h, mi, se;
  if (!Digits(s, 11, 2, h) || s.size() < 19 || s[13] != ':' || !Digits(s, 14, 2, mi) ||
      s[16] != ':' || !Digits(s, 17, 2, se) || h > 23 || mi > 59 || se > 60) {
    return std::nullopt;
  }
  t += hours(h) + minutes(mi) + seconds(se);
  size_t pos = 19;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int64_t frac = 0, digits = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (digits < 6) frac = frac * 10 + (s[pos] - '0'), ++digits;
      ++pos;
    }
    if (digits == 0) return std::nullopt;
    while (digits < 6) frac *= 10, ++digits;
    t += microseconds(frac);
  }
  if (pos >= s.size()) return std::nullopt;  // an offset is required with a time
  if ((s[pos] == 'Z' || s[pos] == 'z') && pos + 1 == s.size()) return t;
  if (s[pos] != '+' && s[pos] != '-') return std::nullopt;
  int oh, om;
  if (pos + 6 != s.size() || !Digits(s, pos + 1, 2, oh) || s[pos + 3] != ':' ||
      !Digits(s, pos + 4, 2, om) || oh > 23 || om > 59) {
    return std::nullopt;
  }
  auto offset = hours(oh) + minutes(om);
  return s[pos] == '+' ? t - offset : t + offset;
}

namespace {

// Writes v as exactly `width` decimal digits at out.
void PutDigits(char* out, int64_t v, int width) {
  for (int i = width - 1; i >= 0; --i, v /= 10) out[i] = static_cast<char>('0' + v % 10);
}

}  // namespace

std::string FormatTimestamp(Timestamp t) {
  using namespace std::chrono;
  auto days = floor<std::chrono::days>(t);
  year_month_day ymd{days};
  int64_t us_of_day = (t - days).count();
  int64_t secs = us_of_day / 1'000'000, us = us_of_day % 1'000'000;
  char buf[32] = "0000-00-00T00:00:00";
  PutDigits(buf, int(ymd.year()), 4);
  PutDigits(buf + 5, unsigned(ymd.month()), 2);
  PutDigits(buf + 8, unsigned(ymd.day()), 2);
  PutDigits(buf + 11, secs / 3600, 2);
  PutDigits(buf + 14, secs / 60 % 60, 2);
  PutDigits(buf + 17, secs % 60, 2);
  size_t n = 19;
  if (us != 0) {
    buf[n++] = '.';
    PutDigits(buf + n, us, 6);
    n += 6;
  }
  buf[n++] = 'Z';
  return std::string(buf, n);
}

Timestamp SystemClock::Now() const {
  return std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now());
}

}  // namespace tandem
