// Classifying a stream for `peerpulse classify`: every input is first
// de-identified with the policy (classification only ever sees de-identified
// text), then classified.
//
// Text mode: the whole input is one post. Output:
//   conditions: CODE ... | needs: CODE ... | experiencer: CODE
// or "(dropped: REASON)" when de-identification drops it. With explain, one
// block per label the classifier considered (Classifier::Explain): the label,
// assigned or not, probability and threshold, the rules that fired and the
// top contributing model features.
// JSON Lines mode: each input line is an object with a "text" string (other
// fields are ignored, never echoed); each output line is
// {"conditions": [...], "needs": [...], "experiencer": "...", "dropped": null}
// plus, with explain, "explain": [{"label", "assigned", "probability",
// "threshold", "rules": [...], "features": [{"name", "weight"}]}]. A malformed
// line gives {"error": "line N: ..."} and the stream goes on.
#ifndef PEERPULSE_CLASSIFY_STREAM_H_
#define PEERPULSE_CLASSIFY_STREAM_H_

#include <istream>
#include <ostream>

#include "peerpulse/classify/classifier.h"
#include "peerpulse/deid/deidentifier.h"

namespace peerpulse::classify {

struct ClassifyStreamOptions {
  bool jsonl = false;
  bool explain = false;
  std::size_t top_features = 5;             // per label, with explain
  std::size_t max_input_bytes = 64u << 20;  // text mode: larger input is refused
};

// Returns the number of records read, or an error for unreadable input.
Result<std::size_t> ClassifyStream(const deid::Deidentifier& deid, const Classifier& classifier, std::istream& in,
                                   std::ostream& out, const ClassifyStreamOptions& options);

}  // namespace peerpulse::classify

#endif  // PEERPULSE_CLASSIFY_STREAM_H_
