// Internal: tokenizer, lexicon matcher, cue rules and feature extraction,
// shared by the classifier and the trainer so that both see identical
// features.
#ifndef PEERPULSE_CLASSIFY_SRC_LEXICON_H_
#define PEERPULSE_CLASSIFY_SRC_LEXICON_H_

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "peerpulse/classify/taxonomy.h"
#include "peerpulse/pipeline/status.h"

namespace peerpulse::classify::internal {

struct Token {
  std::string text;        // lowercase ASCII; other bytes kept; placeholders as "<PERSON>"
  std::uint32_t sentence;  // sentence number within the text
  bool question = false;   // its sentence ends with '?'
};

// Words are runs of ASCII letters/digits, apostrophes inside words (U+2019
// counts as one) and non-ASCII bytes. A placeholder such as "<PERSON>" is one
// token that no term can match. '.', '!', '?' and newlines end sentences.
void TokenizeInto(std::string_view text, std::vector<Token>& out);

// FNV-1a 64. Stable across platforms: model files store feature hashes.
std::uint64_t Hash64(std::string_view s);

// One slot of a phrase: the words it accepts; empty means any one word.
using Slot = std::vector<std::string>;

// Splits a term (literal words) or a cue pattern ("a|b", "*") into slots.
// Errors (InvalidArgument, message without location): no words, a pattern
// starting with "*", a pattern word that is not one word.
Result<std::vector<Slot>> ParsePhrase(std::string_view text, bool pattern);

enum class Kind : std::uint8_t { kCondition, kNeed, kNegation, kHypothetical, kFamily, kOther };

struct Phrase {
  std::vector<Slot> slots;
  Kind kind;
  std::uint32_t category;  // index into conditions / needs
  bool hint;               // from `hints`: a model feature only
  std::string source;      // the term or pattern as written in the taxonomy
  // The feature a match adds ("lex:need:financial", "hint:condition:cancer",
  // "cue:family", "lex:condition:cancer"), and for condition terms the one a
  // negated match adds ("lex:negated:cancer"); empty for negation cues.
  std::string feature;
  std::uint64_t feature_hash = 0;
  std::string negated_feature;
  std::uint64_t negated_hash = 0;
};

struct Match {
  const Phrase* phrase;
  std::uint32_t begin;  // token indexes, end exclusive
  std::uint32_t end;
};

// What the cue rules say about one condition mention.
struct Mention {
  std::uint32_t match;                 // index into Analysis::matches
  const Match* negation = nullptr;     // the negation or hypothetical cue, if any
  const Match* experiencer = nullptr;  // the family or other cue, if any
};

struct Analysis {
  std::vector<Token> tokens;
  std::vector<Match> matches;
  std::vector<Mention> mentions;  // condition matches, in text order
  // Sorted unique feature hashes (binary features).
  std::vector<std::uint64_t> features;
  // With names: feature_names[i] names features[i] (for explanations).
  std::vector<std::string> feature_names;
  void Clear();
};

// The value of each present feature in a post with `n` features: 1/sqrt(n),
// so that every post's feature vector has unit length (long posts do not
// score higher for being long).
inline double FeatureScale(std::size_t n) { return n == 0 ? 1.0 : 1.0 / std::sqrt(static_cast<double>(n)); }

class Lexicon {
 public:
  // The taxonomy must have been validated by ParseTaxonomy.
  explicit Lexicon(const Taxonomy& taxonomy);
  enum class Features { kNone, kHashes, kNamed };
  // Tokenizes, matches phrases, applies the cue rules and extracts features
  // (none, hashes only, or hashes with names for explanations).
  void Analyze(std::string_view text, Analysis& out, Features features) const;

 private:
  void Add(std::string_view text, bool pattern, Kind kind, std::uint32_t category, bool hint = false);
  const Taxonomy& taxonomy_;
  std::vector<Phrase> phrases_;
  std::unordered_map<std::string, std::vector<std::uint32_t>> by_first_;  // first-slot word -> phrases
};

}  // namespace peerpulse::classify::internal

#endif  // PEERPULSE_CLASSIFY_SRC_LEXICON_H_
