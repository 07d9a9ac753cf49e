// The scheduler on a clock the test drives: due order, one run per due slot,
// skipped slots after a long run, the stop flag, and CheckJob.
#include "peerpulse/pipeline/scheduler.h"

#include <gtest/gtest.h>

#include "peerpulse/pipeline/window.h"
#include "testing/testing.h"

namespace peerpulse {
namespace {

using testing::Source;
using testing::TempDir;
using testing::WriteFile;

// A clock the test (through the scheduler's sleep hook) moves forward.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(std::int64_t t) : t_(t) {}
  std::int64_t NowUnix() const override { return t_.load(); }
  void Advance(double seconds) { t_ += static_cast<std::int64_t>(seconds < 1 ? 1 : seconds); }

 private:
  std::atomic<std::int64_t> t_;
};

std::string JobText(const std::string& name, const std::string& schedule, const std::string& dir) {
  return "[job]\nname = \"" + name + "\"\npolicy = \"" + Source("policies/safe-harbor.toml") + "\"\ntaxonomy = \"" +
         Source("classify/taxonomy/default.toml") + "\"\nstore = \"" + dir + "/store-" + name + "\"\nschedule = \"" +
         schedule + "\"\nmetrics_file = \"" + dir + "/" + name + ".prom\"\n[[source]]\nname = \"s\"\ntype = \"jsonl\"\n"
         "path = \"" + Source("jobs/data/demo-posts.jsonl") + "\"\n";
}

TEST(SchedulerTest, RunsJobsInDueOrderAndWritesMetrics) {
  TempDir dir;
  WriteFile(dir.Join("a.toml"), JobText("a", "*/30 * * * *", dir.path()));
  WriteFile(dir.Join("b.toml"), JobText("b", "@hourly", dir.path()));
  WriteFile(dir.Join("notes.toml"), JobText("c", "", dir.path()).replace(JobText("c", "", dir.path()).find("schedule"), 14, ""));
  auto jobs = LoadScheduledJobs({dir.path()});
  ASSERT_TRUE(jobs.ok()) << jobs.status().ToString();
  ASSERT_EQ(jobs->size(), 2u);  // notes.toml has no schedule
  for (const Job& j : *jobs) EXPECT_TRUE(CheckJob(j).ok()) << CheckJob(j).ToString();

  ManualClock clock(ParseTimestamp("2026-01-20T10:10:00Z").value());
  std::atomic<bool> stop{false};
  std::vector<std::string> ran;
  ScheduleOptions o;
  o.stop = &stop;
  o.clock = &clock;
  o.sleep = [&](double s) { clock.Advance(s); };
  o.max_runs = 4;
  o.on_run = [&](const Job& j, const Result<RunReport>& r) {
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ran.push_back(j.name + "@" + FormatTimestamp(clock.NowUnix()));
  };
  ASSERT_TRUE(RunSchedule(*jobs, o).ok());
  // 10:30 a, 11:00 a and b (a first: same time, listed first), 11:30 a.
  EXPECT_EQ(ran, (std::vector<std::string>{"a@2026-01-20T10:30:00Z", "a@2026-01-20T11:00:00Z",
                                           "b@2026-01-20T11:00:00Z", "a@2026-01-20T11:30:00Z"}));
  const std::string prom = testing::ReadFile(dir.Join("a.prom"));
  EXPECT_NE(prom.find("# TYPE peerpulse_run_fetched gauge"), std::string::npos) << prom;
  EXPECT_NE(prom.find("peerpulse_run_fetched{job=\"a\"} 0"), std::string::npos) << prom;  // the last run: nothing new
  EXPECT_NE(prom.find("peerpulse_run_success{job=\"a\"} 1"), std::string::npos);
  EXPECT_NE(testing::ReadFile(dir.Join("b.prom")).find("peerpulse_run_fetched{job=\"b\"} 2000"), std::string::npos);
}

TEST(SchedulerTest, StopFlagEndsTheServiceAndBadSchedulesAreConfigErrors) {
  TempDir dir;
  WriteFile(dir.Join("a.toml"), JobText("a", "@daily", dir.path()));
  auto jobs = LoadScheduledJobs({dir.Join("a.toml")});
  ASSERT_TRUE(jobs.ok());
  ManualClock clock(0);
  std::atomic<bool> stop{false};
  int sleeps = 0;
  ScheduleOptions o;
  o.stop = &stop;
  o.clock = &clock;
  o.sleep = [&](double) {
    if (++sleeps == 3) stop = true;
  };
  EXPECT_TRUE(RunSchedule(*jobs, o).ok());
  EXPECT_EQ(sleeps, 3);

  WriteFile(dir.Join("bad.toml"), JobText("bad", "0 25 * * *", dir.path()));
  auto bad = LoadScheduledJobs({dir.Join("bad.toml")});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidConfig);
  EXPECT_NE(bad.status().message().find("bad.toml:"), std::string::npos) << bad.status().message();
  EXPECT_NE(bad.status().message().find("hour field"), std::string::npos);
  EXPECT_FALSE(LoadScheduledJobs({dir.Join("a.toml"), dir.Join("a.toml")}).ok());  // the same job twice
}

}  // namespace
}  // namespace peerpulse
