#include "lexicon.h"

#include <algorithm>

namespace peerpulse::classify::internal {
namespace {

constexpr std::uint64_t kFnvOffset = 14695981039346656037ull;
constexpr std::uint64_t kFnvPrime = 1099511628211ull;

std::uint64_t Fnv(std::uint64_t h, std::string_view s) {
  for (const char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= kFnvPrime;
  }
  return h;
}

bool IsPlaceholderChar(char c) { return (c >= 'A' && c <= 'Z') || c == '_' || (c >= '0' && c <= '9'); }

// Feature prefixes (README "Model features").
constexpr std::string_view kWord = "w:";
constexpr std::string_view kNegWord = "n:";
constexpr std::string_view kBigram = "b:";
constexpr std::string_view kQuestionStart = "q:";

// Endings of generic drug names (INN stems): "-mab" antibodies, "-nib"
// kinase inhibitors, "-pril", "-sartan", "-olol", "-statin", "-gliflozin",
// "-glutide", "-prazole", "-triptan", "-azepam", "-oxetine", ... A word with
// one suggests a treatment is being discussed ("shape:drug").
bool DrugLike(std::string_view w) {
  static constexpr std::string_view kStems[] = {
      "mab",     "nib",     "pril",     "sartan",  "olol",    "statin",  "gliflozin", "glutide", "gliptin",
      "prazole", "triptan", "azepam",   "oxetine", "aline",   "afaxine", "apine",     "idone",   "iprazole",
      "parin",   "xaban",   "floxacin", "mycin",   "cycline", "cillin",  "tinib",     "ciclib",  "zumab",
      "ximab",   "tide",    "amide",    "etine",   "azine",   "trigine", "racetam",   "dronate", "tropium"};
  if (w.size() < 7) return false;
  for (const std::string_view stem : kStems) {
    if (w.ends_with(stem)) return true;
  }
  return false;
}

}  // namespace

std::uint64_t Hash64(std::string_view s) { return Fnv(kFnvOffset, s); }

void TokenizeInto(std::string_view text, std::vector<Token>& out) {
  std::string cur;
  std::uint32_t sentence = 0;
  const auto flush = [&] {
    while (!cur.empty() && cur.back() == '\'') cur.pop_back();
    if (!cur.empty()) out.push_back(Token{std::move(cur), sentence, false});
    cur.clear();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      cur.push_back(static_cast<char>(c));
    } else if (c >= 'A' && c <= 'Z') {
      cur.push_back(static_cast<char>(c + 32));
    } else if (c == '\'' && !cur.empty()) {
      cur.push_back('\'');
    } else if (c == 0xE2 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80 &&
               static_cast<unsigned char>(text[i + 2]) == 0x99) {
      if (!cur.empty()) cur.push_back('\'');  // U+2019 right single quotation mark
      i += 2;
    } else if (c >= 0x80) {
      cur.push_back(static_cast<char>(c));
    } else if (c == '<' && cur.empty()) {
      // A de-identification placeholder: "<" [A-Z0-9_]+ ">" is one token.
      std::size_t j = i + 1;
      while (j < text.size() && j - i <= 32 && IsPlaceholderChar(text[j])) ++j;
      if (j > i + 1 && j < text.size() && text[j] == '>') {
        out.push_back(Token{std::string(text.substr(i, j + 1 - i)), sentence, false});
        i = j;
      }
    } else {
      flush();
      if (c == '?') {
        for (auto it = out.rbegin(); it != out.rend() && it->sentence == sentence && !it->question; ++it) {
          it->question = true;
        }
      }
      if (c == '.' || c == '!' || c == '?' || c == '\n') ++sentence;
    }
  }
  flush();
}

Result<std::vector<Slot>> ParsePhrase(std::string_view text, bool pattern) {
  std::vector<Slot> slots;
  std::vector<Token> toks;
  if (!pattern) {
    TokenizeInto(text, toks);
    for (auto& t : toks) slots.push_back(Slot{std::move(t.text)});
    if (slots.empty()) return Status::InvalidArgument("it has no words");
    return slots;
  }
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t sp = text.find(' ', pos);
    const std::string_view word = text.substr(pos, sp == std::string_view::npos ? sp : sp - pos);
    pos = sp == std::string_view::npos ? text.size() : sp + 1;
    if (word.empty()) continue;
    Slot slot;
    if (word != "*") {
      std::size_t a = 0;
      while (a <= word.size()) {
        const std::size_t bar = word.find('|', a);
        const std::string_view alt = word.substr(a, bar == std::string_view::npos ? bar : bar - a);
        a = bar == std::string_view::npos ? word.size() + 1 : bar + 1;
        toks.clear();
        TokenizeInto(alt, toks);
        if (toks.size() != 1) {
          return Status::InvalidArgument("'" + std::string(alt) +
                                         "' is not one word to the tokenizer; write its words as separate pattern "
                                         "words");
        }
        slot.push_back(std::move(toks[0].text));
      }
    } else if (slots.empty()) {
      return Status::InvalidArgument("it may not start with '*'");
    }
    slots.push_back(std::move(slot));
  }
  if (slots.empty()) return Status::InvalidArgument("it has no words");
  return slots;
}

void Analysis::Clear() {
  tokens.clear();
  matches.clear();
  mentions.clear();
  features.clear();
  feature_names.clear();
}

Lexicon::Lexicon(const Taxonomy& taxonomy) : taxonomy_(taxonomy) {
  for (std::uint32_t i = 0; i < taxonomy.conditions.size(); ++i) {
    for (const auto& t : taxonomy.conditions[i].terms) Add(t, false, Kind::kCondition, i);
    for (const auto& t : taxonomy.conditions[i].patterns) Add(t, true, Kind::kCondition, i);
    for (const auto& t : taxonomy.conditions[i].hints) Add(t, true, Kind::kCondition, i, true);
  }
  for (std::uint32_t i = 0; i < taxonomy.needs.size(); ++i) {
    for (const auto& t : taxonomy.needs[i].terms) Add(t, false, Kind::kNeed, i);
    for (const auto& t : taxonomy.needs[i].patterns) Add(t, true, Kind::kNeed, i);
    for (const auto& t : taxonomy.needs[i].hints) Add(t, true, Kind::kNeed, i, true);
  }
  for (const auto& t : taxonomy.negation_cues) Add(t, false, Kind::kNegation, 0);
  for (const auto& t : taxonomy.hypothetical_cues) Add(t, false, Kind::kHypothetical, 0);
  for (const auto& t : taxonomy.family_cues()) Add(t, false, Kind::kFamily, 0);
  for (const auto& t : taxonomy.other_cues()) Add(t, false, Kind::kOther, 0);
}

void Lexicon::Add(std::string_view text, bool pattern, Kind kind, std::uint32_t category, bool hint) {
  auto slots = ParsePhrase(text, pattern);
  if (!slots.ok()) return;  // ParseTaxonomy has rejected these already
  const auto index = static_cast<std::uint32_t>(phrases_.size());
  for (const auto& word : (*slots)[0]) {
    auto& list = by_first_[word];
    if (std::find(list.begin(), list.end(), index) == list.end()) list.push_back(index);
  }
  Phrase p{std::move(slots).value(), kind, category, hint, std::string(text), {}, 0, {}, 0};
  switch (kind) {
    case Kind::kCondition:
      p.feature = (hint ? "hint:condition:" : "lex:condition:") + taxonomy_.conditions[category].code;
      if (!hint) p.negated_feature = "lex:negated:" + taxonomy_.conditions[category].code;
      break;
    case Kind::kNeed:
      p.feature = (hint ? "hint:need:" : "lex:need:") + taxonomy_.needs[category].code;
      break;
    case Kind::kFamily:
      p.feature = "cue:family";
      break;
    case Kind::kOther:
      p.feature = "cue:other";
      break;
    default:
      break;
  }
  p.feature_hash = Hash64(p.feature);
  p.negated_hash = Hash64(p.negated_feature);
  phrases_.push_back(std::move(p));
}

void Lexicon::Analyze(std::string_view text, Analysis& out, Features features) const {
  out.Clear();
  TokenizeInto(text, out.tokens);
  const auto& toks = out.tokens;
  const auto n = static_cast<std::uint32_t>(toks.size());

  for (std::uint32_t i = 0; i < n; ++i) {
    const auto it = by_first_.find(toks[i].text);
    if (it == by_first_.end()) continue;
    for (const std::uint32_t pi : it->second) {
      const Phrase& p = phrases_[pi];
      if (i + p.slots.size() > n) continue;
      bool ok = true;
      for (std::size_t k = 1; k < p.slots.size() && ok; ++k) {
        const Token& t = toks[i + k];
        ok = t.sentence == toks[i].sentence &&
             (p.slots[k].empty() || std::find(p.slots[k].begin(), p.slots[k].end(), t.text) != p.slots[k].end());
      }
      if (ok) out.matches.push_back(Match{&p, i, static_cast<std::uint32_t>(i + p.slots.size())});
    }
  }

  // Cue rules: a cue ending at most cue_window words before a condition term,
  // in its sentence, negates it (negation, hypothetical) or names its
  // experiencer (family, other).
  const auto window = static_cast<std::uint32_t>(taxonomy_.cue_window);
  const auto neg_window = static_cast<std::uint32_t>(taxonomy_.negation_window);
  std::vector<bool> negated_scope(n, false);
  for (const Match& cue : out.matches) {
    const Kind k = cue.phrase->kind;
    if (k != Kind::kNegation && k != Kind::kHypothetical) continue;
    for (std::uint32_t j = cue.end; j < n && j <= cue.end + neg_window && toks[j].sentence == toks[cue.begin].sentence;
         ++j) {
      negated_scope[j] = true;
    }
  }
  for (std::uint32_t mi = 0; mi < out.matches.size(); ++mi) {
    const Match& m = out.matches[mi];
    if (m.phrase->kind != Kind::kCondition || m.phrase->hint) continue;
    Mention mention{mi};
    for (const Match& cue : out.matches) {
      if (cue.end > m.begin || cue.end + window < m.begin) continue;
      if (toks[cue.begin].sentence != toks[m.begin].sentence) continue;
      const Kind k = cue.phrase->kind;
      if (k == Kind::kNegation || k == Kind::kHypothetical) {
        if (cue.end + neg_window < m.begin) continue;
        if (mention.negation == nullptr || cue.end > mention.negation->end) mention.negation = &cue;
      } else if (k == Kind::kFamily || k == Kind::kOther) {
        if (mention.experiencer == nullptr || cue.end > mention.experiencer->end) mention.experiencer = &cue;
      }
    }
    out.mentions.push_back(mention);
  }
  if (features == Features::kNone) return;
  const bool with_names = features == Features::kNamed;

  // Features (binary). Names are built only for explanations; the hashes are
  // computed by streaming FNV over prefix and words, equal to Hash64(name).
  std::vector<std::uint64_t>& f = out.features;
  std::vector<std::string>& names = out.feature_names;
  const auto add = [&](std::uint64_t h, auto&& name) {
    f.push_back(h);
    if (with_names) names.push_back(name());
  };
  const std::uint64_t word_seed = Hash64(kWord);
  const std::uint64_t neg_seed = Hash64(kNegWord);
  const std::uint64_t bigram_seed = Hash64(kBigram);
  const std::uint64_t question_seed = Hash64(kQuestionStart);
  bool drug = false;
  for (std::uint32_t i = 0; i < n; ++i) {
    const std::string_view w = toks[i].text;
    drug = drug || DrugLike(w);
    if (toks[i].question && (i == 0 || toks[i - 1].sentence != toks[i].sentence)) {
      add(Fnv(question_seed, w), [&] { return std::string(kQuestionStart) + std::string(w); });
    }
    const bool neg = negated_scope[i];
    add(Fnv(neg ? neg_seed : word_seed, w), [&] { return std::string(neg ? kNegWord : kWord) + std::string(w); });
    if (i + 1 < n && toks[i + 1].sentence == toks[i].sentence) {
      const std::string_view w2 = toks[i + 1].text;
      add(Fnv(Fnv(Fnv(bigram_seed, w), " "), w2),
          [&] { return std::string(kBigram) + std::string(w) + " " + std::string(w2); });
    }
  }
  const auto add_named = [&](std::uint64_t h, std::string_view name) {
    f.push_back(h);
    if (with_names) names.emplace_back(name);
  };
  static const std::uint64_t kDrug = Hash64("shape:drug");
  static const std::uint64_t kQuestion = Hash64("shape:question");
  static const std::uint64_t kLexFamily = Hash64("lex:family");
  static const std::uint64_t kLexOther = Hash64("lex:other");
  if (drug) add_named(kDrug, "shape:drug");
  if (std::any_of(toks.begin(), toks.end(), [](const Token& t) { return t.question; })) {
    add_named(kQuestion, "shape:question");
  }
  for (const Mention& m : out.mentions) {
    const Phrase& p = *out.matches[m.match].phrase;
    if (m.negation != nullptr) {
      add_named(p.negated_hash, p.negated_feature);
    } else if (m.experiencer != nullptr) {
      const bool family = m.experiencer->phrase->kind == Kind::kFamily;
      add_named(family ? kLexFamily : kLexOther, family ? "lex:family" : "lex:other");
    }
  }
  // Every match of a term, pattern, hint or experiencer cue (a negated
  // condition term adds only its negated feature, above).
  for (std::size_t mi = 0; mi < out.matches.size(); ++mi) {
    const Phrase& p = *out.matches[mi].phrase;
    if (p.feature.empty()) continue;
    if (p.kind == Kind::kCondition && !p.hint) {
      const auto it =
          std::find_if(out.mentions.begin(), out.mentions.end(), [&](const Mention& m) { return m.match == mi; });
      if (it != out.mentions.end() && it->negation != nullptr) continue;
    }
    add_named(p.feature_hash, p.feature);
  }

  // Sort and deduplicate (binary features), keeping names aligned.
  if (!with_names) {
    std::sort(f.begin(), f.end());
    f.erase(std::unique(f.begin(), f.end()), f.end());
    return;
  }
  std::vector<std::size_t> order(f.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return f[a] < f[b]; });
  std::vector<std::uint64_t> sf;
  std::vector<std::string> sn;
  for (const std::size_t i : order) {
    if (!sf.empty() && sf.back() == f[i]) continue;
    sf.push_back(f[i]);
    sn.push_back(std::move(names[i]));
  }
  f = std::move(sf);
  names = std::move(sn);
}

}  // namespace peerpulse::classify::internal
