#include "peerpulse/classify/classifier.h"

#include <gtest/gtest.h>

#include "testing/testing.h"

namespace peerpulse::classify {
namespace {

const Classifier& Default() {
  static const auto c = [] {
    auto t = LoadTaxonomyFile(testing::Source("classify/taxonomy/default.toml"));
    EXPECT_TRUE(t.ok()) << t.status().ToString();
    return Classifier::Create(std::move(t).value()).value();
  }();
  return *c;
}

using V = std::vector<std::string>;

TEST(ClassifierTest, ShippedTaxonomyHasTheAnalystCodes) {
  const Taxonomy& t = Default().taxonomy();
  V conditions;
  for (const auto& c : t.conditions) conditions.push_back(c.code);
  EXPECT_EQ(conditions, (V{"cancer", "diabetes", "cardiovascular", "respiratory", "chronic_pain", "autoimmune",
                           "neurological", "dementia", "rare_disease", "long_covid", "depression", "anxiety",
                           "bipolar", "psychosis", "ptsd", "substance_use", "eating_disorder"}));
  V needs;
  for (const auto& n : t.needs) needs.push_back(n.code);
  EXPECT_EQ(needs, (V{"emotional_support", "information", "practical_advice", "treatment_experience",
                      "access_to_care", "financial", "loneliness", "caregiver", "crisis"}));
}

TEST(ClassifierTest, LexiconTermsSlangAndMultiWordPhrases) {
  EXPECT_EQ(Default().ClassifyText("My sugar's high again, T1D since I was 9.").conditions, V{"diabetes"});
  EXPECT_EQ(Default().ClassifyText("chemo brain is real").conditions, V{"cancer"});
  EXPECT_EQ(Default().ClassifyText("Brain fog every day since the infection").conditions, V{"long_covid"});
  EXPECT_EQ(Default().ClassifyText("fellow spoonies, how do you pace?").conditions, V{"chronic_pain"});
  EXPECT_EQ(Default().ClassifyText("Long-Covid and ANXIETY").conditions, (V{"anxiety", "long_covid"}));
}

TEST(ClassifierTest, NegationAndHypotheticalsDoNotCount) {
  EXPECT_TRUE(Default().ClassifyText("I don't have cancer, it was benign.").conditions.empty());
  EXPECT_TRUE(Default().ClassifyText("Tested negative for diabetes.").conditions.empty());
  EXPECT_TRUE(Default().ClassifyText("What if it's diabetes?").conditions.empty());
  // The cue only reaches within its sentence.
  EXPECT_EQ(Default().ClassifyText("I don't have time. My diabetes is awful.").conditions, V{"diabetes"});
}

TEST(ClassifierTest, ExperiencerAndCaregiverNeed) {
  const Labels l = Default().ClassifyText("My mom has dementia and caring for her is exhausting.");
  EXPECT_EQ(l.conditions, V{"dementia"});
  EXPECT_EQ(l.experiencer, Experiencer::kFamily);
  EXPECT_EQ(l.needs, V{"caregiver"});
  EXPECT_EQ(Default().ClassifyText("My friend has lupus").experiencer, Experiencer::kOther);
  EXPECT_EQ(Default().ClassifyText("I have lupus").experiencer, Experiencer::kSelf);
}

TEST(ClassifierTest, NeedsAndPlaceholders) {
  const Labels l = Default().ClassifyText(
      "Can't afford insulin and the waiting list is 6 months, any tips? Email <EMAIL> or call <PHONE>.");
  EXPECT_EQ(l.conditions, V{"diabetes"});
  EXPECT_EQ(l.needs, (V{"access_to_care", "financial", "practical_advice"}));
  EXPECT_TRUE(Default().ClassifyText("<PERSON> <URL> <HANDLE>").conditions.empty());
}

TEST(ClassifierTest, TaxonomyErrorsNameFileLine) {
  auto t = ParseTaxonomy("[taxonomy]\nname=\"x\"\nversion=\"1\"\n[rules]\n[[condition]]\ncode=\"Bad Code\"\n"
                         "definition=\"d\"\nterms=[\"a\"]\n[[need]]\ncode=\"n\"\ndefinition=\"d\"\nterms=[\"b\"]\n",
                         "t.toml");
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("t.toml:6:6: condition 'Bad Code': 'Bad Code' is not a valid code"),
            std::string::npos)
      << t.status().message();
  t = ParseTaxonomy("[taxonomy]\nname=\"x\"\nversion=\"1\"\n[rules]\nfamily=[1]\n[[condition]]\ncode=\"c\"\n"
                    "definition=\"d\"\nterms=[\"a\"]\n[[need]]\ncode=\"n\"\ndefinition=\"d\"\nterms=[]\n",
                    "t.toml");
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("t.toml:5:"), std::string::npos) << t.status().message();
}

}  // namespace
}  // namespace peerpulse::classify
