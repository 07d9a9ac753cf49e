// Normalisation before detection (internal to deid).
//
// Detection runs on a normalised copy of the text; spans are mapped back to
// the original bytes, and redaction edits the original, so the output keeps
// the writer's own characters everywhere except in redacted spans.
//  - Unicode compatibility decomposition (the "K" of NFKC) with combining
//    marks stripped: fullwidth "５５５" -> "555", ligatures split, "José" ->
//    "Jose" (so dictionaries and patterns see plain letters and digits), and
//    default-ignorable characters dropped (zero-width space, soft hyphen),
//    decimal digits of every script read as ASCII digits ("٤١٠"), and
//    typographic apostrophes and quotes as ASCII ones ("I’m"), and emoji,
//    symbols, punctuation and spaces of other blocks as a space, dashes as
//    '-' ("Olivia🎉" is a word and a space to detectors);
//  - HTML character references decoded: &amp; &lt; &gt; &quot; &apos; &nbsp;
//    &#NNN; &#xHH; ("jane&#64;example.com" is an e-mail).
//  - letters of other scripts that look like Latin ones (Cyrillic а, Greek ο,
//    Armenian օ, dotless ı) replaced by that letter, in words that mix them
//    with Latin letters ("jаne") or consist of such letters only; other words
//    of those scripts ("Мария") are kept.
// ASCII text without '&' is returned as is, at no cost.
#ifndef PEERPULSE_DEID_SRC_NORMALIZE_H_
#define PEERPULSE_DEID_SRC_NORMALIZE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace peerpulse::deid {

struct Normalized {
  bool identity = true;              // text is the input itself; no maps
  std::string text;                  // normalised text (when !identity)
  std::vector<std::uint32_t> begin;  // per normalised byte: first original byte of its source
  std::vector<std::uint32_t> end;    // per normalised byte: one past the last original byte
};

// `text` must be valid UTF-8 (the caller checks).
Normalized Normalize(std::string_view text);

// True if `text` is ASCII without '&': valid UTF-8 that Normalize returns as
// it is. Eight bytes at a time; most posts are such text.
bool PlainAscii(std::string_view text);

}  // namespace peerpulse::deid

#endif  // PEERPULSE_DEID_SRC_NORMALIZE_H_
