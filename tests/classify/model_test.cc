#include "peerpulse/classify/model.h"

#include <gtest/gtest.h>

#include "testing/testing.h"

namespace peerpulse::classify {
namespace {

Model Small() {
  std::vector<ModelLabel> labels = {{"condition:a", -1.5f, 0.4f}, {"need:b", 0.25f, 0.65f}};
  const std::vector<std::uint64_t> features = {0x10, 0, 0xFFFFFFFFFFFFFFFFull};
  const std::vector<float> weights = {1.0f, -2.0f, 0.1f, 0.2f, 3.25f, -0.001f};
  return Model("tax", "1.0", "epochs=3", std::move(labels), features, weights);
}

TEST(ModelTest, WeightsLookupAndRoundTrip) {
  const Model m = Small();
  EXPECT_EQ(m.feature_count(), 3u);
  ASSERT_NE(m.Weights(0x10), nullptr);
  EXPECT_EQ(m.Weights(0x10)[1], -2.0f);
  ASSERT_NE(m.Weights(0), nullptr);
  EXPECT_EQ(m.Weights(0)[0], 0.1f);
  EXPECT_EQ(m.Weights(0xFFFFFFFFFFFFFFFFull)[0], 3.25f);
  EXPECT_EQ(m.Weights(0x11), nullptr);
  EXPECT_EQ(m.LabelIndex("need:b"), 1);
  EXPECT_EQ(m.LabelIndex("need:c"), -1);

  const std::string text = m.Serialize();
  EXPECT_TRUE(
      text.starts_with("peerpulse-model 1\ntaxonomy tax 1.0\noptions epochs=3\n"
                       "label condition:a -1.5 0.4\nlabel need:b 0.25 0.65\n"))
      << text;
  auto parsed = Model::Parse(text, "m.model");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->Serialize(), text);  // floats are written in their shortest exact form
  EXPECT_EQ(parsed->content_hash(), m.content_hash());
  EXPECT_EQ(parsed->Weights(0xFFFFFFFFFFFFFFFFull)[1], -0.001f);

  testing::TempDir dir;
  ASSERT_TRUE(m.SaveFile(dir.Join("m.model")).ok());
  auto loaded = Model::LoadFile(dir.Join("m.model"));
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->Serialize(), text);
}

TEST(ModelTest, MalformedFilesNameTheLine) {
  const std::string head = "peerpulse-model 1\ntaxonomy t 1\nlabel a 0 0.5\n";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "m.model: empty model file"},
      {"hello\n", "m.model:1: not a peerpulse model file"},
      {"peerpulse-model 2\n", "m.model:1: unsupported model version"},
      {"peerpulse-model 1\nlabel a 0 0.5\n", "m.model:2: missing 'taxonomy' line"},
      {"peerpulse-model 1\ntaxonomy t 1\n", "m.model:2: no labels"},
      {head + "label a 1 0.5\n", "m.model:4: duplicate label 'a'"},
      {head + "label b 1 1.5\n", "m.model:4: expected 'label CODE BIAS THRESHOLD' with a threshold in [0, 1]"},
      {head + "label b nan 0.5\n", "m.model:4: expected 'label CODE BIAS THRESHOLD'"},
      {head + "feature 0000000000000001 1 2\n", "m.model:4: feature line has 2 weights, expected 1"},
      {head + "feature 00000000000000zz 1\n", "m.model:4: feature hash must be 16 hex digits"},
      {head + "feature 1 1\n", "m.model:4: feature hash must be 16 hex digits"},
      {head + "feature 0000000000000001 inf\n", "m.model:4: weight 1 is not a finite number"},
      {head + "feature 0000000000000001 1\nfeature 0000000000000001 2\n", "m.model:5: duplicate feature"},
      {head + "feature 0000000000000001 1\nlabel b 0 0.5\n", "m.model:5: label lines must come before"},
      {"peerpulse-model 1\nfeature 0000000000000001 1\n", "m.model:2: feature line before any label line"},
      {head + "weights 1 2 3\n", "m.model:4: unknown line type 'weights'"},
  };
  for (const auto& [text, want] : cases) {
    auto m = Model::Parse(text, "m.model");
    ASSERT_FALSE(m.ok()) << want;
    EXPECT_EQ(m.status().code(), StatusCode::kInvalidConfig);
    EXPECT_NE(m.status().message().find(want), std::string::npos) << m.status().message();
  }
  EXPECT_TRUE(Model::Parse(head + "feature 0000000000000001 -0.5\n", "m.model").ok());
  auto missing = Model::LoadFile("/nonexistent/m.model");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kInvalidConfig);
}

}  // namespace
}  // namespace peerpulse::classify
