// Model: the trained linear part of the classifier. Multi-label one-vs-rest
// logistic regression over binary features (words, word pairs and the
// lexicon's rule outputs, README "Model features"), with one bias and one
// decision threshold per label.
//
// Features are stored as 64-bit hashes of their names, never as text: a model
// file holds no words of the posts it was trained on. Training keeps only
// features seen in at least `min_count` training posts.
//
// File format (text, versioned; README "Model files"):
//   peerpulse-model 1
//   taxonomy NAME VERSION
//   options KEY=VALUE ...          (how it was trained, for the record)
//   label CODE BIAS THRESHOLD      (one line per label, in weight order)
//   feature HEX16 W1 W2 ...        (one weight per label)
// Labels are "condition:CODE", "need:CODE", "experiencer:family" and
// "experiencer:other".
//
// Immutable after construction; thread-safe.
#ifndef PEERPULSE_CLASSIFY_MODEL_H_
#define PEERPULSE_CLASSIFY_MODEL_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "peerpulse/pipeline/status.h"

namespace peerpulse::classify {

struct ModelLabel {
  std::string code;  // "condition:cancer"
  float bias = 0;
  float threshold = 0.5;  // probability at or above which the label is assigned
};

class Model {
 public:
  Model() = default;
  // Builds a model from trained parameters. `weights` holds, for each entry of
  // `features` (distinct hashes), labels.size() weights.
  Model(std::string taxonomy_name, std::string taxonomy_version, std::string options, std::vector<ModelLabel> labels,
        const std::vector<std::uint64_t>& features, const std::vector<float>& weights);

  // Parses a model file. Errors: InvalidConfig "PATH:LINE: ..." (bad header,
  // unknown version, malformed numbers, a feature line with the wrong number
  // of weights, duplicate labels or features).
  static Result<Model> Parse(std::string_view text, std::string_view path);
  static Result<Model> LoadFile(const std::string& path);

  // The file text (Parse(Serialize()) gives an equal model).
  std::string Serialize() const;
  // Writes Serialize() to `path` atomically. Errors: IoError naming the path.
  Status SaveFile(const std::string& path) const;

  const std::string& taxonomy_name() const { return taxonomy_name_; }
  const std::string& taxonomy_version() const { return taxonomy_version_; }
  const std::string& options() const { return options_; }
  const std::vector<ModelLabel>& labels() const { return labels_; }
  std::size_t feature_count() const { return features_; }
  // SHA-256 of the file text (of Serialize() for a trained model).
  const std::string& content_hash() const { return content_hash_; }

  // The weights of feature `hash` (labels().size() floats), or nullptr when
  // the model does not have it. O(1).
  const float* Weights(std::uint64_t hash) const;

  // Index of label `code`, or -1.
  int LabelIndex(std::string_view code) const;

 private:
  void Insert(std::uint64_t hash, const float* w);
  std::string taxonomy_name_;
  std::string taxonomy_version_;
  std::string options_;
  std::vector<ModelLabel> labels_;
  std::size_t features_ = 0;
  std::string content_hash_;
  // Open addressing; key 0 marks an empty slot (hash 0 is stored as 1).
  std::vector<std::uint64_t> keys_;
  std::vector<float> rows_;  // keys_.size() * labels_.size()
};

}  // namespace peerpulse::classify

#endif  // PEERPULSE_CLASSIFY_MODEL_H_
