// Deidentifier: turns a RawPost into a CleanPost under a Policy, or drops it.
//
// Fails closed: a post is dropped (and the reason counted by the caller) when
// it is too large, not valid UTF-8, hits a drop-post rule, has a community
// that is not a dimension code, or when its de-identified text still matches
// any detector (a residual identifier). The RawPost is consumed and wiped.
//
// A Deidentifier is immutable after Create() and thread-safe.
#ifndef PEERPULSE_DEID_DEIDENTIFIER_H_
#define PEERPULSE_DEID_DEIDENTIFIER_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "peerpulse/deid/policy.h"
#include "peerpulse/pipeline/clean_post.h"
#include "peerpulse/pipeline/pseudonymizer.h"
#include "peerpulse/pipeline/raw_post.h"
#include "peerpulse/pipeline/status.h"

namespace peerpulse::deid {

enum class DropReason {
  kNone = 0,
  kTooLarge,            // text longer than policy.max_text_bytes
  kInvalidUtf8,         // text is not valid UTF-8
  kPolicyDrop,          // a drop-post rule matched
  kResidualIdentifier,  // an identifier was still found after redaction
  kBadCommunity,        // community is not a valid dimension code
};
inline constexpr std::size_t kDropReasonCount = 6;

// "too_large", "invalid_utf8", ... (stable, used in run reports).
std::string_view DropReasonName(DropReason r);

// One identifier found in a text: byte offsets into the input.
struct Span {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::string rule_id;       // the rule that fired ("deny" for the deny list)
  std::string tag;
  Action action = Action::kTag;
  std::string evidence;      // why: "pattern", "context 'mrn'", "title 'dr'", "dictionary (given name)", ...
};

struct Redaction {
  DropReason dropped = DropReason::kNone;  // kNone: `text` is the de-identified text
  std::string text;
  std::vector<Span> spans;                 // sorted, non-overlapping
};

struct DeidOutcome {
  std::optional<CleanPost> post;           // set when not dropped
  DropReason dropped = DropReason::kNone;
};

struct DeidOptions {
  // "Now", Unix seconds (UTC); 0: the system clock when Create runs. Years of
  // birth 90 or more years before now's year, and dates in such years, say
  // that someone is 90 or older: they are removed, not kept as a year (Safe
  // Harbor). A scheduled run passes its own clock (`--now`).
  std::int64_t now_unix = 0;
};

class Deidentifier {
 public:
  // Compiles the policy's rules, loads name lists and pseudonym keys. Errors:
  // InvalidConfig naming the rule (a pattern RE2 rejects, a missing name list,
  // a key file that is missing, shorter than 16 bytes or readable by others).
  static Result<std::unique_ptr<Deidentifier>> Create(Policy policy, const DeidOptions& options = {});
  ~Deidentifier();
  Deidentifier(const Deidentifier&) = delete;
  Deidentifier& operator=(const Deidentifier&) = delete;

  const Policy& policy() const { return policy_; }

  struct Compiled;  // internal: the compiled rules

  // De-identifies free text (used by policy tests and tools).
  Redaction Redact(std::string_view text) const;

  // The pipeline entry point: de-identifies `post.text`, normalises and checks
  // the community and language, and replaces author and post id by keyed
  // pseudonyms from `pseudonymizer`. Returns the outcome (a CleanPost or a drop
  // reason); an error Status only when the pseudonymizer fails, which the
  // caller must treat as fatal for the run.
  Result<DeidOutcome> Process(RawPost post, Pseudonymizer& pseudonymizer) const;

 private:
  Deidentifier(Policy policy, std::unique_ptr<Compiled> compiled);
  Policy policy_;
  std::unique_ptr<Compiled> compiled_;
};

// Loads the policy file at `path` and compiles it. Every failure — a missing
// or unreadable file included — is InvalidConfig (CLI exit code 3).
Result<std::unique_ptr<Deidentifier>> LoadDeidentifier(const std::string& path);

// Runs the policy's embedded [[test]] cases. Returns one message per failing
// case ("FILE:LINE: test 'name': expected ..., got ..."); empty when all pass.
std::vector<std::string> RunPolicyTests(const Deidentifier& deid);

// True if `text` is valid UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool IsValidUtf8(std::string_view text);

}  // namespace peerpulse::deid

#endif  // PEERPULSE_DEID_DEIDENTIFIER_H_
