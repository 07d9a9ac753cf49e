#include "peerpulse/classify/classifier.h"

#include <gtest/gtest.h>

#include "testing/testing.h"

namespace peerpulse::classify {
namespace {

const std::string kTaxonomy = testing::Source("classify/taxonomy/default.toml");

// The shipped taxonomy with its trained model, and the same rules alone.
const Classifier& Shipped() {
  static const auto c = [] {
    auto l = LoadClassifier(kTaxonomy);
    EXPECT_TRUE(l.ok()) << l.status().ToString();
    return std::move(l).value();
  }();
  return *c;
}

const Classifier& Lexicon() {
  static const auto c = [] {
    auto l = LoadClassifier(kTaxonomy, "", false);
    EXPECT_TRUE(l.ok()) << l.status().ToString();
    return std::move(l).value();
  }();
  return *c;
}

using V = std::vector<std::string>;

// A minimal valid taxonomy with `extra` appended (for rule tests).
std::string MiniTaxonomy(const std::string& rules, const std::string& extra = "") {
  return "[taxonomy]\nname = \"t\"\nversion = \"1\"\nnegation_window = 2\n[rules]\n" + rules +
         "\n[[condition]]\ncode = \"diabetes\"\ndefinition = \"d\"\nterms = [\"diabetes\", \"t1d\"]\n"
         "hints = [\"sugars\"]\n"
         "[[need]]\ncode = \"financial\"\ndefinition = \"d\"\nterms = [\"insurance\"]\n"
         "patterns = [\"can't|cannot afford *\"]\n"
         "[[experiencer]]\ncode = \"self\"\ndefinition = \"d\"\n"
         "[[experiencer]]\ncode = \"family\"\ndefinition = \"d\"\ncues = [\"my mom\"]\n"
         "[[experiencer]]\ncode = \"other\"\ndefinition = \"d\"\ncues = [\"my friend\"]\n" +
         extra;
}

std::unique_ptr<Classifier> Mini(const std::string& rules = "negation = [\"not\"]") {
  auto t = ParseTaxonomy(MiniTaxonomy(rules), "mini.toml");
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  return Classifier::Create(std::move(t).value()).value();
}

TEST(ClassifierTest, ShippedTaxonomyHasTheAnalystCodesAndAModel) {
  const Taxonomy& t = Shipped().taxonomy();
  V conditions;
  for (const auto& c : t.conditions) conditions.push_back(c.code);
  EXPECT_EQ(conditions, (V{"cancer", "diabetes", "cardiovascular", "respiratory", "chronic_pain", "autoimmune",
                           "neurological", "dementia", "rare_disease", "long_covid", "depression", "anxiety", "bipolar",
                           "psychosis", "ptsd", "substance_use", "eating_disorder"}));
  V needs;
  for (const auto& n : t.needs) needs.push_back(n.code);
  EXPECT_EQ(needs, (V{"emotional_support", "information", "practical_advice", "treatment_experience", "access_to_care",
                      "financial", "loneliness", "caregiver", "crisis"}));
  ASSERT_EQ(t.experiencers.size(), 3u);
  EXPECT_EQ(t.experiencers[0].code, "self");
  EXPECT_EQ(t.experiencers[1].code, "family");
  EXPECT_EQ(t.experiencers[2].code, "other");
  for (const auto& c : t.conditions) EXPECT_FALSE(c.definition.empty()) << c.code;
  for (const auto& e : t.experiencers) EXPECT_FALSE(e.definition.empty()) << e.code;
  ASSERT_NE(Shipped().model(), nullptr);
  EXPECT_EQ(Lexicon().model(), nullptr);
  // The hash recorded with runs and releases covers the model.
  EXPECT_EQ(Lexicon().content_hash(), t.content_hash);
  EXPECT_NE(Shipped().content_hash(), t.content_hash);
}

TEST(ClassifierTest, LexiconTermsSlangAndMultiWordPhrases) {
  for (const Classifier* c : {&Lexicon(), &Shipped()}) {
    SCOPED_TRACE(c->model() ? "model" : "lexicon");
    EXPECT_EQ(c->ClassifyText("My sugar's high again, T1D since I was 9.").conditions, V{"diabetes"});
    EXPECT_EQ(c->ClassifyText("chemo brain is real, cried in the car").conditions, V{"cancer"});
    EXPECT_EQ(c->ClassifyText("Brain fog every day since the infection, months now").conditions, V{"long_covid"});
    EXPECT_EQ(c->ClassifyText("fellow spoonies, how do you pace?").conditions, V{"chronic_pain"});
    EXPECT_EQ(c->ClassifyText("Second manic episode this year, I'm exhausted.").conditions, V{"bipolar"});
    EXPECT_EQ(c->ClassifyText("Long-Covid and ANXIETY").conditions, (V{"anxiety", "long_covid"}));
  }
}

TEST(ClassifierTest, NegationAndHypotheticalsDoNotCount) {
  for (const Classifier* c : {&Lexicon(), &Shipped()}) {
    SCOPED_TRACE(c->model() ? "model" : "lexicon");
    EXPECT_TRUE(c->ClassifyText("I don't have cancer, it was benign.").conditions.empty());
    EXPECT_TRUE(c->ClassifyText("Tested negative for diabetes.").conditions.empty());
    EXPECT_TRUE(c->ClassifyText("What if it's diabetes?").conditions.empty());
    // The cue only reaches within its sentence.
    EXPECT_EQ(c->ClassifyText("I don't have time. My diabetes is awful.").conditions, V{"diabetes"});
  }
}

TEST(ClassifierTest, NegationReachesOnlyNegationWindowWords) {
  const auto c = Mini();
  EXPECT_TRUE(c->ClassifyText("it is not diabetes").conditions.empty());
  EXPECT_TRUE(c->ClassifyText("not really actually diabetes").conditions.empty());  // two words between
  EXPECT_EQ(c->ClassifyText("not getting any better with my diabetes").conditions, V{"diabetes"});
}

TEST(ClassifierTest, ExperiencerAndCaregiverNeed) {
  for (const Classifier* c : {&Lexicon(), &Shipped()}) {
    SCOPED_TRACE(c->model() ? "model" : "lexicon");
    const Labels l = c->ClassifyText("My mom has dementia and caring for her is exhausting.");
    EXPECT_EQ(l.conditions, V{"dementia"});
    EXPECT_EQ(l.experiencer, Experiencer::kFamily);
    EXPECT_NE(std::find(l.needs.begin(), l.needs.end(), "caregiver"), l.needs.end());
    EXPECT_EQ(c->ClassifyText("My friend has lupus and I don't know how to help.").experiencer, Experiencer::kOther);
    EXPECT_EQ(c->ClassifyText("I have lupus").experiencer, Experiencer::kSelf);
  }
}

TEST(ClassifierTest, NeedsPatternsAndPlaceholders) {
  const Labels l = Lexicon().ClassifyText(
      "Can't afford insulin and the waiting list is 6 months, any tips? Email <EMAIL> or call <PHONE>.");
  EXPECT_EQ(l.conditions, V{"diabetes"});
  EXPECT_EQ(l.needs, (V{"access_to_care", "financial", "practical_advice"}));
  EXPECT_EQ(Shipped().ClassifyText("Can't afford my insulin this month, rationing again.").needs, V{"financial"});
  for (const Classifier* c : {&Lexicon(), &Shipped()}) {
    EXPECT_TRUE(c->ClassifyText("<PERSON> <URL> <HANDLE>").conditions.empty());
  }
  // A placeholder is one token that no term can match, even one spelled like it.
  const auto mini = Mini();
  EXPECT_EQ(Tokenize("Hi <PERSON>, T1D?"), (V{"hi", "<PERSON>", "t1d"}));
  EXPECT_EQ(mini->ClassifyText("cannot afford rent").needs, V{"financial"});  // '*' is any one word
  EXPECT_TRUE(mini->ClassifyText("cannot afford").needs.empty());             // ... but one is required
}

TEST(ClassifierTest, HintsAreModelFeaturesOnly) {
  const auto mini = Mini();
  EXPECT_TRUE(mini->ClassifyText("my sugars are wild").conditions.empty());
  const Explanation ex = mini->Explain("my sugars are wild");
  ASSERT_EQ(ex.details.size(), 1u);
  EXPECT_EQ(ex.details[0].label, "condition:diabetes");
  EXPECT_FALSE(ex.details[0].assigned);
  EXPECT_EQ(ex.details[0].rules, V{"hint 'sugars' (words 2-2)"});
}

TEST(ClassifierTest, ExplainGivesRulesAndTopFeatures) {
  const Explanation ex = Shipped().Explain("My mom has dementia and I'm her carer. I don't have cancer.");
  const LabelExplanation* dementia = nullptr;
  const LabelExplanation* cancer = nullptr;
  const LabelExplanation* family = nullptr;
  for (const auto& d : ex.details) {
    if (d.label == "condition:dementia") dementia = &d;
    if (d.label == "condition:cancer") cancer = &d;
    if (d.label == "experiencer:family") family = &d;
  }
  ASSERT_NE(dementia, nullptr);
  EXPECT_TRUE(dementia->assigned);
  EXPECT_GE(dementia->probability, dementia->threshold);
  EXPECT_EQ(dementia->rules, V{"term 'dementia' (words 4-4)"});
  ASSERT_FALSE(dementia->top_features.empty());
  EXPECT_LE(dementia->top_features.size(), 5u);
  bool lexicon_feature = false;
  for (const auto& [name, w] : dementia->top_features) lexicon_feature |= name == "lex:condition:dementia" && w > 0;
  EXPECT_TRUE(lexicon_feature);
  ASSERT_NE(cancer, nullptr);
  EXPECT_FALSE(cancer->assigned);
  EXPECT_EQ(cancer->rules, (V{"term 'cancer' (words 12-12)", "negated by 'don't have' (words 10-11)",
                              "veto: every mention is negated or hypothetical"}));
  ASSERT_NE(family, nullptr);
  EXPECT_TRUE(family->assigned);
  EXPECT_EQ(family->rules, V{"family cue 'mom' (words 2-2) before term 'dementia' (words 4-4)"});
  EXPECT_EQ(ex.labels.conditions, V{"dementia"});
}

TEST(ClassifierTest, ModelMustMatchTheTaxonomy) {
  auto t = ParseTaxonomy(MiniTaxonomy("negation = [\"not\"]"), "mini.toml");
  ASSERT_TRUE(t.ok());
  auto shipped_model = std::make_shared<const Model>(*Shipped().model());
  auto c = Classifier::Create(std::move(t).value(), shipped_model);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), StatusCode::kInvalidConfig);
  EXPECT_NE(c.status().message().find("retrain it with 'peerpulse train'"), std::string::npos);
  auto missing = LoadClassifier(kTaxonomy, "/nonexistent/model");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kInvalidConfig);
}

TEST(ClassifierTest, TaxonomyErrorsNameFileLine) {
  const auto expect_error = [](const std::string& text, const std::string& want) {
    auto t = ParseTaxonomy(text, "t.toml");
    ASSERT_FALSE(t.ok()) << want;
    EXPECT_EQ(t.status().code(), StatusCode::kInvalidConfig);
    EXPECT_NE(t.status().message().find(want), std::string::npos) << t.status().message();
  };
  std::string bad = MiniTaxonomy("");
  bad.replace(bad.find("code = \"diabetes\""), 17, "code = \"Bad Code\"");
  expect_error(bad, "t.toml:8:8: condition 'Bad Code': 'Bad Code' is not a valid code");
  expect_error(MiniTaxonomy("family = [1]"), "t.toml:6:1: [rules]: unknown key 'family'");
  expect_error(MiniTaxonomy("negation = [\"\"]"), "[rules]: term '': it has no words");
  std::string star = MiniTaxonomy("");
  star.replace(star.find("can't|cannot afford *"), 21, "* afford");
  expect_error(star, "need 'financial': pattern '* afford': it may not start with '*'");
  std::string multi = MiniTaxonomy("");
  multi.replace(multi.find("can't|cannot afford *"), 21, "a&e");
  expect_error(multi, "pattern 'a&e': 'a&e' is not one word to the tokenizer");
  std::string no_other = MiniTaxonomy("");
  no_other.erase(no_other.find("[[experiencer]]\ncode = \"other\""));
  expect_error(no_other, "[[experiencer]] must define self, family and other");
  expect_error(MiniTaxonomy("", "[[experiencer]]\ncode = \"neighbour\"\ndefinition = \"d\"\n"),
               "experiencer 'neighbour': experiencer codes are self, family and other");
}

}  // namespace
}  // namespace peerpulse::classify
