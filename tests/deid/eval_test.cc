#include "peerpulse/deid/eval.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "peerpulse/deid/stream.h"
#include "testing/testing.h"

namespace peerpulse::deid {
namespace {

using testing::TempDir;
using testing::WriteFile;

std::unique_ptr<Deidentifier> SafeHarbor(const std::string& file = "policies/safe-harbor.toml") {
  return Deidentifier::Create(LoadPolicyFile(testing::Source(file)).value()).value();
}

TEST(EvalTest, JsonlGoldIsScoredByOverlap) {
  TempDir dir;
  // "mail a@b.org or call Bob": EMAIL found, NAME found (Bob after "call"? no: not a cue), plus a miss.
  WriteFile(dir.Join("g.jsonl"), R"({"id":"1","text":"mail a@b.org now","spans":[{"start":5,"end":12,"type":"EMAIL"}]})"
                                 "\n"
                                 R"({"id":"2","text":"zz qq","spans":[{"start":0,"end":2,"type":"OTHER"}]})"
                                 "\n");
  auto docs = LoadJsonlGold(dir.Join("g.jsonl"));
  ASSERT_TRUE(docs.ok()) << docs.status().ToString();
  const EvalReport r = Evaluate(*SafeHarbor(), *docs);
  EXPECT_EQ(r.gold, 2u);
  EXPECT_EQ(r.found, 1u);
  EXPECT_EQ(r.by_type.at("EMAIL").found, 1u);
  EXPECT_EQ(r.by_type.at("OTHER").found, 0u);
  EXPECT_DOUBLE_EQ(r.precision(), 1.0);
  EXPECT_NE(FormatEvalReport(r).find("recall 0.5000 (1 of 2 gold spans)"), std::string::npos) << FormatEvalReport(r);

  WriteFile(dir.Join("bad.jsonl"), R"({"text":"abc","spans":[{"start":2,"end":9,"type":"X"}]})"
                                   "\n");
  EXPECT_NE(LoadJsonlGold(dir.Join("bad.jsonl")).status().message().find("bad.jsonl:1: span outside the text"),
            std::string::npos);
}

TEST(EvalTest, PhysioNetFormatIsRead) {
  TempDir dir;
  WriteFile(dir.Join("id.text"),
            "START_OF_RECORD=1||||1||||\nSeen by Dr. Okafor on 7/22.\n||||END_OF_RECORD\n"
            "START_OF_RECORD=1||||2||||\nNo events.\n||||END_OF_RECORD\n");
  WriteFile(dir.Join("id-phi.phrase"), "1 1 12 18 HCPName Okafor\n1 1 22 26 Date 7/22\n");
  auto docs = LoadPhysioNetGold(dir.Join("id.text"));
  ASSERT_TRUE(docs.ok()) << docs.status().ToString();
  ASSERT_EQ(docs->size(), 2u);
  EXPECT_EQ((*docs)[0].text.substr(12, 6), "Okafor");
  const EvalReport r = Evaluate(*SafeHarbor(), *docs);
  EXPECT_EQ(r.found, 2u);
  WriteFile(dir.Join("id-phi.phrase"), "1 9 0 3 Date x\n");
  EXPECT_NE(LoadPhysioNetGold(dir.Join("id.text")).status().message().find("id-phi.phrase:1: no record 1 9"),
            std::string::npos);
}

// The real corpus, when the external data is present (it is not on users' machines).
TEST(EvalTest, PhysioNetCorpusRegressionGuard) {
  const std::string corpus = testing::Source("../shared/external/deid/physionet-deid-1.1/id.text");
  if (!std::filesystem::exists(corpus)) GTEST_SKIP() << "../shared/external is absent: PhysioNet evaluation skipped";
  auto docs = LoadPhysioNetGold(corpus);
  ASSERT_TRUE(docs.ok()) << docs.status().ToString();
  EXPECT_EQ(docs->size(), 2434u);
  const EvalReport r = Evaluate(*SafeHarbor("policies/clinical-addon.toml"), *docs);
  EXPECT_EQ(r.gold, 1779u);
  // Measured 0.9910 / 0.9146 (2026-12-03, eighth session); the issue's target is recall 0.99 with
  // precision 0.85, and these bounds catch regressions.
  EXPECT_GE(r.recall(), 0.99) << FormatEvalReport(r);
  EXPECT_GE(r.precision(), 0.91) << FormatEvalReport(r);
  // A dropped note counts all its spans as found: drops would flatter recall
  // (and lose the note), so none may happen on this corpus.
  EXPECT_EQ(r.dropped_docs, 0u) << FormatEvalReport(r);
}

TEST(StreamTest, JsonlInAndOutWithExplain) {
  std::istringstream in(R"({"text":"Hi Maria, mail a@b.org","author":"SECRET"})"
                        "\n"
                        "not json\n"
                        R"({"text":"fine"})"
                        "\n");
  std::ostringstream out;
  StreamOptions o;
  o.jsonl = true;
  o.explain = true;
  auto n = DeidStream(*SafeHarbor(), in, out, o);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 3u);
  const std::string s = out.str();
  EXPECT_NE(
      s.find(
          R"({"text": "Hi <PERSON>, mail <EMAIL>", "dropped": null, "spans": [{"start": 3, "end": 8, "type": "PERSON", "rule": "person", "evidence": "greeting 'hi'"})"),
      std::string::npos)
      << s;
  EXPECT_NE(s.find(R"({"error": "line 2: malformed JSON)"), std::string::npos) << s;
  EXPECT_EQ(s.find("SECRET"), std::string::npos);  // other fields are never echoed
}

TEST(StreamTest, TextModeAndDrops) {
  std::istringstream in("ssn 123-45-6789 and \xff\xfe");
  std::ostringstream out;
  ASSERT_TRUE(DeidStream(*SafeHarbor(), in, out, StreamOptions{}).ok());
  EXPECT_EQ(out.str(), "(dropped: invalid_utf8)\n");
}

}  // namespace
}  // namespace peerpulse::deid
