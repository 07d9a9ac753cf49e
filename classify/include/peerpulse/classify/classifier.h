// Classifier: labels a de-identified post with conditions, needs and the
// experiencer, from the taxonomy's lexicon and cue rules, combined with a
// trained linear model when the taxonomy has one.
//
// Rules (always applied):
//  - a condition mention counts unless a negation or hypothetical cue ends
//    within cue_window words before it in the same sentence ("I don't have
//    cancer", "what if it's diabetes");
//  - a family or other cue before a counted mention names its experiencer
//    ("my mom has dementia").
// Without a model (lexicon only): every counted mention's condition and every
// need term's need is a label; the experiencer is family, else other, when a
// counted mention has such a cue, else self.
// With a model, the rule outputs are features of the model (README "Model
// features") and each label is assigned when its probability reaches the
// label's threshold, with one veto: a condition whose every mention in the
// post is negated or hypothetical is never assigned. The experiencer is
// family (or other) when that label reaches its threshold, the higher of the
// two winning, else self.
// Placeholders such as <PERSON> are ordinary tokens that no term matches.
//
// Immutable after Create(); thread-safe.
#ifndef PEERPULSE_CLASSIFY_CLASSIFIER_H_
#define PEERPULSE_CLASSIFY_CLASSIFIER_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "peerpulse/classify/model.h"
#include "peerpulse/classify/taxonomy.h"
#include "peerpulse/pipeline/clean_post.h"
#include "peerpulse/pipeline/labels.h"
#include "peerpulse/pipeline/status.h"

namespace peerpulse::classify {

// Why one label was (or was not) assigned.
struct LabelExplanation {
  std::string label;  // "condition:cancer", "need:financial", "experiencer:family"
  bool assigned = false;
  double probability = -1;  // the model's probability; -1 without a model
  double threshold = -1;
  // Rule evidence, in text order: "term 'chemo' (words 3-4)",
  // "negated by 'don't have' (words 1-3)", "family cue 'my mom' (words 0-2)",
  // "veto: every mention is negated or hypothetical".
  std::vector<std::string> rules;
  // The largest contributions to the model score, largest magnitude first:
  // feature name ("w:chemo", "b:can't afford", "lex:condition:cancer", "bias")
  // and weight.
  std::vector<std::pair<std::string, double>> top_features;
};

struct Explanation {
  Labels labels;
  // Every assigned label, and every label that some rule or the model put
  // forward but that was not assigned (near misses: probability at least half
  // the threshold).
  std::vector<LabelExplanation> details;
};

class Classifier {
 public:
  // `model` may be null (lexicon only). Errors: InvalidConfig when the model's
  // labels are not exactly this taxonomy's conditions, needs and
  // experiencer:family/other.
  static Result<std::unique_ptr<Classifier>> Create(Taxonomy taxonomy, std::shared_ptr<const Model> model = nullptr);
  ~Classifier();
  Classifier(const Classifier&) = delete;
  Classifier& operator=(const Classifier&) = delete;

  const Taxonomy& taxonomy() const { return taxonomy_; }
  const Model* model() const { return model_.get(); }
  // What runs and releases record: the taxonomy's SHA-256 without a model,
  // else SHA-256 over both files' hashes.
  const std::string& content_hash() const { return content_hash_; }

  // The pipeline entry point: classification only ever sees CleanPosts.
  Labels Classify(const CleanPost& post) const { return ClassifyText(post.text()); }

  // Classifies text that is already de-identified (evaluation sets, tools).
  Labels ClassifyText(std::string_view text) const;

  // Classifies and says why (slower: builds feature names).
  Explanation Explain(std::string_view text, std::size_t top_features = 5) const;

  // The model's label order: conditions, needs, experiencer:family, experiencer:other.
  static std::vector<std::string> ModelLabels(const Taxonomy& taxonomy);

 private:
  struct Index;
  Classifier(Taxonomy taxonomy, std::shared_ptr<const Model> model);
  Taxonomy taxonomy_;
  std::shared_ptr<const Model> model_;
  std::string content_hash_;
  std::unique_ptr<Index> index_;
};

// Loads the taxonomy at `path` and, unless `use_model` is false, the model it
// names (or `model_override` when not empty). Every failure is InvalidConfig.
Result<std::unique_ptr<Classifier>> LoadClassifier(const std::string& path, const std::string& model_override = "",
                                                   bool use_model = true);

// Splits text into lowercase word tokens the way the classifier does
// (exposed for tests and tools).
std::vector<std::string> Tokenize(std::string_view text);

}  // namespace peerpulse::classify

#endif  // PEERPULSE_CLASSIFY_CLASSIFIER_H_
