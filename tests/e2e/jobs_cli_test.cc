// The CLI around scheduled jobs: job check, schedule --dry-run, the per-job
// lock, SIGTERM finishing the current batch, and the run ledger.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "fixture_server.h"
#include "synthetic_forum.h"
#include "testing/testing.h"

namespace peerpulse {
namespace {

using testing::RunCli;
using testing::Source;
using testing::TempDir;
using testing::WriteFile;

std::string DemoJob(const std::string& name, const std::string& extra = "") {
  return "[job]\nname = \"" + name + "\"\npolicy = \"" + Source("policies/safe-harbor.toml") + "\"\ntaxonomy = \"" +
         Source("classify/taxonomy/default.toml") + "\"\nstore = \"store\"\n" + extra +
         "[[source]]\nname = \"s\"\ntype = \"jsonl\"\npath = \"" + Source("jobs/data/demo-posts.jsonl") + "\"\n";
}

TEST(JobsCliTest, JobCheckAndScheduleDryRun) {
  TempDir dir;
  WriteFile(dir.Join("ok.toml"), DemoJob("ok", "schedule = \"0 */6 * * *\"\n"));
  auto r = RunCli({"job", "check", dir.Join("ok.toml")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("ok (job ok, 1 sources, schedule \"0 */6 * * *\" UTC)"), std::string::npos) << r.out;
  WriteFile(dir.Join("bad.toml"), DemoJob("bad", "schedule = \"0 */6 * *\"\n"));
  r = RunCli({"job", "check", dir.Join("bad.toml")});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("bad.toml:6:"), std::string::npos) << r.err;  // FILE:LINE of the schedule
  EXPECT_NE(r.err.find("expected 5 fields"), std::string::npos) << r.err;

  r = RunCli({"schedule", dir.Join("ok.toml"), "--dry-run", "--count", "3", "--now", "2026-03-02T05:00:00Z"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("ok  \"0 */6 * * *\" (UTC)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  2026-03-02T06:00:00Z\n  2026-03-02T12:00:00Z\n  2026-03-02T18:00:00Z\n"), std::string::npos)
      << r.out;
  EXPECT_EQ(RunCli({"schedule", dir.Join("bad.toml"), "--dry-run"}).exit_code, 3);
}

// A malformed secrets file is reported by place only: the parser's own
// description could quote the secret.
TEST(JobsCliTest, MalformedSecretsFileIsReportedWithoutItsContent) {
  TempDir dir;
  WriteFile(dir.Join("reddit.toml"), "[reddit]\nclient_id = \"abc\"\nclient_secret = \"hunter2zq\nx = 1\n");
  ASSERT_EQ(::chmod(dir.Join("reddit.toml").c_str(), 0600), 0);
  WriteFile(dir.Join("j.toml"), "[job]\nname = \"r\"\npolicy = \"" + Source("policies/safe-harbor.toml") +
                                    "\"\ntaxonomy = \"" + Source("classify/taxonomy/default.toml") +
                                    "\"\nstore = \"store\"\n[http]\ncontact = \"mailto:ops@example.org\"\n"
                                    "[[source]]\nname = \"rd\"\ntype = \"reddit\"\nsubreddit = \"diabetes\"\n"
                                    "secrets_file = \"reddit.toml\"\n");
  const auto r = RunCli({"job", "check", dir.Join("j.toml")});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("reddit.toml:3:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("details withheld"), std::string::npos) << r.err;
  testing::ExpectNoMarker("stderr", r.err, "hunter2zq");
}

TEST(JobsCliTest, ScheduleServiceStopsOnSigterm) {
  TempDir dir;
  WriteFile(dir.Join("y.toml"), DemoJob("yearly", "schedule = \"@yearly\"\n"));
  const int pid = testing::SpawnCli({"schedule", dir.path()});
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  ASSERT_EQ(::kill(pid, SIGTERM), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status)) << "ended by signal " << (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST(JobsCliTest, ARunThatFindsTheLockHeldIsSkippedWithExitZero) {
  TempDir dir;
  WriteFile(dir.Join("j.toml"), DemoJob("locked-job"));
  std::filesystem::create_directories(dir.Join("store"));
  const int fd = ::open(dir.Join("store/job-locked-job.lock").c_str(), O_RDWR | O_CREAT, 0600);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);  // another run holds it
  auto r = RunCli({"ingest", dir.Join("j.toml"), "--now", "2026-01-07T00:00:00Z"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("skipped, another run of it holds its lock"), std::string::npos) << r.out;
  ::close(fd);  // the holder dies: the lock goes with it
  r = RunCli({"ingest", dir.Join("j.toml"), "--now", "2026-01-07T00:00:00Z"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("fetched: 2000"), std::string::npos) << r.out;
  r = RunCli({"runs", "--store", dir.Join("store"), "--format", "csv"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("1,locked-job,2026-01-07T00:00:00Z,2026-01-07T00:00:00Z,ok,2000,"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("s: fetched 2000, bad 0, skipped 0"), std::string::npos) << r.out;  // per source
}

TEST(JobsCliTest, SigtermFinishesTheBatchCommitsAndExitsZero) {
  testing::Forum forum;
  forum.posts = 3000;
  forum.authors = 40;
  forum.page_delay_ms = 20;  // 150 pages: several seconds
  testing::FixtureServer server([&](const testing::FixtureRequest& q) { return forum.Handle(q); });
  TempDir dir;
  WriteFile(dir.Join("j.toml"),
            "[job]\nname = \"term\"\npolicy = \"" + Source("policies/safe-harbor.toml") + "\"\ntaxonomy = \"" +
                Source("classify/taxonomy/default.toml") +
                "\"\nstore = \"store\"\n[http]\ncontact = "
                "\"mailto:t@example.org\"\nmin_delay_seconds = 0\n[[source]]\nname = \"f\"\ntype = \"discourse\"\n"
                "url = \"" +
                server.base() + "\"\ncommunity = \"f\"\nbatch_size = 20\nmax_pages = 1000\n");
  const int pid = testing::SpawnCli({"ingest", dir.Join("j.toml"), "--now", "2026-03-03T00:00:00Z"});
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  ASSERT_EQ(::kill(pid, SIGTERM), 0);
  const auto t0 = std::chrono::steady_clock::now();
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  const double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_TRUE(WIFEXITED(status)) << "killed by signal " << (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_LT(waited, 10.0);
  auto r = RunCli({"runs", "--store", dir.Join("store"), "--format", "csv"});
  ASSERT_EQ(r.exit_code, 0);
  // run,job,started,ended,outcome,fetched,...: the run is "interrupted" and fetched part of the forum.
  const auto row = r.out.find("\n1,term,");
  ASSERT_NE(row, std::string::npos) << r.out;
  std::vector<std::string> fields;
  std::string line = r.out.substr(row + 1, r.out.find('\n', row + 1) - row - 1);
  for (std::size_t p = 0; p != std::string::npos;) {
    const auto c = line.find(',', p);
    fields.push_back(line.substr(p, c == std::string::npos ? std::string::npos : c - p));
    p = c == std::string::npos ? c : c + 1;
  }
  ASSERT_GE(fields.size(), 6u);
  EXPECT_EQ(fields[4], "interrupted");
  EXPECT_GT(std::stoi(fields[5]), 0);     // it had committed batches ...
  EXPECT_LT(std::stoi(fields[5]), 3000);  // ... and stopped well before the end
  // The rerun walks again from the saved position and completes: every post staged once.
  r = RunCli({"ingest", dir.Join("j.toml"), "--now", "2026-03-03T00:00:00Z"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find("INTERRUPTED"), std::string::npos);
  EXPECT_NE(r.out.find("fetched: 3000"), std::string::npos) << r.out;  // a walk that did not finish starts over
  r = RunCli({"ingest", dir.Join("j.toml"), "--now", "2026-03-03T00:00:00Z"});
  EXPECT_NE(r.out.find("contributions staged: 0"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace peerpulse
