// Policy: the privacy officer's rules for what the de-identifier removes.
//
// A policy is a TOML file (README "Policy files"). Loading validates every key
// and compiles every pattern; any problem is an InvalidConfig error that names
// FILE:LINE:COLUMN and the rule id. A policy that fails to load stops the run:
// de-identification fails closed.
#ifndef PEERPULSE_DEID_POLICY_H_
#define PEERPULSE_DEID_POLICY_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "peerpulse/pipeline/status.h"

namespace peerpulse::deid {

enum class Action {
  kTag,         // replace the span with "<TAG>"
  kRemove,      // delete the span
  kDropPost,    // drop the whole post (counted)
  kPseudonym,   // "<TAG-1a2b3c4d>": keyed HMAC-SHA256 of the span, key from `key_file`
  kGeneralize,  // date -> year or month, age -> "90+", zip -> ZIP3 (restricted prefixes -> 000)
};

// "tag", "remove", "drop-post".
std::string_view ActionName(Action a);

struct Rule {
  std::string id;        // unique within the policy, e.g. "email"
  std::string detector;  // a built-in detector name, or "pattern" for a custom RE2 pattern
  std::string pattern;   // the RE2 pattern (custom rules; regex built-ins fill in their own)
  Action action = Action::kTag;
  std::string tag;                // text inside <...>, e.g. "EMAIL"
  bool case_insensitive = false;  // custom patterns only
  std::string validator;  // "", "luhn", "ssn", "ipv4", "age90", "place" (custom patterns; built-ins set their own)
  std::vector<std::string> context_before;      // if set, a match counts only with one of these words before it
  std::vector<std::string> context_not_before;  // a match with one of these words before it does not count
  std::vector<std::string> context_not_after;   // ... nor one with one of these words after it ("10/10 pain")
  std::vector<std::string> exclude;  // spans this rule never reports, whole span, any case ("nitro" for place-name)
  // Found once, every other whole-word occurrence (any case) in the post goes too.
  bool every_occurrence = false;
  int context_window = 40;  // bytes before (or after) the match searched for context words (whole words, any case)
  std::string generalize;   // kGeneralize: "year" or "month" (date); age and zip need none
  std::string key_file;     // kPseudonym: secret key file (>= 16 bytes), relative to the policy
  std::string names_file;   // person-name: given names/surnames (default: Debian libtext-names-perl)
  std::string words_file;   // person-name: common words (default: Debian wamerican)
  // person-name: more given names, relative to the policy: JSON arrays of
  // strings or one name per line. Names `names_file` lacks join it, ranked
  // after all of its own (so one that is also an ordinary word needs a cue).
  // TOML key `given_names_file`: one path or an array of paths.
  std::vector<std::string> given_names_files;
  // place-name (required): gazetteers, relative to the policy, read into one
  // table (places.h). TOML key `places_file`: one path or an array of paths.
  std::vector<std::string> places_files;
  // place-name: GeoNames entries of these countries only (ISO 3166 alpha-2,
  // "GB"); empty reads every country. Other list formats ignore it.
  std::vector<std::string> countries;
  std::string file;  // policy file the rule comes from (after `extends`)
  int line = 0;      // where the rule starts in its file
};

struct PolicyTest {
  std::string name;
  std::string input;
  std::string expect;        // expected output text (when !expect_drop)
  bool expect_drop = false;  // expect the post to be dropped
  int line = 0;
};

// How released tables are protected (README "Policy files", [release]).
// The privacy officer owns these, not the researcher's job file.
struct ReleaseSettings {
  int min_authors = 11;          // hard floor; a policy may raise it, never go below 11
  int max_cells_per_author = 2;  // L0: cells one author can count in, per table and window
  double epsilon = 1.0;          // per table and window (each window releases 2 tables)
  double delta = 1e-6;           // per table and window
  double epsilon_cap = 104.0;    // total epsilon the store may ever spend (a year of weekly windows)
  double delta_cap = 1e-4;       // total delta
  int grace_days = 2;            // a window is released this long after it ends
};

struct Policy {
  std::string path;  // file it was loaded from ("<string>" when parsed from memory)
  std::string name;
  std::string version;
  std::string description;
  std::vector<std::string> chain;      // the files of the `extends` chain, this one first
  std::vector<std::string> allow;      // terms never redacted (case-insensitive), e.g. "Parkinson's"
  std::vector<std::string> deny;       // terms always redacted as <REDACTED> (case-insensitive, whole words)
  std::size_t max_text_bytes = 65536;  // longer posts are dropped (fail closed), counted as too_large
  std::vector<Rule> rules;
  std::vector<PolicyTest> tests;
  ReleaseSettings release;
  std::string content_hash;  // SHA-256 of the file bytes (with extends: of the bytes and the parent's hash;
                             // with place lists: also of each list's bytes); recorded with every run and release
};

// Names of the built-in detectors (README "Policy files").
std::vector<std::string_view> BuiltinDetectors();

// Parses a policy from `text`; `path` is used in error messages and to find
// the parent of `extends` (a name like "safe-harbor" means safe-harbor.toml in
// the same folder; anything with a '/' or ".toml" is a path relative to it).
// Inheritance: the child's rules replace the parent's rules of the same id and
// come after the others; allow and deny lists are merged; [release] is the
// child's if it has one, else the parent's; [[test]] cases are the child's own.
// The content hash covers every file of the chain. Errors: InvalidConfig with
// FILE:LINE:COLUMN and the rule id, or "circular extends" with the chain.
Result<Policy> ParsePolicy(std::string_view text, std::string_view path);

// Reads and parses a policy file. Errors: NotFound/IoError for the file,
// InvalidConfig (with file:line:column and rule id) for its content.
Result<Policy> LoadPolicyFile(const std::string& path);

// The effective policy after inheritance, as TOML a privacy officer can read
// (each rule annotated with the file and line it comes from).
std::string ExplainPolicy(const Policy& policy);

}  // namespace peerpulse::deid

#endif  // PEERPULSE_DEID_POLICY_H_
