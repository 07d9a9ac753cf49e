// The CLI's pinned exit codes: 0 ok, 1 runtime failure, 2 usage, 3 invalid policy/job/taxonomy.
#include <gtest/gtest.h>

#include "testing/testing.h"

namespace peerpulse {
namespace {

using testing::RunCli;
using testing::Source;
using testing::TempDir;
using testing::WriteFile;

TEST(CliTest, UsageErrorsExitTwo) {
  EXPECT_EQ(RunCli({}).exit_code, 2);
  EXPECT_EQ(RunCli({"frobnicate"}).exit_code, 2);
  EXPECT_EQ(RunCli({"ingest"}).exit_code, 2);
  EXPECT_EQ(RunCli({"query"}).exit_code, 2);  // needs --store or --job
  TempDir dir;
  EXPECT_EQ(RunCli({"query", "--store", dir.path(), "--format", "xml"}).exit_code, 2);
  EXPECT_EQ(RunCli({"query", "--store", dir.path(), "--since", "last week"}).exit_code, 2);
  EXPECT_EQ(RunCli({"ingest", Source("jobs/demo.toml"), "--now", "tomorrow"}).exit_code, 2);
}

TEST(CliTest, HelpAndVersionExitZero) {
  EXPECT_EQ(RunCli({"--help"}).exit_code, 0);
  const auto v = RunCli({"version"});
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_EQ(v.out.rfind("peerpulse ", 0), 0u);
}

TEST(CliTest, InvalidConfigurationExitsThreeWithLocation) {
  TempDir dir;
  auto r = RunCli({"ingest", dir.Join("missing.toml")});
  EXPECT_EQ(r.exit_code, 3);

  WriteFile(dir.Join("bad-policy.toml"),
            "[policy]\nname = \"x\"\nversion = \"1\"\n[[rule]]\nid = \"mrn\"\ndetector = \"pattern\"\n"
            "pattern = \"MRN(\\\\d+\"\n");
  r = RunCli({"policy", "check", dir.Join("bad-policy.toml")});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("bad-policy.toml:7:11: rule 'mrn': invalid pattern"), std::string::npos) << r.err;

  WriteFile(dir.Join("job.toml"), "[job]\nname = \"j\"\npolicy = \"bad-policy.toml\"\ntaxonomy = \"" +
                                      Source("classify/taxonomy/default.toml") +
                                      "\"\nstore = \"s\"\n[[source]]\nname = \"a\"\ntype = \"jsonl\"\npath = \"x\"\n");
  r = RunCli({"ingest", dir.Join("job.toml")});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("rule 'mrn'"), std::string::npos) << r.err;

  WriteFile(dir.Join("job2.toml"), "[job]\nname = \"j\"\nstore = 3\n");
  r = RunCli({"ingest", dir.Join("job2.toml")});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("job2.toml:"), std::string::npos) << r.err;
}

TEST(CliTest, PolicyCheckAndTestOnTheShippedPolicy) {
  auto r = RunCli({"policy", "check", Source("policies/safe-harbor.toml")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("ok (policy safe-harbor"), std::string::npos);
  r = RunCli({"policy", "test", Source("policies/safe-harbor.toml")});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find(" passed, 0 failed"), std::string::npos);
}

TEST(CliTest, FailingPolicyTestExitsThree) {
  TempDir dir;
  WriteFile(dir.Join("p.toml"), "[policy]\nname = \"x\"\nversion = \"1\"\n[[rule]]\nid = \"e\"\ndetector = \"email\"\n"
                                "[[test]]\nname = \"wrong\"\ninput = \"a@b.org\"\nexpect = \"a@b.org\"\n");
  const auto r = RunCli({"policy", "test", dir.Join("p.toml")});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.out.find("p.toml:7: test 'wrong': expected \"a@b.org\", got \"<EMAIL>\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("0 passed, 1 failed"), std::string::npos);
}

TEST(CliTest, RuntimeFailureExitsOne) {
  TempDir dir;
  WriteFile(dir.Join("job.toml"), "[job]\nname = \"j\"\npolicy = \"" + Source("policies/safe-harbor.toml") +
                                      "\"\ntaxonomy = \"" + Source("classify/taxonomy/default.toml") +
                                      "\"\nstore = \"s\"\n[[source]]\nname = \"a\"\ntype = \"jsonl\"\n"
                                      "path = \"no-such-file.jsonl\"\n");
  const auto r = RunCli({"ingest", dir.Join("job.toml")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("no-such-file.jsonl"), std::string::npos) << r.err;
  // A store path that is a file, not a directory.
  WriteFile(dir.Join("afile"), "x");
  EXPECT_EQ(RunCli({"query", "--store", dir.Join("afile")}).exit_code, 1);
}

TEST(CliTest, JsonLogsAreOneObjectPerLine) {
  TempDir dir;
  WriteFile(dir.Join("p.jsonl"), "{\"broken \"quoted\" line\n");
  WriteFile(dir.Join("job.toml"), "[job]\nname = \"j\"\npolicy = \"" + Source("policies/safe-harbor.toml") +
                                      "\"\ntaxonomy = \"" + Source("classify/taxonomy/default.toml") +
                                      "\"\nstore = \"s\"\n[[source]]\nname = \"a\"\ntype = \"jsonl\"\n"
                                      "path = \"p.jsonl\"\ncommunity = \"c\"\n");
  const auto r = RunCli({"--log-format", "json", "-v", "ingest", dir.Join("job.toml"), "--no-release"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::size_t lines = 0;
  for (std::size_t p = 0; p < r.err.size();) {
    const auto nl = r.err.find('\n', p);
    const std::string line = r.err.substr(p, nl - p);
    EXPECT_EQ(line.rfind("{\"time\":\"", 0), 0u) << line;
    EXPECT_EQ(line.back(), '}') << line;
    EXPECT_EQ(line.find("\n"), std::string::npos);
    ++lines;
    p = nl == std::string::npos ? r.err.size() : nl + 1;
  }
  EXPECT_GE(lines, 3u);
  EXPECT_NE(r.err.find(R"("level":"warning","msg":")"), std::string::npos) << r.err;  // the bad record, by line
  EXPECT_EQ(RunCli({"--log-format", "xml", "version"}).exit_code, 2);
}

TEST(CliTest, JetstreamEventsOnStandardInput) {
  TempDir dir;
  std::string events;
  for (int i = 0; i < 30; ++i) {
    events += R"({"did":"did:plc:a)" + std::to_string(i) + R"(","time_us":1,"kind":"commit","commit":{"operation":)" +
              R"("create","collection":"app.bsky.feed.post","rkey":"r)" + std::to_string(i) +
              R"(","record":{"text":"my long covid brain fog is back","createdAt":"2026-03-02T10:00:00Z","langs":["en"]}}})" +
              "\n";
    events += R"({"did":"did:plc:b","time_us":2,"kind":"identity","identity":{}})" "\n";
  }
  events += "{not json\n";
  WriteFile(dir.Join("events.jsonl"), events);
  WriteFile(dir.Join("job.toml"), "[job]\nname = \"j\"\npolicy = \"" + Source("policies/safe-harbor.toml") +
                                      "\"\ntaxonomy = \"" + Source("classify/taxonomy/default.toml") +
                                      "\"\nstore = \"s\"\n[[source]]\nname = \"bsky\"\ntype = \"jsonl\"\n"
                                      "format = \"jetstream\"\npath = \"-\"\ncommunity = \"bluesky\"\n");
  const auto r = RunCli({"ingest", dir.Join("job.toml"), "--no-release", "--now", "2026-03-03T00:00:00Z"},
                        dir.Join("events.jsonl"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("fetched: 30"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("skipped (deleted, removed, reposts): 30"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("stdin:61: "), std::string::npos) << r.err;  // the bad line, by number only
  // Fed again: all duplicates, nothing counted twice.
  const auto again = RunCli({"ingest", dir.Join("job.toml"), "--no-release", "--now", "2026-03-03T00:00:00Z"},
                            dir.Join("events.jsonl"));
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_NE(again.out.find("contributions staged: 0"), std::string::npos) << again.out;
}

}  // namespace
}  // namespace peerpulse
