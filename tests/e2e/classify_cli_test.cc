// peerpulse classify / train / eval classify, end to end through the CLI.
#include <gtest/gtest.h>

#include "testing/testing.h"

namespace peerpulse {
namespace {

using testing::RunCli;
using testing::Source;
using testing::TempDir;
using testing::WriteFile;

const std::string kTaxonomy = Source("classify/taxonomy/default.toml");
const std::string kPolicy = Source("policies/safe-harbor.toml");

TEST(ClassifyCliTest, DeidentifiesFirstThenExplains) {
  TempDir dir;
  WriteFile(dir.Join("post.txt"),
            "Hi all, Zebulon Quaxford here (zebulon.quaxford@example.org). My mom has dementia and I'm her "
            "carer. I don't have cancer, thankfully.\n");
  const auto r = RunCli({"classify", "--policy", kPolicy, "--taxonomy", kTaxonomy, "--explain"}, dir.Join("post.txt"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("conditions: dementia | needs: caregiver"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("| experiencer: family\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("condition:dementia  assigned  p="), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  rule: family cue 'mom'"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("lex:condition:dementia"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("condition:cancer  not assigned"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  rule: veto: every mention is negated or hypothetical"), std::string::npos) << r.out;
  // Classification never sees the identifiers, so no explanation can show them.
  testing::ExpectNoMarker("stdout", r.out, "zebulon");
  testing::ExpectNoMarker("stdout", r.out, "quaxford");
  testing::ExpectNoMarker("stdout", r.out, "example.org");
  testing::ExpectNoMarker("stderr", r.err, "zebulon");
}

TEST(ClassifyCliTest, JsonLinesGoOnAfterABadLine) {
  TempDir dir;
  WriteFile(dir.Join("in.jsonl"),
            "{\"text\": \"Can't afford my insulin this month.\"}\nnot json\n{\"other\": 1}\n"
            "{\"text\": \"My friend has lupus.\"}\n");
  const auto r = RunCli({"classify", "--policy", kPolicy, "--taxonomy", kTaxonomy, "--jsonl"}, dir.Join("in.jsonl"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string want =
      "{\"conditions\": [\"diabetes\"], \"needs\": [\"financial\"], \"experiencer\": \"self\", \"dropped\": null}\n"
      "{\"error\": \"line 2: malformed JSON";
  EXPECT_EQ(r.out.substr(0, want.size()), want) << r.out;
  EXPECT_NE(r.out.find("{\"error\": \"line 3: no string field 'text'\"}\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("{\"conditions\": [\"autoimmune\"], \"needs\": [], \"experiencer\": \"other\""),
            std::string::npos)
      << r.out;
}

TEST(ClassifyCliTest, TrainThenEvaluate) {
  TempDir dir;
  const std::string model = dir.Join("m.model");
  auto r = RunCli({"train", "--taxonomy", kTaxonomy, "--data", Source("classify/data/train.jsonl"), "--out", model,
                   "--epochs", "5", "--folds", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("trained on 356 posts"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("wrote " + model + " (sha256 "), std::string::npos) << r.out;
  EXPECT_TRUE(testing::ReadFile(model).starts_with("peerpulse-model 1\ntaxonomy default "));

  r = RunCli(
      {"eval", "classify", "--taxonomy", kTaxonomy, "--model", model, "--gold", Source("classify/data/dev.jsonl")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("classifier: lexicon rules + model "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("posts: 184"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("macro-F1 "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("gold\\pred"), std::string::npos) << r.out;

  r = RunCli({"eval", "classify", "--taxonomy", kTaxonomy, "--no-model", "--format", "json", "--policy", kPolicy,
              "--gold", Source("classify/data/dev.jsonl")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.starts_with("{\"classifier\":\"lexicon rules\",\"posts\":184,")) << r.out;
}

TEST(ClassifyCliTest, ErrorsAndExitCodes) {
  TempDir dir;
  WriteFile(dir.Join("bad.model"), "peerpulse-model 1\ntaxonomy x 1\nlabel a 0 2\n");
  auto r = RunCli({"eval", "classify", "--taxonomy", kTaxonomy, "--model", dir.Join("bad.model"), "--gold",
                   Source("classify/data/dev.jsonl")});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("bad.model:3: expected 'label CODE BIAS THRESHOLD'"), std::string::npos) << r.err;

  WriteFile(dir.Join("gold.jsonl"), "{\"text\": \"hush hush\", \"conditions\": [\"gout\"]}\n");
  r = RunCli({"eval", "classify", "--taxonomy", kTaxonomy, "--gold", dir.Join("gold.jsonl")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("gold.jsonl:1: 'gout' is not a condition code of the taxonomy"), std::string::npos) << r.err;
  testing::ExpectNoMarker("stderr", r.err, "hush");

  WriteFile(dir.Join("tax.toml"), "[taxonomy]\nname = \n");
  r = RunCli({"classify", "--policy", kPolicy, "--taxonomy", dir.Join("tax.toml")});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("tax.toml:2:"), std::string::npos) << r.err;

  r = RunCli({"train", "--taxonomy", kTaxonomy, "--data", Source("classify/data/train.jsonl"), "--out",
              dir.Join("no/such/dir/m.model"), "--epochs", "1", "--folds", "0"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(RunCli({"train", "--taxonomy", kTaxonomy}).exit_code, 2);
}

}  // namespace
}  // namespace peerpulse
