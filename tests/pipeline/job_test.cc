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

TEST(JobTest, ShippedHttpExampleLoads) {
  const auto job = LoadJobFile(testing::Source("jobs/patient-forums.example.toml"));
  ASSERT_TRUE(job.ok()) << job.status().ToString();
  ASSERT_EQ(job->sources.size(), 5u);
  EXPECT_TRUE(job->HasHttpSources());
  EXPECT_EQ(job->http.contact, "mailto:research-team@example.org");
  EXPECT_EQ(job->sources[0].tag, "diabetes");
  EXPECT_EQ(job->sources[4].delay_seconds, 5.0);
  EXPECT_EQ(job->sources[1].secrets_file, testing::Source("jobs/reddit-secrets.toml"));
}

TEST(JobTest, HttpSourcesNeedTheirOptionsAndAContact) {
  std::string j = kJob;
  j += "[[source]]\nname = \"m\"\ntype = \"mastodon\"\nurl = \"https://m.example\"\ncommunity = \"c\"\n";
  auto job = ParseJob(j, "j.toml");
  ASSERT_FALSE(job.ok());
  EXPECT_NE(job.status().message().find("a mastodon source needs 'tag'"), std::string::npos);
  j += "tag = \"x\"\n";
  job = ParseJob(j, "j.toml");
  ASSERT_FALSE(job.ok());
  EXPECT_NE(job.status().message().find("[http] contact"), std::string::npos);
  std::string k = j + "[http]\ncontact = \"mailto:a@example.org\"\nmin_delay_seconds = -1\n";
  job = ParseJob(k, "j.toml");
  ASSERT_FALSE(job.ok());
  EXPECT_NE(job.status().message().find("min_delay_seconds must be within"), std::string::npos);
  EXPECT_NE(job.status().message().find("j.toml:"), std::string::npos);
  k = j + "[http]\ncontact = \"mailto:a@example.org\"\n";
  ASSERT_TRUE(ParseJob(k, "j.toml").ok());
  k = j + "[http]\ncontact = \"somebody\"\n";
  EXPECT_FALSE(ParseJob(k, "j.toml").ok());
  j = kJob;
  j += "[[source]]\nname = \"f\"\ntype = \"feed\"\nurl = \"file:///etc/passwd\"\ncommunity = \"c\"\n";
  EXPECT_NE(ParseJob(j, "j.toml").status().message().find("http:// or https://"), std::string::npos);
}

}  // namespace
}  // namespace peerpulse
