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
  kTag,       // replace the span with "<TAG>"
  kRemove,    // delete the span
  kDropPost,  // drop the whole post (counted)
};

// "tag", "remove", "drop-post".
std::string_view ActionName(Action a);

struct Rule {
  std::string id;        // unique within the policy, e.g. "email"
  std::string detector;  // a built-in detector name, or "pattern" for a custom RE2 pattern
  std::string pattern;   // the RE2 pattern (custom rules; built-ins fill in their own)
  Action action = Action::kTag;
  std::string tag;       // text inside <...> for kTag, e.g. "EMAIL"
  bool case_insensitive = false;  // custom patterns only
  int line = 0;          // where the rule starts in its file
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
  int min_authors = 11;            // hard floor; a policy may raise it, never go below 11
  int max_cells_per_author = 2;    // L0: cells one author can count in, per table and window
  double epsilon = 1.0;            // per table and window (each window releases 2 tables)
  double delta = 1e-6;             // per table and window
  double epsilon_cap = 104.0;      // total epsilon the store may ever spend (a year of weekly windows)
  double delta_cap = 1e-4;         // total delta
  int grace_days = 2;              // a window is released this long after it ends
};

struct Policy {
  std::string path;          // file it was loaded from ("<string>" when parsed from memory)
  std::string name;
  std::string version;
  std::string description;
  std::size_t max_text_bytes = 65536;  // longer posts are dropped (fail closed), counted as too_large
  std::vector<Rule> rules;
  std::vector<PolicyTest> tests;
  ReleaseSettings release;
  std::string content_hash;  // SHA-256 of the file bytes; recorded with every run and release
};

// Names of the built-in detectors: "email", "url", "handle", "phone".
std::vector<std::string_view> BuiltinDetectors();

// Parses a policy from `text`; `path` is used in error messages.
Result<Policy> ParsePolicy(std::string_view text, std::string_view path);

// Reads and parses a policy file. Errors: NotFound/IoError for the file,
// InvalidConfig (with file:line:column and rule id) for its content.
Result<Policy> LoadPolicyFile(const std::string& path);

}  // namespace peerpulse::deid

#endif  // PEERPULSE_DEID_POLICY_H_
