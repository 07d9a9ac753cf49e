// Release windows (ISO 8601 weeks) and timestamp parsing.
//
// A window is named "YYYY-Www" (for example "2026-W03"). It is the finest time
// resolution that peerpulse ever stores. All functions are pure and thread-safe.
#ifndef PEERPULSE_PIPELINE_WINDOW_H_
#define PEERPULSE_PIPELINE_WINDOW_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "peerpulse/pipeline/status.h"

namespace peerpulse {

struct Window {
  int iso_year = 0;  // ISO week-numbering year
  int week = 0;      // 1..53

  // "2026-W03".
  std::string Name() const;
  // Unix seconds of Monday 00:00:00 UTC that starts the week.
  std::int64_t StartUnix() const;
  // Unix seconds of the next Monday 00:00:00 UTC (exclusive end).
  std::int64_t EndUnix() const;

  friend bool operator==(const Window&, const Window&) = default;
  friend auto operator<=>(const Window&, const Window&) = default;
};

// The ISO week that contains `unix_seconds` (UTC).
Window WindowOf(std::int64_t unix_seconds);

// Parses "YYYY-Www" (week 01..53, and the week must exist in that year).
Result<Window> ParseWindow(std::string_view name);

// Parses an RFC 3339 timestamp ("2026-01-05T10:00:00Z",
// "2026-01-05T10:00:00.123+02:00") or a plain date "2026-01-05" (midnight
// UTC) into Unix seconds. Fractions of a second are dropped.
Result<std::int64_t> ParseTimestamp(std::string_view text);

// `unix_seconds` as RFC 3339 UTC, "2026-01-05T10:00:00Z". Thread-safe.
std::string FormatTimestamp(std::int64_t unix_seconds);

}  // namespace peerpulse

#endif  // PEERPULSE_PIPELINE_WINDOW_H_
