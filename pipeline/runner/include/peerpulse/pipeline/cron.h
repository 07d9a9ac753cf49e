// Cron schedules for job files: the classic 5 fields, in UTC.
//
//   minute hour day-of-month month day-of-week
//   "*/15 * * * *", "0 3 * * 1-5", "30 2 1,15 * *", "0 6 * jan-mar mon"
//
// Each field takes `*`, numbers, ranges `a-b`, steps `*/n` and `a-b/n`, and
// comma lists; months and weekdays also take three-letter names; weekday 7 is
// Sunday like 0. As in Vixie cron, when both day-of-month and day-of-week are
// restricted, a day matching either runs. Shorthands: @hourly, @daily
// (@midnight), @weekly, @monthly, @yearly (@annually). Times are UTC; there is
// no time zone support (a job that must follow local time says so in its
// hours).
//
// Values are immutable after Parse and safe to share between threads.
#ifndef PEERPULSE_PIPELINE_CRON_H_
#define PEERPULSE_PIPELINE_CRON_H_

#include <bitset>
#include <cstdint>
#include <string>
#include <string_view>

#include "peerpulse/pipeline/status.h"

namespace peerpulse {

class CronSchedule {
 public:
  // Errors: InvalidArgument naming the field and what is wrong with it.
  static Result<CronSchedule> Parse(std::string_view spec);

  // The first matching minute strictly after `unix_seconds` (UTC), in Unix
  // seconds, or -1 if none comes within 8 years (e.g. "0 0 31 2 *").
  std::int64_t NextAfter(std::int64_t unix_seconds) const;

  const std::string& text() const { return text_; }

 private:
  std::string text_;
  std::bitset<60> minutes_;
  std::bitset<24> hours_;
  std::bitset<32> days_;     // 1..31
  std::bitset<13> months_;   // 1..12
  std::bitset<7> weekdays_;  // 0 = Sunday
  bool days_restricted_ = false;
  bool weekdays_restricted_ = false;
};

}  // namespace peerpulse

#endif  // PEERPULSE_PIPELINE_CRON_H_
