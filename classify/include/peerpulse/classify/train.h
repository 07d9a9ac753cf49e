// Training the linear model (peerpulse train).
//
// One-vs-rest logistic regression, one binary classifier per model label
// (Classifier::ModelLabels), over the same features the classifier extracts.
// Each present feature has the value 1/sqrt(feature count of the post).
// Optimiser: stochastic gradient descent with a decaying step and L2
// regularisation, in a deterministic order (the seed fixes it: equal inputs give equal models).
// Class weights: a positive example weighs (negatives / positives), capped at
// max_class_weight, so rare labels are not drowned. Per-label thresholds are
// the ones that maximise F1 on out-of-fold probabilities of a k-fold cross-
// validation (with the classifier's negation veto applied); the final model
// is then trained on all posts.
#ifndef PEERPULSE_CLASSIFY_TRAIN_H_
#define PEERPULSE_CLASSIFY_TRAIN_H_

#include <cstdint>
#include <string>
#include <vector>

#include "peerpulse/classify/dataset.h"
#include "peerpulse/classify/model.h"
#include "peerpulse/classify/taxonomy.h"
#include "peerpulse/pipeline/status.h"

namespace peerpulse::classify {

struct TrainOptions {
  int epochs = 30;
  double learning_rate = 1.0;    // SGD step of the first epoch; epoch e uses learning_rate / sqrt(1 + e)
  double l2 = 1e-3;              // per-update L2 penalty
  int min_count = 2;             // features seen in fewer training posts are dropped
  int folds = 5;                 // cross-validation folds for thresholds; < 2: every threshold 0.5
  double max_class_weight = 10;  // cap on a positive example's weight
  std::uint64_t seed = 1;
};

struct LabelFit {
  std::string label;
  int positives = 0;
  float threshold = 0.5;
  // Out-of-fold figures at that threshold (-1 without cross-validation).
  double precision = -1;
  double recall = -1;
  double f1 = -1;
};

struct TrainReport {
  std::size_t posts = 0;
  std::size_t features = 0;
  std::vector<LabelFit> labels;
  double macro_f1_conditions = -1;  // out-of-fold, -1 without cross-validation
  double macro_f1_needs = -1;
};

struct TrainResult {
  Model model;
  TrainReport report;
};

// Errors: InvalidArgument for no posts, options out of range, or a label code
// the taxonomy does not have (naming the post by its position, never by its
// id, which may come from a source).
Result<TrainResult> Train(const Taxonomy& taxonomy, const std::vector<LabelledPost>& posts,
                          const TrainOptions& options);

// A human-readable summary: sizes, then per label positives, threshold and
// out-of-fold precision/recall/F1.
std::string FormatTrainReport(const TrainReport& report);

}  // namespace peerpulse::classify

#endif  // PEERPULSE_CLASSIFY_TRAIN_H_
