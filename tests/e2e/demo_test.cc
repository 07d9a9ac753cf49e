// End to end: the offline demo job through every stage, as the README's first
// command runs it (here into a temporary store).
#include <gtest/gtest.h>

#include <sstream>

#include "testing/testing.h"

namespace peerpulse {
namespace {

using testing::RunCli;
using testing::Source;
using testing::TempDir;

std::vector<std::vector<std::string>> Csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> row;
    std::istringstream ls(line);
    std::string f;
    while (std::getline(ls, f, ',')) row.push_back(f);
    rows.push_back(row);
  }
  return rows;
}

TEST(DemoTest, RunsEveryStageAndReleasesTheClosedWeeks) {
  TempDir dir;
  const std::string store = dir.Join("store");
  const auto run = RunCli({"ingest", Source("jobs/demo.toml"), "--store", store});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("fetched: 2000"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("de-identified: 2000"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("bad records: 0"), std::string::npos) << run.out;
  for (const char* w : {"2026-W02", "2026-W03"}) {
    EXPECT_NE(run.out.find(std::string("released ") + w), std::string::npos) << run.out;
  }

  const auto q = RunCli({"query", "--store", store, "--by", "window,community,condition,need", "--format", "csv"});
  ASSERT_EQ(q.exit_code, 0) << q.err;
  const auto rows = Csv(q.out);
  ASSERT_GT(rows.size(), 8u);  // typically 14: 7 cells a week clear the noisy threshold
  EXPECT_EQ(rows[0],
            (std::vector<std::string>{"window", "community", "condition", "need", "authors", "cells", "margin95"}));
  std::set<std::string> windows;
  std::set<std::string> communities;
  int dementia_caregiver_max = 0;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    ASSERT_EQ(rows[i].size(), 7u);
    windows.insert(rows[i][0]);
    communities.insert(rows[i][1]);
    // The default policy's noisy threshold is about 38.6: no released value is below 39.
    EXPECT_GE(std::stoi(rows[i][4]), 39) << "a released cell below the threshold";
    if (rows[i][2] == "dementia" && rows[i][3] == "caregiver") {
      dementia_caregiver_max = std::max(dementia_caregiver_max, std::stoi(rows[i][4]));
    }
  }
  EXPECT_EQ(windows, (std::set<std::string>{"2026-W02", "2026-W03"}));
  EXPECT_EQ(communities,
            (std::set<std::string>{"caregivers-forum", "chronic-pain-sub", "diabetes-forum", "mental-health-forum"}));
  EXPECT_GE(dementia_caregiver_max, 70);  // the generator's dominant cell (about 100 authors)

  const auto ledger = RunCli({"ledger", "--job", Source("jobs/demo.toml"), "--store", store});
  ASSERT_EQ(ledger.exit_code, 0) << ledger.err;
  EXPECT_NE(ledger.out.find("spent: epsilon 4.000000, delta 4e-06 (caps: epsilon 104.000000"), std::string::npos)
      << ledger.out;

  // Running the job again changes nothing: the cursor is at the end, the
  // windows are released once, and the answer is the same.
  const auto again = RunCli({"ingest", Source("jobs/demo.toml"), "--store", store});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("fetched: 0"), std::string::npos) << again.out;
  EXPECT_EQ(again.out.find("released "), std::string::npos) << again.out;
  const auto q2 = RunCli({"query", "--store", store, "--by", "window,community,condition,need", "--format", "csv"});
  EXPECT_EQ(q2.out, q.out);
}

}  // namespace
}  // namespace peerpulse
