#include "peerpulse/pipeline/labels.h"

#include <gtest/gtest.h>

namespace peerpulse {
namespace {

TEST(LabelsTest, CellsAreConditionTimesNeed) {
  Labels l;
  l.conditions = {"anxiety", "depression"};
  l.needs = {"loneliness"};
  l.experiencer = Experiencer::kFamily;
  const auto cells = CellsFor(ParseWindow("2026-W03").value(), "forum", l);
  ASSERT_EQ(cells.size(), 2u);
  EXPECT_EQ(cells[0], (CellKey{"2026-W03", "forum", "anxiety", "loneliness", "family"}));
  EXPECT_EQ(cells[1].condition, "depression");
}

TEST(LabelsTest, NoNeedMeansUnspecifiedAndNoConditionMeansNoCell) {
  Labels l;
  l.conditions = {"asthma"};
  EXPECT_EQ(CellsFor(ParseWindow("2026-W03").value(), "f", l)[0].need, "unspecified");
  l.conditions.clear();
  l.needs = {"information"};
  EXPECT_TRUE(CellsFor(ParseWindow("2026-W03").value(), "f", l).empty());
}

TEST(LabelsTest, DimensionCodes) {
  EXPECT_TRUE(IsDimensionCode("r/diabetes"));
  EXPECT_TRUE(IsDimensionCode("mastodon:#longcovid"));
  EXPECT_FALSE(IsDimensionCode(""));
  EXPECT_FALSE(IsDimensionCode("Has Upper"));
  EXPECT_FALSE(IsDimensionCode("with space"));
  EXPECT_FALSE(IsDimensionCode("-leading"));
  EXPECT_FALSE(IsDimensionCode(std::string(65, 'a')));
}

}  // namespace
}  // namespace peerpulse
