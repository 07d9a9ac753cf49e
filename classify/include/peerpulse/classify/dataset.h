// Labelled posts (JSON Lines) for training and evaluation.
//
// One object per line: {"text": "...", "conditions": [...], "needs": [...],
// "experiencer": "self"|"family"|"other", "id": "..."}. "conditions" and
// "needs" may be absent (no label); "experiencer" defaults to "self"; "id" is
// optional, for the caller (errors name PATH:LINE, never the id or the text).
// Blank lines are skipped. The text is taken as already de-identified.
#ifndef PEERPULSE_CLASSIFY_DATASET_H_
#define PEERPULSE_CLASSIFY_DATASET_H_

#include <string>
#include <vector>

#include "peerpulse/classify/taxonomy.h"
#include "peerpulse/deid/deidentifier.h"
#include "peerpulse/pipeline/labels.h"
#include "peerpulse/pipeline/status.h"

namespace peerpulse::classify {

struct LabelledPost {
  std::string id;  // "id" field, or "line N" (for the caller's own use: library messages never quote it)
  std::string text;
  Labels labels;  // conditions and needs sorted and unique
};

// Loads and checks a labelled file against `taxonomy`. Errors:
// InvalidArgument "PATH:LINE: ..." for malformed JSON, a missing text, a code
// the taxonomy does not have, or a bad experiencer; NotFound when the file
// cannot be opened.
Result<std::vector<LabelledPost>> LoadLabelledJsonl(const std::string& path, const Taxonomy& taxonomy);

// Replaces every text by its de-identified form under `deid`, as the
// pipeline would before classifying. Posts the de-identifier drops are removed;
// returns how many.
std::size_t DeidentifyLabelled(const deid::Deidentifier& deid, std::vector<LabelledPost>& posts);

}  // namespace peerpulse::classify

#endif  // PEERPULSE_CLASSIFY_DATASET_H_
