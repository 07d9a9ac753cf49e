#include "names.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <mutex>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "ascii.h"
#include "peerpulse/pipeline/toml_reader.h"

namespace peerpulse::deid {
namespace {

// ---- project-written word lists ------------------------------------------

// Words that are never names, whatever the dictionaries say: function words,
// frequent verbs, and clinical abbreviations that are also Census names.
constexpr std::string_view kStopWords[] = {
    "a", "an", "the", "and", "or", "but", "if", "then", "so", "of", "to", "in", "on", "at", "by", "for", "with", "from",
    "into", "over", "under", "after", "before", "about", "as", "is", "am", "are", "was", "were", "be", "been", "being",
    "has", "have", "had", "do", "does", "did", "will", "would", "can", "could", "should", "may", "might", "must",
    "shall", "not", "no", "yes", "i", "me", "my", "we", "us", "our", "you", "your", "he", "him", "his", "she", "her",
    "hers", "they", "them", "their", "it", "its", "this", "that", "these", "those", "who", "whom", "which", "what",
    "when", "where", "why", "how", "all", "any", "some", "each", "every", "both", "few", "more", "most", "other",
    "such", "only", "own", "same", "too", "very", "just", "also", "now", "here", "there", "again", "still", "said",
    "says", "called", "came", "went", "got", "get", "gets", "told", "tells", "asked", "visited", "visiting", "aware",
    "notified", "paged", "per", "see", "please", "given", "regarding", "etc", "mds", "midlevel", "midlevels",
    "residents", "fellows", "attendings", "hos", "nps", "today", "tonight", "yesterday", "tomorrow", "later", "soon",
    "well", "pt", "pts", "patient", "family", "md", "rn", "np", "pa", "dr", "ed", "er", "or", "icu", "micu", "ccu",
    "sicu", "nicu", "ct", "mri", "bp", "hr", "rr", "iv", "po", "pr", "prn", "bs", "ng", "ngt", "cv", "gi", "gu", "id",
    "sat", "sats", "sob", "doe", "hob", "vs", "al", "ca", "ms", "mg", "ml", "cc", "neuro", "resp", "renal", "skin",
    "social", "plan", "assessment", "coli", "afib", "chf", "cad", "copd", "dm", "htn", "mi", "pe", "uti", "ekg", "ecg",
    "cxr", "abg", "wbc", "hct", "inr", "ptt", "lasix", "team", "service", "nurse", "doctor", "attending", "resident",
    "fellow", "staff", "unit", "floor", "room", "bed", "home", "house", "hospital", "clinic", "dad", "mom", "son",
    "daughter", "wife", "husband", "mae", "psv", "ps", "sbp", "dbp", "na", "mso", "cpap", "bipap", "asa", "ett", "iabp",
    "rt", "st", "vt", "tv", "ns", "ra", "rca", "ss", "ntg", "nsr", "ci", "osh", "bb", "neo", "fs", "sx", "nc", "ivf",
    "svr", "ptca", "cp", "ac", "ew", "perla", "perrla", "ami", "lcx", "lad", "ck", "nbp", "tol", "cvp", "ir", "dopa",
    "csru", "ve", "fio", "tf", "le", "max", "min", "ok", "carevue", "sl", "dc", "hd", "vss", "abd", "ext", "gen", "lab",
    "labs", "meds", "med", "cath", "art", "line", "pacer", "vent", "trach", "peg", "picc", "tpn", "bm", "uo", "hob",
    "rn", "lr", "kcl", "mag", "tyl", "echo", "ef", "lv", "rv", "av", "mv", "tee", "tte", "bun", "cr", "glu", "hgb",
    "plt", "cx", "sputum",
    // Weekdays and holidays that the surname and given-name lists hold ("Easter Sunday"), and the
    // months that are seldom anyone's name ("since the end of September"; April, May, June and
    // August are names too often to leave out).
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "christmas", "easter", "xmas",
    "halloween", "thanksgiving", "january", "february", "september", "october", "november", "december",
    // Officers of a firm, after a relation ("my husband, CEO of").
    "ceo", "cfo", "cto", "coo",
    // Words newer than the word list: "diagnosed with long covid" was a surname and an unknown word.
    "covid", "covid19", "coronavirus",
    // Chat shorthand, which the lists do not know and cues then took for a name ("not a real doctor lol").
    "lol", "lmao", "lmfao", "rofl", "omg", "omfg", "tbh", "imo", "imho", "btw", "smh", "ikr", "idk", "fyi", "afaik",
    "irl", "tho", "pls", "plz", "jk", "wtf", "ffs", "asap", "fml", "tmi", "iirc", "ymmv", "ftr", "atm"};

// The shortest function words: not a name even right after a title.
constexpr std::string_view kFunctionWords[] = {
    "a",    "an",   "the",    "and",  "or",          "but",   "of",       "to",    "in",     "on",
    "at",   "for",  "with",   "from", "by",          "is",    "was",      "are",   "were",   "be",
    "has",  "had",  "have",   "he",   "she",         "it",    "they",     "we",    "i",      "you",
    "his",  "her",  "their",  "this", "that",        "aware", "notified", "paged", "called", "said",
    "says", "re",   "as",     "if",   "so",          "not",   "no",       "into",  "out",    "up",
    "in",   "team", "office", "appt", "appointment", "visit", "today",    "note",  "orders", "order"};

// Contractions are words, never names ("Hi I'm new here", "Girl I'm talking to").
constexpr std::string_view kContractions[] = {
    "i'm",       "i've",     "i'll",    "i'd",    "you're", "you've",  "you'll", "we're",   "we've",
    "they're",   "it's",     "he's",    "she's",  "that's", "there's", "what's", "let's",   "don't",
    "doesn't",   "didn't",   "can't",   "won't",  "isn't",  "wasn't",  "aren't", "weren't", "couldn't",
    "shouldn't", "wouldn't", "haven't", "hasn't", "ain't",  "y'all"};

// Given names that are mostly ordinary words: they need a cue even when frequent.
constexpr std::string_view kAmbiguousNames[] = {
    "will",  "may",   "june",    "april", "august", "grace",  "hope",     "faith",  "joy",   "mark",  "bill",
    "frank", "rose",  "iris",    "dawn",  "sue",    "pat",    "art",      "gene",   "ray",   "guy",   "dean",
    "rich",  "jack",  "rob",     "don",   "hunter", "summer", "autumn",   "ivy",    "lily",  "daisy", "ruby",
    "pearl", "amber", "crystal", "sky",   "river",  "rocky",  "sunny",    "chance", "chase", "cliff", "dale",
    "glen",  "heath", "lane",    "wade",  "miles",  "major",  "king",     "joe",    "penny", "sandy", "candy",
    "holly", "carol", "ginger",  "bud",   "buck",   "drew",   "sterling", "page",   "long",  "royal"};

// Words before a name.
// Strong titles: the next word is a name in any case ("DR RIZZO", "dr. pica").
constexpr std::string_view kTitles[] = {"dr",  "drs", "doctor",   "dra",   "prof",   "professor", "mr",
                                        "mrs", "mx",  "reverend", "rabbi", "pastor", "chaplain",  "rev"};
// Weak titles, also abbreviations ("MS" mental status, "NP" nasopharyngeal):
// only a capitalized, non-abbreviation next word counts.
// "HO" is a house officer, "MD Spears" a doctor named before the credential,
// "PA Josh" a physician assistant (in mixed case only: in capitals "PA SATS"
// is the pulmonary artery).
constexpr std::string_view kWeakTitles[] = {"ms",        "miss",   "np",       "rn", "pa",
                                            "attending", "fellow", "resident", "ho", "md"};
// Weak titles that are nouns for a carer, not abbreviations: they count in
// lower case too ("my physio Faith", "our nanny Hope", "the nurse Grace").
constexpr std::string_view kCarerTitles[] = {"nurse",     "practitioner", "therapist", "physio",     "physiotherapist",
                                             "midwife",   "doula",        "counselor", "counsellor", "pharmacist",
                                             "dietitian", "carer",        "nanny",     "babysitter"};
// Words after a name that say someone was told: "E. Welsh aware", "Falco
// notified" (the word before must look like a name: see below).
constexpr std::string_view kToldAfterWords[] = {"aware",   "notified", "informed", "paged",
                                                "visited", "phoned",   "family"};
// Relations in the singular; the plural ones are kPluralRelations (relations too).
constexpr std::string_view kRelations[] = {
    "son", "daughter", "dtr", "wife", "husband", "hubby", "spouse", "partner", "mom", "mum", "mommy", "mother", "dad",
    "daddy", "father", "sister", "sis", "brother", "bro", "niece", "neice", "nephew", "aunt", "auntie", "uncle",
    "cousin", "grandson", "granddaughter", "grandmother", "grandma", "granny", "grandfather", "grandpa", "fiance",
    "fiancee", "boyfriend", "girlfriend", "friend", "neighbor", "neighbour", "stepson", "stepdaughter", "stepmom",
    "stepdad", "spokesperson", "proxy", "hcp", "caregiver", "roommate", "buddy", "lawyer", "guardian", "poa",
    // Forum shorthand: boyfriend, girlfriend, dear husband, mother-in-law ("bil" is bilateral).
    "bf", "gf", "bff", "dh", "hubs", "mil", "twin", "kiddo", "bestie", "wifey", "stepsister", "stepbrother", "grandad",
    "granddad",
    // In-laws as one token ("my mother-in-law Philippa"); written in three words, "law" is the
    // relation (FindNames).
    "mother-in-law", "father-in-law", "sister-in-law", "brother-in-law", "son-in-law", "daughter-in-law",
    // British and Australian forum words: "my mate Gaz", "his missus Shaz" ("girl", "boy" and
    // "lad" are not: "a girl flowers", "Big Boy bed", "LIMA to LAD" in notes).
    "mate", "missus",
    // Grandmothers, as British and Australian posts call them ("my nan said"; a name "Nan" is rarer).
    "nan", "nana", "nanna", "gran"};
// Relations in the plural, before a list of names ("my kids Aiyana and Breckyn", "our boys
// Jaxon & Kai"): a name after one counts only when a list goes on after it, for posts drop
// the apostrophe of a possessive ("my boys Xbox broke", "the girls Netflix binge").
constexpr std::string_view kPluralRelations[] = {
    "sons",          "daughters", "twins",          "kiddos",   "grandkids", "kids",   "children", "boys",   "girls",
    "grandchildren", "grandsons", "granddaughters", "brothers", "sisters",   "nieces", "nephews",  "cousins"};
// Weak cues: the next word counts only if the name dictionaries know it.
constexpr std::string_view kVerbs[] = {"with",     "by",       "per",     "paged",   "called",    "notified",
                                       "informed", "told",     "asked",   "thanked", "page",      "call",
                                       "ask",      "and",      "reach",   "reached", "contacted", "contact",
                                       "texted",   "messaged", "emailed", "dm'd",    "named"};
// Verbs of speech after a name a list knows: "so jessica said", "mike texted me".
constexpr std::string_view kSpeechWords[] = {"said", "says", "texted", "messaged", "thinks", "wants", "told"};
constexpr std::string_view kGreetings[] = {"hi",      "hello", "hey",  "dear", "thanks", "thank", "cheers", "love",
                                           "regards", "best",  "xoxo", "xx",   "ty",     "thx",   "tysm",   "hiya"};
// Words between a greeting and the name: "thank you so much Jenny", "ty again jenny".
constexpr std::string_view kGreetingFillers[] = {"you", "u", "so", "soo", "sooo", "much", "again", "very"};
// Words after a name.
constexpr std::string_view kCredentials[] = {"rn",  "md",     "np",   "rrt",  "phd",  "lpn", "cna", "msw", "licsw",
                                             "dds", "pharmd", "crnp", "aprn", "lcsw", "bsn", "rph", "ot",  "slp"};
// Phone labels after a name, when a number label follows them ("cell#", "home phone:").
constexpr std::string_view kPhoneLabels[] = {"cell", "home", "work", "pager", "beeper", "mobile", "phone"};
// Particles of surnames, between a name and the rest of it: "van der Berg", "de la Cruz", "el Sayed".
constexpr std::string_view kParticles[] = {"van", "von", "der", "den", "de",  "del", "della", "da",
                                           "di",  "du",  "la",  "le",  "bin", "ibn", "al",    "el"};

// Word classes of the lists above, looked up once per token.
enum WordClass : std::uint16_t {
  kStop = 1 << 0,
  kFunction = 1 << 1,
  kAmbiguous = 1 << 2,
  kTitle = 1 << 3,
  kWeakTitle = 1 << 4,
  kToldAfter = 1 << 11,
  kRelation = 1 << 5,
  kVerb = 1 << 6,
  kGreeting = 1 << 7,
  kCredential = 1 << 8,
  kHere = 1 << 9,       // "here", after a name ("Priya here, 29F")
  kParticle = 1 << 10,  // "van", "de" ...: inside a surname, no cue
  kPhoneLabel = 1 << 12,
  kNameWord = 1 << 13,  // "name", before a name ("my name is Sarah")
  kRole = 1 << 14,      // "resident", "attending" ...: in brackets after a name
  kSpeech = 1 << 15,    // "said", "texted" ...: after a name
};

const std::unordered_map<std::string_view, std::uint16_t>& WordClasses() {
  static const auto* classes = [] {
    auto* m = new std::unordered_map<std::string_view, std::uint16_t>();
    const auto add = [m](const auto& list, WordClass c) {
      for (const std::string_view w : list) (*m)[w] |= c;
    };
    add(kStopWords, kStop);
    add(kContractions, kStop);
    add(kFunctionWords, kFunction);
    add(kAmbiguousNames, kAmbiguous);
    add(kTitles, kTitle);
    add(kWeakTitles, kWeakTitle);
    add(kCarerTitles, kWeakTitle);
    add(kToldAfterWords, kToldAfter);
    add(kRelations, kRelation);
    add(kPluralRelations, kRelation);
    add(kVerbs, kVerb);
    add(kGreetings, kGreeting);
    add(kCredentials, kCredential);
    add(kPhoneLabels, kPhoneLabel);
    add(kSpeechWords, kSpeech);
    add(kParticles, kParticle);
    (*m)["name"] |= kNameWord;
    (*m)["here"] |= kHere;
    for (const std::string_view w : {"resident", "attending", "fellow", "intern"}) (*m)[w] |= kRole;
    return m;
  }();
  return *classes;
}

// ---- dictionaries ---------------------------------------------------------

struct Lexicon {
  // While loading only (Index() folds them into `facts`):
  std::unordered_map<std::string, int> given;    // lowercase -> frequency rank (1 = most frequent)
  std::unordered_map<std::string, int> surname;  // lowercase -> rank
  std::unordered_set<std::string> words;         // lowercase common words
  std::unordered_set<std::string> proper;        // lowercased proper nouns of the word list ("Canadian")
  // The three above and the word classes in one table, so that a token
  // costs one lookup.
  struct Facts {
    int given = 0;
    bool surname = false;
    bool word = false;
    std::uint16_t cls = 0;  // WordClass bits
    bool proper = false;    // a proper noun of the word list: "canadian", "texan", "advil"
  };

  // Open addressing on 64-bit FNV-1a hashes, 16-byte slots (the table is
  // probed for every token, so it should stay in cache). A slot keeps the
  // whole hash, not the word: two words of equal hash (odds about 1e-14 per
  // lookup against this table) would share facts, and reading the words
  // themselves from memory cost a tenth of the detector's time.
  struct Slot {
    std::uint32_t tag = 0;    // high half of the hash, 0: empty
    std::uint32_t low = 0;    // low half of the hash
    std::uint16_t given = 0;  // frequency rank as a given name (capped)
    std::uint16_t cls = 0;
    std::uint8_t len = 0;
    std::uint8_t flags = 0;  // 1 surname, 2 common word, 4 proper noun
  };
  static_assert(sizeof(Slot) == 16);
  std::vector<Slot> slots;

  static std::uint64_t Hash(std::string_view w) {
    std::uint64_t h = 14695981039346656037ull;
    for (const char c : w) {
      h ^= static_cast<unsigned char>(c);
      h *= 1099511628211ull;
    }
    return h;
  }
  static std::uint32_t Tag(std::uint64_t h) {
    const auto t = static_cast<std::uint32_t>(h >> 32);
    return t == 0 ? 1 : t;
  }

  // Inlined (with FillFacts, its caller for every token): past a size of
  // FindNames GCC calls both out of line, which cost 2-3% of a safe-harbor pass.
  [[gnu::always_inline]] Facts Find(std::string_view w) const {
    if (slots.empty() || w.size() > 255) return {};
    const std::uint64_t h = Hash(w);
    const std::uint32_t tag = Tag(h);
    const std::size_t mask = slots.size() - 1;
    for (std::size_t i = static_cast<std::size_t>(h) & mask;; i = (i + 1) & mask) {
      const Slot& s = slots[i];
      if (s.tag == 0) return {};
      if (s.tag == tag && s.low == static_cast<std::uint32_t>(h) && s.len == w.size()) {
        return Facts{s.given, (s.flags & 1) != 0, (s.flags & 2) != 0, s.cls, (s.flags & 4) != 0};
      }
    }
  }

  Slot* Insert(std::string_view w) {
    if (w.size() > 255) return nullptr;
    const std::uint64_t h = Hash(w);
    const std::uint32_t tag = Tag(h);
    const std::size_t mask = slots.size() - 1;
    for (std::size_t i = static_cast<std::size_t>(h) & mask;; i = (i + 1) & mask) {
      Slot& s = slots[i];
      if (s.tag == 0) {
        s.tag = tag;
        s.low = static_cast<std::uint32_t>(h);
        s.len = static_cast<std::uint8_t>(w.size());
        return &s;
      }
      if (s.tag == tag && s.low == static_cast<std::uint32_t>(h) && s.len == w.size()) return &s;
    }
  }

  // Builds the table (with the word classes of the lists in this file) and
  // frees the three maps it replaces.
  void Index(const std::unordered_map<std::string_view, std::uint16_t>& classes) {
    std::size_t n = given.size() + surname.size() + words.size() + proper.size() + classes.size();
    std::size_t cap = 16;
    while (cap < n * 2) cap <<= 1;
    slots.assign(cap, Slot{});
    for (const auto& [k, v] : given) {
      if (Slot* sl = Insert(k)) sl->given = static_cast<std::uint16_t>(std::min(v, 65535));
    }
    for (const auto& [k, v] : surname) {
      if (Slot* sl = Insert(k)) sl->flags |= 1;
    }
    for (const auto& k : words) {
      if (Slot* sl = Insert(k)) sl->flags |= 2;
    }
    for (const auto& k : proper) {
      if (Slot* sl = Insert(k)) sl->flags |= 4;
    }
    for (const auto& [k, v] : classes) {
      if (Slot* sl = Insert(k)) sl->cls = v;
    }
    given = {};
    surname = {};
    words = {};
    proper = {};
  }
};

// Reads the heredoc lists of Text::Names.pm, or a plain one-name-per-line list.
Status ReadNames(const std::string& path, Lexicon& lex) {
  std::string text;
  PEERPULSE_RETURN_IF_ERROR(ReadWholeFile(path, text));
  const auto add_tokens = [](std::string_view body, std::unordered_map<std::string, int>& into) {
    int rank = 0;
    std::size_t i = 0;
    while (i < body.size()) {
      while (i < body.size() && !AsciiIsAlpha(static_cast<unsigned char>(body[i]))) {
        // skip numbers and spaces
        if (AsciiIsDigit(static_cast<unsigned char>(body[i])) || body[i] == '.') {
          while (i < body.size() && (AsciiIsDigit(static_cast<unsigned char>(body[i])) || body[i] == '.')) ++i;
        } else {
          ++i;
        }
      }
      std::size_t j = i;
      while (j < body.size() && (AsciiIsAlpha(static_cast<unsigned char>(body[j])) || body[j] == '\'')) ++j;
      if (j > i) into.emplace(AsciiLower(body.substr(i, j - i)), ++rank);
      i = j;
    }
  };
  const auto section = [&](std::string_view var) -> std::string_view {
    const std::string head = std::string("$") + std::string(var) + " = <<ENDNAMES;\n";
    const auto b = text.find(head);
    if (b == std::string::npos) return {};
    const auto e = text.find("\nENDNAMES", b + head.size());
    if (e == std::string::npos) return {};
    return std::string_view(text).substr(b + head.size(), e - b - head.size());
  };
  const std::string_view male = section("COMMON_MALE_FIRSTNAMES");
  const std::string_view female = section("COMMON_FEMALE_FIRSTNAMES");
  const std::string_view sur = section("COMMON_SURNAMES");
  if (!male.empty() || !female.empty() || !sur.empty()) {
    std::unordered_map<std::string, int> m;
    std::unordered_map<std::string, int> f;
    add_tokens(male, m);
    add_tokens(female, f);
    for (auto& [k, v] : m) lex.given[k] = v;
    for (auto& [k, v] : f) {
      auto it = lex.given.find(k);
      if (it == lex.given.end() || v < it->second) lex.given[k] = v;
    }
    add_tokens(sur, lex.surname);
  } else {
    // A plain list: every line's first word is both a given name and a surname.
    std::unordered_map<std::string, int> all;
    int rank = 0;
    ForEachLine(text, [&](std::string_view line) {
      std::size_t j = 0;
      while (j < line.size() &&
             (AsciiIsAlpha(static_cast<unsigned char>(line[j])) || line[j] == '\'' || line[j] == '-'))
        ++j;
      if (j > 1) all.emplace(AsciiLower(line.substr(0, j)), ++rank);
    });
    lex.given = all;
    lex.surname = std::move(all);
  }
  if (lex.given.size() + lex.surname.size() < 100) {
    return Status::InvalidConfig(path + ": fewer than 100 names found (not a name list)");
  }
  return Status::Ok();
}

// More given names: a JSON array of strings (the npm package human-names), or
// one name per line ('#' starts a comment). Names of ASCII letters, with
// apostrophes and hyphens inside ("D'Andre", "Mary-Kate"), lower-cased into
// `out`; others are skipped.
Status ReadGivenNames(const std::string& path, std::vector<std::string>& out) {
  std::string text;
  PEERPULSE_RETURN_IF_ERROR(ReadWholeFile(path, text));
  std::size_t read = 0;
  const auto add = [&](std::string_view name) {
    while (!name.empty() && (name.back() == ' ' || name.back() == '\t' || name.back() == '\r')) name.remove_suffix(1);
    if (name.size() < 2 || !AsciiIsAlpha(static_cast<unsigned char>(name.front())) ||
        !AsciiIsAlpha(static_cast<unsigned char>(name.back()))) {
      return;
    }
    for (const char c : name) {
      if (!AsciiIsAlpha(static_cast<unsigned char>(c)) && c != '\'' && c != '-') return;
    }
    ++read;
    out.push_back(AsciiLower(name));
  };
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && text[first] == '[') {
    // The strings of the array; one with an escape is no plain name and is skipped.
    for (std::size_t q = text.find('"', first); q != std::string::npos; q = text.find('"', q + 1)) {
      const std::size_t e = text.find('"', q + 1);
      if (e == std::string::npos) return Status::InvalidConfig(path + ": unterminated string in the JSON array");
      const std::string_view name = std::string_view(text).substr(q + 1, e - q - 1);
      if (name.find('\\') == std::string_view::npos) add(name);
      q = e;
    }
  } else {
    ForEachLine(text, [&](std::string_view line) {
      if (const auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
      while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
      add(line);
    });
  }
  if (read < 10) return Status::InvalidConfig(path + ": fewer than 10 given names found (not a name list)");
  return Status::Ok();
}

Status ReadWords(const std::string& path, Lexicon& lex) {
  std::string text;
  PEERPULSE_RETURN_IF_ERROR(ReadWholeFile(path, text));
  ForEachLine(text, [&](std::string_view w) {
    bool lower = !w.empty();
    for (const char c : w) lower = lower && ((c >= 'a' && c <= 'z') || c == '\'');
    // Possessives ("john's") add nothing. Proper nouns are capitalized in the
    // list: no ordinary words, but kept apart ("Canadian", "Advil", and many
    // given names too).
    if (lower && !w.ends_with("'s")) {
      lex.words.emplace(w);
    } else if (w.size() >= 2 && AsciiIsUpper(static_cast<unsigned char>(w[0])) && !w.ends_with("'s")) {
      bool rest = true;
      for (const char c : w.substr(1)) rest = rest && c >= 'a' && c <= 'z';
      if (rest) lex.proper.emplace(AsciiLower(w));
    }
  });
  if (lex.words.size() < 1000)
    return Status::InvalidConfig(path + ": fewer than 1000 lowercase words (not a word list)");
  return Status::Ok();
}

// Lexicons are shared by every detector that reads the same files.
Result<std::shared_ptr<const Lexicon>> LoadLexicon(const Rule& rule) {
  static std::mutex mu;
  static std::map<std::pair<std::string, std::string>, std::weak_ptr<const Lexicon>> cache;
  const std::string names = rule.names_file.empty() ? kDefaultNamesFile : rule.names_file;
  const std::string words = rule.words_file.empty() ? kDefaultWordsFile : rule.words_file;
  std::lock_guard<std::mutex> lock(mu);
  if (auto sp = cache[{names, words}].lock()) return sp;
  auto lex = std::make_shared<Lexicon>();
  const std::string where = rule.file + ":" + std::to_string(rule.line) + ": rule '" + rule.id + "': ";
  Status st = ReadNames(names, *lex);
  if (!st.ok()) {
    return Status::InvalidConfig(where + st.message() +
                                 (rule.names_file.empty() ? " (install Debian package libtext-names-perl)" : ""));
  }
  st = ReadWords(words, *lex);
  if (!st.ok()) {
    return Status::InvalidConfig(where + st.message() +
                                 (rule.words_file.empty() ? " (install Debian package wamerican)" : ""));
  }
  lex->Index(WordClasses());
  std::shared_ptr<const Lexicon> out = std::move(lex);
  cache[{names, words}] = out;
  return out;
}

// Given names of a rule's given_names_files that `lex` lacks and that are no
// ordinary word, no proper noun of the word list (places, months, brands:
// "Boston", "July", "Chevy") and no state or country ("Montana"): their
// Lexicon::Hash values. A table of their own, looked up only for tokens the
// lexicon does not know (a few per post), so the lexicon stays one copy for
// every rule (the places detector reads it too). Shared by the rules that read
// the same files.
using ExtraGiven = std::unordered_set<std::uint64_t>;
Result<std::shared_ptr<const ExtraGiven>> LoadExtraGiven(const Rule& rule, const Lexicon& lex) {
  if (rule.given_names_files.empty()) return std::shared_ptr<const ExtraGiven>();
  static std::mutex mu;
  static std::map<std::string, std::weak_ptr<const ExtraGiven>> cache;
  std::string key = rule.names_file + '\n' + rule.words_file;
  for (const auto& g : rule.given_names_files) key += '\n' + g;
  std::lock_guard<std::mutex> lock(mu);
  if (auto sp = cache[key].lock()) return sp;
  const std::string where = rule.file + ":" + std::to_string(rule.line) + ": rule '" + rule.id + "': ";
  std::vector<std::string> names;
  for (const auto& g : rule.given_names_files) {
    const Status st = ReadGivenNames(g, names);
    if (!st.ok()) {
      return Status::InvalidConfig(where + st.message() +
                                   " (the shipped policies name the npm package human-names, which scripts/setup.sh "
                                   "installs)");
    }
  }
  auto extra = std::make_shared<ExtraGiven>();
  for (const auto& n : names) {
    const Lexicon::Facts f = lex.Find(n);
    if (n.size() < 3 || f.given != 0 || f.surname || f.word || IsStateOrCountry(n) || n == "july") continue;
    extra->insert(Lexicon::Hash(n));
  }
  std::shared_ptr<const ExtraGiven> out = std::move(extra);
  cache[key] = out;
  return out;
}

// ---- tokens ---------------------------------------------------------------

struct Token {
  std::size_t begin;
  std::size_t end;
  std::string_view low;  // lowercase, a view into the caller's lowercased copy of the text
  bool capitalized;      // first letter upper case
  bool all_caps;         // two or more letters, all upper case
  bool dash = false;     // words joined by a hyphen ("Retterer-Moore")
  // Facts looked up once (FillFacts).
  std::uint16_t cls = 0;  // WordClass bits
  int given = 0;          // frequency rank as a given name, 0 if none
  bool surname = false;
  bool common = false;  // an ordinary word: a name only with a cue
};

// Byte classes for the tokenizer: bit 1 word byte (ASCII letter or any byte
// >= 0x80), bit 2 upper-case ASCII letter, bit 4 lower-case ASCII letter.
constexpr std::array<std::uint8_t, 256> kByteClass = [] {
  std::array<std::uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    if (c >= 'A' && c <= 'Z') t[static_cast<std::size_t>(c)] = 1 | 2;
    if (c >= 'a' && c <= 'z') t[static_cast<std::size_t>(c)] = 1 | 4;
    if (c >= 0x80) t[static_cast<std::size_t>(c)] = 1;
  }
  return t;
}();

// Per byte, its upper-case (low half) and lower-case (high half) letter count,
// so the tokenizer counts both with one add a byte.
constexpr std::array<std::uint64_t, 256> kCaseCounts = [] {
  std::array<std::uint64_t, 256> t{};
  for (int c = 'A'; c <= 'Z'; ++c) t[static_cast<std::size_t>(c)] = 1;
  for (int c = 'a'; c <= 'z'; ++c) t[static_cast<std::size_t>(c)] = std::uint64_t{1} << 32;
  return t;
}();

// `low` is `text` lowercased (ASCII); tokens' `low` views point into it.
// Also counts the ASCII letters and the upper-case ones among them.
void Tokenize(std::string_view text, std::string_view low, std::vector<Token>& out, std::size_t& letters,
              std::size_t& upper) {
  out.clear();
  const auto cls = [&](std::size_t k) { return kByteClass[static_cast<unsigned char>(text[k])]; };
  std::size_t i = 0;
  const std::size_t n = text.size();
  letters = 0;
  upper = 0;
  while (i < n) {
    if ((cls(i) & 1) == 0) {
      ++i;
      continue;
    }
    std::size_t j = i;
    std::uint64_t counts = 0;  // kCaseCounts summed over the token
    bool dash = false;
    while (j < n) {
      const std::uint8_t c = cls(j);
      if ((c & 1) != 0) {
        counts += kCaseCounts[static_cast<unsigned char>(text[j])];
        ++j;
      } else if ((text[j] == '\'' || text[j] == '-') && j + 1 < n && (cls(j + 1) & 1) != 0) {
        dash |= text[j] == '-';
        ++j;  // O'Brien, Retterer-Moore
      } else {
        break;
      }
    }
    const std::size_t upper_in = counts & 0xFFFFFFFFu;
    const std::size_t lower_in = counts >> 32;
    letters += upper_in + lower_in;
    upper += upper_in;
    // Possessive 's is not part of the name.
    std::size_t end = j;
    bool possessive = false;
    if (end - i > 2 && text[end - 2] == '\'' && (text[end - 1] == 's' || text[end - 1] == 'S')) {
      possessive = true;
      end -= 2;
    }
    // Two or more letters, none lower case (the possessive "'s" aside).
    const std::size_t lower_kept = lower_in - (possessive && text[j - 1] == 's' ? 1 : 0);
    // Built in place: a Token assembled on the stack and copied in stalled
    // on store forwarding, a fifth of this detector's time.
    out.emplace_back(Token{i, end, low.substr(i, end - i), (cls(i) & 2) != 0, end - i >= 2 && lower_kept == 0, dash, 0,
                           0, false, false});
    i = j;
  }
}

// Equality of short words, inline: std::string_view's == calls out to
// compare() and memcmp, which cost more than the words in the hot loop.
inline bool Eq(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t k = 0; k < a.size(); ++k) {
    if (a[k] != b[k]) return false;
  }
  return true;
}

// Words after a firm's or a drug's name: "Humira support", "Aetna customer service".
bool ServiceWord(std::string_view low) {
  static constexpr std::string_view kWords[] = {"support", "team",   "customer", "complete", "help",
                                                "rep",     "portal", "app",      "hotline",  "pharmacy"};
  return std::find(std::begin(kWords), std::end(kWords), low) != std::end(kWords);
}

// Between two tokens of one name: spaces only, or the full stop of an initial ("J. Smith").
bool NameGap(std::string_view text, const Token& a, const Token& b) {
  std::size_t k = a.end;
  if (a.end - a.begin == 1 && k < b.begin && text[k] == '.') ++k;
  for (; k < b.begin; ++k) {
    if (text[k] != ' ' && text[k] != '\t') return false;
  }
  return true;
}

// Only spaces (and at most one punctuation mark from `allowed`) between a and b.
bool Gap(std::string_view text, const Token& a, const Token& b, std::string_view allowed) {
  int punct = 0;
  for (std::size_t k = a.end; k < b.begin; ++k) {
    const char c = text[k];
    if (c == ' ' || c == '\t') continue;
    if (allowed.find(c) != std::string_view::npos && ++punct <= 1) continue;
    return false;
  }
  return true;
}

// After the phone label toks[k]: "#", ":", or "phone", "number", "no" ("cell# 410", "home phone: 410").
bool PhoneFollows(std::string_view text, const std::vector<Token>& toks, std::size_t k) {
  std::size_t j = toks[k].end;
  while (j < text.size() && text[j] == ' ') ++j;
  if (j < text.size() && (text[j] == '#' || text[j] == ':')) return true;
  if (k + 1 >= toks.size() || toks[k + 1].begin != j) return false;
  const std::string_view w = toks[k + 1].low;
  return w == "phone" || w == "number" || w == "no" || w == "ph";
}

// Why a token is a name: head + word + tail, e.g. "title '" "dr" "'". Kept
// as views and formatted only for the spans reported.
struct Why {
  const char* head = nullptr;  // nullptr: not a name
  std::string_view word;
  const char* tail = "";
  bool empty() const { return head == nullptr; }
  std::string str() const { return std::string(head) + std::string(word) + tail; }
};

class NameDetector final : public Detector {
 public:
  NameDetector(std::shared_ptr<const Lexicon> lex, std::shared_ptr<const ExtraGiven> extra, std::uint32_t rule,
               bool hashtags)
      : lex_(std::move(lex)), extra_(std::move(extra)), rule_(rule), hashtags_(hashtags) {}

  void Find(std::string_view text, std::vector<Candidate>& out) const override {
    if (hashtags_) {
      FindHashtags(text, out);
    } else {
      FindNames(text, out);
    }
  }

 private:
  [[gnu::always_inline]] void FillFacts(Token& t) const {
    const Lexicon::Facts facts = lex_->Find(t.low);
    t.cls = facts.cls;
    t.given = facts.given;
    t.surname = facts.surname;
    // An ordinary word, so a name only with a cue; the 300 most frequent given
    // names ("John", "Mary") are names first unless listed as ambiguous.
    if ((t.cls & (kStop | kAmbiguous)) != 0) {
      t.common = true;
    } else if (t.given != 0 && t.given <= 300) {
      t.common = false;
    } else {
      t.common = facts.word;
    }
    if (!t.common && t.given == 0 && !t.surname) Unknown(t);
  }
  // The rank of a given name of an extra list only: after every name of the
  // main list (the Census lists hold about 5,000).
  static constexpr int kExtraGivenRank = 20000;
  // A token no list holds as a given name, surname or word: a given name of an
  // extra list, a double name the lists know in parts, or word-shaped. The
  // extra lists hold rarer names, and abbreviations collide with them
  // ("PaCO2", "ABI's", "CHOLE"): they count Capitalized in mixed case
  // ("Liam"), not glued to a digit; otherwise they are unknown words, which
  // cues still name ("my son liam").
  [[gnu::noinline]] void Unknown(Token& t) const {
    if (extra_ != nullptr && t.capitalized && !t.all_caps) {
      const char* p = t.low.data();  // a view into a NUL-terminated lower-case copy
      const bool glued = AsciiIsDigit(static_cast<unsigned char>(p[t.low.size()])) ||
                         (t.begin > 0 && AsciiIsDigit(static_cast<unsigned char>(p[-1])));
      if (!glued && extra_->contains(Lexicon::Hash(t.low))) {
        t.given = kExtraGivenRank;
        return;
      }
    }
    if (t.dash && t.cls == 0) {
      const Lexicon::Facts parts = Hyphenated(t.low);
      t.given = parts.given;
      t.surname = parts.surname;
      if (t.given != 0 || t.surname) return;
    }
    // Capitalized only: that is where two unknown words made a name (a test per unknown word
    // cost 2% of a PhysioNet pass).
    t.common = WordShaped(t.low) || (t.capitalized && MedicalWord(t.low));
  }
  // A word no list knows that is still no name: a verb form ("visisted",
  // "trached", "dialized"), or words joined by a hyphen that start with an
  // ordinary word ("phoned-family", "CALLED-UPDATE"; not "Stord-Painter").
  bool WordShaped(std::string_view w) const {
    if (w.size() >= 6 && (w.ends_with("ed") || w.ends_with("ing"))) return true;
    const std::size_t dash = w.find('-');
    if (dash == std::string_view::npos || dash == 0) return false;
    const Lexicon::Facts first = lex_->Find(w.substr(0, dash));
    return first.word && first.given == 0 && !first.surname;
  }
  // A medical word the word list lacks, by its ending (no given name or surname ends so):
  // "Hidradenitis Suppurativa", "Eosinophilic Esophagitis", "Hyperemesis Gravidarum" were two
  // unknown Capitalized words, a name.
  static bool MedicalWord(std::string_view w) {
    if (w.size() < 7) return false;
    // By the last letter first: one compare for most words.
    static constexpr std::string_view kByS[] = {"itis", "osis", "iasis", "osus", "emesis"};
    static constexpr std::string_view kByA[] = {"emia",  "algia",    "plegia", "phobia", "oderma",
                                                "penia", "esthesia", "ativa",  "cardia"};
    static constexpr std::string_view kByY[] = {"pathy", "ectomy", "otomy", "ostomy", "plasty", "scopy", "trophy"};
    static constexpr std::string_view kByC[] = {"pathic", "philic", "ogenic", "olytic"};
    static constexpr std::string_view kByM[] = {"osum", "arum"};
    const auto any = [&](std::span<const std::string_view> endings) {
      for (const auto e : endings) {
        if (w.ends_with(e)) return true;
      }
      return false;
    };
    switch (w.back()) {
      case 's':
        return any(kByS);
      case 'a':
        return any(kByA);
      case 'y':
        return any(kByY);
      case 'c':
        return any(kByC);
      case 'm':
        return any(kByM);
      case 'l':
        return w.ends_with("cranial");
      default:
        return false;
    }
  }
  // A double name the lists know only in parts: "ella-rose", "jean-luc" (given names),
  // "smith-jones" (surnames). Every part a given name or a surname and no stop word, not
  // every part an ordinary word ("well-being", "long-term" are none). The facts of a given
  // name when its first part is one (that part's rank), of a surname when its last part is.
  // Out of line: only hyphenated words no list holds get here.
  [[gnu::noinline]] Lexicon::Facts Hyphenated(std::string_view w) const {
    Lexicon::Facts none;
    Lexicon::Facts first;
    Lexicon::Facts last;
    bool all_words = true;
    std::size_t parts = 0;
    for (std::size_t b = 0; b <= w.size();) {
      std::size_t e = w.find('-', b);
      if (e == std::string_view::npos) e = w.size();
      const Lexicon::Facts f = lex_->Find(w.substr(b, e - b));
      if ((f.given == 0 && !f.surname) || (f.cls & kStop) != 0 || ++parts > 3) return none;
      all_words = all_words && f.word;
      if (parts == 1) first = f;
      last = f;
      b = e + 1;
    }
    if (parts < 2 || all_words) return none;
    Lexicon::Facts out;
    out.given = first.given;
    out.surname = last.surname;
    return out;
  }
  bool ProperNoun(std::string_view w) const { return lex_->Find(w).proper; }
  // `t`, after `the`, is a surname the lists know and that is no word, with an "s" after it
  // ("hendersons"); `the` is in lower case or starts a sentence. Out of line: few tokens get here.
  [[gnu::noinline]] bool FamilyName(std::string_view text, const Token& the, const Token& t) const {
    if (t.given != 0 || t.surname || (t.cls & kStop) != 0) return false;  // "hendersons" is none itself
    if (!Gap(text, the, t, "")) return false;
    if (the.capitalized) {
      std::size_t k = the.begin;
      while (k > 0 && (text[k - 1] == ' ' || text[k - 1] == '\t')) --k;
      if (k > 0 && text[k - 1] != '.' && text[k - 1] != '!' && text[k - 1] != '?' && text[k - 1] != '\n') return false;
    }
    const Lexicon::Facts stem = lex_->Find(t.low.substr(0, t.low.size() - 1));
    return stem.surname && !stem.word && (stem.cls & kStop) == 0;
  }
  // Token i names a state or a country, alone or after "New", "North" ...
  // Out of line: few tokens are asked (each caller tests it last).
  [[gnu::noinline]] static bool StateName(std::string_view text, const std::vector<Token>& toks, std::size_t i) {
    if (IsStateOrCountry(toks[i].low)) return true;
    if (i == 0 || !NameGap(text, toks[i - 1], toks[i])) return false;
    const std::string_view p = toks[i - 1].low;
    if (!Eq(p, "new") && !Eq(p, "north") && !Eq(p, "south") && !Eq(p, "west") && !Eq(p, "rhode") && !Eq(p, "nova") &&
        !Eq(p, "northern") && !Eq(p, "western") && !Eq(p, "british")) {
      return false;
    }
    std::string pair(p);
    pair += ' ';
    pair += toks[i].low;
    return IsStateOrCountry(pair);
  }
  static bool Stop(const Token& t) { return (t.cls & kStop) != 0; }
  bool IsWord(const std::string& w) const { return lex_->Find(w).word; }
  static bool Given(const Token& t) { return t.given != 0; }
  static bool Surname(const Token& t) { return t.surname; }
  // Surnames of two letters that are also words or abbreviations ("ng" is
  // nasogastric, "do" and "to" are verbs and prepositions).
  static bool ShortSurname(const Token& t) {
    static constexpr std::string_view kShort[] = {"ng", "le", "do", "ho", "lo", "ly", "vo", "ta",
                                                  "ma", "li", "lu", "xu", "yu", "hu", "wu", "ko"};
    return t.low.size() == 2 && std::find(std::begin(kShort), std::end(kShort), t.low) != std::end(kShort);
  }
  // A generic drug's name by its stem ("Thanks Sarah and Gabapentin"): the endings the
  // naming councils give classes of drugs. No given name ends so.
  static bool DrugStem(std::string_view w) {
    static constexpr std::string_view kStems[] = {
        "mab",     "nib",      "olol",   "pril",   "sartan",  "statin",  "azole",   "cillin",  "mycin",   "floxacin",
        "prazole", "tidine",   "zepam",  "zolam",  "triptan", "gliptin", "flozin",  "glutide", "pentin",  "vir",
        "lukast",  "parin",    "xaban",  "gatran", "olone",   "isone",   "tyline",  "oxetine", "afil",    "setron",
        "dipine",  "thiazide", "semide", "profen", "fenac",   "caine",   "trexate", "oxacin",  "dronate", "tropium"};
    if (w.size() < 6) return false;
    for (const auto e : kStems) {
      if (w.ends_with(e)) return true;
    }
    return false;
  }
  static bool PluralRelation(const Token& t) {
    return std::find(std::begin(kPluralRelations), std::end(kPluralRelations), t.low) != std::end(kPluralRelations);
  }
  // After toks[k] a list goes on: a comma, "&" or "and" ("Aiyana and", "Jaxon, Kai").
  static bool ListGoesOn(std::string_view text, const std::vector<Token>& toks, std::size_t k) {
    std::size_t a = toks[k].end;
    while (a < text.size() && text[a] == ' ') ++a;
    if (a < text.size() && (text[a] == ',' || text[a] == '&')) return true;
    return k + 1 < toks.size() && Eq(toks[k + 1].low, "and") && Gap(text, toks[k], toks[k + 1], "");
  }
  // A weak title that is a noun for a carer (kCarerTitles).
  static bool CarerTitle(const Token& t) {
    return std::find(std::begin(kCarerTitles), std::end(kCarerTitles), t.low) != std::end(kCarerTitles);
  }
  // A carer named in apposition after a possessive or "the": "our nurse, Kwame, said", "my
  // therapist (Ngozi) helps" (toks[i] is the carer's word). The comma or the bracket must close
  // after the name, so most lists stay ("tried physio, Pilates and yoga"); one that goes on by
  // commas after a possessive does not ("my physio, Pilates, yoga": Pilates is no word the
  // lists know).
  [[gnu::noinline]] static bool CarerApposition(std::string_view text, const std::vector<Token>& toks, std::size_t i) {
    if (i == 0 || i + 1 >= toks.size() || !CarerTitle(toks[i])) return false;
    const std::string_view before = toks[i - 1].low;
    if (before != "my" && before != "our" && before != "his" && before != "her" && before != "their" &&
        before != "your" && before != "the") {
      return false;
    }
    const Token& name = toks[i + 1];
    if (CueWord(name)) return false;  // "our pharmacist, Mr. Oyelaran,": the title cues the name
    std::size_t k = toks[i].end;
    while (k < name.begin && text[k] == ' ') ++k;
    if (k >= name.begin || (text[k] != ',' && text[k] != '(')) return false;
    const char open = text[k];
    for (++k; k < name.begin; ++k) {
      if (text[k] != ' ') return false;
    }
    std::size_t e = name.end;
    while (e < text.size() && text[e] == ' ') ++e;
    if (open == '(') return e < text.size() && text[e] == ')';
    return e == text.size() || text[e] == ',' || text[e] == '.' || text[e] == '!' || text[e] == '?' || text[e] == ';';
  }
  // A title, a relation or a credential: a word that cues a name, never one.
  static bool CueWord(const Token& t) { return (t.cls & (kTitle | kWeakTitle | kRelation | kCredential)) != 0; }
  static bool Common(const Token& t) { return t.common; }
  static bool Dictionary(const Token& t) { return (Given(t) || Surname(t)) && !Common(t); }
  static bool Is(const Token& t, WordClass c) { return (t.cls & c) != 0; }

  // Token i is "here" after a self-introduction by name, in mixed or lower-case text (the
  // rule in FindNames says which). Out of line: FindNames is one large loop, and this block
  // inline in it cost 2-4% of a pass on the synthetic posts, though it runs only at "here".
  [[gnu::noinline]] bool IntroducedBeforeHere(std::string_view text, const std::vector<Token>& toks,
                                              std::size_t i) const {
    const Token& t = toks[i];
    const Token& w = toks[i - 1];
    std::size_t k = t.end;
    while (k < text.size() && text[k] == ' ') ++k;
    const bool ends = k == text.size() || text[k] == ',' || text[k] == '.' || text[k] == '!' || text[k] == '\n' ||
                      text[k] == ':' || text[k] == ';' || text[k] == '-' || text[k] == '(';
    if (!ends || !Gap(text, w, t, "") || !w.capitalized || w.all_caps || Stop(w) || Is(w, kFunction) ||
        w.low.size() < 2) {
      return false;
    }
    if (i >= 2) {
      const std::string_view gap = text.substr(toks[i - 2].end, w.begin - toks[i - 2].end);
      if (gap.find_first_of(",.!?:;\n") == std::string_view::npos) return false;  // not a sentence's start
    }
    if (Dictionary(w) && Given(w)) return true;
    std::size_t a = k;  // an age after: "Priya here, 29F", "Jessamyn here (34F)"
    if (a < text.size() && (text[a] == ',' || text[a] == '(')) ++a;
    while (a < text.size() && text[a] == ' ') ++a;
    const bool age_after = a < text.size() && AsciiIsDigit(static_cast<unsigned char>(text[a]));
    return !Common(w) && !Given(w) && !Surname(w) && age_after && !ProperNoun(w.low);
  }

  void FindNames(std::string_view text, std::vector<Candidate>& out) const {
    // Per-thread scratch: most posts are short, and allocating these for each
    // one cost more than the work.
    thread_local std::string low;
    thread_local std::vector<Token> toks;
    thread_local std::vector<Why> why;
    low.assign(text);
    for (char& c : low) c = AsciiToLower(static_cast<unsigned char>(c));
    // The copy is of post text: overwrite it when done, whatever the path out.
    struct Wipe {
      std::string& s;
      ~Wipe() { std::fill(s.begin(), s.end(), '\0'); }
    } wipe{low};
    std::size_t letters = 0;
    std::size_t upper = 0;
    Tokenize(text, low, toks, letters, upper);
    if (toks.empty()) return;
    for (Token& t : toks) FillFacts(t);
    // "DAUGHTER-KRISSY", "son-John": a relation or title joined to a name by a
    // hyphen is two tokens.
    for (std::size_t i = 0; i < toks.size(); ++i) {
      if (!toks[i].dash) continue;
      const std::size_t dash = toks[i].low.find('-');
      if (dash == std::string_view::npos || dash == 0 || dash + 1 >= toks[i].low.size()) continue;
      if (toks[i].low.substr(dash + 1).starts_with("in")) continue;  // "son-in-law", "son-inlaw"
      Token head = toks[i];
      head.low = head.low.substr(0, dash);
      head.end = head.begin + dash;
      head.dash = false;
      FillFacts(head);
      if ((head.cls & (kRelation | kTitle)) == 0) continue;
      Token tail = toks[i];
      tail.begin = head.end + 1;
      tail.low = tail.low.substr(dash + 1);
      tail.dash = tail.low.find('-') != std::string_view::npos;
      tail.capitalized = AsciiIsUpper(static_cast<unsigned char>(text[tail.begin])) != 0;
      FillFacts(tail);
      toks[i] = head;
      toks.insert(toks.begin() + static_cast<std::ptrdiff_t>(i) + 1, tail);
    }
    // The token list is final from here on: its size, read once.
    const std::size_t nt = toks.size();
    // In ALL-CAPS text capitalization says nothing.
    const bool caps_text = letters > 20 && upper * 10 >= letters * 8;
    // In text written almost all in lower case ("social: lives w/ wife
    // suzette"), the shape says nothing either.
    const bool lower_text = letters > 20 && upper * 50 < letters;
    // Name-shaped: in mixed-case text "Smith" (a short ALL-CAPS word is an
    // abbreviation: "PSV", "MAE"); in ALL-CAPS text any all-caps word.
    const auto shaped = [&](const Token& t) {
      if (caps_text) return t.all_caps;
      return t.capitalized && !(t.all_caps && t.end - t.begin <= 4);
    };
    const auto function_word = [&](const Token& t) { return Is(t, kFunction); };
    // A plausible name token right after a strong cue ("Dr Will Cole", "dr. pica", "son WILLIAM").
    const auto after_cue = [&](const Token& t) {
      if (function_word(t) || t.low.size() < 2) return false;
      if (!caps_text && t.capitalized && !t.all_caps) return true;
      if (Stop(t)) return false;
      return Given(t) || Surname(t) || !Common(t);
    };
    // A token continuing a name ("John *Smith*").
    const auto continues = [&](const Token& t) {
      if (Stop(t) || t.low.size() < 2) return false;
      if (caps_text) return Dictionary(t) || (!Common(t) && t.all_caps);
      // Lower-case notes: a known name that is no ordinary word ("son don reid").
      return (t.capitalized && (!Common(t) || Given(t) || Surname(t))) || Dictionary(t);
    };

    // In mixed case, a short ALL-CAPS word that is no given name after a relation: an
    // abbreviation ("two children PTA", "our son (DOB 7/19/2011)", "my daughter (ASD, 6)"),
    // not a name; two letters only after a bracket (initials: "my son JJ").
    const auto abbreviation_after = [&](const Token& cue, const Token& w) {
      return !caps_text && w.all_caps && w.end - w.begin <= 4 && !Given(w) &&
             (w.end - w.begin >= 3 || text.substr(cue.end, w.begin - cue.end).find('(') != std::string_view::npos);
    };
    // An initial right before token i: "E. Welsh", "q. lander".
    const auto initial_before = [&](std::size_t i) {
      if (i == 0) return false;
      const Token& p = toks[i - 1];
      return p.end - p.begin == 1 && p.end < text.size() && text[p.end] == '.' && NameGap(text, p, toks[i]);
    };

    why.clear();
    why.resize(nt);
    const auto mark = [&](std::size_t i, const Why& reason) {
      if (why[i].empty()) why[i] = reason;
    };
    // A surname no list knows after a given name: "dr. john bowman", "mary souza".
    // A surname that is also a word counts when it owns something: "at jenny
    // smith's house" (not "jenny smith"; "jenny" is then a name by itself).
    const auto surname_after_given = [&](std::size_t k) {
      const Token& t = toks[k];
      const bool owner = t.end + 1 < text.size() && text[t.end] == '\'' && (text[t.end + 1] | 0x20) == 's';
      return k >= 1 && Given(toks[k - 1]) && !Common(toks[k - 1]) && !t.capitalized &&
             (!Common(t) || (owner && Surname(t))) && !Stop(t) && !function_word(t) && t.low.size() >= 5 &&
             NameGap(text, toks[k - 1], t);
    };
    // In mixed case, a Capitalized word right after a known given name is its
    // surname even when it is also a word ("Rita Hickey", "Ann Baker").
    // So is a short surname that is also a function word or an abbreviation
    // ("Sarah Ng", "Linh Le", "Kevin Do", "Amy Ho"), Capitalized in mixed case.
    const auto capitalized_after_given = [&](std::size_t k) {
      const Token& t = toks[k];
      if (caps_text || k == 0 || !Given(toks[k - 1]) || Common(toks[k - 1]) || !t.capitalized || t.all_caps) {
        return false;
      }
      if (ShortSurname(t)) return true;
      return !Stop(t) && !function_word(t) && t.low.size() >= 3;
    };
    const auto extend = [&](std::size_t i, const Why& reason) {
      for (std::size_t k = i + 1; k < nt && k <= i + 2; ++k) {
        if (!NameGap(text, toks[k - 1], toks[k]) ||
            !(continues(toks[k]) || surname_after_given(k) || capitalized_after_given(k))) {
          break;
        }
        mark(k, reason);
      }
    };

    for (std::size_t i = 0; i < nt; ++i) {
      const Token& t = toks[i];
      // Cues before a name: titles and credentials, relations, verbs, greetings.
      if (i + 1 < nt) {
        std::size_t n = i + 1;
        // "Dr. J. Smith": skip one initial after a title.
        // "tl;dr" ends in no title.
        const bool title = Is(t, kTitle) && !(t.begin > 0 && text[t.begin - 1] == ';');
        const bool weak_title = Is(t, kWeakTitle);
        if ((title || weak_title) && n + 1 < nt && toks[n].end - toks[n].begin == 1 &&
            NameGap(text, toks[n], toks[n + 1])) {
          ++n;
        }
        const Token& next = toks[n];
        // "significant other charlie" is a relation too.
        const auto significant_other = [&] {
          return Eq(t.low, "other") && i >= 1 && Eq(toks[i - 1].low, "significant");
        };
        // "my mother in law, Philippa,": "law" after "in" and a relation is the relation.
        const auto in_law = [&] {
          return (Eq(t.low, "law") || Eq(t.low, "in-law")) && i >= 2 && Eq(toks[i - 1].low, "in") &&
                 Is(toks[i - 2], kRelation);
        };
        // The gap is measured to the initial when one was skipped ("Dr B Muse").
        const Token& first = toks[i + 1];
        const auto title_mark = [&] {
          const Why why_title{"title '", t.low, "'"};
          if (n != i + 1) mark(i + 1, why_title);  // the initial
          mark(n, why_title);
          extend(n, why_title);
          // "dr. john bowman": after a title and a given name, a surname the
          // lists know counts even when it is also a word.
          if (Given(next) && n + 1 < nt && NameGap(text, next, toks[n + 1]) && Surname(toks[n + 1]) &&
              !Stop(toks[n + 1]) && !function_word(toks[n + 1])) {
            mark(n + 1, why_title);
          }
          // "Drs Ferullo and Saeed": a second name joined by "and" or "&".
          std::size_t k = n + 1;
          if (k < nt && Eq(toks[k].low, "and")) {
            ++k;
          } else if (k >= nt || text.substr(next.end, toks[k].begin - next.end).find('&') == std::string_view::npos) {
            k = nt;
          }
          if (k < nt && title) {
            const Token& second = toks[k];
            // After "Drs" the plural says a second name follows; after "Dr" it
            // must be a known name ("Dr Ronayne and hydralazine" is no name).
            if (!Stop(second) && !function_word(second) && second.low.size() >= 3 &&
                ((Eq(t.low, "drs") && shaped(second) && !Common(second)) || Dictionary(second))) {
              mark(k, why_title);
            }
          }
        };
        // After a strong title any word but a function or stop word is a name
        // ("DR TYRO", "dr. pica"); "Dr aware", "Dr's orders" are not.
        // MR and MS are also mitral regurgitation and mental status: there
        // the next word must look like a name.
        // Not "doctor" written out: "my doctor thinks", "doctor visits" (there the next word must
        // look like a name, after_cue). Nor an ordinary word after "dr" without its full stop in
        // mixed or lower case: "my dr thinks", "dr prescribed" (but "dr. pica", "DR TYRO").
        const bool doctor = title && (Eq(t.low, "dr") || Eq(t.low, "drs"));
        const bool doctor_any_word =
            doctor && (caps_text || !Common(next) || (t.end < text.size() && text[t.end] == '.'));
        if (title && Gap(text, t, first, ".,:'") &&
            (after_cue(next) || (doctor_any_word && Gap(text, t, first, ".") && !function_word(next) && !Stop(next) &&
                                 next.low.size() >= 2))) {
          title_mark();
        } else if (weak_title && !caps_text && (Gap(text, t, first, ".") || CarerApposition(text, toks, i)) &&
                   !function_word(next) && !Stop(next) &&
                   ((shaped(next) &&
                     (t.capitalized || t.all_caps || Eq(t.low, "md") || Eq(t.low, "np") || CarerTitle(t)) &&
                     (!Common(next) || Given(next) || Surname(next))) ||
                    (!next.capitalized && Dictionary(next)))) {
          // "Nurse Hale", "per md Saeed", lower-case "nurse leslie kiezulas"; "Our nurse, Kwame, said",
          // "my therapist (Ngozi) helps".
          title_mark();
        } else if (weak_title && caps_text && !Eq(t.low, "pa") && Gap(text, t, first, ".,:") && !Stop(next) &&
                   !function_word(next) &&
                   (Dictionary(next) || Given(next) || (Eq(t.low, "md") && Surname(next)) ||
                    ((!Eq(t.low, "ms") || !Eq(next.low, "contin")) && Gap(text, t, first, "") && !Common(next) &&
                     next.low.size() >= 4))) {
          title_mark();  // "NP CAROL", "HO SCHWARZ" in ALL-CAPS notes
        } else if (title && first.end - first.begin == 1 &&
                   AsciiIsUpper(static_cast<unsigned char>(text[first.begin])) && Gap(text, t, first, ".") &&
                   (first.low != "i" || Eq(t.low, "mr") || Eq(t.low, "mrs")) && first.low != "a") {
          // A name given by its initial alone: "Dr. K said", "mr I remained"
          // (not "my dr I think"; an "A" after a title is too often an article).
          mark(i + 1, Why{"title '", t.low, "'"});
        } else if ((Is(t, kRelation) || significant_other() || in_law()) && Gap(text, t, next, ",:-(\"") &&
                   (text[t.end] != '"') && after_cue(next) &&
                   !Is(next, static_cast<WordClass>(kRelation | kTitle | kWeakTitle)) &&
                   (Given(next) || Surname(next) || shaped(next) || !Common(next)) && !abbreviation_after(t, next) &&
                   (!PluralRelation(t) || ListGoesOn(text, toks, n))) {
          mark(n, Why{"relation '", t.low, "'"});
          extend(n, Why{"relation '", t.low, "'"});
        } else if (Eq(t.low, "named") && !caps_text && n + 1 < nt &&
                   (Eq(next.low, "her") || Eq(next.low, "him") || Eq(next.low, "them")) && Gap(text, t, next, "") &&
                   Gap(text, next, toks[n + 1], "") && toks[n + 1].capitalized && !toks[n + 1].all_caps &&
                   !Stop(toks[n + 1]) && !function_word(toks[n + 1]) && toks[n + 1].low.size() >= 2) {
          // "we named her Juniper": a Capitalized word, even an ordinary one.
          mark(n + 1, Why{"after '", t.low, "'"});
          extend(n + 1, Why{"after '", t.low, "'"});
        } else if (Is(t, kVerb) && Gap(text, t, next, "") && !Stop(next) &&
                   (Dictionary(next) || (Given(next) && !caps_text && next.capitalized && !next.all_caps &&
                                         (!Is(next, kAmbiguous) || !(Eq(t.low, "with") || Eq(t.low, "and") ||
                                                                     Eq(t.low, "by") || Eq(t.low, "per"))))) &&
                   (shaped(next) || !caps_text)) {
          // A Capitalized given name after the cue counts even when it is a
          // word too ("with Carol"); one that is mostly a word ("Rob", "Hope")
          // only after a verb of contact ("reach Rob", not "with Hope").
          mark(n, Why{"after '", t.low, "'"});
          extend(n, Why{"after '", t.low, "'"});
        } else if (Is(t, kVerb) && Gap(text, t, next, "") && !Stop(next) && Given(next) && n + 1 < nt &&
                   NameGap(text, next, toks[n + 1]) && !Stop(toks[n + 1]) && !function_word(toks[n + 1]) &&
                   (Surname(toks[n + 1]) || (!Common(toks[n + 1]) && toks[n + 1].low.size() >= 4))) {
          // A given name that is also a word, then a surname: "per carol wolfe".
          mark(n, Why{"after '", t.low, "'"});
          mark(n + 1, Why{"after '", t.low, "'"});
        } else if (Is(t, kVerb) && !caps_text && next.capitalized && !next.all_caps && Gap(text, t, next, "") &&
                   !Common(next) && !Stop(next) && next.low.size() >= 3 &&
                   (Eq(t.low, "texted") || Eq(t.low, "messaged") || Eq(t.low, "emailed") || Eq(t.low, "dm'd")) &&
                   !(n + 1 < nt && ServiceWord(toks[n + 1].low))) {
          // A Capitalized word no list knows after a verb of writing to
          // someone: "messaged Priyanka" ("called" is left out: "called Aetna";
          // so is a firm's service: "emailed Humira support").
          mark(n, Why{"after '", t.low, "'"});
          extend(n, Why{"after '", t.low, "'"});
        } else if (Is(t, kVerb) && next.end - next.begin == 1 && Gap(text, t, next, "") && n + 1 < nt &&
                   NameGap(text, next, toks[n + 1]) && Surname(toks[n + 1]) && !Stop(toks[n + 1]) &&
                   !function_word(toks[n + 1]) && !Eq(next.low, "a") && !Eq(next.low, "i") && !Eq(next.low, "x")) {
          // An initial without its full stop, then a surname: "per d ross".
          mark(n, Why{"after '", t.low, "'"});
          mark(n + 1, Why{"after '", t.low, "'"});
        } else if (Is(t, kGreeting)) {
          std::size_t k = n;
          const auto filler = [&](const Token& w) {
            return std::find(std::begin(kGreetingFillers), std::end(kGreetingFillers), w.low) !=
                   std::end(kGreetingFillers);
          };
          while (k + 1 < nt && k < n + 3 && filler(toks[k]) && Gap(text, toks[k - 1], toks[k], "")) ++k;
          const Token& w = toks[k];
          // Capitalized as a name, or in lower case a given name that is no word ("ty jenny");
          // not a state or a country that is no given name ("Thanks, Texas").
          if (Gap(text, toks[k - 1], w, ",") && !Stop(w) &&
              ((shaped(w) && (!Common(w) || Given(w))) ||
               (!caps_text && !w.capitalized && Dictionary(w) && Given(w))) &&
              (Given(w) || !StateName(text, toks, k))) {
            mark(k, Why{"greeting '", t.low, "'"});
          }
        }
      }
      // "my name is Sarah", "her name's grace", "name: Bob Jones": the word after is a name in any
      // case (a given name or surname, or no ordinary word).
      if (Is(t, kNameWord) && i + 1 < nt) {
        std::size_t k = i + 1;
        const std::string_view gap = text.substr(t.end, toks[k].begin - t.end);
        const bool is = (Eq(toks[k].low, "is") || Eq(toks[k].low, "was")) && Gap(text, t, toks[k], "");
        if (is && k + 1 < nt) ++k;
        // Normalisation made "name’s" "name's"; the tokenizer keeps the "'s" out of the token.
        // Only spaces after the "'s" or ":": in the residual scan a masked replacement
        // ("name's \x1a\x1a btw") must not hand the cue to the word after it.
        std::size_t after = std::string_view::npos;  // where the gap goes on after "'s" or ":"
        if (gap.starts_with("'s ")) {
          after = 3;
        } else if (gap.starts_with(":")) {
          after = 1;
        }
        const bool cue =
            is || (after != std::string_view::npos && gap.find_first_not_of(" \t", after) == std::string_view::npos);
        const Token& w = toks[k];
        if (cue && k > i + (is ? 1 : 0) && !Stop(w) && !function_word(w) && w.low.size() >= 2 && after_cue(w) &&
            (!is || Gap(text, toks[k - 1], w, ""))) {
          mark(k, Why{"after 'name", {}, "'"});
          extend(k, Why{"after 'name", {}, "'"});
        }
      }
      // Self-introductions: "Hi I'm Priya, 29", "I am Oluwaseun from Lagos", "i'm karen". The
      // word after is a given name the lists know, or a Capitalized word that is none and is
      // followed by an age or "from"/"here" and no proper noun of the word list: "I'm Canadian,
      // 45", "I'm Type 1" stay.
      // Stop words both: one bit test for most tokens.
      if (Stop(t) && i + 1 < nt && (Eq(t.low, "i'm") || (Eq(t.low, "am") && i >= 1 && Eq(toks[i - 1].low, "i")))) {
        const Token& w = toks[i + 1];
        const auto introduced = [&] {
          std::size_t k = w.end;
          if (k < text.size() && (text[k] == ',' || text[k] == ' ')) ++k;
          while (k < text.size() && text[k] == ' ') ++k;
          if (k < text.size() && text[k] == '(') ++k;
          if (k < text.size() && AsciiIsDigit(static_cast<unsigned char>(text[k]))) return true;
          return i + 2 < nt && (Eq(toks[i + 2].low, "from") || Eq(toks[i + 2].low, "here")) &&
                 Gap(text, w, toks[i + 2], ",");
        };
        if (Gap(text, t, w, "") && !Stop(w) && !function_word(w) && w.low.size() >= 2 && !w.dash &&
            ((Dictionary(w) && Given(w)) ||
             (shaped(w) && !caps_text && !Common(w) && introduced() && !ProperNoun(w.low)))) {
          mark(i + 1, Why{"after '", t.low, "'"});
          extend(i + 1, Why{"after '", t.low, "'"});
        }
      }
      // The writer's name in brackets after "I": "I (Kwame) have had RA since 2015"; a name
      // the lists know, or a Capitalized word that is none ("I (Tash) ..."; not "I (F34)").
      if (Stop(t) && t.capitalized && t.end - t.begin == 1 && Eq(t.low, "i") && i + 1 < nt && !caps_text) {
        const Token& w = toks[i + 1];
        if (Gap(text, t, w, "(") && text[w.begin - 1] == '(' && w.end < text.size() && text[w.end] == ')' &&
            shaped(w) && !Stop(w) && !function_word(w) && w.low.size() >= 2 && (Given(w) || !Common(w)) &&
            !CueWord(w)) {
          mark(i + 1, Why{"in brackets after 'I'", {}, ""});
        }
      }
      // A self-introduction by name then "here", starting a sentence or after a greeting's
      // comma: "Hi everyone, Priya here, 29F", "Mike here." A given name the lists know, or a
      // Capitalized word that is none and no proper noun of the word list with an age after
      // ("Priya here, 29F"): "Newbie here!", "Spoonie here, diagnosed 2019" stay.
      if (Is(t, kHere) && i >= 1 && !caps_text && IntroducedBeforeHere(text, toks, i)) {
        mark(i - 1, Why{"before '", t.low, "'"});
      }
      // Credentials after a name: "Marie Munroe, RN", "Painter MD", "Hank (son)",
      // "DICK CUCCHIARA (RESIDENT)".
      const auto role = [](const Token& w) { return Is(w, kRole); };
      if (i + 1 < nt && Is(toks[i + 1], static_cast<WordClass>(kCredential | kRelation | kRole))) {
        const Token& next = toks[i + 1];
        // In all-caps text every word looks like a name: there the word must
        // be one the dictionaries know ("NIPRIDE, MD'S AWARE" is no name).
        const bool credential = Is(next, kCredential) && Gap(text, t, next, ",") &&
                                (next.all_caps || next.capitalized || !Common(t) || initial_before(i)) &&
                                (!caps_text || Given(t) || Surname(t) || initial_before(i));
        bool paren = false;
        if ((Is(next, kRelation) || role(next)) && next.begin >= 1) {
          std::size_t k = t.end;
          while (k < next.begin && text[k] == ' ') ++k;
          paren = k < next.begin && text[k] == '(' && next.end < text.size() && text[next.end] == ')';
        }
        if ((credential || paren) && !Stop(t) && !function_word(t) && t.low.size() >= 2 &&
            (!Common(t) || Given(t) || Surname(t) || initial_before(i))) {
          const Why reason{credential ? "credential '" : "relation '(", next.low, credential ? "'" : ")'"};
          mark(i, reason);
          // The given name or initial before: "irene snell, rn", "q. lander rrt",
          // and a given name before that initial: "barbara j. parrilli bsn".
          if (i >= 1 && NameGap(text, toks[i - 1], t) &&
              (continues(toks[i - 1]) || Given(toks[i - 1]) || toks[i - 1].end - toks[i - 1].begin == 1)) {
            mark(i - 1, reason);
            if (toks[i - 1].end - toks[i - 1].begin == 1 && i >= 2 && Given(toks[i - 2]) && !Stop(toks[i - 2]) &&
                NameGap(text, toks[i - 2], toks[i - 1])) {
              mark(i - 2, reason);
            }
          }
        }
      }
      // Told: "E. WELSH AWARE", "HO Falco notified", "grace dudak aware".
      // "DJURIC MADE AWARE": the told word after "made".
      const std::size_t told = i + 2 < nt && Eq(toks[i + 1].low, "made") ? i + 2 : i + 1;
      // "J SMITH ORDERED": after an initial and a surname, "ordered" says a
      // doctor too (after one word alone it is a drug: "HALDOL ORDERED").
      const auto bare_initial = [&] {
        return i >= 1 && toks[i - 1].end - toks[i - 1].begin == 1 && toks[i - 1].capitalized &&
               (toks[i - 1].begin == 0 || text[toks[i - 1].begin - 1] == ' ') && Gap(text, toks[i - 1], t, "") &&
               Surname(t);
      };
      if (told < nt && (Is(toks[told], kToldAfter) || (Eq(toks[told].low, "ordered") && bare_initial())) &&
          Gap(text, t, toks[i + 1], "") && !Stop(t) && !t.dash && !function_word(t) && t.low.size() >= 3 &&
          (Dictionary(t) || (shaped(t) && !Common(t)) || initial_before(i) || surname_after_given(i) ||
           bare_initial() ||
           (i >= 1 && Given(toks[i - 1]) && !Common(t) && t.low.size() >= 4 && NameGap(text, toks[i - 1], t)) ||
           (i >= 1 && Is(toks[i - 1], static_cast<WordClass>(kTitle | kWeakTitle)) && Gap(text, toks[i - 1], t, ".") &&
            (Given(t) || Surname(t) || !Common(t))))) {
        const Why reason{"before '", toks[told].low, "'"};
        mark(i, reason);
        if (i >= 1 && NameGap(text, toks[i - 1], t) &&
            ((toks[i - 1].end - toks[i - 1].begin == 1 && toks[i - 1].capitalized) || Given(toks[i - 1]))) {
          mark(i - 1, reason);
        }
      }
      // A name before a phone label: "Lopie Certusi cell# 410-...", "Diaz home phone: ...". One
      // word alone must be a known name ("Verizon cell#" is a carrier). Tested on the label, so
      // the common case costs one bit test.
      if (Is(t, kPhoneLabel) && i >= 1 && PhoneFollows(text, toks, i)) {
        const std::size_t k = i - 1;  // the name's last word
        const Token& name = toks[k];
        if (Gap(text, name, t, "") && shaped(name) && !Stop(name) && !function_word(name) && name.low.size() >= 3 &&
            (!Common(name) || Dictionary(name))) {
          const bool given_before = k >= 1 && NameGap(text, toks[k - 1], name) && shaped(toks[k - 1]) &&
                                    !function_word(toks[k - 1]) && continues(toks[k - 1]);
          if (given_before || Dictionary(name)) {
            const Why reason{"before '", t.low, "'"};
            mark(k, reason);
            if (given_before) mark(k - 1, reason);
          }
        }
      }
      // "so jessica said", "mike texted me": in any case, a name the lists know and that is no word,
      // not after an article ("the tia said"). Tested on the verb: one bit test for most tokens.
      if (Is(t, kSpeech) && i >= 1) {
        const std::size_t k = i - 1;
        const Token& w = toks[k];
        const auto article = [&](const Token& a) {
          return Eq(a.low, "the") || Eq(a.low, "a") || Eq(a.low, "an") || Eq(a.low, "this") || Eq(a.low, "that");
        };
        if (Dictionary(w) && !Stop(w) && !function_word(w) && !CueWord(w) && w.low.size() >= 3 && Gap(text, w, t, "") &&
            (k == 0 || !article(toks[k - 1]))) {
          mark(k, Why{"before '", t.low, "'"});
        }
      }
      // "lorrie morales is a 70 yr old ...": the subject of an age statement.
      if (i + 3 < nt && Eq(toks[i + 1].low, "is") && (Eq(toks[i + 2].low, "a") || Eq(toks[i + 2].low, "an")) &&
          (Eq(toks[i + 3].low, "yr") || Eq(toks[i + 3].low, "yo") || Eq(toks[i + 3].low, "y") ||
           Eq(toks[i + 3].low, "year") || Eq(toks[i + 3].low, "years") || Eq(toks[i + 3].low, "yrs")) &&
          text.substr(toks[i + 2].end, toks[i + 3].begin - toks[i + 2].end).find_first_of("0123456789") !=
              std::string_view::npos &&
          !Stop(t) && !function_word(t) && !CueWord(t) && t.low.size() >= 2 && (!Common(t) || Given(t) || Surname(t))) {
        const Why reason{"before 'is a", {}, " ... old'"};
        mark(i, reason);
        if (i >= 1 && NameGap(text, toks[i - 1], t) && (continues(toks[i - 1]) || Given(toks[i - 1]))) {
          mark(i - 1, reason);
        }
      }
      // Initial and surname: "B. KARGAS", "N. Grandone". The initial stands
      // alone after a space or a bracket: not the end of "90'S.", "N/V.",
      // "150K.", "C/D/I.".
      const auto alone = [&](std::size_t b) {
        return b == 0 || text[b - 1] == ' ' || text[b - 1] == '\t' || text[b - 1] == '\n' || text[b - 1] == '(' ||
               text[b - 1] == ',' || text[b - 1] == ';';
      };
      // Lower-case notes write initials in lower case too ("d. renna"), but
      // so are species ("e. coli", "s. aureus") and "a. fib": there the
      // surname must be one a list knows, or the name must come after a
      // bracket or "and".
      const auto species = [](const Token& w) {
        static constexpr std::string_view kSpecies[] = {
            "coli",       "aureus",     "diff",      "difficile",   "pylori",   "pneumoniae",
            "aeruginosa", "faecalis",   "faecium",   "epidermidis", "albicans", "glabrata",
            "cloacae",    "marcescens", "mirabilis", "fib",         "flutter"};
        return std::find(std::begin(kSpecies), std::end(kSpecies), w.low) != std::end(kSpecies);
      };
      const bool lower_initial =
          t.end - t.begin == 1 && !t.capitalized && !caps_text && i + 1 < nt && !toks[i + 1].capitalized &&
          !species(toks[i + 1]) &&
          (Surname(toks[i + 1]) || (t.begin > 0 && text[t.begin - 1] == '(') || (i >= 1 && Eq(toks[i - 1].low, "and")));
      if (t.end - t.begin == 1 && (t.capitalized || lower_initial) && i + 1 < nt && t.end < text.size() &&
          text[t.end] == '.' && alone(t.begin) && Gap(text, t, toks[i + 1], ".")) {
        const Token& next = toks[i + 1];
        // After a cue ("AS PER E. WELSH") the surname may be a word too.
        const bool cued = i >= 1 && Is(toks[i - 1], static_cast<WordClass>(kVerb | kTitle | kWeakTitle));
        if ((shaped(next) || !caps_text || lower_initial) && next.low.size() >= 3 && !Stop(next) &&
            !function_word(next) && (!Common(next) || Surname(next) || cued)) {
          mark(i, Why{"initial", {}, ""});
          mark(i + 1, Why{"initial", {}, ""});
        }
      }
      // Mid-sentence in mixed case, two Capitalized words that no list knows
      // (no word, no given name, no surname) name someone: "spoken with Radu
      // Crosson". Not after a sentence start, where any word is Capitalized.
      if (!caps_text && t.capitalized && !t.all_caps && i + 1 < nt && toks[i + 1].capitalized &&
          NameGap(text, t, toks[i + 1])) {
        const auto unknown_capitalized = [&](const Token& w) {
          return w.capitalized && !w.all_caps && !Common(w) && !Given(w) && !Surname(w) && !Stop(w) &&
                 !function_word(w) && w.low.size() >= 3 && (w.cls & ~kParticle) == 0 && !w.dash;
        };
        const auto sentence_start = [&] {
          std::size_t k = t.begin;
          while (k > 0 && (text[k - 1] == ' ' || text[k - 1] == '\t')) --k;
          return k == 0 || text[k - 1] == '.' || text[k - 1] == '!' || text[k - 1] == '?' || text[k - 1] == ':' ||
                 text[k - 1] == '\n' || text[k - 1] == '"' || text[k - 1] == '-' || text[k - 1] == '(' ||
                 text[k - 1] == ';';
        };
        if (unknown_capitalized(t) && unknown_capitalized(toks[i + 1]) && !sentence_start()) {
          mark(i, Why{"capitalized pair", {}, ""});
          mark(i + 1, Why{"capitalized pair", {}, ""});
        }
      }
      // A lower-case given name that is no ordinary word, then a word no list
      // knows: "patty hoeller", "leslie kiezulas" (lower-case notes).
      if (i + 1 < nt && !t.capitalized && Given(t) && !Common(t) && t.low.size() >= 4 && surname_after_given(i + 1)) {
        mark(i, Why{"given name and surname", {}, ""});
        mark(i + 1, Why{"given name and surname", {}, ""});
      }
      // A family by its surname in the plural, after "the": "we're the Hendersons", "The
      // Jacksons were kind" (not "the Browns": a surname that is also a word; nor a title
      // mid-sentence: "cartoons like The Simpsons").
      if (t.capitalized && !caps_text && t.low.size() >= 5 && t.low.back() == 's' && i >= 1 &&
          Eq(toks[i - 1].low, "the") && FamilyName(text, toks[i - 1], t)) {
        mark(i, Why{"a family after 'the'", {}, ""});
      }
      // Dictionary: an unambiguous name in name shape, or in lower-case text a
      // given name that is no word ("suzette", "janet"); not a state or a
      // country without a cue ("to Georgia", "New York", "north carolina";
      // "Georgia Smith" is a name): Safe Harbor keeps those, and researchers
      // use them.
      const bool dictionary_shaped =
          shaped(t) && t.low.size() >= 3 && Dictionary(t) && (Given(t) || (Surname(t) && !caps_text));
      const bool dictionary_lower = !dictionary_shaped && lower_text && !t.capitalized && t.low.size() >= 4 &&
                                    Given(t) && Dictionary(t) && !CueWord(t);  // "my nana": a relation
      const auto surname_follows = [&] {
        return i + 1 < nt && NameGap(text, t, toks[i + 1]) && continues(toks[i + 1]);
      };
      if ((dictionary_shaped || dictionary_lower) && (surname_follows() || !StateName(text, toks, i))) {
        mark(i, Why{dictionary_lower ? "dictionary (given name, lower-case text)"
                    : Given(t)       ? "dictionary (given name)"
                                     : "dictionary (surname)",
                    {},
                    ""});
        extend(i, Why{"follows a name", {}, ""});
      }
    }
    // Sign-off: a last line of "- Sarah" or "~Sam", or of one or two names after
    // a line that ends in a greeting's word ("Regards,\nHemant", "Thanks!\nAsha Rao").
    {
      const Token& last = toks.back();
      std::size_t k = last.begin;
      while (k > 0 && text[k - 1] == ' ') --k;
      const auto name_like = [&](const Token& w) { return shaped(w) && !Stop(w) && (!Common(w) || Given(w)); };
      if (k > 0 && (text[k - 1] == '-' || text[k - 1] == '~') && name_like(last)) {
        mark(nt - 1, Why{"sign-off", {}, ""});
      }
      const auto after_sign_off_line = [&](std::size_t first) {
        if (first == 0 || !Is(toks[first - 1], kGreeting)) return false;
        std::size_t g = toks[first - 1].end;
        if (g < text.size() && (text[g] == ',' || text[g] == '!')) ++g;
        while (g < text.size() && (text[g] == ' ' || text[g] == '\r')) ++g;
        if (g >= text.size() || text[g] != '\n') return false;
        ++g;
        while (g < text.size() && (text[g] == ' ' || text[g] == '\t')) ++g;
        return g == toks[first].begin;
      };
      if (!caps_text && name_like(last)) {
        if (after_sign_off_line(nt - 1)) {
          mark(nt - 1, Why{"sign-off", {}, ""});
        } else if (nt >= 3 && name_like(toks[nt - 2]) && NameGap(text, toks[nt - 2], last) &&
                   after_sign_off_line(nt - 2)) {
          mark(nt - 2, Why{"sign-off", {}, ""});
          mark(nt - 1, Why{"sign-off", {}, ""});
        }
      }
    }

    // Propagation: every occurrence of a name found once goes too.
    // A post has few names: a flat list beats a hash map here.
    thread_local std::vector<std::pair<std::string_view, bool>> found;  // name -> is a common word
    found.clear();
    for (std::size_t i = 0; i < nt; ++i) {
      if (why[i].empty()) continue;
      // A state's code in capitals that went on a name is none: "we live in Boston MA"
      // (Boston is a given name too). Asked here, of the few names found: in the
      // lambda that says whether a word goes on a name, the check cost 1.3% of a pass.
      if (!caps_text && toks[i].all_caps && i > 0 && !why[i - 1].empty() && toks[i].end - toks[i].begin <= 3 &&
          IsRegionCode(text.substr(toks[i].begin, toks[i].end - toks[i].begin))) {
        why[i] = Why{};
        continue;
      }
      // An initial is no name to repeat: "I. Redd" does not make every "I" one;
      // nor is a particle (below) or a title.
      if (toks[i].low.size() > 1 && !Is(toks[i], static_cast<WordClass>(kTitle | kWeakTitle)) &&
          !(i > 0 && !why[i - 1].empty() && Is(toks[i], kParticle))) {
        found.emplace_back(toks[i].low, Common(toks[i]));
      }
      // Particles join a name to the Capitalized word after them: "Dr. Van der
      // Berg", "Maria de la Cruz", "Ahmed el Sayed" (not "et al").
      if (i + 2 < nt && why[i + 1].empty() && Is(toks[i + 1], kParticle)) {
        std::size_t k = i + 1;
        while (k < nt && k <= i + 2 && Is(toks[k], kParticle) && NameGap(text, toks[k - 1], toks[k])) ++k;
        if (k > i + 1 && k < nt && NameGap(text, toks[k - 1], toks[k])) {
          const Token& last = toks[k];
          if (last.capitalized && (!last.all_caps || caps_text) && !Stop(last) && !function_word(last) &&
              last.low.size() >= 2) {
            for (std::size_t m = i + 1; m <= k; ++m) why[m] = why[i];
          }
        }
      }
      // Given names listed with a name, even names that are also words:
      // "Mason, Harper and Ellie" (ListedWithName).
      if (!caps_text) ListedWithName(text, toks, i, lower_text, why, found);
      // A nickname in parentheses right after a name: "our son Ezekiel (Zeke)",
      // "Margaret (Peggy) Lee"; not "Dr. Lee (Cardiology)", "Jo (Mom)".
      if (i + 1 < nt && why[i + 1].empty() && text[toks[i + 1].begin - 1] == '(' &&
          Gap(text, toks[i], toks[i + 1], "(") && toks[i + 1].end < text.size() && text[toks[i + 1].end] == ')') {
        const Token& nick = toks[i + 1];
        if (nick.capitalized && !nick.all_caps && nick.low.size() >= 2 && !Stop(nick) && !function_word(nick) &&
            (Given(nick) || !Common(nick)) && !CueWord(nick)) {
          why[i + 1] = Why{"nickname after a name", {}, ""};
          found.emplace_back(nick.low, Common(nick));
        }
      }
      // A given name right before a name found joins it even when it is also
      // a word: "pat rixford", "Bill Hernandez"; so does, in mixed case, a
      // Capitalized word no list knows: "Kat Moreno".
      if (i == 0 || !why[i - 1].empty() || Given(toks[i])) continue;
      const Token& p = toks[i - 1];
      const bool unknown_capitalized =
          !caps_text && p.capitalized && !p.all_caps && !Common(p) && !Surname(p) && !p.dash && !ProperNoun(p.low);
      if ((Given(p) || unknown_capitalized) && !Stop(p) && !function_word(p) && p.low.size() >= 3 &&
          NameGap(text, p, toks[i]) && (p.cls & (kTitle | kWeakTitle | kRelation | kVerb)) == 0) {
        why[i - 1] = why[i];
        found.emplace_back(p.low, Common(p));
      }
    }
    for (std::size_t i = 0; i < nt && !found.empty(); ++i) {
      if (!why[i].empty()) continue;
      const auto it = std::find_if(found.begin(), found.end(), [&](const auto& f) { return f.first == toks[i].low; });
      if (it == found.end()) continue;
      if (it->second && (caps_text || !toks[i].capitalized)) continue;  // common-word names: capitalized only
      why[i] = Why{"repeat of a name", {}, ""};
    }

    // Adjacent name tokens become one span. A name inside a user name
    // ("kate_m", "x_jenny_92") takes the whole user name: "_m" would be left.
    for (std::size_t i = 0; i < nt; ++i) {
      if (why[i].empty()) continue;
      std::size_t j = i;
      while (j + 1 < nt && !why[j + 1].empty() && NameGap(text, toks[j], toks[j + 1])) ++j;
      std::size_t b = toks[i].begin;
      std::size_t e = toks[j].end;
      if ((e < text.size() && text[e] == '_') || (b > 0 && text[b - 1] == '_')) {
        while (e < text.size() && RegexWordByte(text[e])) ++e;
        while (b > 0 && RegexWordByte(text[b - 1])) --b;
      }
      out.push_back(Candidate{b, e, rule_, why[i].str()});
      i = j;
    }
  }

  // Marks the given names, surnames and unknown words listed with the name
  // toks[i] and not marked yet: items of a list, a comma or "&" or "and" between
  // ("Mason, Harper and Ellie", "Ellie & Mason"), Capitalized in mixed case; not states
  // ("Jordan, Georgia and Virginia" leave the states). Out of line: few
  // tokens are names, and FindNames' loop runs slower when it grows.
  [[gnu::noinline]] void ListedWithName(std::string_view text, const std::vector<Token>& toks, std::size_t i,
                                        bool lower_text, std::vector<Why>& why,
                                        std::vector<std::pair<std::string_view, bool>>& found) const {
    const std::size_t nt = toks.size();
    // toks[a] and toks[b] (b > a) as items of a list: a comma or "&" between, or "and".
    const auto joined = [&](std::size_t a, std::size_t b) {
      if (b == a + 1) return Gap(text, toks[a], toks[b], ",&") && !NameGap(text, toks[a], toks[b]);
      return b == a + 2 && Eq(toks[a + 1].low, "and") && Gap(text, toks[a], toks[a + 1], ",") &&
             Gap(text, toks[a + 1], toks[b], "");
    };
    // ... by "and" or "&" alone: "Dr. O'Rourke, Esmolol gtt" is no list.
    const auto and_joined = [&](std::size_t a, std::size_t b) {
      return b == a + 2 || text.substr(toks[a].end, toks[b].begin - toks[a].end).find('&') != std::string_view::npos;
    };
    // A Capitalized word no list knows (no word, given name, surname or proper noun of
    // the word list) joined to the name by "and" or "&": "Maria and Tamsyn", "Saoirse &
    // Niamh". Rare names are the ones the lists lack. Not beside a name only two such
    // words made ("on Ceftaz and Zosyn Abx"), nor beside a doctor's, whom posts list with
    // drugs ("Dr Patel and Humira both helped"; the title's own rule says the same).
    const std::string_view anchor = why[i].head;
    const bool drug_risk = anchor == "capitalized pair" || anchor == "title '";
    const auto unknown = [&](const Token& c) {
      return !drug_risk && !Common(c) && !Given(c) && !Surname(c) && c.cls == 0 && !c.dash && !ProperNoun(c.low) &&
             !DrugStem(c.low);
    };
    // In text written in lower case, such a word in lower case joined by "and" to a given name
    // or a relative's name: "2 children act as his proxys. suzette and ank".
    const auto listed = [&](std::size_t a, std::size_t b, std::size_t k) {
      const Token& c = toks[k];
      const bool lower_unknown = lower_text && !c.capitalized && b == a + 2 && unknown(c) &&
                                 (anchor == "dictionary (given name, lower-case text)" || anchor == "relation '");
      return why[k].empty() && joined(a, b) &&
             ((c.capitalized && !c.all_caps && (Given(c) || Surname(c) || (and_joined(a, b) && unknown(c)))) ||
              lower_unknown) &&
             c.low.size() >= 3 && !Stop(c) && !Is(c, kFunction) && !CueWord(c) && !StateName(text, toks, k);
    };
    for (std::size_t d = 1; d <= 2; ++d) {
      if (i >= d && listed(i - d, i, i - d)) {
        why[i - d] = Why{"listed with a name", {}, ""};
        found.emplace_back(toks[i - d].low, Common(toks[i - d]));
      }
      if (i + d < nt && listed(i, i + d, i + d)) why[i + d] = Why{"listed with a name", {}, ""};
    }
  }

  void FindHashtags(std::string_view text, std::vector<Candidate>& out) const {
    for (std::size_t i = text.find('#'); i < text.size(); i = text.find('#', i + 1)) {
      if (i > 0 && AsciiIsAlnum(static_cast<unsigned char>(text[i - 1]))) continue;
      std::size_t j = i + 1;
      while (j < text.size() && RegexWordByte(text[j])) ++j;
      if (j - i < 4) continue;
      // Split CamelCase and underscores: #JusticeForMaria -> justice, for, maria.
      std::string part;
      bool part_capitalized = false;  // "#JusticeForLiam": a part that starts with a capital
      bool hit = false;
      bool after_relation = false;  // the part before is a relation or a title: "#RIPGrandpaJoe"
      std::string evidence;
      const auto check = [&] {
        Token tk{0, 0, part, part_capitalized, false, false, 0, 0, false, false};
        FillFacts(tk);
        if (part.size() >= 3 && Given(tk) && (!Is(tk, kAmbiguous) || after_relation) && !Stop(tk) &&
            (tk.given <= 1000 || !IsWord(part))) {
          hit = true;
          evidence = "hashtag part '" + part + "' is a given name";
        }
        // ... or "team": "#TeamLily" (not "for": "#PrayForHope" is a wish).
        after_relation = Is(tk, static_cast<WordClass>(kRelation | kTitle)) || part == "team";
        part.clear();
      };
      for (std::size_t k = i + 1; k < j; ++k) {
        const auto c = static_cast<unsigned char>(text[k]);
        if (c == '_' || AsciiIsDigit(c)) {
          check();
          continue;
        }
        if (AsciiIsUpper(c) && !part.empty()) check();
        if (part.empty()) part_capitalized = AsciiIsUpper(c);
        part.push_back(AsciiToLower(c));
      }
      check();
      if (hit) out.push_back(Candidate{i, j, rule_, evidence});
      i = j;
    }
  }

  std::shared_ptr<const Lexicon> lex_;
  std::shared_ptr<const ExtraGiven> extra_;  // null without given_names_file
  std::uint32_t rule_;
  bool hashtags_;
};

// The lexicon of the default lists, read on first use and kept for the
// process: the same one the person-name rules of the shipped policies share
// (LoadLexicon's cache), so the lists are read once. nullptr when a list
// cannot be read (then a person-name rule fails to load with the reason).
const Lexicon* DefaultLexicon() {
  static const std::shared_ptr<const Lexicon> lex = [] {
    Rule defaults;
    defaults.id = "default lists";
    auto loaded = LoadLexicon(defaults);
    return loaded.ok() ? std::move(loaded).value() : nullptr;
  }();
  return lex.get();
}

}  // namespace

bool IsCommonWord(std::string_view lower) {
  const Lexicon* lex = DefaultLexicon();
  return lex != nullptr && lex->Find(lower).word;
}

bool IsKnownName(std::string_view lower) {
  const Lexicon* lex = DefaultLexicon();
  if (lex == nullptr) return false;
  const Lexicon::Facts facts = lex->Find(lower);
  return facts.given != 0 || facts.surname;
}

Result<std::unique_ptr<Detector>> MakeNameDetector(const Rule& rule, std::uint32_t rule_index) {
  PEERPULSE_ASSIGN_OR_RETURN(std::shared_ptr<const Lexicon> lex, LoadLexicon(rule));
  PEERPULSE_ASSIGN_OR_RETURN(std::shared_ptr<const ExtraGiven> extra, LoadExtraGiven(rule, *lex));
  return std::unique_ptr<Detector>(
      new NameDetector(std::move(lex), std::move(extra), rule_index, rule.detector == "hashtag-name"));
}

}  // namespace peerpulse::deid
