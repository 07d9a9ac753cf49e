#include "peerpulse/classify/train.h"

#include <gtest/gtest.h>

#include "peerpulse/classify/classifier.h"
#include "testing/testing.h"

namespace peerpulse::classify {
namespace {

Taxonomy Mini() {
  auto t = ParseTaxonomy(
      "[taxonomy]\nname = \"mini\"\nversion = \"1\"\n[rules]\nnegation = [\"don't have\"]\n"
      "[[condition]]\ncode = \"diabetes\"\ndefinition = \"d\"\nterms = [\"diabetes\"]\n"
      "[[condition]]\ncode = \"cancer\"\ndefinition = \"d\"\nterms = [\"cancer\"]\n"
      "[[need]]\ncode = \"financial\"\ndefinition = \"d\"\nterms = [\"insurance\"]\n"
      "[[experiencer]]\ncode = \"self\"\ndefinition = \"d\"\n"
      "[[experiencer]]\ncode = \"family\"\ndefinition = \"d\"\ncues = [\"my mom\"]\n"
      "[[experiencer]]\ncode = \"other\"\ndefinition = \"d\"\ncues = [\"my friend\"]\n",
      "mini.toml");
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  return std::move(t).value();
}

LabelledPost Post(std::string text, std::vector<std::string> conditions, std::vector<std::string> needs = {}) {
  LabelledPost p;
  p.text = std::move(text);
  p.labels.conditions = std::move(conditions);
  p.labels.needs = std::move(needs);
  return p;
}

// "zorblax" is no lexicon term: only the model can learn that it means
// diabetes. "bills" is no term either; it comes with the financial need.
std::vector<LabelledPost> Corpus() {
  std::vector<LabelledPost> posts;
  const char* fillers[] = {"today", "again", "this week", "at night", "after lunch", "so tired", "ugh", "help"};
  for (int i = 0; i < 24; ++i) {
    const std::string f = fillers[i % 8];
    posts.push_back(Post("my zorblax readings are off " + f, {"diabetes"}));
    posts.push_back(Post("lovely walk by the river " + f, {}));
    if (i % 3 == 0) posts.push_back(Post("the bills keep coming " + f, {}, {"financial"}));
    if (i % 4 == 0) posts.push_back(Post("cancer scan " + f, {"cancer"}));
  }
  return posts;
}

TEST(TrainTest, LearnsWordsTheLexiconLacks) {
  const Taxonomy tax = Mini();
  auto r = Train(tax, Corpus(), TrainOptions{});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->report.posts, Corpus().size());
  EXPECT_GT(r->report.features, 10u);
  EXPECT_GE(r->report.macro_f1_conditions, 0.9);
  auto lexicon_only = Classifier::Create(tax).value();
  auto c = Classifier::Create(tax, std::make_shared<const Model>(r->model)).value();
  EXPECT_TRUE(lexicon_only->ClassifyText("zorblax readings off again").conditions.empty());
  EXPECT_EQ(c->ClassifyText("zorblax readings off again").conditions, std::vector<std::string>{"diabetes"});
  EXPECT_EQ(c->ClassifyText("bills keep coming").needs, std::vector<std::string>{"financial"});
  EXPECT_TRUE(c->ClassifyText("lovely walk by the river").conditions.empty());
  const Explanation ex = c->Explain("zorblax readings off again");
  ASSERT_FALSE(ex.details.empty());
  EXPECT_EQ(ex.details[0].label, "condition:diabetes");
  bool named = false;
  for (const auto& [name, w] : ex.details[0].top_features) named |= name == "w:zorblax" && w > 0;
  EXPECT_TRUE(named);
  // The negation veto holds whatever the model says.
  EXPECT_TRUE(c->ClassifyText("I don't have cancer").conditions.empty());
}

TEST(TrainTest, EqualInputsGiveEqualModels) {
  const Taxonomy tax = Mini();
  auto a = Train(tax, Corpus(), TrainOptions{});
  auto b = Train(tax, Corpus(), TrainOptions{});
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->model.Serialize(), b->model.Serialize());
  EXPECT_NE(a->model.options().find("seed=1"), std::string::npos);
  // Features seen once are dropped with min_count 2; all are kept with 1.
  TrainOptions keep_all;
  keep_all.min_count = 1;
  auto c = Train(tax, Corpus(), keep_all);
  ASSERT_TRUE(c.ok());
  EXPECT_GT(c->report.features, a->report.features);
}

TEST(TrainTest, RejectsBadInput) {
  EXPECT_EQ(Train(Mini(), {}, TrainOptions{}).status().code(), StatusCode::kInvalidArgument);
  TrainOptions bad;
  bad.epochs = 0;
  EXPECT_EQ(Train(Mini(), Corpus(), bad).status().code(), StatusCode::kInvalidArgument);
  bad = TrainOptions{};
  bad.max_class_weight = 0.5;
  EXPECT_EQ(Train(Mini(), Corpus(), bad).status().code(), StatusCode::kInvalidArgument);
  auto posts = Corpus();
  posts[3].labels.conditions = {"gout"};
  posts[3].id = "p3";
  const auto unknown = Train(Mini(), posts, TrainOptions{});
  EXPECT_EQ(unknown.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(unknown.status().message().find("post 4: unknown condition code"), std::string::npos);
  EXPECT_EQ(unknown.status().message().find("p3"), std::string::npos);
}

TEST(TrainTest, WithoutFoldsThresholdsAreOneHalf) {
  TrainOptions o;
  o.folds = 0;
  auto r = Train(Mini(), Corpus(), o);
  ASSERT_TRUE(r.ok());
  for (const auto& l : r->model.labels()) EXPECT_EQ(l.threshold, 0.5f) << l.code;
  EXPECT_LT(r->report.macro_f1_conditions, 0);
  EXPECT_NE(FormatTrainReport(r->report).find("condition:diabetes"), std::string::npos);
}

// The shipped model is what `peerpulse train` makes of the shipped training
// set and taxonomy with default options: retraining reproduces it exactly, so
// it can never silently fall behind a taxonomy edit.
TEST(TrainTest, ShippedModelIsReproducible) {
  auto tax = LoadTaxonomyFile(testing::Source("classify/taxonomy/default.toml"));
  ASSERT_TRUE(tax.ok());
  auto posts = LoadLabelledJsonl(testing::Source("classify/data/train.jsonl"), *tax);
  ASSERT_TRUE(posts.ok()) << posts.status().ToString();
  auto r = Train(*tax, *posts, TrainOptions{});
  ASSERT_TRUE(r.ok());
  const std::string shipped = testing::ReadFile(tax->model_path);
  EXPECT_TRUE(r->model.Serialize() == shipped)
      << "classify/models/default.model is stale: run peerpulse train --taxonomy classify/taxonomy/default.toml "
         "--data classify/data/train.jsonl --out classify/models/default.model";
}

}  // namespace
}  // namespace peerpulse::classify
