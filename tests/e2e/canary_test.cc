// Canary: posts whose text, author, id and url carry unique marker strings go
// through ingest and release. Not one marker may appear in any byte of the
// store's files (database, WAL, shared memory, journal, keys), in the
// debug-level logs, or in stdout/stderr.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>

#include "testing/testing.h"

namespace peerpulse {
namespace {

using testing::ListFiles;
using testing::ReadFile;
using testing::RunCli;
using testing::Source;
using testing::TempDir;
using testing::WriteFile;

constexpr const char* kMarker = "qzcanary";  // lowercase; searched case-insensitively

void ExpectNoMarker(const std::string& where, const std::string& bytes) {
  testing::ExpectNoMarker(where, bytes, kMarker);
}

std::string CanaryPosts() {
  std::string out;
  // 60 authors with two posts each in 2026-W02: far above the default policy's
  // noisy threshold (about 39), so cells are released.
  for (int a = 0; a < 60; ++a) {
    for (int p = 0; p < 2; ++p) {
      const std::string n = std::to_string(a) + "x" + std::to_string(p);
      out += R"({"id":"QZCANARY-ID-)" + n + R"(","author":"QzCanary_Author_)" + std::to_string(a) +
             R"(","community":"canary-forum","created_at":"2026-01-06T1)" + std::to_string(p) +
             R"(:00:00Z","lang":"en","title":"QZCANARY title )" + n +
             R"(","text":"My diabetes is hard, any tips? qzcanary-text-)" + n + " mail qzcanary." + n +
             R"(@example.com or u/qzcanary_)" + n + R"(","url":"https://example.org/qzcanary/)" + n + "\"}\n";
    }
  }
  // Records that fail: their error messages must not echo the markers.
  out += R"({"id":"QZCANARY-BAD-1","author":"QZCANARY-BADAUTHOR","text":"qzcanary broken)" "\n";
  out += R"({"id":"QZCANARY-BAD-2","author":"QZCANARY-BADAUTHOR","created_at":"qzcanary-time","text":"x"})" "\n";
  out += R"({"id":"QZCANARY-BAD-3","author":"QZCANARY","created_at":1767693600,"community":"QZCANARY BAD","text":"diabetes"})" "\n";
  // Too large for the policy: dropped by de-identification, counted.
  out += R"({"id":"QZCANARY-BIG","author":"QZCANARY-BIG","created_at":1767693600,"community":"c","text":"diabetes )" +
         std::string(70000, 'q') + "qzcanary\"}\n";
  return out;
}

TEST(CanaryTest, NoMarkerReachesDiskLogsOrOutput) {
  TempDir dir;
  const std::string data = dir.Join("canary.jsonl");
  WriteFile(data, CanaryPosts());
  ASSERT_NE(ReadFile(data).find("QZCANARY"), std::string::npos);  // the input does carry markers
  const std::string store = dir.Join("store");
  WriteFile(dir.Join("job.toml"), "[job]\nname = \"canary\"\npolicy = \"" + Source("policies/safe-harbor.toml") +
                                      "\"\ntaxonomy = \"" + Source("classify/taxonomy/default.toml") +
                                      "\"\nstore = \"store\"\n[[source]]\nname = \"canary\"\ntype = \"jsonl\"\n"
                                      "path = \"canary.jsonl\"\nbatch_size = 7\n");
  std::vector<testing::CommandResult> outputs;

  // Phase 1: staging only (the window is still open at --now).
  outputs.push_back(RunCli({"-v", "ingest", dir.Join("job.toml"), "--now", "2026-01-07T00:00:00Z"}));
  ASSERT_EQ(outputs.back().exit_code, 0) << outputs.back().err;
  EXPECT_NE(outputs.back().out.find("de-identified: 120"), std::string::npos) << outputs.back().out;
  EXPECT_NE(outputs.back().out.find("bad records: 2"), std::string::npos) << outputs.back().out;
  EXPECT_NE(outputs.back().out.find("too_large: 1"), std::string::npos) << outputs.back().out;
  EXPECT_NE(outputs.back().out.find("bad_community: 1"), std::string::npos) << outputs.back().out;
  EXPECT_NE(outputs.back().err.find("canary.jsonl:121: malformed JSON"), std::string::npos) << outputs.back().err;
  EXPECT_NE(outputs.back().err.find("debug"), std::string::npos);  // debug logs were on
  const auto staged = ListFiles(store);
  ASSERT_GE(staged.size(), 2u);  // database (+ WAL) and the window key
  for (const auto& f : staged) ExpectNoMarker(f + " (while staging)", ReadFile(f));

  // Phase 2: release and query.
  outputs.push_back(RunCli({"-v", "ingest", dir.Join("job.toml"), "--now", "2026-02-01T00:00:00Z"}));
  ASSERT_EQ(outputs.back().exit_code, 0) << outputs.back().err;
  EXPECT_NE(outputs.back().out.find("released 2026-W02: 1 cells and 1 marginals"), std::string::npos)
      << outputs.back().out;
  outputs.push_back(RunCli({"-v", "query", "--store", store, "--table", "cells", "--format", "csv"}));
  ASSERT_EQ(outputs.back().exit_code, 0);
  EXPECT_NE(outputs.back().out.find("2026-W02,canary-forum,diabetes,practical_advice,self,"), std::string::npos)
      << outputs.back().out;
  outputs.push_back(RunCli({"-v", "ledger", "--store", store}));
  ASSERT_EQ(outputs.back().exit_code, 0);

  for (const auto& f : ListFiles(store)) ExpectNoMarker(f, ReadFile(f));
  for (const auto& o : outputs) {
    ExpectNoMarker("stdout", o.out);
    ExpectNoMarker("stderr", o.err);
  }
}

}  // namespace
}  // namespace peerpulse
