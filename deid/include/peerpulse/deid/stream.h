// De-identifying a stream for `peerpulse deid`.
//
// Text mode: the whole input is one text; the output is its de-identified
// text (or "(dropped: REASON)"). With explain, a span table follows:
// "begin end TAG rule evidence" (byte offsets into the input; the original
// text of a span is never printed).
// JSON Lines mode: each input line is an object with a "text" string (other
// fields are ignored and never echoed); each output line is
// {"text": "...", "dropped": null | "reason"} plus, with explain,
// "spans": [{"start", "end", "type", "rule", "evidence"}]. A malformed line
// gives {"error": "line N: ..."} and the stream goes on.
#ifndef PEERPULSE_DEID_STREAM_H_
#define PEERPULSE_DEID_STREAM_H_

#include <functional>
#include <istream>
#include <ostream>
#include <string_view>

#include "peerpulse/deid/deidentifier.h"

namespace peerpulse::deid {

struct StreamOptions {
  bool jsonl = false;                       // JSON Lines in and out
  bool explain = false;                     // list each span with its rule and evidence
  std::size_t max_input_bytes = 64u << 20;  // text mode: larger input is refused
};

// The input side of `deid` and `classify`: reads `in` as one text (jsonl
// false; more than max_input_bytes is ResourceExhausted) or as JSON Lines,
// and calls `each` with every text. A JSON line that is malformed or has no
// string "text" gets {"error": "line N: ..."} on `out` and the stream goes
// on; blank lines are skipped. Input buffers are wiped after use. Returns the
// number of records (texts and error lines), or IoError for unreadable input.
Result<std::size_t> ForEachInputText(std::istream& in, std::ostream& out, bool jsonl, std::size_t max_input_bytes,
                                     const std::function<void(std::string_view text)>& each);

// Returns the number of records processed, or an error for unreadable input.
Result<std::size_t> DeidStream(const Deidentifier& deid, std::istream& in, std::ostream& out,
                               const StreamOptions& options);

}  // namespace peerpulse::deid

#endif  // PEERPULSE_DEID_STREAM_H_
