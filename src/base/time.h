// Time values: std::chrono throughout, microsecond precision, UTC.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace tandem {

using Duration = std::chrono::microseconds;
using Timestamp = std::chrono::sys_time<Duration>;

// Parses an RFC 3339 date-time ("2026-11-02T09:14:00Z", "…+01:00", optional fraction up to
// microseconds) or a plain date ("2026-11-02", taken as midnight UTC). nullopt if malformed.
std::optional<Timestamp> ParseTimestamp(std::string_view text);

// Formats as "2026-11-02T09:14:00Z", with ".ffffff" only when there are microseconds.
std::string FormatTimestamp(Timestamp t);

inline int64_t ToMicros(Timestamp t) { return t.time_since_epoch().count(); }
inline Timestamp FromMicros(int64_t us) { return Timestamp(Duration(us)); }

// The source of "now". Injected everywhere so tests and replays control time.
// Implementations are thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Timestamp Now() const override;
};

// A clock tests set by hand. Not thread-safe for concurrent Set/Now.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(Timestamp now) : now_(now) {}
  Timestamp Now() const override { return now_; }
  void Set(Timestamp now) { now_ = now; }
  void Advance(Duration d) { now_ += d; }

 private:
  Timestamp now_;
};

}  // namespace tandem
