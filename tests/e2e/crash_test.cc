// Crash safety of ingestion from HTTP sources: `peerpulse ingest` is killed
// with SIGKILL at random points, 20 times, against the project's loopback
// forum (Discourse, Reddit, Mastodon and RSS), then run to completion. Its
// staging must equal that of one uninterrupted run into another store: the
// same posts accepted, and per cell the same number of distinct authors.
// Nothing lost (cursors move only with their batch), nothing counted twice
// (keyed dedup keys).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <chrono>
#include <random>
#include <thread>

#include "fixture_server.h"
#include "synthetic_forum.h"
#include "testing/testing.h"

namespace peerpulse {
namespace {

using testing::FixtureRequest;
using testing::FixtureServer;
using testing::Forum;
using testing::RunCli;
using testing::Source;
using testing::TempDir;
using testing::WriteFile;

std::string Job(const std::string& dir, const std::string& store, const std::string& base) {
  return "[job]\nname = \"crash\"\npolicy = \"" + Source("policies/safe-harbor.toml") + "\"\ntaxonomy = \"" +
         Source("classify/taxonomy/default.toml") + "\"\nstore = \"" + store +
         "\"\n\n[http]\ncontact = \"mailto:test@example.org\"\nmin_delay_seconds = 0\nbackoff_base_seconds = 0.01\n\n"
         "[[source]]\nname = \"forum\"\ntype = \"discourse\"\nurl = \"" + base +
         "\"\ncommunity = \"forum\"\nbatch_size = 15\nmax_pages = 1000\n\n"
         "[[source]]\nname = \"rd\"\ntype = \"reddit\"\nsubreddit = \"diabetes\"\nurl = \"" + base +
         "\"\nauth_url = \"" + base + "/api/v1/access_token\"\nsecrets_file = \"" + dir +
         "/reddit.toml\"\nbatch_size = 20\nmax_pages = 1000\n\n"
         "[[source]]\nname = \"masto\"\ntype = \"mastodon\"\nurl = \"" + base +
         "\"\ntag = \"diabetes\"\ncommunity = \"mastodon\"\nbatch_size = 10\n\n"
         "[[source]]\nname = \"blog\"\ntype = \"feed\"\nurl = \"" + base + "/feed.xml\"\ncommunity = \"blog\"\n";
}

// What an uninterrupted and an interrupted history must agree on.
std::vector<std::string> Staging(const std::string& store) {
  SQLite::Database db(store + "/peerpulse.db", SQLite::OPEN_READONLY);
  std::vector<std::string> out;
  SQLite::Statement seen(db, "SELECT window, COUNT(*) FROM staging_seen GROUP BY window ORDER BY window");
  while (seen.executeStep()) out.push_back("seen " + seen.getColumn(0).getString() + " " + seen.getColumn(1).getString());
  SQLite::Statement cells(db,
                          "SELECT c.window, c.community, c.condition, c.need, c.experiencer, COUNT(DISTINCT s.author) "
                          "FROM staging_contribution s JOIN staging_cell c ON c.window = s.window AND "
                          "c.cell_id = s.cell_id GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5");
  while (cells.executeStep()) {
    std::string row = "cell";
    for (int i = 0; i < 6; ++i) row += " " + cells.getColumn(i).getString();
    out.push_back(row);
  }
  return out;
}

TEST(CrashTest, KillNineAtRandomPointsThenRerunEqualsAnUninterruptedRun) {
  Forum forum;
  forum.posts = 500;
  forum.authors = 40;
  forum.page_delay_ms = 4;
  FixtureServer server([&](const FixtureRequest& r) { return forum.Handle(r); });
  TempDir dir;
  WriteFile(dir.Join("reddit.toml"), "[reddit]\nclient_id = \"id\"\nclient_secret = \"secret\"\n");
  ASSERT_EQ(::chmod(dir.Join("reddit.toml").c_str(), 0600), 0);
  WriteFile(dir.Join("ref.toml"), Job(dir.path(), dir.Join("ref-store"), server.base()));
  WriteFile(dir.Join("crash.toml"), Job(dir.path(), dir.Join("crash-store"), server.base()));
  const std::string now = "2026-03-03T12:00:00Z";  // the week is still open: everything stays staged

  const auto t0 = std::chrono::steady_clock::now();
  const auto ref = RunCli({"ingest", dir.Join("ref.toml"), "--no-release", "--now", now});
  ASSERT_EQ(ref.exit_code, 0) << ref.err;
  const double full_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  const auto expected = Staging(dir.Join("ref-store"));
  ASSERT_GT(expected.size(), 5u);

  const unsigned seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> when(0.0, full_ms * 1.1);
  int killed = 0;
  for (int i = 0; i < 20; ++i) {
    const int pid = testing::SpawnCli({"ingest", dir.Join("crash.toml"), "--no-release", "--now", now});
    std::this_thread::sleep_for(std::chrono::duration<double, std::milli>(when(rng)));
    if (::kill(pid, SIGKILL) == 0) ++killed;
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) == 0)) << "run " << i;
  }
  const auto last = RunCli({"ingest", dir.Join("crash.toml"), "--no-release", "--now", now});
  ASSERT_EQ(last.exit_code, 0) << last.err;
  EXPECT_GE(killed, 15);
  EXPECT_EQ(Staging(dir.Join("crash-store")), expected);
}

}  // namespace
}  // namespace peerpulse
