#include "corpus_generator.h"

#include <gtest/gtest.h>

#include <sstream>

#include "testing/testing.h"

namespace peerpulse::bench {
namespace {

TEST(CorpusGeneratorTest, BundledDemoSampleIsExactlyTheGeneratorOutput) {
  // jobs/data/demo-posts.jsonl = `peerpulse-gen --posts 2000` (default seed and dates).
  CorpusOptions o;
  o.posts = 2000;
  std::ostringstream ss;
  ASSERT_TRUE(GenerateCorpus(o, ss));
  EXPECT_EQ(ss.str(), testing::ReadFile(testing::Source("jobs/data/demo-posts.jsonl")));
}

TEST(CorpusGeneratorTest, SeedChangesTheCorpusAndBadDatesAreRefused) {
  CorpusOptions a;
  a.posts = 50;
  CorpusOptions b = a;
  b.seed = 7;
  std::ostringstream sa;
  std::ostringstream sb;
  ASSERT_TRUE(GenerateCorpus(a, sa));
  ASSERT_TRUE(GenerateCorpus(b, sb));
  EXPECT_NE(sa.str(), sb.str());
  CorpusOptions bad;
  bad.start_date = "2026-02-30";
  std::ostringstream sc;
  EXPECT_FALSE(GenerateCorpus(bad, sc));
}

}  // namespace
}  // namespace peerpulse::bench
