#include "peerpulse/pipeline/cron.h"

#include <array>
#include <cctype>
#include <charconv>
#include <chrono>
#include <vector>

namespace peerpulse {
namespace {

constexpr std::array<std::string_view, 12> kMonths = {"jan", "feb", "mar", "apr", "may", "jun",
                                                      "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr std::array<std::string_view, 7> kWeekdays = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

struct FieldSpec {
  const char* name;
  int lo;
  int hi;
  const std::string_view* names;  // nullptr, or names for lo.. (months from 1, weekdays from 0)
  std::size_t name_count;
};

bool Number(std::string_view s, const FieldSpec& f, int& out) {
  if (s.empty()) return false;
  std::string low(s);
  for (char& c : low) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (std::size_t i = 0; f.names != nullptr && i < f.name_count; ++i) {
    if (low == f.names[i]) {
      out = static_cast<int>(i) + (f.lo == 1 ? 1 : 0);
      return true;
    }
  }
  const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc{} && r.ptr == s.data() + s.size();
}

// Parses one field into `bits` (index = value). Returns "" or the problem.
std::string ParseField(std::string_view text, const FieldSpec& f, std::vector<bool>& bits, bool& restricted) {
  bits.assign(static_cast<std::size_t>(f.hi + 1), false);
  restricted = text != "*";
  if (text.empty()) return "is empty";
  while (!text.empty()) {
    const auto comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    if (item.empty()) return "has an empty list item";
    int step = 1;
    const auto slash = item.find('/');
    if (slash != std::string_view::npos) {
      const std::string_view s = item.substr(slash + 1);
      const auto r = std::from_chars(s.data(), s.data() + s.size(), step);
      if (r.ec != std::errc{} || r.ptr != s.data() + s.size() || step < 1) return "has a bad step '" + std::string(s) + "'";
      item = item.substr(0, slash);
    }
    int a = f.lo;
    int b = f.hi;
    if (item != "*") {
      const auto dash = item.find('-');
      if (!Number(item.substr(0, dash), f, a)) return "has a bad value '" + std::string(item.substr(0, dash)) + "'";
      b = a;
      if (dash != std::string_view::npos) {
        if (!Number(item.substr(dash + 1), f, b)) return "has a bad value '" + std::string(item.substr(dash + 1)) + "'";
      } else if (slash != std::string_view::npos) {
        b = f.hi;  // "5/15" means 5-max/15
      }
    }
    const int top = f.hi + (std::string_view(f.name) == "day-of-week" ? 1 : 0);  // 7 = Sunday
    if (a < f.lo || b > top || a > b) {
      return "value out of range " + std::to_string(f.lo) + "-" + std::to_string(f.hi);
    }
    for (int v = a; v <= b; v += step) bits[static_cast<std::size_t>(v == 7 && top == 7 ? 0 : v)] = true;
  }
  return {};
}

}  // namespace

Result<CronSchedule> CronSchedule::Parse(std::string_view spec) {
  CronSchedule c;
  c.text_ = std::string(spec);
  std::string_view s = spec;
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  if (s == "@hourly") s = "0 * * * *";
  else if (s == "@daily" || s == "@midnight") s = "0 0 * * *";
  else if (s == "@weekly") s = "0 0 * * 0";
  else if (s == "@monthly") s = "0 0 1 * *";
  else if (s == "@yearly" || s == "@annually") s = "0 0 1 1 *";
  else if (s.starts_with("@")) return Status::InvalidArgument("schedule: unknown shorthand '" + std::string(s) + "'");
  std::vector<std::string_view> fields;
  while (!s.empty()) {
    const auto sp = s.find_first_of(" \t");
    fields.push_back(s.substr(0, sp));
    s = sp == std::string_view::npos ? std::string_view() : s.substr(sp);
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  }
  if (fields.size() != 5) {
    return Status::InvalidArgument("schedule: expected 5 fields (minute hour day-of-month month day-of-week), got " +
                                   std::to_string(fields.size()));
  }
  const FieldSpec specs[5] = {{"minute", 0, 59, nullptr, 0},
                              {"hour", 0, 23, nullptr, 0},
                              {"day-of-month", 1, 31, nullptr, 0},
                              {"month", 1, 12, kMonths.data(), kMonths.size()},
                              {"day-of-week", 0, 6, kWeekdays.data(), kWeekdays.size()}};
  std::vector<bool> bits;
  bool restricted = false;
  for (int i = 0; i < 5; ++i) {
    const std::string problem = ParseField(fields[static_cast<std::size_t>(i)], specs[i], bits, restricted);
    if (!problem.empty()) {
      return Status::InvalidArgument("schedule: " + std::string(specs[i].name) + " field '" +
                                     std::string(fields[static_cast<std::size_t>(i)]) + "' " + problem);
    }
    for (std::size_t v = 0; v < bits.size(); ++v) {
      if (!bits[v]) continue;
      switch (i) {
        case 0: c.minutes_.set(v); break;
        case 1: c.hours_.set(v); break;
        case 2: c.days_.set(v); break;
        case 3: c.months_.set(v); break;
        default: c.weekdays_.set(v); break;
      }
    }
    if (i == 2) c.days_restricted_ = restricted;
    if (i == 4) c.weekdays_restricted_ = restricted;
  }
  return c;
}

std::int64_t CronSchedule::NextAfter(std::int64_t unix_seconds) const {
  using namespace std::chrono;
  // Start at the next whole minute.
  std::int64_t t = (unix_seconds >= 0 ? unix_seconds / 60 : (unix_seconds - 59) / 60) * 60 + 60;
  const std::int64_t limit = t + std::int64_t{8} * 366 * 86400;
  while (t < limit) {
    const std::int64_t day_index = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    const sys_days day{days{day_index}};
    const year_month_day ymd{day};
    const unsigned month = static_cast<unsigned>(ymd.month());
    const unsigned dom = static_cast<unsigned>(ymd.day());
    const unsigned dow = weekday{day}.c_encoding();
    bool day_ok;
    if (days_restricted_ && weekdays_restricted_) {
      day_ok = days_.test(dom) || weekdays_.test(dow);
    } else {
      day_ok = days_.test(dom) && weekdays_.test(dow);
    }
    if (!months_.test(month) || !day_ok) {
      t = (day_index + 1) * 86400;  // next day, 00:00
      continue;
    }
    const std::int64_t secs = t - day_index * 86400;
    const int hour = static_cast<int>(secs / 3600);
    const int minute = static_cast<int>(secs % 3600 / 60);
    if (!hours_.test(static_cast<std::size_t>(hour))) {
      t = day_index * 86400 + (hour + 1) * 3600;
      continue;
    }
    if (!minutes_.test(static_cast<std::size_t>(minute))) {
      t += 60;
      continue;
    }
    return t;
  }
  return -1;
}

}  // namespace peerpulse
