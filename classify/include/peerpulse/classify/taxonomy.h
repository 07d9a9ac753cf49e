// Taxonomy: the condition, need and experiencer codes analysts query, with the
// lexicon terms, cue patterns and rules that detect them, and optionally the
// trained model that combines with them (README "Taxonomy files").
#ifndef PEERPULSE_CLASSIFY_TAXONOMY_H_
#define PEERPULSE_CLASSIFY_TAXONOMY_H_

#include <string>
#include <string_view>
#include <vector>

#include "peerpulse/pipeline/status.h"

namespace peerpulse::classify {

struct Category {
  std::string code;        // e.g. "diabetes"; a dimension code
  std::string definition;  // one sentence for analysts and ethics boards
  // Lexicon phrases, matched on word boundaries, case-insensitively; a phrase
  // of several words matches those words in order within one sentence.
  std::vector<std::string> terms;
  // Cue patterns: like terms, but a word may be "a|b|c" (any of these words)
  // or "*" (any one word); the first word may not be "*".
  // Example: "can't|cannot|cant afford", "how do|should i *".
  std::vector<std::string> patterns;
  // Weaker evidence, in the terms' syntax (patterns allowed): a hint never
  // assigns the code by itself (lexicon-only classifiers ignore hints, and a
  // hint is no condition mention for the negation and experiencer rules); it
  // is a feature of the model ("hint:need:financial").
  std::vector<std::string> hints;
  int line = 0;
};

// The three experiencer codes (self, family, other), in that order. `cues`
// are phrases that, ending at most cue_window words before a condition term
// in the same sentence, make the condition that person's ("my mom"); self has
// none.
struct ExperiencerDef {
  std::string code;
  std::string definition;
  std::vector<std::string> cues;
  int line = 0;
};

struct Taxonomy {
  std::string path;
  std::string name;
  std::string version;
  std::string content_hash;  // SHA-256 of the file bytes
  // The trained model file (`[taxonomy] model`), resolved against the
  // taxonomy's directory; empty when the taxonomy is lexicon-only.
  std::string model_path;
  std::vector<Category> conditions;
  std::vector<Category> needs;
  std::vector<ExperiencerDef> experiencers;  // self, family, other
  // Cue phrases; a cue counts for a condition term when it ends at most
  // `negation_window` words before the term, in the same sentence.
  std::vector<std::string> negation_cues;      // "don't have", "tested negative for"
  std::vector<std::string> hypothetical_cues;  // "what if", "worried it might be"
  int cue_window = 5;
  // Negation and hypothetical cues reach at most this many words.
  int negation_window = 3;

  const std::vector<std::string>& family_cues() const { return experiencers[1].cues; }
  const std::vector<std::string>& other_cues() const { return experiencers[2].cues; }
};

// Parses a taxonomy. Errors: InvalidConfig with FILE:LINE:COLUMN (unknown
// keys, duplicate or invalid codes, empty term lists, a pattern that starts
// with "*", missing or extra experiencer codes).
Result<Taxonomy> ParseTaxonomy(std::string_view text, std::string_view path);
Result<Taxonomy> LoadTaxonomyFile(const std::string& path);

}  // namespace peerpulse::classify

#endif  // PEERPULSE_CLASSIFY_TAXONOMY_H_
