#include "peerpulse/pipeline/window.h"

#include <chrono>
#include <cstdio>

namespace peerpulse {
namespace {

using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::year_month_day;

constexpr std::int64_t kDay = 86400;

// Monday of ISO week 1 of `iso_year`: the week that holds January 4th.
sys_days Week1Monday(int iso_year) {
  const sys_days jan4 = std::chrono::year{iso_year} / std::chrono::January / 4;
  const std::chrono::weekday wd{jan4};
  const unsigned iso_wd = wd.iso_encoding();  // Monday = 1 ... Sunday = 7
  return jan4 - days{iso_wd - 1};
}

std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

bool ParseDigits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    const char c = s[i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  return true;
}

}  // namespace

std::string Window::Name() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-W%02d", iso_year, week);
  return buf;
}

std::int64_t Window::StartUnix() const {
  const sys_days monday = Week1Monday(iso_year) + days{7 * (week - 1)};
  return static_cast<std::int64_t>(monday.time_since_epoch().count()) * kDay;
}

std::int64_t Window::EndUnix() const { return StartUnix() + 7 * kDay; }

Window WindowOf(std::int64_t unix_seconds) {
  const sys_days day{days{FloorDiv(unix_seconds, kDay)}};
  const year_month_day ymd{day};
  int y = static_cast<int>(ymd.year());
  // The ISO year is y-1, y or y+1; pick the one whose week 1 starts on or before `day`.
  if (day >= Week1Monday(y + 1)) {
    y += 1;
  } else if (day < Week1Monday(y)) {
    y -= 1;
  }
  const auto offset = (day - Week1Monday(y)).count();
  return Window{y, static_cast<int>(offset / 7) + 1};
}

Result<Window> ParseWindow(std::string_view name) {
  int y = 0;
  int w = 0;
  if (name.size() != 8 || name[4] != '-' || name[5] != 'W' || !ParseDigits(name, 0, 4, y) ||
      !ParseDigits(name, 6, 2, w) || w < 1 || w > 53) {
    return Status::InvalidArgument("window must look like 2026-W03");
  }
  const Window win{y, w};
  if (WindowOf(win.StartUnix()) != win) {
    return Status::InvalidArgument("year " + std::to_string(y) + " has no week " + std::to_string(w));
  }
  return win;
}

Result<std::int64_t> ParseTimestamp(std::string_view s) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
  const auto bad = [] { return Status::InvalidArgument("timestamp is not RFC 3339"); };
  if (s.size() < 10 || !ParseDigits(s, 0, 4, y) || s[4] != '-' || !ParseDigits(s, 5, 2, mo) ||
      s[7] != '-' || !ParseDigits(s, 8, 2, d)) {
    return bad();
  }
  const year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(mo)},
                           std::chrono::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return bad();
  std::int64_t offset = 0;
  if (s.size() > 10) {
    if ((s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !ParseDigits(s, 11, 2, h) || s.size() < 19 ||
        s[13] != ':' || !ParseDigits(s, 14, 2, mi) || s[16] != ':' || !ParseDigits(s, 17, 2, se) || h > 23 ||
        mi > 59 || se > 60) {
      return bad();
    }
    std::size_t pos = 19;
    if (pos < s.size() && s[pos] == '.') {
      ++pos;
      const std::size_t start = pos;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
      if (pos == start) return bad();
    }
    if (pos >= s.size()) return bad();  // RFC 3339 requires a zone
    if (s[pos] == 'Z' || s[pos] == 'z') {
      ++pos;
    } else if (s[pos] == '+' || s[pos] == '-') {
      int oh = 0, om = 0;
      if (!ParseDigits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
          !ParseDigits(s, pos + 4, 2, om) || oh > 23 || om > 59) {
        return bad();
      }
      offset = (oh * 3600 + om * 60) * (s[pos] == '+' ? 1 : -1);
      pos += 6;
    } else {
      return bad();
    }
    if (pos != s.size()) return bad();
  }
  const std::int64_t day = sys_days{ymd}.time_since_epoch().count();
  return day * kDay + h * 3600 + mi * 60 + se - offset;
}

}  // namespace peerpulse

namespace peerpulse {

std::string FormatTimestamp(std::int64_t unix_seconds) {
  const std::int64_t day = FloorDiv(unix_seconds, kDay);
  const std::int64_t secs = unix_seconds - day * kDay;
  const year_month_day ymd{sys_days{days{day}}};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), static_cast<int>(secs / 3600),
                static_cast<int>(secs % 3600 / 60), static_cast<int>(secs % 60));
  return buf;
}

}  // namespace peerpulse
