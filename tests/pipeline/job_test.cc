#include "peerpulse/pipeline/job.h"

#include <gtest/gtest.h>

#include "testing/testing.h"

namespace peerpulse {
namespace {

constexpr const char* kJob = R"(
[job]
name = "t"
policy = "p.toml"
taxonomy = "/abs/tax.toml"
store = "store"

[[source]]
name = "s1"
type = "jsonl"
path = "data/x.jsonl"
)";

TEST(JobTest, ParsesAndResolvesPathsAgainstTheJobFile) {
  const auto job = ParseJob(kJob, "/jobs/demo.toml");
  ASSERT_TRUE(job.ok()) << job.status().ToString();
  EXPECT_EQ(job->policy, "/jobs/p.toml");
  EXPECT_EQ(job->taxonomy, "/abs/tax.toml");
  EXPECT_EQ(job->store, "/jobs/store");
  ASSERT_EQ(job->sources.size(), 1u);
  EXPECT_EQ(job->sources[0].path, "/jobs/data/x.jsonl");
}

TEST(JobTest, ErrorsNameFileLineAndColumn) {
  const std::string bad = std::string(kJob) + "unknown = 1\n";
  auto job = ParseJob(bad, "j.toml");
  ASSERT_FALSE(job.ok());
  EXPECT_EQ(job.status().code(), StatusCode::kInvalidConfig);
  // TOML puts a key written after [[source]] into that source table.
  EXPECT_NE(job.status().message().find("j.toml:12:1: source 's1': unknown key 'unknown'"), std::string::npos)
      << job.status().message();

  job = ParseJob("[job\nname=1", "j.toml");
  ASSERT_FALSE(job.ok());
  EXPECT_NE(job.status().message().find("j.toml:1:"), std::string::npos) << job.status().message();
}

TEST(JobTest, ReleaseSettingsAreNotTheJobs) {
  // min_authors, epsilon and the rest belong to the privacy officer's policy.
  const std::string low = std::string("[release]\nmin_authors = 5\n") + kJob;
  const auto job = ParseJob(low, "j.toml");
  ASSERT_FALSE(job.ok());
  EXPECT_NE(job.status().message().find("j.toml:1:2: unknown key 'release'"), std::string::npos)
      << job.status().message();
}

TEST(JobTest, RejectsUnknownSourceTypeAndDuplicates) {
  std::string j = kJob;
  j += "[[source]]\nname = \"s1\"\ntype = \"jsonl\"\npath = \"y\"\n";
  EXPECT_NE(ParseJob(j, "j.toml").status().message().find("duplicate source name"), std::string::npos);
  j = kJob;
  j += "[[source]]\nname = \"s2\"\ntype = \"gopher\"\n";
  EXPECT_NE(ParseJob(j, "j.toml").status().message().find("unknown source type 'gopher'"), std::string::npos);
}

TEST(JobTest, MissingFileIsAConfigError) {
  const auto job = LoadJobFile("/nonexistent/job.toml");
  ASSERT_FALSE(job.ok());
  EXPECT_EQ(job.status().code(), StatusCode::kInvalidConfig);
}

TEST(JobTest, ShippedDemoJobLoads) {
  const auto job = LoadJobFile(testing::Source("jobs/demo.toml"));
  ASSERT_TRUE(job.ok()) << job.status().ToString();
  EXPECT_EQ(job->name, "demo");
}

}  // namespace
}  // namespace peerpulse
