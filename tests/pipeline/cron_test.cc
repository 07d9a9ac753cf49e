#include "peerpulse/pipeline/cron.h"

#include <gtest/gtest.h>

#include "peerpulse/pipeline/window.h"

namespace peerpulse {
namespace {

std::string Next(const std::string& spec, const std::string& after) {
  auto c = CronSchedule::Parse(spec);
  EXPECT_TRUE(c.ok()) << spec << ": " << c.status().ToString();
  if (!c.ok()) return "";
  const std::int64_t t = c->NextAfter(ParseTimestamp(after).value());
  return t < 0 ? "never" : FormatTimestamp(t);
}

TEST(CronTest, NextRuns) {
  EXPECT_EQ(Next("*/15 * * * *", "2026-03-02T10:07:30Z"), "2026-03-02T10:15:00Z");
  EXPECT_EQ(Next("*/15 * * * *", "2026-03-02T10:15:00Z"), "2026-03-02T10:30:00Z");  // strictly after
  EXPECT_EQ(Next("0 3 * * 1-5", "2026-03-06T04:00:00Z"), "2026-03-09T03:00:00Z");    // Friday -> Monday
  EXPECT_EQ(Next("@daily", "2026-03-02T10:00:00Z"), "2026-03-03T00:00:00Z");
  EXPECT_EQ(Next("@hourly", "2026-03-02T10:59:59Z"), "2026-03-02T11:00:00Z");
  EXPECT_EQ(Next("@weekly", "2026-03-02T10:00:00Z"), "2026-03-08T00:00:00Z");        // Sunday
  EXPECT_EQ(Next("@monthly", "2026-03-02T10:00:00Z"), "2026-04-01T00:00:00Z");
  EXPECT_EQ(Next("@yearly", "2026-03-02T10:00:00Z"), "2027-01-01T00:00:00Z");
  EXPECT_EQ(Next("30 2 1,15 * *", "2026-03-02T10:00:00Z"), "2026-03-15T02:30:00Z");
  EXPECT_EQ(Next("0 6 * jan-mar mon", "2026-03-31T00:00:00Z"), "2027-01-04T06:00:00Z");
  EXPECT_EQ(Next("0 0 * * 7", "2026-03-02T00:00:00Z"), "2026-03-08T00:00:00Z");      // 7 = Sunday
  EXPECT_EQ(Next("5/20 * * * *", "2026-03-02T10:06:00Z"), "2026-03-02T10:25:00Z");
  EXPECT_EQ(Next("0 12 29 2 *", "2026-03-02T00:00:00Z"), "2028-02-29T12:00:00Z");    // leap day
  EXPECT_EQ(Next("0 0 31 2 *", "2026-03-02T00:00:00Z"), "never");
}

TEST(CronTest, DayOfMonthOrDayOfWeekWhenBothAreRestricted) {
  // Vixie cron: the 13th or any Friday. 2026-03-02 is a Monday; Friday the 6th comes first.
  EXPECT_EQ(Next("0 0 13 * fri", "2026-03-02T00:00:00Z"), "2026-03-06T00:00:00Z");
  EXPECT_EQ(Next("0 0 13 * fri", "2026-03-10T00:00:00Z"), "2026-03-13T00:00:00Z");
  EXPECT_EQ(Next("0 0 12 * fri", "2026-03-10T00:00:00Z"), "2026-03-12T00:00:00Z");
}

TEST(CronTest, ErrorsNameTheField) {
  for (const auto& [spec, words] : std::vector<std::pair<std::string, std::string>>{
           {"61 * * * *", "minute field '61'"},
           {"* * *", "expected 5 fields"},
           {"@sometimes", "unknown shorthand"},
           {"*/0 * * * *", "bad step"},
           {"5-1 * * * *", "out of range"},
           {"* 24 * * *", "hour field"},
           {"* * 0 * *", "day-of-month field"},
           {"* * * foo *", "month field 'foo'"},
           {"* * * * 8", "day-of-week field"},
           {"1,,2 * * * *", "empty list item"}}) {
    auto c = CronSchedule::Parse(spec);
    ASSERT_FALSE(c.ok()) << spec;
    EXPECT_NE(c.status().message().find(words), std::string::npos) << spec << ": " << c.status().message();
  }
}

}  // namespace
}  // namespace peerpulse
