#include "peerpulse/pipeline/window.h"

#include <gtest/gtest.h>

namespace peerpulse {
namespace {

std::int64_t At(const char* ts) { return ParseTimestamp(ts).value(); }

TEST(WindowTest, IsoWeeksIncludingYearBoundaries) {
  EXPECT_EQ(WindowOf(At("2026-01-05T00:00:00Z")).Name(), "2026-W02");
  EXPECT_EQ(WindowOf(At("2026-01-04T23:59:59Z")).Name(), "2026-W01");
  EXPECT_EQ(WindowOf(At("2025-12-29T00:00:00Z")).Name(), "2026-W01");  // Monday of 2026-W01
  EXPECT_EQ(WindowOf(At("2021-01-03T12:00:00Z")).Name(), "2020-W53");
  EXPECT_EQ(WindowOf(At("2024-12-30T08:00:00Z")).Name(), "2025-W01");
  EXPECT_EQ(WindowOf(At("1969-12-31T23:00:00Z")).Name(), "1970-W01");
}

TEST(WindowTest, StartAndEndAreMondays) {
  const Window w = ParseWindow("2026-W03").value();
  EXPECT_EQ(w.StartUnix(), At("2026-01-12T00:00:00Z"));
  EXPECT_EQ(w.EndUnix(), At("2026-01-19T00:00:00Z"));
  EXPECT_EQ(WindowOf(w.EndUnix() - 1), w);
  EXPECT_NE(WindowOf(w.EndUnix()), w);
}

TEST(WindowTest, ParseRejectsBadNames) {
  EXPECT_FALSE(ParseWindow("2026-03").ok());
  EXPECT_FALSE(ParseWindow("2026-W00").ok());
  EXPECT_FALSE(ParseWindow("2026-W54").ok());
  EXPECT_FALSE(ParseWindow("2025-W53").ok());  // 2025 starts on a Wednesday and is not a leap year: 52 weeks
  EXPECT_TRUE(ParseWindow("2026-W53").ok());   // 2026 starts on a Thursday: 53 weeks
  EXPECT_TRUE(ParseWindow("2020-W53").ok());
  EXPECT_FALSE(ParseWindow("").ok());
}

TEST(TimestampTest, ParsesRfc3339) {
  EXPECT_EQ(At("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(At("2026-01-05T10:00:00+02:00"), At("2026-01-05T08:00:00Z"));
  EXPECT_EQ(At("2026-01-05T10:00:00.123456-01:30"), At("2026-01-05T11:30:00Z"));
  EXPECT_EQ(At("2026-01-05"), At("2026-01-05T00:00:00Z"));
}

TEST(TimestampTest, RejectsMalformed) {
  for (const char* bad : {"", "2026", "2026-13-01", "2026-02-30", "2026-01-05T10:00", "2026-01-05T10:00:00",
                          "2026-01-05T25:00:00Z", "2026-01-05T10:00:00+2", "2026-01-05T10:00:00Zjunk",
                          "x026-01-05T10:00:00Z"}) {
    EXPECT_FALSE(ParseTimestamp(bad).ok()) << bad;
  }
}

TEST(TimestampTest, FormatRoundTrips) {
  for (const std::int64_t t : {std::int64_t{0}, std::int64_t{1772445600}, std::int64_t{4102444799}, std::int64_t{951782400}}) {
    const std::string s = FormatTimestamp(t);
    auto back = ParseTimestamp(s);
    ASSERT_TRUE(back.ok()) << s;
    EXPECT_EQ(*back, t) << s;
  }
  EXPECT_EQ(FormatTimestamp(1772445600), "2026-03-02T10:00:00Z");
  EXPECT_EQ(FormatTimestamp(-1), "1969-12-31T23:59:59Z");
}

}  // namespace
}  // namespace peerpulse
