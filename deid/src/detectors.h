// Detectors: what finds identifiers in text. Internal to the deid stage.
//
// Regex detectors are RE2 patterns (linear time, no backtracking): when a
// pattern has a capturing group, group 1 is the span; otherwise the whole
// match is. A validator can reject a match (Luhn, SSN ranges, IPv4 octets,
// ages below 90), and context words can be required before it.
// Code detectors: person names (dictionaries plus cues, names.h), places
// (places.h), short links, postcodes, ages, years of birth and holidays with
// their year (here). A code detector may have a prefilter (BuiltinDetector).
#ifndef PEERPULSE_DEID_SRC_DETECTORS_H_
#define PEERPULSE_DEID_SRC_DETECTORS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "peerpulse/deid/policy.h"
#include "peerpulse/pipeline/status.h"

namespace peerpulse::deid {

// The windows of a text inside which a pattern's every match lies: [begin,
// end) byte ranges, in order, neither overlapping nor touching.
using Windows = std::vector<std::pair<std::size_t, std::size_t>>;
using WindowFn = void (*)(std::string_view text, Windows& out);

struct BuiltinDetector {
  std::string_view name;
  std::string_view default_tag;
  std::string_view pattern;      // empty for code detectors (person-name)
  bool trim_trailing_punct;      // drop trailing .,;:!?)' from matches (URLs)
  std::string_view validator;    // "" or a validator name
  std::string_view generalizes;  // "", "date", "age" or "zip": what kGeneralize does
  bool case_insensitive;
  // For the prefilter set only (deidentifier.cc): a pattern that matches
  // wherever `pattern` does (a necessary condition, same case rule) but keeps
  // fewer regex states alive. Patterns that could start at any word ("jane dot
  // doe at ...", "example.com") multiply the set's DFA states; their literal
  // core ("dot com", ".com") does not. Empty: the set uses `pattern`. A code
  // detector (empty `pattern`) with a prefilter joins the set too and runs
  // only on posts its prefilter matches (postcode); without one it always runs.
  std::string_view prefilter = {};
  // When set, the pattern is searched only inside these windows (found in
  // code: around each '@' for e-mails, in the words with a '.' or "://" for
  // URLs), with the whole text as context for \b, so it finds what a search of
  // the whole text finds; and it stays out of the prefilter set (it always
  // runs), whose DFA states a pattern that may start at any word multiplies.
  WindowFn windows = nullptr;
};

// Returns nullptr for an unknown name.
const BuiltinDetector* FindBuiltin(std::string_view name);

// Bytes a match of a built-in with trim_trailing_punct loses at its end ("see
// x.com/a)." keeps "x.com/a").
inline bool IsTrailingPunct(char c) {
  return c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == ')' || c == ']' || c == '\'' ||
         c == '"';
}

bool IsValidator(std::string_view name);
// True when the match [begin, end) of `text` passes validator `name` ("" always
// passes). Some validators read the text around the match (date: runs of
// numbers, symptom scores) or move its bounds (facility: the names before the
// facility word; place: words that are no place dropped).
bool Validate(std::string_view name, std::string_view text, std::size_t& begin, std::size_t& end);

// True for a US state or a country, lowercase, words separated by one space
// ("maryland", "new jersey"): not identifiers under Safe Harbor, which
// removes only geographic subdivisions smaller than a state.
bool IsStateOrCountry(std::string_view lower);
// True for a state's code as written, in capitals: US ("MA"), Canadian ("ON"),
// Australian ("NSW"), and UK, US, USA.
bool IsRegionCode(std::string_view upper);

// One detection: byte offsets into the text, the rule, and why it fired.
struct Candidate {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::uint32_t rule = 0;
  std::string evidence;  // e.g. "pattern", "context 'mrn'", "cue 'dr'", "dictionary"
};

class Detector {
 public:
  virtual ~Detector() = default;
  // Appends the detections in `text`. Thread-safe (detectors are immutable).
  virtual void Find(std::string_view text, std::vector<Candidate>& out) const = 0;
};

// A rule's context words (Rule::context_*), lowercased once. Every detector
// applies them: regex detectors to each match, before they search on; code
// detectors through a wrapper that MakeDetector adds when a rule has any.
class ContextWords {
 public:
  explicit ContextWords(const Rule& rule);
  bool empty() const { return before_.empty() && not_before_.empty() && not_after_.empty(); }
  // True when the span [begin, end) of `text` has none of the not-before words
  // in the window before it, none of the not-after words in the window after
  // it, and, when the rule lists context_before words, one of them before it;
  // that word is returned in `word` (else it is left alone). Whole words, any
  // case; a word the window's edge cuts is left out.
  bool Accept(std::string_view text, std::size_t begin, std::size_t end, std::string_view& word) const;

 private:
  std::vector<std::string> before_;
  std::vector<std::string> not_before_;
  std::vector<std::string> not_after_;
  std::size_t window_;
};

// Builds the detector of `rule` (rule_index is stored in its candidates).
// `oldest_year`: a year of birth at or before it is indicative of an age of
// 90 or more (OldestYear(); the birth-year detector reports only those).
// Errors: InvalidConfig naming the rule (bad pattern, missing name lists).
Result<std::unique_ptr<Detector>> MakeDetector(const Rule& rule, std::uint32_t rule_index, int oldest_year);

// The year 90 years before the UTC year of `now_unix` (Unix seconds): years
// of birth up to it say that someone is 90 or older, which Safe Harbor counts
// as an identifier ("all elements of dates (including year) indicative of
// such age").
int OldestYear(std::int64_t now_unix);

// The replacement text of a generalize action, or "" when `span` cannot be
// generalized (then the caller tags it). `kind` is BuiltinDetector::generalizes.
// A date whose year is `oldest_year` or before cannot be (its year may say
// that someone is 90 or older); a two-digit year is read as the latest year
// of its century that is not after oldest_year + 90 ("'31" in 2026: 1931).
std::string Generalize(std::string_view kind, std::string_view mode, std::string_view span, int oldest_year);

}  // namespace peerpulse::deid

#endif  // PEERPULSE_DEID_SRC_DETECTORS_H_
