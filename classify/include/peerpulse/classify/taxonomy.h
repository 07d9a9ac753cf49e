// Taxonomy: the condition, need and experiencer codes analysts query, with the
// lexicon terms and cue phrases that detect them (README "Taxonomy files").
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
  std::vector<std::string> terms;  // lexicon phrases, matched on word boundaries, case-insensitively
  int line = 0;
};

struct Taxonomy {
  std::string path;
  std::string name;
  std::string version;
  std::string content_hash;  // SHA-256 of the file bytes
  std::vector<Category> conditions;
  std::vector<Category> needs;
  // Cue phrases; a cue counts for a condition term when it ends at most
  // `cue_window` words before the term, in the same sentence.
  std::vector<std::string> negation_cues;      // "don't have", "tested negative for"
  std::vector<std::string> hypothetical_cues;  // "what if", "worried it might be"
  std::vector<std::string> family_cues;        // "my mom", "my husband"
  std::vector<std::string> other_cues;         // "my friend", "a coworker"
  int cue_window = 5;
};

// Parses a taxonomy. Errors: InvalidConfig with FILE:LINE:COLUMN (unknown
// keys, duplicate or invalid codes, empty term lists).
Result<Taxonomy> ParseTaxonomy(std::string_view text, std::string_view path);
Result<Taxonomy> LoadTaxonomyFile(const std::string& path);

}  // namespace peerpulse::classify

#endif  // PEERPULSE_CLASSIFY_TAXONOMY_H_
