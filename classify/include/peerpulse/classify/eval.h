// Evaluation of a classifier on labelled posts (peerpulse eval classify).
//
// Per label: true/false positives, false negatives, precision, recall, F1.
// Macro-F1 averages F1 over the labels that occur in the gold data or in the
// predictions (a label absent from both is left out: its F1 is undefined).
// Micro-F1 pools the counts. The experiencer is scored on posts whose gold has
// a condition (elsewhere it has no cell to go to): a 3x3 confusion matrix and
// the accuracy. The confusion summary counts, within a post, each missed gold
// label against each spurious predicted label of the same dimension
// ("depression -> anxiety"), or against "(none)".
#ifndef PEERPULSE_CLASSIFY_EVAL_H_
#define PEERPULSE_CLASSIFY_EVAL_H_

#include <cstddef>
#include <string>
#include <vector>

#include "peerpulse/classify/classifier.h"
#include "peerpulse/classify/dataset.h"

namespace peerpulse::classify {

struct LabelScore {
  std::string code;
  std::size_t tp = 0;
  std::size_t fp = 0;
  std::size_t fn = 0;
  double precision = 0;
  double recall = 0;
  double f1 = 0;
};

struct Confusion {
  std::string gold;       // missed gold code, or "(none)"
  std::string predicted;  // spurious predicted code, or "(none)"
  std::size_t count = 0;
};

struct DimensionScore {
  std::vector<LabelScore> labels;  // taxonomy order
  double macro_f1 = 0;
  double micro_f1 = 0;
  std::vector<Confusion> confusions;  // most frequent first, at most 10
};

struct ClassifyEvalReport {
  std::string classifier;  // "lexicon rules" or "lexicon rules + model <sha256 prefix>"
  std::size_t posts = 0;
  std::size_t exact = 0;  // posts whose conditions, needs and experiencer all match
  DimensionScore conditions;
  DimensionScore needs;
  std::size_t experiencer_posts = 0;
  std::size_t experiencer[3][3] = {};  // [gold][predicted]: self, family, other
  double experiencer_accuracy = 0;
};

// Thread-compatible; reads the classifier only.
ClassifyEvalReport EvaluateClassifier(const Classifier& classifier, const std::vector<LabelledPost>& posts);

// "text" (tables) or "json" (one object).
std::string FormatClassifyEval(const ClassifyEvalReport& report, bool json);

}  // namespace peerpulse::classify

#endif  // PEERPULSE_CLASSIFY_EVAL_H_
