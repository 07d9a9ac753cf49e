// Classifier: labels a de-identified post with conditions, needs and the
// experiencer, from the taxonomy's lexicons and cue rules.
//
// Rules (foundation version; the trained model comes with issue 5):
//  - a condition term counts unless a negation or hypothetical cue ends within
//    cue_window words before it in the same sentence ("I don't have cancer",
//    "what if it's diabetes");
//  - the experiencer is family (or other) when a family (other) cue precedes a
//    counted condition term within the window ("my mom has dementia"), else self;
//  - every need whose term appears is a need of the post.
// Placeholders such as <PERSON> are ordinary words and never match a term.
//
// Immutable after Create(); thread-safe.
#ifndef PEERPULSE_CLASSIFY_CLASSIFIER_H_
#define PEERPULSE_CLASSIFY_CLASSIFIER_H_

#include <memory>
#include <string_view>

#include "peerpulse/classify/taxonomy.h"
#include "peerpulse/pipeline/clean_post.h"
#include "peerpulse/pipeline/labels.h"
#include "peerpulse/pipeline/status.h"

namespace peerpulse::classify {

class Classifier {
 public:
  static Result<std::unique_ptr<Classifier>> Create(Taxonomy taxonomy);
  ~Classifier();
  Classifier(const Classifier&) = delete;
  Classifier& operator=(const Classifier&) = delete;

  const Taxonomy& taxonomy() const { return taxonomy_; }

  // The pipeline entry point: classification only ever sees CleanPosts.
  Labels Classify(const CleanPost& post) const { return ClassifyText(post.text()); }

  // Classifies text that is already de-identified (evaluation sets, tests).
  Labels ClassifyText(std::string_view text) const;

 private:
  struct Index;
  Classifier(Taxonomy taxonomy, std::unique_ptr<Index> index);
  Taxonomy taxonomy_;
  std::unique_ptr<Index> index_;
};

// Splits text into lowercase word tokens the way the classifier does
// (exposed for tests and tools).
std::vector<std::string> Tokenize(std::string_view text);

}  // namespace peerpulse::classify

#endif  // PEERPULSE_CLASSIFY_CLASSIFIER_H_
