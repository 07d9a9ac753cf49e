// Evaluation of a de-identifier against gold identifier spans.
//
// Scoring (as PhysioNet deid's stat.pm): a gold span counts as found when any
// output span overlaps it; recall = found / gold, per gold type and overall.
// Precision = output spans that overlap at least one gold span / all output
// spans. Posts the de-identifier drops count as finding every gold span in
// them (nothing of a dropped post is kept) and add no output spans.
//
// Gold formats:
//  - "physionet": the deid-1.1 corpus: a text file of records
//    "START_OF_RECORD=P||||N||||\n<body>||||END_OF_RECORD" and, next to it, a
//    phrase file "<P> <N> <start> <end> <type> <text>" per span (byte offsets
//    into the body, end exclusive). Pass the text file; the phrase file is
//    "<dir>/id-phi.phrase" unless given.
//  - "jsonl": one object per line: {"id": "...", "text": "...",
//    "spans": [{"start": 0, "end": 5, "type": "NAME"}, ...]} with byte
//    offsets into text (UTF-8), end exclusive.
#ifndef PEERPULSE_DEID_EVAL_H_
#define PEERPULSE_DEID_EVAL_H_

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "peerpulse/deid/deidentifier.h"
#include "peerpulse/pipeline/status.h"

namespace peerpulse::deid {

struct GoldSpan {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::string type;
};

struct GoldDoc {
  std::string id;
  std::string text;
  std::vector<GoldSpan> spans;
};

// Loads a PhysioNet corpus. `phrase_path` empty: id-phi.phrase beside text_path.
// Errors name the file and line; a span outside its note is an error.
Result<std::vector<GoldDoc>> LoadPhysioNetGold(const std::string& text_path, const std::string& phrase_path = "");

// Loads the JSON Lines gold format. Errors name the file and line.
Result<std::vector<GoldDoc>> LoadJsonlGold(const std::string& path);

struct TypeScore {
  std::size_t gold = 0;
  std::size_t found = 0;
};

struct EvalReport {
  std::size_t docs = 0;
  std::size_t bytes = 0;
  std::size_t dropped_docs = 0;
  std::size_t gold = 0;
  std::size_t found = 0;
  std::size_t output_spans = 0;
  std::size_t output_spans_on_gold = 0;
  double seconds = 0;                       // de-identification time only
  std::map<std::string, TypeScore> by_type;  // gold type -> score
  // rule id -> output spans (gold) and output spans on a gold span (found)
  std::map<std::string, TypeScore> by_rule;

  double recall() const { return gold == 0 ? 1.0 : static_cast<double>(found) / static_cast<double>(gold); }
  double precision() const {
    return output_spans == 0 ? 1.0 : static_cast<double>(output_spans_on_gold) / static_cast<double>(output_spans);
  }
};

// Runs `deid` over every document (single-threaded) and scores it.
EvalReport Evaluate(const Deidentifier& deid, const std::vector<GoldDoc>& docs);

// A plain-text report: totals, then per-type recall.
std::string FormatEvalReport(const EvalReport& report);

}  // namespace peerpulse::deid

#endif  // PEERPULSE_DEID_EVAL_H_
