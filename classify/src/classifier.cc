#include "peerpulse/classify/classifier.h"

#include <algorithm>
#include <unordered_map>

namespace peerpulse::classify {
namespace {

enum class Kind : std::uint8_t { kCondition, kNeed, kNegation, kHypothetical, kFamily, kOther };

struct Phrase {
  std::vector<std::string> tokens;  // tokens[0] is the index key
  Kind kind;
  std::size_t category;             // index into conditions/needs
};

struct Token {
  std::string text;
  std::uint32_t sentence;
};

// Words are runs of ASCII letters/digits, apostrophes inside words, and any
// non-ASCII bytes (kept as they are). '.', '!', '?' and newlines end sentences.
void TokenizeInto(std::string_view text, std::vector<Token>& out) {
  std::string cur;
  std::uint32_t sentence = 0;
  const auto flush = [&] {
    while (!cur.empty() && cur.back() == '\'') cur.pop_back();
    if (!cur.empty()) out.push_back(Token{std::move(cur), sentence});
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
    } else {
      flush();
      if (c == '.' || c == '!' || c == '?' || c == '\n') ++sentence;
    }
  }
  flush();
}

}  // namespace

std::vector<std::string> Tokenize(std::string_view text) {
  std::vector<Token> toks;
  TokenizeInto(text, toks);
  std::vector<std::string> out;
  out.reserve(toks.size());
  for (auto& t : toks) out.push_back(std::move(t.text));
  return out;
}

struct Classifier::Index {
  std::unordered_map<std::string, std::vector<Phrase>> by_first;
  void Add(std::string_view term, Kind kind, std::size_t category) {
    Phrase p{Tokenize(term), kind, category};
    if (p.tokens.empty()) return;
    by_first[p.tokens[0]].push_back(std::move(p));
  }
};

Classifier::Classifier(Taxonomy taxonomy, std::unique_ptr<Index> index)
    : taxonomy_(std::move(taxonomy)), index_(std::move(index)) {}

Classifier::~Classifier() = default;

Result<std::unique_ptr<Classifier>> Classifier::Create(Taxonomy taxonomy) {
  auto index = std::make_unique<Index>();
  for (std::size_t i = 0; i < taxonomy.conditions.size(); ++i) {
    for (const auto& t : taxonomy.conditions[i].terms) index->Add(t, Kind::kCondition, i);
  }
  for (std::size_t i = 0; i < taxonomy.needs.size(); ++i) {
    for (const auto& t : taxonomy.needs[i].terms) index->Add(t, Kind::kNeed, i);
  }
  for (const auto& t : taxonomy.negation_cues) index->Add(t, Kind::kNegation, 0);
  for (const auto& t : taxonomy.hypothetical_cues) index->Add(t, Kind::kHypothetical, 0);
  for (const auto& t : taxonomy.family_cues) index->Add(t, Kind::kFamily, 0);
  for (const auto& t : taxonomy.other_cues) index->Add(t, Kind::kOther, 0);
  return std::unique_ptr<Classifier>(new Classifier(std::move(taxonomy), std::move(index)));
}

Labels Classifier::ClassifyText(std::string_view text) const {
  std::vector<Token> toks;
  TokenizeInto(text, toks);

  struct Match {
    Kind kind;
    std::size_t category;
    std::size_t begin;
    std::size_t end;  // exclusive token index
  };
  std::vector<Match> matches;
  for (std::size_t i = 0; i < toks.size(); ++i) {
    const auto it = index_->by_first.find(toks[i].text);
    if (it == index_->by_first.end()) continue;
    for (const Phrase& p : it->second) {
      if (i + p.tokens.size() > toks.size()) continue;
      bool ok = true;
      for (std::size_t k = 1; k < p.tokens.size() && ok; ++k) {
        ok = toks[i + k].text == p.tokens[k] && toks[i + k].sentence == toks[i].sentence;
      }
      if (ok) matches.push_back(Match{p.kind, p.category, i, i + p.tokens.size()});
    }
  }

  Labels labels;
  bool family = false;
  bool other = false;
  const auto window = static_cast<std::size_t>(taxonomy_.cue_window);
  for (const Match& m : matches) {
    if (m.kind == Kind::kNeed) {
      labels.needs.push_back(taxonomy_.needs[m.category].code);
      continue;
    }
    if (m.kind != Kind::kCondition) continue;
    bool negated = false;
    bool fam = false;
    bool oth = false;
    for (const Match& cue : matches) {
      if (cue.end > m.begin || cue.end + window < m.begin) continue;
      if (toks[cue.begin].sentence != toks[m.begin].sentence) continue;
      negated = negated || cue.kind == Kind::kNegation || cue.kind == Kind::kHypothetical;
      fam = fam || cue.kind == Kind::kFamily;
      oth = oth || cue.kind == Kind::kOther;
    }
    if (negated) continue;
    labels.conditions.push_back(taxonomy_.conditions[m.category].code);
    family = family || fam;
    other = other || oth;
  }
  const auto dedup = [](std::vector<std::string>& v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
  };
  dedup(labels.conditions);
  dedup(labels.needs);
  labels.experiencer = family ? Experiencer::kFamily : other ? Experiencer::kOther : Experiencer::kSelf;
  return labels;
}

}  // namespace peerpulse::classify
