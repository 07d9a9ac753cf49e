#include "peerpulse/deid/deidentifier.h"

#include <re2/re2.h>

#include <algorithm>

#include "detectors.h"
#include "peerpulse/pipeline/labels.h"

namespace peerpulse::deid {
namespace {

struct CompiledRule {
  std::unique_ptr<RE2> re;
  std::size_t rule_index = 0;
  int groups = 0;
  bool trim_trailing_punct = false;
};

bool IsTrailingPunct(char c) {
  return c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == ')' || c == ']' ||
         c == '\'' || c == '"';
}

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

}  // namespace

struct Deidentifier::Compiled {
  std::vector<CompiledRule> rules;
};

std::string_view DropReasonName(DropReason r) {
  switch (r) {
    case DropReason::kNone: return "none";
    case DropReason::kTooLarge: return "too_large";
    case DropReason::kInvalidUtf8: return "invalid_utf8";
    case DropReason::kPolicyDrop: return "policy_drop";
    case DropReason::kResidualIdentifier: return "residual_identifier";
    case DropReason::kBadCommunity: return "bad_community";
  }
  return "none";
}

bool IsValidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
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

Deidentifier::~Deidentifier() = default;

Result<std::unique_ptr<Deidentifier>> Deidentifier::Create(Policy policy) {
  auto compiled = std::make_unique<Compiled>();
  for (std::size_t i = 0; i < policy.rules.size(); ++i) {
    const Rule& rule = policy.rules[i];
    RE2::Options opts;
    opts.set_log_errors(false);
    opts.set_case_sensitive(!rule.case_insensitive);
    auto re = std::make_unique<RE2>(rule.pattern, opts);
    if (!re->ok()) {
      return Status::InvalidConfig(policy.path + ":" + std::to_string(rule.line) + ": rule '" + rule.id +
                                   "': invalid pattern: " + re->error());
    }
    const BuiltinDetector* b = FindBuiltin(rule.detector);
    CompiledRule cr;
    cr.groups = re->NumberOfCapturingGroups();
    cr.re = std::move(re);
    cr.rule_index = i;
    cr.trim_trailing_punct = b != nullptr && b->trim_trailing_punct;
    compiled->rules.push_back(std::move(cr));
  }
  return std::unique_ptr<Deidentifier>(new Deidentifier(std::move(policy), std::move(compiled)));
}

namespace {

void FindSpans(const std::vector<CompiledRule>& rules, const std::vector<Rule>& defs, std::string_view text,
               std::vector<Span>& spans, bool& drop) {
  const re2::StringPiece input(text.data(), text.size());
  re2::StringPiece sub[2];
  for (const CompiledRule& cr : rules) {
    const int nsub = cr.groups > 0 ? 2 : 1;
    std::size_t pos = 0;
    while (pos <= text.size() && cr.re->Match(input, pos, text.size(), RE2::UNANCHORED, sub, nsub)) {
      const re2::StringPiece whole = sub[0];
      const re2::StringPiece span = (nsub == 2 && sub[1].data() != nullptr) ? sub[1] : sub[0];
      auto begin = static_cast<std::size_t>(span.data() - text.data());
      auto end = begin + span.size();
      if (cr.trim_trailing_punct) {
        while (end > begin && IsTrailingPunct(text[end - 1])) --end;
      }
      if (end > begin) {
        const Rule& def = defs[cr.rule_index];
        if (def.action == Action::kDropPost) drop = true;
        spans.push_back(Span{begin, end, def.id, def.tag, def.action});
      }
      const auto whole_begin = static_cast<std::size_t>(whole.data() - text.data());
      const std::size_t next = whole_begin + whole.size();
      pos = next > whole_begin ? next : whole_begin + 1;
    }
  }
}

}  // namespace

Redaction Deidentifier::Redact(std::string_view text) const {
  Redaction out;
  if (text.size() > policy_.max_text_bytes) {
    out.dropped = DropReason::kTooLarge;
    return out;
  }
  if (!IsValidUtf8(text)) {
    out.dropped = DropReason::kInvalidUtf8;
    return out;
  }
  std::vector<Span> found;
  bool drop = false;
  FindSpans(compiled_->rules, policy_.rules, text, found, drop);
  if (drop) {
    out.dropped = DropReason::kPolicyDrop;
    return out;
  }
  // Merge overlaps: the earliest start wins, ties go to the longest span.
  std::sort(found.begin(), found.end(), [](const Span& a, const Span& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
  });
  for (Span& s : found) {
    if (!out.spans.empty() && s.begin < out.spans.back().end) {
      out.spans.back().end = std::max(out.spans.back().end, s.end);
    } else {
      out.spans.push_back(std::move(s));
    }
  }
  std::size_t last = 0;
  out.text.reserve(text.size());
  for (const Span& s : out.spans) {
    out.text.append(text.substr(last, s.begin - last));
    if (s.action == Action::kTag) {
      out.text += '<';
      out.text += s.tag;
      out.text += '>';
    }
    last = s.end;
  }
  out.text.append(text.substr(last));

  // Fail closed: nothing any rule detects may survive redaction.
  std::vector<Span> residual;
  bool ignored = false;
  FindSpans(compiled_->rules, policy_.rules, out.text, residual, ignored);
  if (!residual.empty()) {
    WipeString(out.text);
    out.spans.clear();
    out.dropped = DropReason::kResidualIdentifier;
  }
  return out;
}

Result<DeidOutcome> Deidentifier::Process(RawPost post, Pseudonymizer& pseudonymizer) const {
  DeidOutcome outcome;
  std::string community = post.community;
  for (char& c : community) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
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

std::vector<std::string> RunPolicyTests(const Deidentifier& deid) {
  std::vector<std::string> failures;
  const Policy& p = deid.policy();
  for (const PolicyTest& t : p.tests) {
    const Redaction r = deid.Redact(t.input);
    const std::string where = p.path + ":" + std::to_string(t.line) + ": test '" + t.name + "': ";
    if (t.expect_drop) {
      if (r.dropped == DropReason::kNone) failures.push_back(where + "expected the post to be dropped, got \"" + r.text + "\"");
    } else if (r.dropped != DropReason::kNone) {
      failures.push_back(where + "expected \"" + t.expect + "\", got a drop (" + std::string(DropReasonName(r.dropped)) + ")");
    } else if (r.text != t.expect) {
      failures.push_back(where + "expected \"" + t.expect + "\", got \"" + r.text + "\"");
    }
  }
  return failures;
}

}  // namespace peerpulse::deid
