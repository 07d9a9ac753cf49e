#include "peerpulse/deid/deidentifier.h"

#include <re2/re2.h>
#include <re2/set.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cstring>

#include "ascii.h"
#include "detectors.h"
#include "normalize.h"
#include "peerpulse/pipeline/clock.h"
#include "peerpulse/pipeline/labels.h"
#include "peerpulse/pipeline/toml_reader.h"

namespace peerpulse::deid {
namespace {

std::string NormaliseLang(std::string_view lang) {
  // BCP 47-ish: 2-3 letters, then -subtags of 1-8 alphanumerics; else "und".
  std::string out;
  std::size_t part = 0;
  bool first = true;
  for (const char c : lang) {
    if (c == '-' || c == '_') {
      if (part == 0 || (first && part < 2)) return "und";
      out.push_back('-');
      part = 0;
      first = false;
      continue;
    }
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    const bool digit = c >= '0' && c <= '9';
    if (!(alpha || (digit && !first))) return "und";
    out.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
    if (++part > (first ? 3u : 8u)) return "und";
  }
  if (out.empty() || part == 0 || out.size() > 35) return "und";
  return out;
}

bool WordByte(char c) { return AsciiIsAlnum(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) >= 0x80; }

}  // namespace

struct Deidentifier::Compiled {
  std::vector<Rule> rules;  // the policy's rules, then the synthetic "deny" rule
  std::vector<std::unique_ptr<Detector>> detectors;
  // Prefilters: DFA passes that say which regex rules can match at all; the
  // others are skipped. Two RE2::Sets at most: one for the rules of the root
  // of the `extends` chain (safe-harbor), one for the rules of every file
  // that extends it. A Set's DFA states multiply with its patterns, and
  // building them is most of the cost on varied text (one Set of
  // safe-harbor's and clinical-addon's 31 patterns cost 1.2 G instructions on
  // the 2 MB PhysioNet corpus, two Sets 0.67 G), but each Set is one more
  // pass over every post: a third Set, for employers.toml between the two,
  // cost 3.5% more on PhysioNet. A Set that RE2 cannot build is null, and its
  // rules always run.
  std::vector<std::unique_ptr<RE2::Set>> prefilters;
  // Per Set, per pattern index of the Set, the rules that run when it matches
  // (rules with the same prefilter share one pattern: the years that the
  // birth-year and holiday-date detectors wait for).
  std::vector<std::vector<std::vector<std::uint32_t>>> set_rules;
  std::vector<std::uint32_t> always_run;          // rules no Set gates, in order
  std::vector<std::string> keys;                  // pseudonym key per rule ("" when none)
  std::vector<std::string> generalizes;           // BuiltinDetector::generalizes per rule
  std::vector<std::string> allow;                 // lowercase allow terms
  std::vector<std::string> allow_words;           // their words (runs of ASCII letters and digits), sorted
  std::size_t allow_longest = 0;                  // the longest allow term's size
  std::vector<std::vector<std::string>> exclude;  // per rule: lowercase spans it never reports
  bool any_every_occurrence = false;              // some rule has Rule::every_occurrence
  int oldest_year = 0;                            // OldestYear() of DeidOptions::now_unix
};

std::string_view DropReasonName(DropReason r) {
  switch (r) {
    case DropReason::kNone:
      return "none";
    case DropReason::kTooLarge:
      return "too_large";
    case DropReason::kInvalidUtf8:
      return "invalid_utf8";
    case DropReason::kPolicyDrop:
      return "policy_drop";
    case DropReason::kResidualIdentifier:
      return "residual_identifier";
    case DropReason::kBadCommunity:
      return "bad_community";
  }
  return "none";
}

bool IsValidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    // Eight ASCII bytes at a time: most posts are all ASCII.
    if (end - p >= 8) {
      std::uint64_t v;
      std::memcpy(&v, p, 8);
      if ((v & 0x8080808080808080ULL) == 0) {
        p += 8;
        continue;
      }
    }
    const unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int n = 0;
    std::uint32_t cp = 0;
    if ((c & 0xE0) == 0xC0) {
      n = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (end - p <= n) return false;
    for (int i = 1; i <= n; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i] & 0x3F);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    p += n + 1;
  }
  return true;
}

Deidentifier::Deidentifier(Policy policy, std::unique_ptr<Compiled> compiled)
    : policy_(std::move(policy)), compiled_(std::move(compiled)) {}

Deidentifier::~Deidentifier() {
  for (auto& k : compiled_->keys) WipeString(k);
}

Result<std::unique_ptr<Deidentifier>> Deidentifier::Create(Policy policy, const DeidOptions& options) {
  auto c = std::make_unique<Compiled>();
  c->oldest_year = OldestYear(options.now_unix != 0 ? options.now_unix : SystemClock().NowUnix());
  c->rules = policy.rules;
  if (!policy.deny.empty()) {
    Rule deny;
    deny.id = "deny";
    deny.detector = "pattern";
    deny.tag = "REDACTED";
    deny.case_insensitive = true;
    deny.file = policy.path;
    std::string alt;
    for (const auto& term : policy.deny) alt += (alt.empty() ? "" : "|") + RE2::QuoteMeta(term);
    deny.pattern = "\\b(?:" + alt + ")\\b";
    c->rules.push_back(std::move(deny));
  }
  for (std::size_t i = 0; i < c->rules.size(); ++i) {
    const Rule& rule = c->rules[i];
    PEERPULSE_ASSIGN_OR_RETURN(auto det, MakeDetector(rule, static_cast<std::uint32_t>(i), c->oldest_year));
    c->detectors.push_back(std::move(det));
    const BuiltinDetector* b = FindBuiltin(rule.detector);
    c->generalizes.emplace_back(b != nullptr ? b->generalizes : std::string_view());
    std::string key;
    if (rule.action == Action::kPseudonym) {
      const std::string where = rule.file + ":" + std::to_string(rule.line) + ": rule '" + rule.id + "': ";
      struct stat st {};
      if (::stat(rule.key_file.c_str(), &st) != 0)
        return Status::InvalidConfig(where + "key file " + rule.key_file + " not found");
      if ((st.st_mode & 077) != 0) {
        return Status::InvalidConfig(where + "key file " + rule.key_file + " is readable by others (chmod 600 it)");
      }
      Status rs = ReadWholeFile(rule.key_file, key);
      if (!rs.ok()) return Status::InvalidConfig(where + rs.message());
      if (key.size() < 16)
        return Status::InvalidConfig(where + "key file " + rule.key_file + " holds fewer than 16 bytes");
    }
    c->keys.push_back(std::move(key));
  }
  for (const auto& a : policy.allow) {
    c->allow.push_back(AsciiLower(a));
    c->allow_longest = std::max(c->allow_longest, a.size());
  }
  for (const auto& a : c->allow) {
    for (std::size_t i = 0; i < a.size();) {
      std::size_t j = i;
      while (j < a.size() && AsciiIsAlnum(static_cast<unsigned char>(a[j]))) ++j;
      if (j > i) c->allow_words.push_back(a.substr(i, j - i));
      i = j + 1;
    }
  }
  std::sort(c->allow_words.begin(), c->allow_words.end());
  c->allow_words.erase(std::unique(c->allow_words.begin(), c->allow_words.end()), c->allow_words.end());
  for (const Rule& r : c->rules) {
    c->any_every_occurrence = c->any_every_occurrence || r.every_occurrence;
    c->exclude.emplace_back();
    for (const auto& x : r.exclude) c->exclude.back().push_back(AsciiLower(x));
  }
  // The prefilters are only an optimisation: if RE2 cannot build one, its rules always run.
  // set_of[i] is rule i's Set (-1: none, a code detector without a prefilter); set_index[i]
  // its pattern's index in that Set, the k-th distinct pattern added to it.
  std::vector<int> set_of(c->rules.size(), -1);
  std::vector<std::size_t> set_index(c->rules.size(), 0);
  const std::string root = policy.chain.empty() ? std::string() : policy.chain.back();
  std::vector<bool> of_root;                    // whether each Set holds the root's rules
  std::vector<std::vector<std::string>> added;  // the patterns of each Set, in order
  for (std::size_t i = 0; i < c->rules.size(); ++i) {
    const Rule& r = c->rules[i];
    const BuiltinDetector* b = FindBuiltin(r.detector);
    const std::string pattern =
        b != nullptr ? std::string(b->prefilter.empty() ? b->pattern : b->prefilter) : r.pattern;
    // A code detector without a prefilter, or a pattern searched in windows: always run.
    if (pattern.empty() || (b != nullptr && b->windows != nullptr)) continue;
    const bool in_root = r.file == root;
    auto at = static_cast<std::size_t>(std::find(of_root.begin(), of_root.end(), in_root) - of_root.begin());
    if (at == of_root.size()) {
      of_root.push_back(in_root);
      RE2::Options set_opts;
      set_opts.set_log_errors(false);
      set_opts.set_max_mem(64 << 20);
      c->prefilters.push_back(std::make_unique<RE2::Set>(set_opts, RE2::UNANCHORED));
      added.emplace_back();
    }
    const bool ci = b != nullptr ? b->case_insensitive : r.case_insensitive;
    const std::string full = (ci ? "(?i)" : "") + pattern;
    auto& patterns = added[at];
    const auto same = std::find(patterns.begin(), patterns.end(), full);
    set_index[i] = static_cast<std::size_t>(same - patterns.begin());
    if (same == patterns.end()) {
      patterns.push_back(full);
      if (c->prefilters[at] != nullptr && c->prefilters[at]->Add(full, nullptr) < 0) c->prefilters[at].reset();
    }
    set_of[i] = static_cast<int>(at);
  }
  for (std::size_t k = 0; k < c->prefilters.size(); ++k) {
    if (c->prefilters[k] != nullptr && !c->prefilters[k]->Compile()) c->prefilters[k].reset();
  }
  c->set_rules.resize(c->prefilters.size());
  for (std::size_t i = 0; i < c->rules.size(); ++i) {
    const int k = set_of[i];
    if (k < 0 || c->prefilters[static_cast<std::size_t>(k)] == nullptr) {
      c->always_run.push_back(static_cast<std::uint32_t>(i));
      continue;
    }
    auto& rules = c->set_rules[static_cast<std::size_t>(k)];
    if (rules.size() <= set_index[i]) rules.resize(set_index[i] + 1);
    rules[set_index[i]].push_back(static_cast<std::uint32_t>(i));
  }
  return std::unique_ptr<Deidentifier>(new Deidentifier(std::move(policy), std::move(c)));
}

namespace {

// Whether `next`, beside a span's edge byte `edge`, continues the span's word.
// A digit beside a letter does not: "QUARTERMAIN3" is the ward QUARTERMAIN.
bool Joins(char edge, char next) {
  const auto alpha = [](char c) { return AsciiIsAlpha(static_cast<unsigned char>(c)) != 0; };
  const auto digit = [](char c) { return AsciiIsDigit(static_cast<unsigned char>(c)) != 0; };
  return WordByte(next) && !(alpha(edge) && digit(next)) && !(digit(edge) && alpha(next));
}

// For rules with `every_occurrence`: every other whole-word occurrence of a
// span such a rule found is found too ("transferred to GH ... gh cx pending",
// "QUARTERMAIN3"), as the rule's own detection: in any case, except that a
// span found Capitalized ("lives in Laurel") repeats only where it starts
// with a capital too (not the word "laurel"). At most 32 distinct spans per
// text are repeated, so the cost stays linear in the text.
void AddEveryOccurrence(const Deidentifier::Compiled& c, std::string_view text, std::vector<Candidate>& found) {
  constexpr std::size_t kMaxDistinct = 32;
  struct Repeat {
    std::string low;     // the span, lower case
    std::uint32_t rule;  // the rule that found it
    bool capitalized;    // found as "Laurel": only Capitalized occurrences repeat it, not the word "laurel"
  };
  std::vector<Repeat> spans;
  const std::size_t n = found.size();
  for (std::size_t k = 0; k < n && spans.size() < kMaxDistinct; ++k) {
    const Candidate& cand = found[k];
    if (!c.rules[cand.rule].every_occurrence || cand.end - cand.begin < 2) continue;
    const std::string_view span = text.substr(cand.begin, cand.end - cand.begin);
    std::string low = AsciiLower(span);
    if (std::none_of(spans.begin(), spans.end(), [&](const Repeat& s) { return s.low == low; })) {
      const bool capitalized =
          AsciiIsUpper(static_cast<unsigned char>(span[0])) &&
          std::any_of(span.begin(), span.end(), [](char ch) { return AsciiIsLower(static_cast<unsigned char>(ch)); });
      spans.push_back(Repeat{std::move(low), cand.rule, capitalized});
    }
  }
  if (spans.empty()) return;
  std::string lower = AsciiLower(text);
  for (const auto& [span, rule, capitalized] : spans) {
    for (std::size_t b = lower.find(span); b != std::string::npos; b = lower.find(span, b + 1)) {
      const std::size_t e = b + span.size();
      if ((b > 0 && Joins(text[b], text[b - 1])) || (e < text.size() && Joins(text[e - 1], text[e]))) continue;
      if (capitalized && !AsciiIsUpper(static_cast<unsigned char>(text[b]))) continue;
      const bool known = std::any_of(found.begin(), found.begin() + static_cast<std::ptrdiff_t>(n),
                                     [&](const Candidate& f) { return f.begin == b && f.end == e; });
      if (!known) found.push_back(Candidate{b, e, rule, "every occurrence"});
    }
  }
  WipeString(lower);
}

// Every rule's detections in `text`, less those inside an allowed term
// ("Parkinson's"): a detection fully inside an allow-list occurrence is dropped.
std::vector<Candidate> DetectRaw(const Deidentifier::Compiled& c, std::string_view text) {
  const auto& allow = c.allow;
  std::vector<Candidate> found;
  // The rules to run, in the policy's order: those no Set gates, and those
  // whose Set pattern matched (a post makes few match).
  thread_local std::vector<std::uint32_t> run;
  thread_local std::vector<int> hits;
  run.assign(c.always_run.begin(), c.always_run.end());
  for (std::size_t k = 0; k < c.prefilters.size(); ++k) {
    if (c.prefilters[k] == nullptr) continue;  // its rules are in always_run
    hits.clear();
    RE2::Set::ErrorInfo info{};
    const bool any = c.prefilters[k]->Match(re2::StringPiece(text.data(), text.size()), &hits, &info);
    if (!any && info.kind != RE2::Set::kNoError) {  // a failed match (out of memory): its rules run
      for (const auto& rules : c.set_rules[k]) run.insert(run.end(), rules.begin(), rules.end());
      continue;
    }
    for (const int h : hits) {
      const auto& rules = c.set_rules[k][static_cast<std::size_t>(h)];
      run.insert(run.end(), rules.begin(), rules.end());
    }
  }
  std::sort(run.begin(), run.end());
  for (const std::uint32_t i : run) {
    const std::size_t before = found.size();
    c.detectors[i]->Find(text, found);
    const auto& exclude = c.exclude[i];
    if (exclude.empty() || found.size() == before) continue;
    std::erase_if(found, [&](const Candidate& cand) {
      if (cand.rule != i) return false;
      const std::string low = AsciiLower(text.substr(cand.begin, cand.end - cand.begin));
      return std::find(exclude.begin(), exclude.end(), low) != exclude.end();
    });
  }
  if (c.any_every_occurrence && !found.empty()) AddEveryOccurrence(c, text, found);
  if (allow.empty() || found.empty()) return found;
  // Only the neighbourhood of each detection is searched for allow terms, so
  // the cost grows with the detections, not with the text.
  const std::size_t longest = c.allow_longest;
  std::erase_if(found, [&](const Candidate& cand) {
    if (cand.evidence.starts_with("title")) return false;  // "Dr. Foley" is a person
    if (cand.end - cand.begin > longest) return false;
    // A detection that starts a word can lie inside an allowed term only if that word is a word
    // of the term: most detections (e-mails, phone numbers, most names) are turned away here,
    // before the terms are searched for (with 150 terms, that search cost 1% of a pass).
    if (cand.begin == 0 || !AsciiIsAlnum(static_cast<unsigned char>(text[cand.begin - 1]))) {
      std::size_t e = cand.begin;
      while (e < cand.end && AsciiIsAlnum(static_cast<unsigned char>(text[e]))) ++e;
      // Compared in lower case without a copy (the allow words are lower case).
      const auto less = [](std::string_view a, std::string_view b) {
        return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
          return AsciiToLower(static_cast<unsigned char>(x)) < AsciiToLower(static_cast<unsigned char>(y));
        });
      };
      if (e > cand.begin && !std::binary_search(c.allow_words.begin(), c.allow_words.end(),
                                                text.substr(cand.begin, e - cand.begin), less)) {
        return false;
      }
    }
    const std::size_t from = cand.end >= longest ? cand.end - longest : 0;
    const std::size_t to = std::min(text.size(), cand.begin + longest);
    const std::string low = AsciiLower(text.substr(from, to - from));
    for (const auto& term : allow) {
      if (term.size() < cand.end - cand.begin) continue;
      for (std::size_t p = low.find(term); p != std::string::npos; p = low.find(term, p + 1)) {
        const std::size_t b = from + p;
        const std::size_t e = b + term.size();
        if (b > cand.begin || e < cand.end) continue;
        if ((b == 0 || !WordByte(text[b - 1])) && (e == text.size() || !WordByte(text[e]))) return true;
      }
    }
    return false;
  });
  return found;
}

// Detection on the normalised text (normalize.h), with spans mapped back to
// byte offsets of `text`. `plain`: PlainAscii(text), so there is nothing to
// normalise.
std::vector<Candidate> Detect(const Deidentifier::Compiled& c, std::string_view text, bool plain) {
  if (plain) return DetectRaw(c, text);
  Normalized n = Normalize(text);
  if (n.identity) return DetectRaw(c, text);
  std::vector<Candidate> found = DetectRaw(c, n.text);
  for (Candidate& cand : found) {
    const std::size_t b = n.begin[cand.begin];
    const std::size_t e = n.end[cand.end - 1];
    cand.begin = b;
    cand.end = e;
  }
  WipeString(n.text);
  return found;
}

}  // namespace

Redaction Deidentifier::Redact(std::string_view text) const {
  Redaction out;
  if (text.size() > policy_.max_text_bytes) {
    out.dropped = DropReason::kTooLarge;
    return out;
  }
  // Plain ASCII without '&' (most posts) is valid UTF-8 and needs no normalising.
  const bool plain = PlainAscii(text);
  if (!plain && !IsValidUtf8(text)) {
    out.dropped = DropReason::kInvalidUtf8;
    return out;
  }
  const Compiled& c = *compiled_;
  std::vector<Candidate> found = Detect(c, text, plain);
  for (const Candidate& cand : found) {
    if (c.rules[cand.rule].action == Action::kDropPost) {
      out.dropped = DropReason::kPolicyDrop;
      return out;
    }
  }
  // Merge overlaps: the earliest start wins, ties go to the longest span. Of
  // two detections of the same span, one that only a name list supports (no
  // cue: evidence "dictionary ...") gives way to any other ("Boston" and
  // "Kingston" are given names too, but the town list knows them as towns),
  // then the earlier rule wins.
  const auto list_only = [](const Candidate& x) { return x.evidence.starts_with("dictionary"); };
  std::sort(found.begin(), found.end(), [&list_only](const Candidate& a, const Candidate& b) {
    if (a.begin != b.begin) return a.begin < b.begin;
    if (a.end != b.end) return a.end > b.end;
    const bool la = list_only(a);
    const bool lb = list_only(b);
    return la != lb ? lb : a.rule < b.rule;
  });
  for (Candidate& cand : found) {
    if (!out.spans.empty() && cand.begin < out.spans.back().end) {
      out.spans.back().end = std::max(out.spans.back().end, cand.end);
      continue;
    }
    const Rule& r = c.rules[cand.rule];
    out.spans.push_back(Span{cand.begin, cand.end, r.id, r.tag, r.action, std::move(cand.evidence)});
  }

  // Apply the actions, remembering where replacements went in the output.
  std::vector<std::pair<std::size_t, std::size_t>> written;
  std::size_t last = 0;
  out.text.reserve(text.size());
  for (const Span& s : out.spans) {
    out.text.append(text.substr(last, s.begin - last));
    const std::size_t at = out.text.size();
    const std::string_view span = text.substr(s.begin, s.end - s.begin);
    std::size_t rule = 0;
    while (c.rules[rule].id != s.rule_id) ++rule;
    std::string replacement;
    switch (s.action) {
      case Action::kRemove:
      case Action::kDropPost:
        break;
      case Action::kGeneralize:
        replacement = Generalize(c.generalizes[rule], c.rules[rule].generalize, span, c.oldest_year);
        if (replacement.empty()) replacement = "<" + s.tag + ">";
        break;
      case Action::kPseudonym: {
        const std::string& key = c.keys[rule];
        const Digest d = HmacSha256({reinterpret_cast<const std::uint8_t*>(key.data()), key.size()}, AsciiLower(span));
        replacement = "<" + s.tag + "-" + HexEncode(std::span<const std::uint8_t>(d.data(), 4)) + ">";
        break;
      }
      case Action::kTag:
        replacement = "<" + s.tag + ">";
        break;
    }
    out.text += replacement;
    if (!replacement.empty()) written.emplace_back(at, out.text.size());
    last = s.end;
  }
  out.text.append(text.substr(last));

  // Fail closed: nothing any rule detects may survive redaction. The scan runs
  // on a copy where the replacements this redaction wrote are masked with 0x1A
  // (neither a word nor a space), so a tag like <MEMBER> neither matches nor
  // serves as a context word, and no cue can reach across it.
  // With nothing replaced the output is the input, which detection has just
  // found clean: the scan would repeat itself.
  if (written.empty() && out.spans.empty()) return out;
  std::string masked = out.text;
  for (const auto& [b, e] : written)
    std::fill(masked.begin() + static_cast<std::ptrdiff_t>(b), masked.begin() + static_cast<std::ptrdiff_t>(e), '\x1a');
  if (!Detect(c, masked, PlainAscii(masked)).empty()) {
    WipeString(masked);
    WipeString(out.text);
    out.spans.clear();
    out.dropped = DropReason::kResidualIdentifier;
    return out;
  }
  WipeString(masked);
  return out;
}

Result<DeidOutcome> Deidentifier::Process(RawPost post, Pseudonymizer& pseudonymizer) const {
  DeidOutcome outcome;
  std::string community = post.community;
  for (char& ch : community) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch + 32);
  }
  if (!IsDimensionCode(community)) {
    outcome.dropped = DropReason::kBadCommunity;
    return outcome;
  }
  Redaction red = Redact(post.text);
  if (red.dropped != DropReason::kNone) {
    outcome.dropped = red.dropped;
    return outcome;
  }
  const Window window = WindowOf(post.created_at);
  std::string domain = "author\x1f" + post.source;
  PEERPULSE_ASSIGN_OR_RETURN(const Digest author, pseudonymizer.Pseudonym(window, domain, post.author));
  domain = "post\x1f" + post.source;
  PEERPULSE_ASSIGN_OR_RETURN(const Digest dedup, pseudonymizer.Pseudonym(window, domain, post.native_id));
  outcome.post.emplace(CleanPost::Key{}, post.source, std::move(community), window, NormaliseLang(post.lang),
                       std::move(red.text), author, dedup);
  return outcome;
}

Result<std::unique_ptr<Deidentifier>> LoadDeidentifier(const std::string& path) {
  auto policy = LoadPolicyFile(path);
  if (!policy.ok()) {
    return policy.status().code() == StatusCode::kInvalidConfig ? policy.status()
                                                                : Status::InvalidConfig(policy.status().message());
  }
  return Deidentifier::Create(std::move(policy).value());
}

std::vector<std::string> RunPolicyTests(const Deidentifier& deid) {
  std::vector<std::string> failures;
  const Policy& p = deid.policy();
  for (const PolicyTest& t : p.tests) {
    const Redaction r = deid.Redact(t.input);
    const std::string where = p.path + ":" + std::to_string(t.line) + ": test '" + t.name + "': ";
    if (t.expect_drop) {
      if (r.dropped == DropReason::kNone)
        failures.push_back(where + "expected the post to be dropped, got \"" + r.text + "\"");
    } else if (r.dropped != DropReason::kNone) {
      failures.push_back(where + "expected \"" + t.expect + "\", got a drop (" +
                         std::string(DropReasonName(r.dropped)) + ")");
    } else if (r.text != t.expect) {
      failures.push_back(where + "expected \"" + t.expect + "\", got \"" + r.text + "\"");
    }
  }
  return failures;
}

}  // namespace peerpulse::deid
