#include "detectors.h"

#include <re2/re2.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <span>

#include "ascii.h"
#include "names.h"
#include "places.h"

namespace peerpulse::deid {
namespace {

// Platforms a handle may be named after ("jess_t on discord").
#define PLATFORMS                                                                                                   \
  "(?i:discord|instagram|insta|ig|twitter|tiktok|snapchat|snap|telegram|kik|threads|tumblr|twitch|venmo|cash ?app|" \
  "paypal|steam|username|gamertag)"
#define MONTHS                                                                                                        \
  "(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|" \
  "nov(?:ember)?|dec(?:ember)?)"
// The top-level domains a URL without a scheme or "www." may end in.
#define URL_TLDS \
  "com|org|net|edu|gov|io|ly|me|co|uk|de|fr|info|biz|app|dev|social|xyz|link|health|care|gl|gg|tv|us|ca|au|ee"
// A day of the month as written dates write it: "3", "03", "3rd", "31st".
#define DAY "(?:0?[1-9]|[12]\\d|3[01])(?:st|nd|rd|th)?\\b"
// The same with its suffix, as "March the 3rd" writes it ("March the 30 of us" is none).
#define DAY_ORDINAL "(?:0?[1-9]|[12]\\d|3[01])(?:st|nd|rd|th)\\b"

bool LowerAt(std::string_view t, std::size_t k, std::string_view lower);

// E-mail windows: around each '@', the bytes a local part and a domain may
// hold; windows that touch become one (the pattern's matches then follow one
// another as in a search of the whole text: "a@b.cc@d.ee").
void EmailWindows(std::string_view text, Windows& out) {
  const auto local = [](char c) {
    return AsciiIsAlnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
  };
  const auto domain = [](char c) { return AsciiIsAlnum(static_cast<unsigned char>(c)) || c == '.' || c == '-'; };
  const std::size_t n = text.size();
  for (std::size_t at = text.find('@'); at != std::string_view::npos; at = text.find('@', at + 1)) {
    std::size_t b = at;
    while (b > 0 && local(text[b - 1])) --b;
    std::size_t e = at + 1;
    while (e < n && domain(text[e])) ++e;
    if (!out.empty() && b <= out.back().second) {
      out.back().second = e;
    } else {
      out.emplace_back(b, e);
    }
  }
}

// URL windows: the words (runs of bytes but white space, <, >, quotes and
// backticks, which no URL match holds) with a "://" (a scheme), a "www." or
// a '.' after a letter or digit and before a top-level domain of the pattern
// (URL_TLDS) that a word boundary ends: each match holds one of them. So
// "end." and "3.5" open no window, "e.g." and "x.com" do.
void UrlWindows(std::string_view text, Windows& out) {
  static const std::vector<std::string_view> kTlds = [] {
    std::vector<std::string_view> v;
    const std::string_view all = URL_TLDS;
    for (std::size_t b = 0; b <= all.size();) {
      std::size_t e = all.find('|', b);
      if (e == std::string_view::npos) e = all.size();
      v.push_back(all.substr(b, e - b));
      b = e + 1;
    }
    return v;
  }();
  const auto delimiter = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '<' || c == '>' || c == '"' ||
           c == '\'' || c == '`';
  };
  const std::size_t n = text.size();
  const auto tld_at = [&](std::size_t k) {
    std::size_t e = k;
    while (e < n && RegexWordByte(text[e])) ++e;
    if (e - k < 2 || e - k > 6) return false;
    for (const std::string_view t : kTlds) {
      if (t.size() == e - k && LowerAt(text, k, t)) return true;
    }
    return false;
  };
  std::size_t dot = text.find('.');
  std::size_t colon = text.find(':');
  while (dot != std::string_view::npos || colon != std::string_view::npos) {
    const std::size_t i = std::min(dot, colon);
    const bool trigger = text[i] == '.'
                             ? (i >= 3 && LowerAt(text, i - 3, "www")) ||
                                   (i > 0 && AsciiIsAlnum(static_cast<unsigned char>(text[i - 1])) && tld_at(i + 1))
                             : i + 2 < n && text[i + 1] == '/' && text[i + 2] == '/';
    std::size_t from = i + 1;
    if (trigger) {
      std::size_t b = i;
      while (b > 0 && !delimiter(text[b - 1])) --b;
      std::size_t e = i + 1;
      while (e < n && !delimiter(text[e])) ++e;
      out.emplace_back(b, e);
      from = e;
    }
    if (dot != std::string_view::npos && dot < from) dot = text.find('.', from);
    if (colon != std::string_view::npos && colon < from) colon = text.find(':', from);
  }
}

// Patterns are RE2 syntax (no look-around); \b and \B carry the boundaries.
// Order does not matter: overlapping detections are merged.
// clang-format off
constexpr std::array<BuiltinDetector, 26> kBuiltins{{
    {"email", "EMAIL",
     R"([A-Za-z0-9][A-Za-z0-9._%+\-]*@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,24})",
     false, "", "", false, {}, EmailWindows},
    // "jane dot doe at gmail dot com", "jane[at]example[dot]org", "jane (at) example.org",
    // "j.doe[at]proton.me"
    {"email-obfuscated", "EMAIL",
     R"(\b[a-z0-9][a-z0-9._%+\-]*(?:\s*(?:\[dot\]|\(dot\)|\{dot\}|\s+dot\s+)\s*[a-z0-9._%+\-]+)*\s*(?:\[at\]|\(at\)|\{at\}|\s+at\s+|@)\s*[a-z0-9\-]+(?:\s*(?:\[dot\]|\(dot\)|\{dot\}|\s+dot\s+|\.)\s*[a-z0-9\-]+)*?\s*(?:\[dot\]|\(dot\)|\{dot\}|\s+dot\s+)\s*(?:com|org|net|edu|gov|io|co|uk|de|fr|ca|au|info|me|us)\b)"
     // ... and a country after "co" or "com": "yahoo (dot) co (dot) uk".
     R"((?:\s*(?:\[dot\]|\(dot\)|\{dot\}|\s+dot\s+)\s*(?:uk|au|nz|ie|za|in)\b)?)"
     // A bracketed "at" with the domain's own dots: "j.doe[at]proton.me".
     R"(|\b[a-z0-9][a-z0-9._%+\-]*\s*(?:\[at\]|\(at\)|\{at\})\s*[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,}\b)"
     // A bracketed "at" and a mail provider without its domain: "jenny (dot) smith (at) gmail".
     R"(|\b[a-z0-9][a-z0-9._%+\-]*(?:\s*(?:\[dot\]|\(dot\)|\{dot\}|\s+dot\s+)\s*[a-z0-9._%+\-]+)*\s*(?:\[at\]|\(at\)|\{at\})\s*(?:gmail|googlemail|yahoo|hotmail|outlook|icloud|aol|protonmail|proton)\b)",
     false, "", "", true,
     // Every match ends in a written-out dot and a domain, or has a bracketed "at".
     R"((?:\[dot\]|\(dot\)|\{dot\}|\sdot\s)\s*(?:com|org|net|edu|gov|io|co|uk|de|fr|ca|au|info|me|us)\b|[\[({]at[\])}])"},
    {"url", "URL",
     R"((?i)(?:\b(?:https?|ftp)://[^\s<>"'\x60]+|\bwww\.[^\s<>"'\x60]+|\b[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?)*\.(?:)" URL_TLDS R"()\b(?:/[^\s<>"'\x60]*)?))",
     true, "", "", false, {}, UrlWindows},
    // Reddit u/name and /u/name (3-20 characters, as Reddit allows); @name and @name@instance
    // (Mastodon); @name.bsky.social (Bluesky). A name after @ starts with a letter or '_': "@2300",
    // "@75CC/HR" are times and rates. The `handle` validator turns away units such as "u/min".
    // HandleDetector, a code detector from each '@' and '/': as a pattern,
    // "(?:\B/)?\bu/[A-Za-z0-9_\-]{3,20}\b|\B@[A-Za-z_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_])?
    // (?:@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)?", which it matches exactly (a test says so), it
    // cost 19% of a first pass over 352 real posts and 9% over PhysioNet in the prefilter
    // set's DFA states.
    {"handle", "HANDLE", "", false, "handle", "", false},
    // A name that a platform word cues ("jess_t on discord", "snap: j.doe_92", "my insta is
    // x_y") counts when it has a digit or an underscore, as few words do, or a dot inside
    // ("my ig is jane.fights.ms"; 2+ characters at each end, so "i.e." is none), or is CamelCase of
    // 3+ parts ("my tiktok account is SpoonieSarahLife"; not "JaneDoe", "McDonalds"), or is a
    // Discord tag ("lupusgirl#1234") or a $cashtag ("cash app $JessT"). "username" and "gamertag"
    // are platform words too ("my username is spoonie_sam_1987": +0.8% of a first pass over the
    // real posts, +0.05% of a second). More platform words
    // (youtube, facebook, fb, reddit ...) cost 4.4% of a pass on the real posts, and "FB" is a
    // fluid balance in notes. Its own detector, so that its
    // pattern, which follows every word, runs only on posts that name a platform.
    {"platform-handle", "HANDLE",
     R"(\b)" PLATFORMS R"((?:\s*[:\-]|\s+(?i:is|handle\s+is|name\s+is|username\s+is|id\s+is|tag\s+is|(?:channel|page|account)\s+is|me\s+at|at|to|as))?\s+)"
     R"((?:@?([A-Za-z0-9_.]{2,32}#[0-9]{4}|[A-Za-z0-9.]*[_0-9][A-Za-z0-9_.]*[A-Za-z0-9_]|[A-Za-z0-9_]{2,}(?:\.[A-Za-z0-9_]+)*\.[A-Za-z0-9_]{2,}|[A-Z][a-z]+(?:[A-Z][a-z]*){2,})|(\$[A-Za-z][A-Za-z0-9_\-]{0,19}))\b)"
     R"(|\b([A-Za-z0-9.]*[_0-9][A-Za-z0-9_.]*[A-Za-z0-9_])\s+(?i:on)\s+)" PLATFORMS R"(\b)",
     false, "handle", "", false,
     // A platform word.
     R"(\b)" PLATFORMS R"(\b)"},
    // NANP (optional +1, optional parentheses, separators optional) and international +CC numbers.
    {"phone", "PHONE",
     R"((?:\+?\b1[\s.\-]?)?(?:\(\d{3}\)|\b\d{3})(?:[\s.\-/]|\-\s){0,1}\d{3}(?:[\s.\-/]|\-\s){0,1}\d{4}\b(?:\s*(?:x|ext\.?)\s*\d{1,5}\b)?|\+\d{1,3}[\s.\-]?\(?\d{1,4}\)?(?:[\s.\-]?\d{2,4}){2,4}\b)"
     // National numbers of the UK, Ireland, Australia and New Zealand, with
     // their trunk 0: "07700 900123", "020 7946 0958", "(02) 9876 5432",
     // "0412 345 678". The validator wants 9-11 digits.
     R"(|(?:\(0\d{1,4}\)\s?|\b0\d{1,4}[\s.\-]?)\d{3,4}[\s.\-]?\d{3,4}\b)",
     false, "phone", "", false,
     // Three digits, maybe a separator, three digits; or "+" and a digit.
     R"(\d\d\d(?:[\s.\-/]|\-\s)?\d\d\d|\+\d)"},
    // Short numbers that a word marks as a phone, pager or extension.
    {"phone-context", "PHONE",
     R"((?i)\b(?:pager|beeper|pgr|pg|bpr|ext|extension|cell|mobile|phone|tel|telephone|fax|page|call|beep|text)\s*(?:no\.?|number)?(?:\s+(?:me|us|him|her|them|my\s+[a-z]+)(?:\s+(?:at|on))?)?[\s:#]*(\d{4,7}|\d{3}[\-.]\d{4})\b)",
     false, "", "", false},
    {"ip", "IP",
     R"(\b(?:\d{1,3}\.){3}\d{1,3}\b|\b(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}\b|\b(?:[0-9A-Fa-f]{1,4}:){1,6}:(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){0,5})?\b)",
     false, "ipv4", "", false},
    {"ssn", "SSN",
     R"((?i)\b(?:ssn|social security(?:\s+(?:number|no\.?|#))?)\s*[:#]?\s*(\d{9}|\d{3}[\- ]\d{2}[\- ]\d{4})\b|\b(\d{3}-\d{2}-\d{4})\b)",
     false, "ssn", "", false},
    // 13-19 digits, spaces or dashes between, with a valid Luhn check digit.
    {"card", "CARD", R"(\b(?:\d[ \-]?){12,18}\d\b)", false, "luhn", "", false},
    // Identifiers that a word marks as such: MRN, member, account, policy, claim, license ...
    // Groups of digits with spaces between take in groups of 1-6 digits, as numbers are
    // printed on cards ("Medicare number 2123 45670 1", "NHS no. 943 476 5919"). Short codes of
    // letters and two or three digits count too ("policy #rg17", "unit no. B-12").
    {"id-number", "ID",
     // A UK number plate whole after its word: "licence plate is AB12 CDE" (the short codes
     // below would take "AB12" alone).
     R"((?i)\b(?:licen[cs]e\s*)?plate(?:\s*(?:number|no\.?|#))?\s*(?:is\s+|was\s+)?[:#]?\s*([a-z]{2}\d{2}\s?[a-z]{3})\b)"
     R"(|(?i)\b(?:mrn|medical\s+record(?:\s+(?:number|no\.?|#))?|record\s+(?:number|no\.?|#)|ref(?:erence)?\s*(?:number|no\.?|#)|member\s*(?:id|number|no\.?|#)|account\s*(?:number|no\.?|#)|acct\.?\s*(?:#|no\.?)|policy\s*(?:number|no\.?|#)|patient\s*(?:id|number|#)|case\s*(?:number|no\.?|#)|claim\s*(?:number|no\.?|#)|(?:insurance|medicare|medicaid|nhs)\s*(?:id|number|no\.?|#)|licen[cs]e\s*(?:plate(?:\s*(?:number|no\.?|#))?|number|no\.?|#)|plate\s*(?:number|no\.?|#)|id\s*(?:number|no\.?|#)|unit\s*(?:number|no\.?|#)|(?:badge|employee|student|chart|hospital|passport|prescription|rx|confirmation|tracking|visit|encounter|device|serial|implant|health\s*card|care\s*card)\s*(?:id|number|no\.?|#)|ohip|vin|serial|id\s+(?:is|was))\s*(?:is\s+|was\s+)?[:#]?\s*([A-Za-z]{0,3}[\-\s]?(?:\d{2,6}(?:\s\d{1,6}){1,4}|\d[0-9A-Za-z\-]{3,19})|[A-Za-z]{1,3}\-?\d{2,3})\b)"
     // Bank details after their word alone, digits only: "account 123456789012", "routing 021000021",
     // "sort code 12-34-56" (not "account for 2019").
     R"(|(?i)\b(?:account|acct|routing|sort\s+code)\s*(?:is\s+|was\s+)?[:#]?\s*(\d[\d\- ]{4,28}\d)\b)",
     false, "", "", false},
    // Numeric (m/d, m/d/y, y-m-d, d.m.y, m/yy) and written dates ("March 3rd, 2021", "3 March", "Mar 2021", "Feb '21",
    // "'92").
    {"date", "DATE",
     "(?i)\\b(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\\d|3[01])(?:/(?:\\d{4}|\\d{2}))?\\b"
     // Day first, as the UK and Australia write it, when the day cannot be a month: "14/02/1985".
     "|\\b(?:1[3-9]|2\\d|3[01])(?:/(?:0?[1-9]|1[0-2])/|-(?:0?[1-9]|1[0-2])-)(?:\\d{4}|\\d{2})\\b"
     // ... and without a year when the month has its leading zero: "on 14/06".
     "|\\b(?:1[3-9]|2\\d|3[01])/0[1-9]\\b"
     "|\\b(?:0?[1-9]|1[0-2])-(?:0?[1-9]|[12]\\d|3[01])-(?:\\d{4}|\\d{2})\\b"
     "|\\b(?:0?[1-9]|[12]\\d|3[01])\\.(?:0?[1-9]|1[0-2])\\.(?:\\d{4}|\\d{2})\\b"
     // Month first with full stops when the day cannot be a month, and a full year: "3.14.1931".
     "|\\b(?:0?[1-9]|1[0-2])\\.(?:1[3-9]|2\\d|3[01])\\.(?:19|20)\\d{2}\\b"
     // Year first; ISO 8601 with its time, "2023-03-14T10:00" (the validator leaves the "T" out).
     "|\\b(?:19|20)\\d{2}[\\-/.](?:0?[1-9]|1[0-2])[\\-/.](?:0?[1-9]|[12]\\d|3[01])(?:\\b|T\\d)"
     "|\\b(?:0?[1-9]|1[0-2])/(?:19|20)?\\d{2}\\b"
     // Written dates may carry a day range ("March 3-5", "1->2 nov"). Not a
     // two-digit year after a comma ("21 Apr, 21"): "On March 3, 12 of us went"; a
     // full one is ("March, 2021": an alternative of its own cost 2% of a first pass on real posts,
     // as a branch after the month's shared prefix 0.2%).
     "|\\b" MONTHS "\\.?(?:\\s+(?:(?:" DAY "|the\\s+" DAY_ORDINAL ")(?:\\s*(?:->?|\u2013)\\s*" DAY ")?(?:,?\\s+(?:1[89]|20)\\d{2}\\b)?|(?:of\\s+)?(?:"
     "19|20)\\d{2}\\b|'\\d{2}\\b)|,\\s*(?:19|20)\\d{2}\\b)"
     // A full stop after the month only before a year ("3 Mar. 2021"): "the 4th of July." ends a
     // sentence.
     "|\\b" DAY "(?:\\s*(?:->?|\u2013)\\s*" DAY ")?\\s+(?:of\\s+)?" MONTHS "\\b(?:\\.?,?\\s+(?:1[89]|20)\\d{2}\\b)?"
     // Day, month and year joined by hyphens: "05-Jun-2023".
     "|\\b(?:0?[1-9]|[12]\\d|3[01])-" MONTHS "-(?:\\d{4}|\\d{2})\\b"
     // Dates glued to a word ("on10/14/82") are glued-date's: an alternative
     // that starts at any letter cost 4-9% of a pass in DFA states.
     "|'\\d{2}\\b",
     false, "date", "date", false},
    // Ages of 90 and over (HIPAA): AgeDetector, a code detector run only on posts that hold a
    // number of 90-119 or "ninet"/"hundredth" after a word boundary.
    {"age", "AGE", "", false, "", "age", false, R"(\b(?:9\d|1[01]\d|(?i:ninet|hundredth)))"},
    // Years of birth that say someone is 90 or older: BirthYearDetector, a code detector run
    // only on posts with a year (the prefilter holiday-date has too: the set tests it once).
    {"birth-year", "DATE", "", false, "", "", false, R"(\b(?:1[89]|20)\d\d\b)"},
    // A holiday with its year ("Christmas Eve 2019"): HolidayDetector, a code detector run only
    // on posts with a year.
    {"holiday-date", "DATE", "", false, "", "", false, R"(\b(?:1[89]|20)\d\d\b)"},
    // A numeric date glued to the word before it ("on10/14"): GluedDateDetector, a code
    // detector that looks only at the posts' slashes.
    {"glued-date", "DATE", "", false, "", "date", false},
    // A day of the month as an ordinal after "the" or a weekday ("on the 11th", "Tuesday 14th",
    // "Weds. 3rd"): DayOfMonthDetector, a code detector from each digit. As patterns in the
    // prefilter set, "the" and the weekdays before an ordinal cost 5% of a first pass over the
    // real posts.
    {"day-of-month", "DATE", "", false, "", "", false, R"((?i)\b\d\d?(?:st|nd|rd|th)\b)"},
    // A Capitalized word before an area word or a residence's ("the Edgemere area", "Baltimore
    // County", "Grieco House"), a place by the place-before validator: PlaceAreaDetector, a code
    // detector run on posts whose prefilter sees such a word. As a pattern that may start at any
    // Capitalized word it cost 9.6% of a first pass over the real posts in the set's states.
    {"place-area", "LOCATION", "", false, "", "", false,
     R"(\b(?:area|county|County|neighborhood|neighbourhood|township|Township|suburbs?|House|Lodge|Manor)\b)"},
    // ZIP codes marked by a state code, the word zip ("zip: 21201", "my zip code is 21201"),
    // "area" ("the 10001 area"), or "near",
    // "around", "outside" before them ("anyone near 02139?"; "in" too cost 0.8% of a pass on
    // the fixture posts).
    {"zip", "ZIP",
     R"(\b(?:A[LKZR]|C[AOT]|DE|DC|FL|GA|HI|I[DLNA]|K[SY]|LA|M[EDAINSOT]|N[EVHJMYCD]|O[HKR]|PA|RI|S[CD]|T[NX]|UT|V[TA]|W[AVIY]),?\s+(\d{5}(?:-\d{4})?)\b|(?i)\bzip(?:\s*code)?\s*(?:is\s+|was\s+|of\s+)?[:#]?\s*(\d{5}(?:-\d{4})?)\b|\b(\d{5})\s+area\b|\b(?:near|around|outside)\s+(\d{5})\b)",
     false, "", "zip", false},
    {"street-address", "ADDRESS",
     R"((?i)\b\d{1,6}[a-h]?\s+(?:[nsew]\.?\s+)?(?:(?:[a-z][a-z'\-]*|\d{1,3}(?:st|nd|rd|th))\s+){1,3}(?:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|court|ct|way|place|pl|terrace|ter|circle|cir|parkway|pkwy|highway|hwy|square|sq|trail|trl)\b\.?(?:,?\s*(?:apt|apartment|unit|suite|ste|#)\.?\s*[a-z0-9\-]+)?|\bp\.?\s?o\.?\s+box\s+\d+\b)"
     // A street named without a number, in capitals as written: "near Maple Street", "on Elm Ave."
     R"(|\b(?-i:[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?\s+(?:Street|Avenue|Ave\.?|Road|Boulevard|Blvd\.?|Lane|Drive|Parkway|Pkwy\.?|Terrace|Highway)\b))",
     false, "address", "", false,
     // A street word after a space, or "box" and a number.
     R"((?i)\s(?:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|court|ct|way|place|pl|terrace|ter|circle|cir|parkway|pkwy|highway|hwy|square|sq|trail|trl)\b|box\s+\d)"},
    // "Calvert Hospital", "SACRED HEART MEMORIAL", "Mass General Hospital" (capitalized words before a facility word),
    // and schools ("Lincoln Elementary", "Roosevelt High School"; a school needs its name).
    // The pattern finds the facility word; the detector then takes the one
    // to four capitalized words before it (ExtendFacility). Searching for the
    // words first made RE2 consider every capitalized word a start.
    {"facility", "FACILITY",
     R"(\b(?:Hospital|General|Methodist|Baptist|Presbyterian|[Hh]osp\b\.?|hospital|Medical Centre|Medical Center|Med Ctr|Clinic|Health Center|Heart Center|Surgery Center|Surgical Center|Urgent Care|Health Centre|Infirmary|Nursing Home|Rehabilitation Center|Rehab Center|Rehab|Hospice|Medical Group|Cancer Center|Health System|Memorial|Elementary School|Elementary|Middle School|High School|Primary School|Secondary School|HOSPITAL|HOSP\b\.?|MEDICAL CENTER|MED CENTER|MED CTR|HEART CENTER|CLINIC|HEALTH CENTER|INFIRMARY|NURSING HOME|REHAB|HOSPICE|MEMORIAL)\b)",
     false, "facility", "", false},
    {"person-name", "PERSON", "", false, "", "", false},
    {"hashtag-name", "PERSON", "", false, "", "", false},
    {"place-name", "LOCATION", "", false, "", "", false},
    {"short-link", "URL", "", false, "", "", false},
    // A code detector (PostcodeDetector) that runs only when the set finds
    // an inward code, a word ending in "code" or an Australian state's code and four digits.
    {"postcode", "POSTCODE", "", false, "", "", false,
     R"( [0-9][A-Z][A-Z0-9]\b|(?i:code)[\s:#]|\b(?:NSW|VIC|QLD|WA|SA|TAS|ACT|NT) [0-9]{4}\b)"},
}};
// clang-format on

#undef MONTHS
#undef DAY
#undef DAY_ORDINAL
#undef PLATFORMS

bool Digits(std::string_view s, std::string& out) {
  out.clear();
  for (const char c : s) {
    if (c >= '0' && c <= '9') out.push_back(c);
  }
  return !out.empty();
}

bool Luhn(std::string_view span) {
  std::string d;
  if (!Digits(span, d) || d.size() < 13 || d.size() > 19) return false;
  int sum = 0;
  bool twice = false;
  for (auto it = d.rbegin(); it != d.rend(); ++it) {
    int v = *it - '0';
    if (twice) {
      v *= 2;
      if (v > 9) v -= 9;
    }
    sum += v;
    twice = !twice;
  }
  return sum % 10 == 0;
}

bool Ssn(std::string_view span) {
  std::string d;
  if (!Digits(span, d) || d.size() != 9) return false;
  const int area = std::stoi(d.substr(0, 3));
  return area != 0 && area != 666 && area < 900 && d.substr(3, 2) != "00" && d.substr(5) != "0000";
}

bool Ipv4(std::string_view span) {
  if (span.find(':') != std::string_view::npos) return true;  // IPv6 forms are checked by the pattern
  int parts = 0;
  int value = -1;
  for (const char c : span) {
    if (c == '.') {
      if (value < 0 || value > 255) return false;
      ++parts;
      value = -1;
    } else {
      value = (value < 0 ? 0 : value * 10) + (c - '0');
    }
  }
  return parts == 3 && value >= 0 && value <= 255;
}

// Fractions ("1/2", "3/4") are not dates. "8/10" alone is a date (August
// 10th); a pain score ("pain 7/10") is told apart by the date rule's
// context_not_before words in the policy.
bool DateNotScore(std::string_view span) {
  static constexpr std::string_view kFractions[] = {"1/2", "1/3", "2/3", "1/4", "3/4"};
  for (const auto f : kFractions) {
    if (span == f) return false;
  }
  return true;
}

// A numeric date inside a run of numbers is a measurement, not a date:
// "CO/CI/SVR 7.5/3.5/437", "ABG 7.40/40/100", "A/C 600/12/40%", "PSV 10/5/".
// The span is rejected when a digit, '/' or ':' touches its start, or a '.'
// after a digit or an 'x' ("5.5/2.5", "700x10x.3/5"; not "Quartermain.8/31"),
// or a '-' after a digit (a range: "3-4/10"),
// or when '/', '%', or '.' or ',' followed by a digit, touches its end.
bool InNumericRun(std::string_view text, std::size_t begin, std::size_t end) {
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (begin > 0) {
    const char b = text[begin - 1];
    if (digit(b) || b == '/') return true;
    if (b == ':' && begin > 1 && digit(text[begin - 2])) return true;  // "10:8/30", not "HX:8/30"
    if (b == '-' && begin > 1 && digit(text[begin - 2])) {
      // A range of numbers ("3-4/10", "5-6/3-4"), not of dates ("6/30-7/2").
      std::size_t i = begin - 2;
      while (i > 0 && digit(text[i - 1])) --i;
      if (i == 0 || text[i - 1] != '/') return true;
    }
    if (b == '.' && begin > 1 && (digit(text[begin - 2]) || text[begin - 2] == 'x' || text[begin - 2] == 'X')) {
      return true;
    }
  }
  if (end < text.size()) {
    const char a = text[end];
    if (a == '/' || a == '%') return true;
    if ((a == '.' || a == ',') && end + 1 < text.size() && digit(text[end + 1])) return true;
  }
  return false;
}

// Two dates typed as clinical notes type them, which the run test above would
// take for measurements: two dates of a range joined by a slash, each with its
// two digits ("treatments 10/03/10/04"), and a date whose year follows a
// full stop ("11/21.93"). `end` grows to take the second date or the year.
// Measurements written so ("7.40/40/100/26", "12/5/10/5", "5/10.5", "1/2.25")
// fail the two-digit and month tests.
bool DateTypedOddly(std::string_view text, std::size_t begin, std::size_t& end) {
  const auto digits = [&](std::size_t at, std::size_t n) {
    if (at + n > text.size()) return false;
    for (std::size_t i = at; i < at + n; ++i) {
      if (!AsciiIsDigit(static_cast<unsigned char>(text[i]))) return false;
    }
    return true;
  };
  const auto number = [&](std::size_t at) { return (text[at] - '0') * 10 + (text[at + 1] - '0'); };
  const auto month = [&](std::size_t at) { return number(at) >= 1 && number(at) <= 12; };
  const auto day = [&](std::size_t at) { return number(at) >= 1 && number(at) <= 31; };
  // After the second date or the year: no digit, slash, percent, or decimal point.
  const auto ends_at = [&](std::size_t at) {
    if (at == text.size()) return true;
    const char c = text[at];
    if (AsciiIsDigit(static_cast<unsigned char>(c)) || c == '/' || c == '%') return false;
    return !((c == '.' || c == ',') && at + 1 < text.size() && AsciiIsDigit(static_cast<unsigned char>(text[at + 1])));
  };
  if (begin > 0) {
    const char b = text[begin - 1];
    if (AsciiIsDigit(static_cast<unsigned char>(b)) || b == '/' || b == '.' || b == '-' || b == ':') return false;
  }
  // "10/03/10/04": the pattern took "10/03/10".
  if (end - begin == 8 && end < text.size() && text[end] == '/' && digits(end + 1, 2) && ends_at(end + 3)) {
    const std::size_t b = begin;
    if (digits(b, 2) && text[b + 2] == '/' && digits(b + 3, 2) && text[b + 5] == '/' && digits(b + 6, 2) && month(b) &&
        day(b + 3) && month(b + 6) && day(end + 1)) {
      end += 3;
      return true;
    }
  }
  // "11/21.93": the pattern took "11/21".
  if (end - begin >= 4 && end - begin <= 5 && end < text.size() && text[end] == '.' && digits(end + 1, 2) &&
      ends_at(end + 3) && digits(end - 2, 2) && text[end - 3] == '/') {
    end += 3;
    return true;
  }
  return false;
}

}  // namespace

// States and countries are not identifiers under Safe Harbor (only
// subdivisions smaller than a state are); nor are the provinces and states of
// Canada and Australia, their counterparts.
bool IsRegionCode(std::string_view upper) {
  // Two letters: a table of 26 x 26 (names.cc asks for many short words in capitals).
  static constexpr std::array<bool, 26 * 26> kTwo = [] {
    std::array<bool, 26 * 26> t{};
    for (const std::string_view c :
         {"AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY",
          "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND",
          "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "DC",
          "ON", "BC", "QC", "AB", "MB", "SK", "NS", "NB", "NL", "PE", "YT", "NT", "NU", "UK", "US"}) {
      t[static_cast<std::size_t>((c[0] - 'A') * 26 + (c[1] - 'A'))] = true;
    }
    return t;
  }();
  if (upper.size() == 2) {
    const auto a = static_cast<unsigned char>(upper[0]);
    const auto b = static_cast<unsigned char>(upper[1]);
    return AsciiIsUpper(a) && AsciiIsUpper(b) && kTwo[static_cast<std::size_t>((a - 'A') * 26 + (b - 'A'))];
  }
  return upper == "NSW" || upper == "VIC" || upper == "QLD" || upper == "TAS" || upper == "ACT" || upper == "USA";
}

bool IsStateOrCountry(std::string_view lower) {
  // clang-format off
  static constexpr std::string_view kStates[] = {
      "alabama", "alaska", "arizona", "arkansas", "california", "calif", "colorado", "connecticut", "delaware",
      "florida", "georgia", "hawaii", "idaho", "illinois", "indiana", "iowa", "kansas", "kentucky", "louisiana",
      "maine", "maryland", "massachusetts", "michigan", "minnesota", "mississippi", "missouri", "montana", "nebraska",
      "nevada", "ohio", "oklahoma", "oregon", "pennsylvania", "tennessee", "texas", "utah", "vermont", "virginia",
      "washington", "wisconsin", "wyoming", "england", "scotland", "wales", "ireland", "canada", "mexico", "italy",
      "france", "germany", "spain", "portugal", "greece", "poland", "russia", "china", "japan", "korea", "india",
      "israel", "brazil", "bermuda", "jamaica", "haiti", "philippines", "vietnam", "australia", "abroad", "overseas",
      "europe", "asia", "africa", "america", "usa", "new hampshire", "new jersey", "new mexico", "new york",
      "north carolina", "south carolina", "north dakota", "south dakota", "west virginia", "rhode island",
      "district of columbia", "northern ireland", "new zealand", "uk", "britain", "great britain",
      "united kingdom", "united states", "pakistan", "bangladesh", "nepal", "sri lanka", "nigeria", "ghana",
      "ethiopia", "somalia", "egypt", "iran", "iraq", "syria", "lebanon", "afghanistan", "saudi arabia",
      "netherlands", "belgium", "sweden", "norway", "denmark", "finland", "iceland", "switzerland",
      "austria", "ukraine", "romania", "hungary", "croatia", "serbia", "bulgaria", "thailand", "singapore",
      "malaysia", "indonesia", "taiwan", "hong kong", "south africa", "colombia", "argentina", "peru", "cuba",
      "puerto rico",
      // Provinces and states of the other countries the shipped gazetteer reads
      // (Victoria is a city and a given name too, and stays a name).
      "ontario", "quebec", "alberta", "manitoba", "saskatchewan", "nova scotia", "new brunswick", "newfoundland",
      "british columbia", "prince edward island", "yukon", "nunavut", "northwest territories", "queensland",
      "tasmania", "new south wales", "western australia", "south australia", "northern territory"};
  // clang-format on
  // Sorted once: names and places ask for every candidate they find.
  static const auto* sorted = [] {
    auto* v = new std::vector<std::string_view>(std::begin(kStates), std::end(kStates));
    std::sort(v->begin(), v->end());
    return v;
  }();
  return std::binary_search(sorted->begin(), sorted->end(), lower);
}

namespace {

// A place name after a movement cue ("transferred to X"): not a unit, room or
// service of the same hospital, not a common word.
bool CapitalizedNotCaps(std::string_view w);
bool FacilityWordAt(std::string_view text, std::size_t pos);

// Ordinary words that hospitals' names are made of: "SAINT AGNES", "GOOD
// SAMARITAN", "holy cross", "Harbor Hospital".
bool HospitalNameWord(std::string_view low) {
  static constexpr std::string_view kNameWords[] = {
      "saint",     "st",      "mount",     "mt",         "holy",      "cross",        "sacred",
      "heart",     "good",    "samaritan", "mercy",      "general",   "regional",     "university",
      "union",     "valley",  "county",    "children's", "women's",   "north",        "south",
      "east",      "west",    "central",   "baptist",    "methodist", "presbyterian", "lutheran",
      "adventist", "jewish",  "veterans",  "memorial",   "community", "harbor",       "bay",
      "lake",      "river",   "hill",      "park",       "view",      "grove",        "square",
      "spring",    "springs", "shore",     "island",     "city",      "hope",         "grace"};
  return std::find(std::begin(kNameWords), std::end(kNameWords), low) != std::end(kNameWords);
}

// `common_ok`: a facility word follows, so the ordinary words hospitals are
// named with may be place names here ("holy cross hospital", "UNION HOSP";
// not "AWAITING REHAB").
bool Place(std::string_view span, bool common_ok = false) {
  static constexpr std::string_view kNotPlaces[] = {
      "home", "floor", "unit", "icu", "micu", "sicu", "ccu", "csru", "nicu", "picu", "or", "er", "ed", "ct", "mri",
      "cath", "lab", "rehab", "hospital", "hosp", "nursing", "room", "bed", "dialysis", "surgery", "radiology", "the",
      "a", "an", "his", "her", "their", "our", "my", "pt", "patient", "chair", "commode", "bathroom", "shower",
      "bedside", "stepdown", "step", "tele", "telemetry", "ward", "service", "team", "clinic", "office", "pacu",
      "sleep", "bed", "work", "school", "church", "vent", "cpap", "bipap", "nc", "np", "face", "mask", "trach", "peg",
      "oxygen", "o2", "baseline", "normal", "nsr", "sr", "afib", "sinus", "morning", "night", "am", "pm", "ir", "echo",
      "eeg", "ekg", "ecg", "us", "xray", "x-ray", "cxr", "gi", "him", "her", "them", "us", "me", "family", "wife",
      "husband", "son", "daughter", "pain", "sedation", "comfort", "hospice", "rest", "sleep", "be", "see", "go", "get",
      "have", "keep", "make", "take", "this", "that", "these", "those", "one", "two", "and", "or", "with", "for", "of",
      "on", "at", "in", "by", "from", "into", "as", "regular", "soft", "clear", "full", "liquids", "diet", "po", "iv",
      "left", "right", "lt", "rt", "l", "r", "upper", "lower", "side", "back", "front", "level", "levels", "dr", "md",
      "rn", "nurse", "doctor", "attending", "house", "staff", "area", "town", "city", "state", "country", "stimulation",
      "stimuli", "stimulus", "painful", "waiting", "homeless", "community", "shelter", "times", "wall", "assisted",
      "apartment", "senior", "elderly", "housing", "group", "facility", "same", "different", "another", "out", "law",
      "laws", "general", "to", "up", "down", "over", "off", "its", "your", "we", "they", "he", "she", "it", "i", "you",
      "is", "was", "were", "are", "not", "no", "yes", "sent", "went", "came",
      // Hospital units, services and lines a patient goes to or a sample is sent from.
      "ew", "osh", "pcu", "tlc", "neuro", "angio", "scan", "ctscan", "catscan", "c-t", "ps", "rle", "lle", "rue", "lue",
      "ra", "bb", "plan", "lumen", "intubated", "extubated", "ortho", "amb", "ambulance", "a-line", "c-line", "line",
      "port", "pheresis", "commode", "camode", "step-down", "stepdown", "cardiac", "pt's", "tonite", "tonight", "today",
      "tomorrow", "stable", "mciu", "cvicu", "cticu", "ptca", "cabg", "holding", "medicine", "surgical", "psych", "ob",
      "l&d", "labor", "nursery", "morgue", "pharmacy", "blood", "vicu", "tsicu", "nisicu", "pmicu", "hd", "cv", "av",
      "sc", "med", "a-fib", "cont", "con't", "cont'd", "prev", "tmax",
      // Ventilator modes.
      "simv", "imv", "psv", "pcv", "prvc", "aprv", "ac", "cmv"};

  const std::string low = AsciiLower(span);
  if (low.size() < 2) return false;
  for (const auto w : kNotPlaces) {
    if (low == w) return false;
  }
  if (IsStateOrCountry(low)) return false;
  // An ordinary English word ("cardiac", "blood", "visit") is a place only
  // when written Capitalized in mixed case ("Harbor"), not in lower case or
  // ALL CAPS, where it is the word.
  return !IsCommonWord(low) || CapitalizedNotCaps(span) || (common_ok && HospitalNameWord(low));
}

// "Harbor": an upper-case first letter and a lower-case letter after it.
bool CapitalizedNotCaps(std::string_view w) {
  if (w.empty() || AsciiIsUpper(static_cast<unsigned char>(w[0])) == 0) return false;
  for (std::size_t i = 1; i < w.size(); ++i) {
    if (AsciiIsLower(static_cast<unsigned char>(w[i])) != 0) return true;
  }
  return false;
}

// Ordinary words that begin town names ("white marsh", "glen burnie", "fort
// meade", "east hampton"); the place validator keeps them before a word that
// is a place, which matters in lower case and ALL CAPS, where it drops
// ordinary words.
bool TownPrefix(std::string_view low) {
  static constexpr std::string_view kPrefixes[] = {
      "north", "south", "east",  "west",  "new",    "old",    "fort",   "port",  "mount", "lake",
      "glen",  "white", "green", "black", "red",    "little", "great",  "grand", "long",  "silver",
      "cedar", "pine",  "oak",   "rock",  "spring", "bay",    "castle", "upper", "lower", "high"};
  return std::find(std::begin(kPrefixes), std::end(kPrefixes), low) != std::end(kPrefixes);
}

// A place of one or two words after a cue: leading words that are no place
// ("TO CALVERT", "the Harbor") are dropped, and a second word that is no
// place ("Towson today") too. False when no word is left.
bool AdjustPlace(std::string_view text, std::size_t& begin, std::size_t& end) {
  std::vector<std::pair<std::size_t, std::size_t>> words;
  for (std::size_t i = begin; i < end;) {
    while (i < end && (text[i] == ' ' || text[i] == '\n' || text[i] == '\t')) ++i;
    std::size_t j = i;
    while (j < end && text[j] != ' ' && text[j] != '\n' && text[j] != '\t') ++j;
    if (j > i) words.emplace_back(i, j);
    i = j;
  }
  // A state or country of two words is none ("lives in the United States").
  if (words.size() == 2) {
    const std::string pair = AsciiLower(text.substr(words[0].first, words[0].second - words[0].first)) + " " +
                             AsciiLower(text.substr(words[1].first, words[1].second - words[1].first));
    if (IsStateOrCountry(pair)) return false;
  }
  const bool facility = FacilityWordAt(text, end);
  const auto place = [&](std::size_t w) {
    return Place(text.substr(words[w].first, words[w].second - words[w].first), facility);
  };
  std::size_t k = 0;
  while (k < words.size() && !place(k)) ++k;
  if (k == words.size()) return false;
  begin = words[k].first;
  end = words[k].second;
  if (k + 1 < words.size() && place(k + 1)) {
    end = words[k + 1].second;
  } else if (k > 0 &&
             TownPrefix(AsciiLower(text.substr(words[k - 1].first, words[k - 1].second - words[k - 1].first)))) {
    begin = words[k - 1].first;  // "lives in white marsh": the town's first word is a word
  }
  return true;
}

// A ward: a building named with a floor ("Quartermain 2", "FARR 10"). The
// match is the name; the floor number after it must not be a dose or a time
// ("to levophed 2 mcg", "on hepat 1 pm").
bool Ward(std::string_view text, std::size_t& begin, std::size_t& end) {
  std::size_t i = end;
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
  while (i < text.size() && AsciiIsDigit(static_cast<unsigned char>(text[i]))) ++i;
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
  std::size_t j = i;
  while (j < text.size() && AsciiIsAlpha(static_cast<unsigned char>(text[j]))) ++j;
  static constexpr std::string_view kUnits[] = {
      "mg",   "mcg",   "ml",    "cc",    "l",      "u",   "unit",    "units", "mm",   "cm",   "am",
      "pm",   "hr",    "hrs",   "hour",  "hours",  "min", "mins",    "day",   "days", "wk",   "wks",
      "week", "weeks", "x",     "times", "liters", "lpm", "breaths", "beats", "bag",  "bags", "amp",
      "amps", "dose",  "doses", "tabs",  "puffs",  "g",   "gm",      "kg",    "lb",   "lbs",  "meq",
      "mcgs", "mcq",   "ug",    "grams", "bid",    "tid", "qid",     "qd",    "prn",  "iv",   "po"};
  const std::string next = AsciiLower(text.substr(i, j - i));
  for (const auto u : kUnits) {
    if (next == u) return false;
  }
  const std::size_t b = begin;
  const std::size_t e = end;
  return AdjustPlace(text, begin, end) && begin == b && end == e;
}

// One or two words right before a facility or service word ("Calvert ER",
// "kernan hosp", "Holy Cross Hospital"): the word touching it must be a
// place, and capitalization proves nothing here (sentences start with
// "Returned to cath lab"): only words that are no ordinary English word, or
// the words hospitals are named with, count. "LASIX IN CATH LAB" has "IN"
// next to the service word and is no place.
bool PlaceBeforeFacility(std::string_view text, std::size_t& begin, std::size_t& end) {
  const auto place = [&](std::size_t b, std::size_t e) {
    const std::string_view span = text.substr(b, e - b);
    if (span.empty() || span.back() == '-' || span.front() == '-') return false;
    const std::string low = AsciiLower(span);
    return Place(span, true) && (!IsCommonWord(low) || HospitalNameWord(low));
  };
  // The match is the word next to the facility word; the word before it
  // joins when it is a place too ("franklin square hosp").
  if (!place(begin, end)) return false;
  std::size_t k = begin;
  if (k > 0 && text[k - 1] == ' ') {
    --k;
    const std::size_t e = k;
    while (k > 0 &&
           (AsciiIsAlpha(static_cast<unsigned char>(text[k - 1])) || text[k - 1] == '\'' || text[k - 1] == '-')) {
      --k;
    }
    const bool bounded = k == 0 || !AsciiIsAlnum(static_cast<unsigned char>(text[k - 1]));
    if (e > k && bounded && place(k, e)) begin = k;
  }
  return true;
}

// A facility word starts at `pos`, after spaces: hospital, hosp, rehab, er,
// ed, va, memorial, medical, clinic (any case).
bool FacilityWordAt(std::string_view text, std::size_t pos) {
  while (pos < text.size() && text[pos] == ' ') ++pos;
  std::size_t e = pos;
  while (e < text.size() && AsciiIsAlpha(static_cast<unsigned char>(text[e])) != 0) ++e;
  const std::string w = AsciiLower(text.substr(pos, e - pos));
  static constexpr std::string_view kFacilityWords[] = {"hospital", "hosp",     "rehab",   "er",    "ed",
                                                        "va",       "memorial", "medical", "clinic"};
  for (const auto f : kFacilityWords) {
    if (w == f) return true;
  }
  return false;
}

// Numbers of 90 and over; the age patterns in words only match such ages.
bool Age90(std::string_view span) {
  std::string d;
  if (!Digits(span, d)) return true;
  return d.size() <= 3 && std::stoi(d) >= 90;
}

// "she's 95 lbs", "he is 98%": a number after "he's" or "who is" may be a
// weight, a saturation or a count; an age is followed by none of these.
bool AgeIsAMeasure(std::string_view text, std::size_t end) {
  std::size_t k = end;
  while (k < text.size() && text[k] == ' ') ++k;
  if (k < text.size()) {
    const char c = text[k];
    if (c == '%' || c == '/') return true;  // "98%", "97/60"
    if ((c == '.' || c == ',') && k + 1 < text.size() && AsciiIsDigit(static_cast<unsigned char>(text[k + 1]))) {
      return true;  // "98.6"
    }
  }
  std::size_t e = k;
  while (e < text.size() && AsciiIsAlpha(static_cast<unsigned char>(text[e]))) ++e;
  // ... and counts of time or distance: "she'll be 95 minutes late", "he'll be 100 days sober".
  static constexpr std::string_view kUnits[] = {
      "lb",   "lbs",  "pound",   "pounds", "kg",      "kgs",   "kilos", "bpm",  "mg",    "percent", "degrees", "f",
      "mmhg", "mins", "minutes", "secs",   "seconds", "hours", "hrs",   "days", "weeks", "miles",   "km",      "units"};
  const std::string w = AsciiLower(text.substr(k, e - k));
  return std::find(std::begin(kUnits), std::end(kUnits), w) != std::end(kUnits);
}

// Words that start a capitalized run but are not part of a facility's name.
bool FacilityStopWord(std::string_view w) {
  static constexpr std::array<std::string_view, 64> kStop{
      "the",     "a",      "an",      "at",     "to",       "from",        "in",        "into",     "of",      "on",
      "my",      "our",    "his",     "her",    "their",    "your",        "this",      "that",     "local",   "same",
      "another", "other",  "new",     "old",    "transfer", "transferred", "trans",     "admitted", "admit",   "sent",
      "went",    "back",   "brought", "taken",  "seen",     "discharged",  "discharge", "via",      "by",      "and",
      "or",      "with",   "for",     "per",    "pt",       "patient",     "when",      "then",     "after",   "before",
      "while",   "during", "outside", "nearby", "referred", "returned",    "called",    "visited",  "arrived", "left",
      "home",    "is",     "was",     "will"};
  const std::string low = AsciiLower(w);
  for (const auto s : kStop) {
    if (low == s) return true;
  }
  return false;
}

// Trims the stop words that start a facility match; false if only the
// facility word itself would remain.
// Extends a facility word [begin, end) back over the one to four names
// before it, separated by whitespace: "Calvert Hospital", "SACRED HEART
// MEMORIAL". After an ALL-CAPS facility word the names are ALL-CAPS too
// ([A-Z][A-Z'.&-]*), else capitalized ([A-Z][A-Za-z'.&-]*). The first name
// starts at a word boundary. False when no name precedes.
bool ExtendFacility(std::string_view text, std::size_t& begin, std::size_t end) {
  bool caps = true;
  for (std::size_t i = begin; i < end; ++i) caps = caps && !AsciiIsLower(static_cast<unsigned char>(text[i]));
  const auto in_word = [&](char c) {
    const auto u = static_cast<unsigned char>(c);
    return (caps ? (AsciiIsUpper(u) != 0) : (AsciiIsAlpha(u) != 0)) || c == '\'' || c == '.' || c == '&' || c == '-';
  };
  const auto is_space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  };
  std::size_t start = begin;
  int words = 0;
  while (words < 4) {
    std::size_t k = start;
    if (k == 0 || !is_space(text[k - 1])) break;
    while (k > 0 && is_space(text[k - 1])) --k;
    // A name stays on its line.
    if (text.substr(k, start - k).find('\n') != std::string_view::npos) break;
    // The longest run of word characters ending at k that starts with A-Z.
    std::size_t p = k;
    std::size_t word_start = std::string_view::npos;
    while (p > 0 && in_word(text[p - 1])) {
      --p;
      if (AsciiIsUpper(static_cast<unsigned char>(text[p])) != 0) word_start = p;
    }
    if (word_start == std::string_view::npos) break;
    // A word of five letters or more and a full stop ends a sentence ("Lines: Introducer.
    // Hospital: ..."); "St.", "Mt.", "Univ." are abbreviations of the name.
    if (text[k - 1] == '.' && k - 1 - word_start >= 5) break;
    // \b before the name: the byte before it is no word character.
    if (word_start > 0 && RegexWordByte(text[word_start - 1])) break;
    // In ALL CAPS every word looks like a name: there an ordinary English word
    // ends the name ("GO BACK TO THE HOSPITAL", "BEGIN CARDIAC REHAB").
    if (caps) {
      std::string low = AsciiLower(text.substr(word_start, k - word_start));
      while (!low.empty() && (low.back() == '.' || low.back() == '\'')) low.pop_back();
      // Words that hospitals' names are made of stay ("SAINT AGNES", "GOOD SAMARITAN").
      if (low.size() < 2 || (!HospitalNameWord(low) && IsCommonWord(low)) || FacilityStopWord(low)) break;
    }
    start = word_start;
    ++words;
    if (word_start != p) break;  // the run went on to the left: the name cannot
  }
  (void)end;
  if (words == 0) return false;
  begin = start;
  return true;
}

// "General" (or "Methodist" ...) names a hospital ("at Mass General", "Tampa
// General.", "Riverside Methodist") when no capitalized word follows it:
// "General Surgery", "Mass General Brigham", "First Baptist Church" are
// services, firms and churches.
bool GeneralHospital(std::string_view text, std::size_t end) {
  std::size_t k = end;
  while (k < text.size() && (text[k] == ' ' || text[k] == '\t')) ++k;
  return k == end || k == text.size() || AsciiIsUpper(static_cast<unsigned char>(text[k])) == 0;
}

// Offices named "X General": "Surgeon General", "Attorney General".
bool OfficeGeneral(std::string_view text, std::size_t begin, std::size_t end) {
  static constexpr std::string_view kOffices[] = {
      "surgeon",    "attorney", "secretary", "inspector", "solicitor", "postmaster", "major",      "brigadier",
      "lieutenant", "consul",   "governor",  "auditor",   "director",  "adjutant",   "accountant", "registrar"};
  std::string_view head = text.substr(begin, end - begin);  // "... Surgeon General"
  head.remove_suffix(std::min(head.size(), std::string_view("General").size()));
  while (!head.empty() && (head.back() == ' ' || head.back() == '\t' || head.back() == '\n')) head.remove_suffix(1);
  const std::size_t space = head.find_last_of(" \t\n");
  const std::string word = AsciiLower(space == std::string_view::npos ? head : head.substr(space + 1));
  return std::find(std::begin(kOffices), std::end(kOffices), word) != std::end(kOffices);
}

bool TrimFacility(std::string_view text, std::size_t& begin, std::size_t end) {
  std::size_t words = 0;
  for (std::size_t i = begin; i < end; ++i) words += (text[i] == ' ' || text[i] == '\n' || text[i] == '\t') ? 1u : 0u;
  while (begin < end) {
    std::size_t sp = begin;
    while (sp < end && text[sp] != ' ' && text[sp] != '\n' && text[sp] != '\t') ++sp;
    if (sp >= end || !FacilityStopWord(text.substr(begin, sp - begin))) break;
    begin = sp;
    while (begin < end && (text[begin] == ' ' || text[begin] == '\n' || text[begin] == '\t')) ++begin;
    --words;
  }
  return words >= 1;
}

// `word` occurs in `text` as a whole word (not inside a longer word).
bool HasWord(std::string_view text, std::string_view word) {
  const auto is_word = [](char c) { return AsciiIsAlnum(static_cast<unsigned char>(c)) != 0; };
  for (std::size_t p = text.find(word); p != std::string_view::npos; p = text.find(word, p + 1)) {
    const std::size_t e = p + word.size();
    const bool left = p == 0 || !is_word(text[p - 1]) || !is_word(word.front());
    const bool right = e == text.size() || !is_word(text[e]) || !is_word(word.back());
    if (left && right) return true;
  }
  return false;
}

// "N/10" (N at most 10) followed within 16 bytes by a symptom word is a
// score ("8/10 CP", "10/10 angina", "3/10 incisional pain"), not August 10th.
bool SymptomScore(std::string_view text, std::size_t begin, std::size_t end) {
  const std::string_view span = text.substr(begin, end - begin);
  const std::size_t slash = span.find('/');
  if (slash == std::string_view::npos || span.substr(slash + 1) != "10") return false;
  if (slash > 2 || (slash == 2 && span.substr(0, 2) != "10")) return false;
  static constexpr std::string_view kSymptoms[] = {"pain",   "cp",       "angina", "discomfort", "pressure", "ache",
                                                   "aching", "headache", "ha",     "nausea",     "sob"};
  const std::string after = AsciiLower(text.substr(end, std::min<std::size_t>(16, text.size() - end)));
  // "CP 8/10", "pain 7/10": the symptom may come just before the score too.
  const std::size_t from = begin >= 8 ? begin - 8 : 0;
  const std::string before = AsciiLower(text.substr(from, begin - from));
  for (const auto w : kSymptoms) {
    if (HasWord(after, w) || HasWord(before, w)) return true;
  }
  return false;
}

bool WordByteAt(std::string_view text, std::size_t k) {
  const auto c = static_cast<unsigned char>(text[k]);
  return AsciiIsAlnum(c) || c >= 0x80;
}

}  // namespace

ContextWords::ContextWords(const Rule& rule) : window_(static_cast<std::size_t>(rule.context_window)) {
  for (const auto& c : rule.context_before) before_.push_back(AsciiLower(c));
  for (const auto& c : rule.context_not_before) not_before_.push_back(AsciiLower(c));
  for (const auto& c : rule.context_not_after) not_after_.push_back(AsciiLower(c));
}

bool ContextWords::Accept(std::string_view text, std::size_t begin, std::size_t end, std::string_view& word) const {
  if (!not_after_.empty()) {
    std::size_t to = std::min(text.size(), end + window_);
    // Only whole words count: a word the window's edge cuts ("pai|n") is left out.
    while (to > end && to < text.size() && WordByteAt(text, to - 1) && WordByteAt(text, to)) --to;
    const std::string after = AsciiLower(text.substr(end, to - end));
    for (const auto& w : not_after_) {
      if (HasWord(after, w)) return false;
    }
  }
  if (before_.empty() && not_before_.empty()) return true;
  std::size_t from = begin > window_ ? begin - window_ : 0;
  // Likewise at the start: "cardi|ac arrest 9/11" has no "ac" (A/C) before the date.
  while (from > 0 && from < begin && WordByteAt(text, from - 1) && WordByteAt(text, from)) ++from;
  const std::string before = AsciiLower(text.substr(from, begin - from));
  for (const auto& w : not_before_) {
    if (HasWord(before, w)) return false;
  }
  if (before_.empty()) return true;
  for (const auto& w : before_) {
    if (HasWord(before, w)) {
      word = w;
      return true;
    }
  }
  return false;
}

namespace {

class RegexDetector final : public Detector {
 public:
  RegexDetector(std::unique_ptr<RE2> re, std::uint32_t rule, bool trim, std::string validator, const Rule& r,
                WindowFn windows)
      : re_(std::move(re)), rule_(rule), trim_(trim), validator_(std::move(validator)), context_(r), windows_(windows) {
    groups_ = re_->NumberOfCapturingGroups();
  }

  void Find(std::string_view text, std::vector<Candidate>& out) const override {
    if (windows_ == nullptr) {
      FindIn(text, 0, text.size(), out);
      return;
    }
    thread_local Windows windows;  // reused: most posts have a window or none, and no malloc then
    windows.clear();
    windows_(text, windows);
    for (const auto& [b, e] : windows) FindIn(text, b, e, out);
  }

 private:
  // The matches inside text[from, to), the whole text their context.
  void FindIn(std::string_view text, std::size_t from, std::size_t to, std::vector<Candidate>& out) const {
    const re2::StringPiece input(text.data(), text.size());
    constexpr int kMaxSub = 10;  // the whole match and up to 9 groups; the first group that took part is the span
    constexpr std::size_t kRescanLimit = 256;
    re2::StringPiece sub[kMaxSub];
    const int nsub = std::min(groups_ + 1, kMaxSub);
    std::size_t pos = from;
    // The overall match first (DFA only: fast), then the groups on just that
    // span; asking for groups on the whole text would run the slower engines
    // over all of it.
    while (pos <= to && re_->Match(input, pos, to, RE2::UNANCHORED, sub, 1)) {
      if (nsub > 1) {
        const auto b = static_cast<std::size_t>(sub[0].data() - text.data());
        const std::size_t e = b + sub[0].size();
        if (!re_->Match(input, b, e, RE2::ANCHOR_BOTH, sub, nsub)) break;  // cannot happen: the same span matched
      }
      const re2::StringPiece whole = sub[0];
      re2::StringPiece span = whole;
      for (int g = 1; g < nsub; ++g) {
        if (sub[g].data() != nullptr) {
          span = sub[g];
          break;
        }
      }
      auto begin = static_cast<std::size_t>(span.data() - text.data());
      auto end = begin + span.size();
      if (trim_) {
        while (end > begin && IsTrailingPunct(text[end - 1])) --end;
      }
      bool ok = end > begin && Validate(validator_, text, begin, end);
      std::string_view word;
      if (ok && !context_.empty()) ok = context_.Accept(text, begin, end, word);
      if (ok)
        out.push_back(Candidate{begin, end, rule_, word.empty() ? "pattern" : "context '" + std::string(word) + "'"});
      const auto whole_begin = static_cast<std::size_t>(whole.data() - text.data());
      std::size_t next = whole_begin + whole.size();
      // A rejected match must not hide one that overlaps it ("$20 on cash app to $jess": "20" is
      // no handle, "$jess" is): the search goes on after the rejected span, not after the whole
      // match. Only for short matches, so a pattern with long matches stays linear.
      if (!ok && whole.size() <= kRescanLimit) {
        next = std::min(next, static_cast<std::size_t>(span.data() - text.data()) + span.size());
      }
      pos = next > whole_begin ? next : whole_begin + 1;
    }
  }

  std::unique_ptr<RE2> re_;
  std::uint32_t rule_;
  bool trim_;
  std::string validator_;
  ContextWords context_;
  WindowFn windows_;
  int groups_ = 0;
};

// A code detector's candidates, less those its rule's context words reject.
class ContextFiltered final : public Detector {
 public:
  ContextFiltered(std::unique_ptr<Detector> inner, const Rule& rule) : inner_(std::move(inner)), context_(rule) {}

  void Find(std::string_view text, std::vector<Candidate>& out) const override {
    const std::size_t first = out.size();
    inner_->Find(text, out);
    std::size_t kept = first;
    for (std::size_t k = first; k < out.size(); ++k) {
      std::string_view word;
      if (!context_.Accept(text, out[k].begin, out[k].end, word)) continue;
      if (!word.empty()) out[k].evidence += ", context '" + std::string(word) + "'";
      if (kept != k) out[kept] = std::move(out[k]);
      ++kept;
    }
    out.resize(kept);
  }

 private:
  std::unique_ptr<Detector> inner_;
  ContextWords context_;
};

}  // namespace

const BuiltinDetector* FindBuiltin(std::string_view name) {
  for (const auto& b : kBuiltins) {
    if (b.name == name) return &b;
  }
  return nullptr;
}

std::vector<std::string_view> BuiltinDetectors() {
  std::vector<std::string_view> names;
  for (const auto& b : kBuiltins) names.push_back(b.name);
  return names;
}

bool IsValidator(std::string_view name) {
  return name == "luhn" || name == "ssn" || name == "ipv4" || name == "age90" || name == "place" ||
         name == "place-before" || name == "ward";
}

// A national number with its trunk 0 ("020 7946 0958") has 9-11 digits; a
// run of clock times ("0400 0600 0800") has 12. Other phone forms pass.
bool NationalPhoneDigits(std::string_view span) {
  if (!span.starts_with('0') && !span.starts_with("(0")) return true;
  const auto digits =
      std::count_if(span.begin(), span.end(), [](char c) { return AsciiIsDigit(static_cast<unsigned char>(c)); });
  return digits >= 9 && digits <= 11;
}

// A street address, not a phrase that ends in a street word: "2 IVs in place",
// "HR 80-103 SR to ST" (sinus tachycardia), "3 way foley in place".
bool AddressNotPhrase(std::string_view span) {
  const std::string low = AsciiLower(span);
  if (low.find("box") != std::string::npos && low.find_first_of("0123456789") != std::string::npos &&
      low.find("p") < 3) {
    return true;  // P.O. Box
  }
  // The words between the number and the street word.
  std::vector<std::string> words;
  std::string w;
  for (const char c : low) {
    if (AsciiIsAlnum(static_cast<unsigned char>(c)) || c == '\'' || c == '-') {
      w += c;
    } else if (!w.empty()) {
      words.push_back(std::move(w));
      w.clear();
    }
  }
  if (!w.empty()) words.push_back(std::move(w));
  static constexpr std::string_view kNotNames[] = {
      "in",    "to",      "with",  "of",   "and",   "at",    "for",   "on", "from",  "by",     "per",  "or",    "then",
      "into",  "up",      "x",     "sr",   "nsr",   "hr",    "st",    "w",  "s",     "is",     "was",  "are",   "has",
      "had",   "iv",      "ivs",   "iv's", "the",   "trach", "foley", "ct", "drain", "drains", "tube", "tubes", "line",
      "lines", "breaths", "beats", "bpm",  "units", "mg",    "mcg",   "ml", "cc",    "meq"};
  const auto listed = [](std::span<const std::string_view> list, const std::string& word) {
    return std::find(list.begin(), list.end(), word) != list.end();
  };
  // The unit after the street word ("St. Apt 5", "Ave #2") is left out: the
  // street word is then the last word.
  std::size_t street = words.size();
  static constexpr std::string_view kUnits[] = {"apt", "apartment", "unit", "suite", "ste"};
  if (street >= 2 && listed(kUnits, words[street - 2])) {
    street -= 2;
  } else if (street >= 1 && span.find('#') != std::string_view::npos) {
    street -= 1;
  }
  for (std::size_t i = 1; i + 1 < street; ++i) {
    if (listed(kNotNames, words[i])) return false;
  }
  // "16 u lente SQ." is a dose; "1200 U Street" is Washington's U Street.
  if (span.find(" u ") != std::string_view::npos) return false;
  // A street without a number: its first word is a name ("Maple Street"), not
  // a word that starts a sentence ("The Lane was closed", "My Drive").
  if (!words.empty() && !AsciiIsDigit(static_cast<unsigned char>(words[0][0]))) {
    static constexpr std::string_view kNotStreetNames[] = {"a",   "an",    "my",   "our",  "your",  "his",
                                                           "her", "their", "this", "that", "every", "each",
                                                           "one", "no",    "any",  "some"};
    if (listed(kNotNames, words[0]) || listed(kNotStreetNames, words[0])) return false;
  }
  // ST, CT and SQ in capitals without a full stop are sinus tachycardia, chest
  // tubes and subcutaneous ("2 MEDIASTINAL CT", "4 MG SQ", "3 EPISODES ST"),
  // not streets, courts and squares ("19 Clover St.", "5 Elm Ct").
  for (const std::string_view abbr : {"ST", "CT", "SQ"}) {
    for (std::size_t at = span.find(abbr); at != std::string_view::npos; at = span.find(abbr, at + 1)) {
      const std::size_t after = at + abbr.size();
      const bool word_start = at > 0 && span[at - 1] == ' ';
      const bool word_end = after == span.size() || !AsciiIsAlnum(static_cast<unsigned char>(span[after]));
      if (word_start && word_end && (after == span.size() || span[after] != '.')) return false;
    }
  }
  return true;
}

// u/x that is a dose rate, not a Reddit user: "5 u/min", "insulin 2 u/hour".
bool HandleNotUnit(std::string_view span) {
  if (span.front() == '@') return true;
  const auto slash = span.find("u/");
  if (slash == std::string_view::npos) {
    // A name a platform word cues: not a number or a year ("tiktok 2023").
    return span.size() >= 3 && span.find_first_not_of("0123456789.") != std::string_view::npos;
  }
  const std::string rest = AsciiLower(span.substr(slash + 2));
  for (const std::string_view unit : {"min", "mins", "minute", "hour", "hours", "day", "days", "dose", "kg", "hr",
                                      "hrs", "ml", "cc", "unit", "week", "wk", "meal"}) {
    if (rest == unit) return false;
  }
  return true;
}

bool Validate(std::string_view name, std::string_view text, std::size_t& begin, std::size_t& end) {
  if (name.empty()) return true;
  const std::string_view span = text.substr(begin, end - begin);
  if (name == "handle") return HandleNotUnit(span);
  if (name == "phone") return NationalPhoneDigits(span);
  if (name == "address") return AddressNotPhrase(span);
  if (name == "luhn") return Luhn(span);
  if (name == "ssn") return Ssn(span);
  if (name == "ipv4") return Ipv4(span);
  if (name == "age90") return Age90(span) && !AgeIsAMeasure(text, end);
  if (name == "date") {
    // "2023-03-14T10:00": the pattern takes "T1" (RE2 has no look-ahead); the time stays.
    if (end - begin > 9 && text[end - 2] == 'T' && AsciiIsDigit(static_cast<unsigned char>(text[end - 1]))) end -= 2;
    if (DateTypedOddly(text, begin, end)) return !SymptomScore(text, begin, end);
    return DateNotScore(text.substr(begin, end - begin)) && !InNumericRun(text, begin, end) &&
           !SymptomScore(text, begin, end);
  }
  if (name == "place") return AdjustPlace(text, begin, end);
  if (name == "place-before") return PlaceBeforeFacility(text, begin, end);
  if (name == "ward") return Ward(text, begin, end);
  if (name == "facility") {
    // Words that name a hospital only at the end of a name ("Riverside Methodist").
    const bool last_word = span == "General" || span == "Methodist" || span == "Baptist" || span == "Presbyterian";
    // A school needs its name: "Lincoln Elementary", "Roosevelt High School", not "In High School I".
    const bool school = span.starts_with("Elementary") || span.ends_with(" School");
    const std::size_t word = begin;
    return (!last_word || GeneralHospital(text, end)) && ExtendFacility(text, begin, end) &&
           TrimFacility(text, begin, end) && (span != "General" || !OfficeGeneral(text, begin, end)) &&
           (!school || begin < word);
  }
  return false;
}

namespace {

// Short-link and media hosts whose top-level domain the url pattern leaves out
// because it is a word or rare ("youtu.be/x", "i.redd.it/x.jpg", "pin.it/x"),
// found from each '/' rather than by a pattern: as regex alternatives they
// cost 3-16% of a safe-harbor pass, in DFA states. A path must follow.
class ShortLinkDetector final : public Detector {
 public:
  explicit ShortLinkDetector(std::uint32_t rule) : rule_(rule) {}

  void Find(std::string_view text, std::vector<Candidate>& out) const override {
    static constexpr std::string_view kHosts[] = {"youtu.be", "redd.it",     "amzn.to", "amzn.eu", "lnkd.in", "flic.kr",
                                                  "spoti.fi", "instagr.am",  "pin.it",  "rb.gy",   "is.gd",   "v.gd",
                                                  "bit.do",   "tiny.cc",     "dlvr.it", "ift.tt",  "lnk.to",  "trib.al",
                                                  "qr.ae",    "shorturl.at", "bl.ink"};
    const auto url_byte = [](char c) {
      return c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '<' && c != '>' && c != '"' && c != '\'' &&
             c != '`';
    };
    const auto host_byte = [](char c) { return AsciiIsAlnum(static_cast<unsigned char>(c)) || c == '.' || c == '-'; };
    for (std::size_t slash = text.find('/'); slash != std::string_view::npos; slash = text.find('/', slash + 1)) {
      if (slash + 1 >= text.size() || !url_byte(text[slash + 1]) || text[slash + 1] == '/') continue;
      // Every host ends in a letter: most slashes ("1/2", "BP 120/80") follow none.
      if (slash == 0 || !AsciiIsAlpha(static_cast<unsigned char>(text[slash - 1]))) continue;
      for (const std::string_view host : kHosts) {
        if (slash < host.size()) continue;
        std::size_t begin = slash - host.size();
        bool same = true;
        for (std::size_t k = 0; k < host.size() && same; ++k)
          same = AsciiToLower(static_cast<unsigned char>(text[begin + k])) == host[k];
        // The host starts the name, or a subdomain does ("i.redd.it"), and no word byte is glued before it.
        if (!same || (begin > 0 && text[begin - 1] != '.' && host_byte(text[begin - 1]))) continue;
        while (begin > 0 && host_byte(text[begin - 1])) --begin;
        if (begin > 0 && static_cast<unsigned char>(text[begin - 1]) >= 0x80) break;
        std::size_t end = slash + 1;
        while (end < text.size() && url_byte(text[end])) ++end;
        while (end > slash + 1 && IsTrailingPunct(text[end - 1])) --end;
        if (end > slash + 1) out.push_back(Candidate{begin, end, rule_, "short-link host"});
        slash = end - 1;
        break;
      }
    }
  }

 private:
  std::uint32_t rule_;
};

// `lower` (ASCII, lower case) is written at t[k], in any case.
bool LowerAt(std::string_view t, std::size_t k, std::string_view lower) {
  if (k + lower.size() > t.size()) return false;
  for (std::size_t i = 0; i < lower.size(); ++i) {
    if (AsciiToLower(static_cast<unsigned char>(t[k + i])) != lower[i]) return false;
  }
  return true;
}

// "th", "st", "nd" or "rd" at t[k], any case: an ordinal's letters ("95th", "91st", "3RD").
bool OrdinalSuffixAt(std::string_view t, std::size_t k) {
  return LowerAt(t, k, "th") || LowerAt(t, k, "st") || LowerAt(t, k, "nd") || LowerAt(t, k, "rd");
}

// The year written at t[b, e) when it is four digits from `first` to `last` with no word
// glued to either end; else 0.
int YearAt(std::string_view t, std::size_t b, std::size_t e, int first, int last) {
  if (e - b != 4 || e > t.size() || (b > 0 && RegexWordByte(t[b - 1])) || (e < t.size() && RegexWordByte(t[e]))) {
    return 0;
  }
  int year = 0;
  for (std::size_t k = b; k < e; ++k) {
    if (!AsciiIsDigit(static_cast<unsigned char>(t[k]))) return 0;
    year = year * 10 + (t[k] - '0');
  }
  return year >= first && year <= last ? year : 0;
}

// The first ASCII digit of `text` at or after `from` (text.size() when none).
// Posts have few digits: eight bytes at a time while none is one (XOR makes
// digits 0-9, and a word has a byte below 10 when a subtraction borrows into
// its top bit; a borrow may flag a byte wrongly, so flagged bytes are read one
// by one).
std::size_t NextDigit(std::string_view text, std::size_t from) {
  const std::size_t n = text.size();
  std::size_t d = from;
  while (d < n) {
    while (d + 8 <= n) {
      std::uint64_t v;
      std::memcpy(&v, text.data() + d, 8);
      const std::uint64_t x = v ^ 0x3030303030303030ULL;
      if (((x - 0x0A0A0A0A0A0A0A0AULL) & ~x & 0x8080808080808080ULL) != 0) break;
      d += 8;
    }
    for (const std::size_t stop = std::min(n, d + 8); d < stop; ++d) {
      if (AsciiIsDigit(static_cast<unsigned char>(text[d]))) return d;
    }
  }
  return n;
}

// The first "nineties" in any case at or after `from` (text.size() when none): Horspool's
// search, each byte folded to lower case, with a shift per byte value.
std::size_t FindNineties(std::string_view text, std::size_t from) {
  static constexpr std::string_view kWord = "nineties";
  static const std::array<std::uint8_t, 256> kShift = [] {
    std::array<std::uint8_t, 256> t{};
    t.fill(static_cast<std::uint8_t>(kWord.size()));
    for (std::size_t i = 0; i + 1 < kWord.size(); ++i) {
      const auto shift = static_cast<std::uint8_t>(kWord.size() - 1 - i);
      t[static_cast<unsigned char>(kWord[i])] = shift;
      t[static_cast<unsigned char>(kWord[i] - 'a' + 'A')] = shift;
    }
    return t;
  }();
  const std::size_t m = kWord.size();
  for (std::size_t i = from; i + m <= text.size();) {
    const auto last = static_cast<unsigned char>(text[i + m - 1]);
    if ((last | 0x20) == 's' && LowerAt(text, i, kWord)) return i;
    i += kShift[last];
  }
  return text.size();
}

// Ages of 90 and over (HIPAA); the number, or the words, is the span:
//  - before "years old", "year-old", "yrs old", "y.o.", "y/o", "yo": "92 y.o.", "93yo",
//    "ninety-four years old";
//  - after "age", "aged", "ages", "age of", "turned", "turning", "turns", "died at",
//    "passed (away) at", "I'm", "I am", "I was", and "X's", "X is", "X was" for X who, he,
//    she, or a parent or grandparent ("my nan is 96", "mom's ninety-two", "aged: 93");
//  - before "birthday": "95th birthday", "her ninetieth birthday", "one hundredth birthday";
//  - a decade after a possessive: "in her late 90s", "in his nineties";
// never before a measure ("she's 95 lbs", "he is 98%", "he was 99.5"), nor glued to a word
// ("aged92"). Found in code from each number of 90-119, each 'y' (of "ninety" and
// "birthday") and each "nineties" (FindNineties), on the posts the prefilter set finds such a number or word in: as a
// pattern, whose cues may start at many words, it cost 4% of a pass on the fixture posts in the set's DFA states, and
// each cue added cost 1-3% more.
class AgeDetector final : public Detector {
 public:
  explicit AgeDetector(std::uint32_t rule) : rule_(rule) {}

  void Find(std::string_view text, std::vector<Candidate>& out) const override {
    const std::size_t first = out.size();
    const std::size_t n = text.size();
    if (n == 0) return;  // memchr below wants a pointer to something
    for (std::size_t d = NextDigit(text, 0); d < n; d = NextDigit(text, d)) {
      const std::size_t b = d;  // the start of a run of digits
      while (d < n && Digit(text[d])) ++d;
      const std::size_t len = d - b;
      if (!((len == 2 && text[b] == '9') || (len == 3 && text[b] == '1' && (text[b + 1] == '0' || text[b + 1] == '1'))))
        continue;
      // After a word boundary, as the prefilter wants: "aged92" (glued) as a pattern alternative
      // cost 1% of a pass on the synthetic posts and 5% on the fixture posts.
      if (b > 0 && WordByte(text[b - 1])) continue;
      std::size_t end = d;
      const char* why = nullptr;
      if (Birthday(text, d, true, end)) {
        why = "before 'birthday'";
      } else if (len == 2 && DecadeOfPerson(text, b, d, end)) {
        why = "a person's decade";
      } else if (OrdinalOfPerson(text, b, d, end)) {
        why = "an ordinal after her, his or their";
      } else if (YearsOld(text, d)) {
        why = "before 'years old'";
      } else if (StatusPostAtLineStart(text, b, d)) {
        why = "starting a line, before 's/p'";
      } else if (AgeAndSex(text, b, d)) {
        // The number alone goes ("(90+F)"); the 'F' is no Fahrenheit here, so no Add.
        out.push_back(Candidate{b, d, rule_, "an age and a sex in brackets"});
      } else if (Bound(text, d)) {
        if (Cue(text, b, true)) {
          why = "after an age cue";
        } else if (BracketedAfterRelative(text, b, d)) {
          why = "in brackets after a relative";
        } else if (AtBeforePerson(text, b, d)) {
          why = "after 'at', before a person";
        } else if (BetweenCommasAfterRelative(text, b, d)) {
          why = "between commas after a relative";
        }
      }
      if (why != nullptr) Add(text, b, end, why, out);
    }
    // Words, in any case, without copying the post to lower case, from each 'y' (memchr: few
    // bytes are one): the end of "ninety..." and of the "birthday" after "ninetieth" and
    // "hundredth".
    for (const char y : {'y', 'Y'}) {
      for (const char* hit = static_cast<const char*>(std::memchr(text.data(), y, n)); hit != nullptr;
           hit =
               static_cast<const char*>(std::memchr(hit + 1, y, static_cast<std::size_t>(text.data() + n - hit - 1)))) {
        const auto k = static_cast<std::size_t>(hit - text.data());
        if (k < 5) continue;
        if (LowerAt(text, k - 5, "ninet") && (k == 5 || !WordByte(text[k - 6]))) {
          Ninety(text, k - 5, out);
        } else if (k >= 7 && LowerAt(text, k - 7, "birthda") && Bound(text, k + 1)) {
          Ordinal(text, k - 7, out);
        }
      }
    }
    // "in her nineties", "in his late Nineties" (no 'y' in them): a Horspool search in any case
    // (from each 'i' or 'n' it cost 3% of a PhysioNet pass; three std:: searchers, one per case,
    // 1.4%).
    for (std::size_t k = FindNineties(text, 0); k < n; k = FindNineties(text, k + 1)) NinetiesOfPerson(text, k, out);
    // Spans in text order, as a pattern reports them.
    std::sort(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(),
              [](const Candidate& x, const Candidate& y) { return x.begin < y.begin; });
  }

 private:
  static bool Digit(char c) { return AsciiIsDigit(static_cast<unsigned char>(c)); }
  static bool Letter(char c) { return AsciiIsAlpha(static_cast<unsigned char>(c)); }
  static bool WordByte(char c) { return RegexWordByte(c); }
  static bool Space(char c) { return RegexSpaceByte(c); }
  static bool Bound(std::string_view t, std::size_t k) { return k >= t.size() || !WordByte(t[k]); }
  static std::size_t SkipSpaces(std::string_view t, std::size_t k) {
    while (k < t.size() && Space(t[k])) ++k;
    return k;
  }

  void Add(std::string_view t, std::size_t b, std::size_t e, const char* why, std::vector<Candidate>& out) const {
    if (!AgeIsAMeasure(t, e)) out.push_back(Candidate{b, e, rule_, why});
  }

  // After t[k]: "th", "st", "nd" or "rd" (when `th`), one or more spaces, "birthday", "bday"
  // or "b-day" and a word boundary. `end` becomes k, or k + 2 after the ordinal's letters.
  static bool Birthday(std::string_view t, std::size_t k, bool th, std::size_t& end) {
    std::size_t e = k;
    if (th && OrdinalSuffixAt(t, k)) e = k + 2;
    const std::size_t w = SkipSpaces(t, e);
    if (w == e) return false;
    std::size_t len = 0;
    if (LowerAt(t, w, "birthday")) {
      len = 8;
    } else if (LowerAt(t, w, "bday")) {
      len = 4;
    } else if (LowerAt(t, w, "b-day")) {
      len = 5;
    }
    if (len == 0 || !Bound(t, w + len)) return false;
    end = e;
    return true;
  }

  // After t[k]: spaces, an optional hyphen, spaces, then "y.o" (an optional '.'), or "y/o",
  // "y-o", "yo", "yr old", "yrs. old", "yr-old", "year old", "years-old", "year-old" and a word
  // boundary.
  static bool YearsOld(std::string_view t, std::size_t k) {
    k = SkipSpaces(t, k);
    if (k < t.size() && t[k] == '-') k = SkipSpaces(t, k + 1);
    if (LowerAt(t, k, "y.o")) return true;
    if (LowerAt(t, k, "y/o") || LowerAt(t, k, "y-o")) return Bound(t, k + 3);
    if (LowerAt(t, k, "yo")) return Bound(t, k + 2);
    std::size_t e = 0;
    bool year = true;  // "year(s)"; "yr(s)" may take a '.'
    if (LowerAt(t, k, "years")) {
      e = k + 5;
    } else if (LowerAt(t, k, "year")) {
      e = k + 4;
    } else if (LowerAt(t, k, "yrs")) {
      e = k + 3;
      year = false;
    } else if (LowerAt(t, k, "yr")) {
      e = k + 2;
      year = false;
    } else {
      return false;
    }
    if (!year && e < t.size() && t[e] == '.') ++e;  // "yrs. old"
    e = SkipSpaces(t, e);
    if (e < t.size() && t[e] == '-') e = SkipSpaces(t, e + 1);  // "years - old", "yr-old"
    // "102 years young", as the very old are said to be.
    return (LowerAt(t, e, "old") && Bound(t, e + 3)) || (LowerAt(t, e, "young") && Bound(t, e + 5));
  }

  // The word of letters and apostrophes that ends at t[k], as written (empty when none, or
  // when a digit or '_' is glued before it); `start` becomes its first byte.
  static std::string_view WordBefore(std::string_view t, std::size_t k, std::size_t& start) {
    start = k;
    while (start > 0 && (Letter(t[start - 1]) || t[start - 1] == '\'')) --start;
    if (start > 0 && WordByte(t[start - 1])) return {};
    return t.substr(start, k - start);
  }
  // The word before the spaces (at least one) that end at t[k]; `start` becomes its first byte.
  static std::string_view PreviousWord(std::string_view t, std::size_t k, std::size_t& start) {
    std::size_t j = k;
    while (j > 0 && Space(t[j - 1])) --j;
    start = j;
    if (j == k) return {};
    return WordBefore(t, j, start);
  }
  // `w` is `lower` in any case.
  // The letters after the spaces from t[k] on ("" when no letter follows them).
  static std::string_view WordAfter(std::string_view t, std::size_t k) {
    const std::size_t a = SkipSpaces(t, k);
    std::size_t z = a;
    while (z < t.size() && Letter(t[z])) ++z;
    return t.substr(a, z - a);
  }
  static bool Is(std::string_view w, std::string_view lower) {
    return w.size() == lower.size() && LowerAt(w, 0, lower);
  }
  // `w` is one of `lower`, in any case.
  static bool IsAny(std::string_view w, std::initializer_list<std::string_view> lower) {
    return std::any_of(lower.begin(), lower.end(), [&](std::string_view l) { return Is(w, l); });
  }
  static bool Subject(std::string_view w) {
    static constexpr std::string_view kSubjects[] = {
        "who",     "he",          "she",     "mom",         "mum",  "mother", "dad",  "father",
        "grandma", "grandmother", "grandpa", "grandfather", "nana", "nan",    "gran", "granny"};
    for (const auto s : kSubjects) {
      if (Is(w, s)) return true;
    }
    return false;
  }

  // A relative, whose age a post gives in brackets ("my dad (Frank, 93)", "Mom (88) and Dad
  // (94)") or after their name ("Grandpa Joe is 95"): the subjects above but "who", "he" and
  // "she", and more relatives ("law" ends "father-in-law").
  static bool Relative(std::string_view w) {
    static constexpr std::string_view kRelatives[] = {
        "aunt",     "auntie",    "uncle",   "husband", "wife",     "partner", "grandad", "granddad",
        "gramps",   "grammy",    "nanna",   "papa",    "pop",      "pops",    "law",     "friend",
        "neighbor", "neighbour", "patient", "client",  "resident", "stepmom", "stepdad"};
    if (Subject(w)) return !Is(w, "who") && !Is(w, "he") && !Is(w, "she");
    for (const auto r : kRelatives) {
      if (Is(w, r)) return true;
    }
    return false;
  }
  // The number at t[b], ending at t[e], is in brackets after a relative, alone or after a
  // name: "grandma (93)", "my dad (Frank, 93)", "Grandma Ethel (97)". A bracket must close it, or a comma follow
  // it ("Mum (91, still driving)"): "my dad (93 kg)" is no age.
  static bool BracketedAfterRelative(std::string_view t, std::size_t b, std::size_t e) {
    const std::size_t after = SkipSpaces(t, e);
    if (after >= t.size() || (t[after] != ')' && t[after] != ',')) return false;
    std::size_t k = b;
    while (k > 0 && Space(t[k - 1])) --k;
    if (k > 0 && t[k - 1] == ',') {  // a name, then a comma
      --k;
      while (k > 0 && Space(t[k - 1])) --k;
      std::size_t start = 0;
      const std::string_view name = WordBefore(t, k, start);
      if (name.empty() || !AsciiIsUpper(static_cast<unsigned char>(name[0]))) return false;
      k = start;
      while (k > 0 && Space(t[k - 1])) --k;
    }
    if (k == 0 || t[k - 1] != '(') return false;
    --k;
    while (k > 0 && Space(t[k - 1])) --k;
    std::size_t start = 0;
    const std::string_view w = WordBefore(t, k, start);
    if (Relative(w)) return true;
    // The relative's name before the bracket: "Grandma Ethel (97)".
    if (w.empty() || !AsciiIsUpper(static_cast<unsigned char>(w[0]))) return false;
    return Relative(PreviousWord(t, start, start));
  }

  // "at" before the number at t[b], a person after it (t[e] on, a comma between may be): "At 93
  // my grandmother still gardens", "at 95, she". Not "sats at 95 on 2L", "HR at 95 his BP".
  static bool AtBeforePerson(std::string_view t, std::size_t b, std::size_t e) {
    std::size_t start = 0;
    if (!Is(PreviousWord(t, b, start), "at")) return false;
    // A vital sign before "at" makes the number a reading: "HR at 95 his BP dropped".
    const std::string_view sign = PreviousWord(t, start, start);
    if (IsAny(sign, {"hr", "sat", "sats", "spo2", "o2", "bp", "rate", "temp", "pulse", "rr", "level", "glucose"})) {
      return false;
    }
    const std::string_view next = WordAfter(t, e < t.size() && t[e] == ',' ? e + 1 : e);
    return Is(next, "she") || Is(next, "he") || Is(next, "my") || Is(next, "her") || Is(next, "his") || Relative(next);
  }

  // "her", "his", "their" (or "in my", "in your", "in our" for a decade) right before t[b],
  // maybe with "early", "mid" or "late" between.
  static bool PossessiveBefore(std::string_view t, std::size_t b, bool any_person) {
    std::size_t start = 0;
    std::string_view w = PreviousWord(t, b, start);
    if (Is(w, "early") || Is(w, "mid") || Is(w, "late")) w = PreviousWord(t, start, start);
    if (Is(w, "her") || Is(w, "his") || Is(w, "their")) return true;
    if (!any_person || !(Is(w, "my") || Is(w, "your") || Is(w, "our"))) return false;
    // "in my 90s", not "my 90s playlist" (a decade of music).
    return Is(PreviousWord(t, start, start), "in");
  }
  // "in her late 90s", "in my 90's": a decade of someone's age, from t[b] (the digits end at
  // t[d]); `end` takes in the 's'. Not "in the 90s", "BP in the 90s".
  static bool DecadeOfPerson(std::string_view t, std::size_t b, std::size_t d, std::size_t& end) {
    std::size_t e = d;
    if (e < t.size() && t[e] == '\'') ++e;
    if (e >= t.size() || (t[e] != 's' && t[e] != 'S') || !Bound(t, e + 1) || t[b + 1] != '0') return false;
    if (!PossessiveBefore(t, b, true)) return false;
    end = e + 1;
    return true;
  }
  // A relative's "'s" right before t[b]: "Mum's 90th", "grandpa's 101st".
  static bool RelativesBefore(std::string_view t, std::size_t b) {
    std::size_t start = 0;
    const std::string_view w = PreviousWord(t, b, start);
    return w.size() > 2 && LowerAt(w, w.size() - 2, "'s") && Relative(w.substr(0, w.size() - 2));
  }
  // "she celebrated her 95th", "his 101st is in May", "Mum's 90th is next week": an ordinal of
  // 90 or more after her, his, their or a relative's, that ends the clause or is followed by a
  // word of time. Not "her 95th percentile", "the 95th".
  static bool OrdinalOfPerson(std::string_view t, std::size_t b, std::size_t d, std::size_t& end) {
    if (!OrdinalSuffixAt(t, d) || !Bound(t, d + 2)) return false;
    if (!PossessiveBefore(t, b, false) && !RelativesBefore(t, b)) return false;
    if (const std::string_view next = WordAfter(t, d + 2);
        !next.empty() && !IsAny(next, {"this", "next", "last", "on", "in", "and", "with", "at", "today", "tomorrow",
                                       "soon", "is", "was", "will"})) {
      return false;
    }
    end = d + 2;
    return true;
  }
  // "my grandma, 97, lives with us", "caring for my dad, 93.": a relative, a comma, the number,
  // then a comma or the end of the sentence. Not "my dad, 90 kg" (a measure: Add).
  // So is a relative's or a titled person's name before the comma: "Grandad Jim, 96, had a
  // fall", "old Mrs Pemberton, 97, brought soup".
  // A word of time may end it instead: "Happy birthday to my Pops, 97 today!", "my grandad, 98
  // next week".
  static bool BetweenCommasAfterRelative(std::string_view t, std::size_t b, std::size_t e) {
    const std::size_t after = SkipSpaces(t, e);
    if (after < t.size() && t[after] != ',' && t[after] != '.' && t[after] != ';' && t[after] != '!' &&
        !IsAny(WordAfter(t, e), {"today", "tomorrow", "yesterday", "now", "next", "this", "last", "on"})) {
      return false;
    }
    std::size_t k = b;
    while (k > 0 && Space(t[k - 1])) --k;
    // "Mum, now 95, lives alone", "my nan, aged 97,".
    if (std::size_t s = 0; k > 0 && Letter(t[k - 1])) {
      const std::string_view w = WordBefore(t, k, s);
      if (!IsAny(w, {"now", "aged", "nearly", "almost"})) return false;
      k = s;
      while (k > 0 && Space(t[k - 1])) --k;
    }
    if (k == 0 || t[k - 1] != ',') return false;
    --k;
    while (k > 0 && Space(t[k - 1])) --k;
    std::size_t start = 0;
    const std::string_view w = WordBefore(t, k, start);
    if (Relative(w)) return true;
    if (w.size() < 2 || !AsciiIsUpper(static_cast<unsigned char>(w[0]))) return false;
    const std::string_view before = PreviousWord(t, start, start);
    return Relative(before) || Is(before, "mr") || Is(before, "mrs") || Is(before, "ms") || Is(before, "miss");
  }
  // A note's line that starts with the age, then "s/p" (status post): "98 s/p left hip fx".
  static bool StatusPostAtLineStart(std::string_view t, std::size_t b, std::size_t d) {
    std::size_t k = b;
    while (k > 0 && (t[k - 1] == ' ' || t[k - 1] == '\t')) --k;
    if (k > 0 && t[k - 1] != '\n') return false;
    const std::size_t a = SkipSpaces(t, d);
    return a > d && LowerAt(t, a, "s/p") && Bound(t, a + 3);
  }
  // An age and a sex glued in brackets: "(94F)", "[92M]", "(101M, retired)". t[d] is the
  // letter after the digits at t[b]. Not "fever (101F)": 100 F and over is a temperature.
  static bool AgeAndSex(std::string_view t, std::size_t b, std::size_t d) {
    if (d + 1 >= t.size() || (t[d + 1] != ')' && t[d + 1] != ']' && t[d + 1] != ',')) return false;
    const bool male = t[d] == 'M';  // "(92m)" may be metres or minutes
    const bool female = (t[d] == 'F' || t[d] == 'f') && d - b == 2;
    return (male || female) && b > 0 && (t[b - 1] == '(' || t[b - 1] == '[');
  }

  // A subject or a relative among the words before t[k] in its sentence (80 bytes at most).
  static bool RelativeInSentence(std::string_view t, std::size_t k) {
    const std::size_t stop = k > 80 ? k - 80 : 0;
    while (k > stop) {
      const char c = t[k - 1];
      if (c == '.' || c == '!' || c == '?' || c == '\n' || c == ';') return false;
      if (!Letter(c)) {
        --k;
        continue;
      }
      std::size_t start = 0;
      const std::string_view w = WordBefore(t, k, start);
      if (!w.empty() && (Subject(w) || Relative(w))) return true;
      k = start < k ? start : k - 1;
    }
    return false;
  }

  // A cue ends right before t[b] (`colon`: spaces, an optional ':' and spaces between).
  static bool Cue(std::string_view t, std::size_t b, bool colon) {
    std::size_t k = b;
    while (k > 0 && Space(t[k - 1])) --k;
    if (colon && k > 0 && t[k - 1] == ':') {
      --k;
      while (k > 0 && Space(t[k - 1])) --k;
    }
    std::size_t start = 0;
    std::string_view w = WordBefore(t, k, start);
    // An adverb between the verb and the age: "my nan is now 96", "mum's nearly ninety-three".
    if (IsAny(w, {"now", "nearly", "almost", "just", "already", "over"})) {
      k = start;
      while (k > 0 && Space(t[k - 1])) --k;
      w = WordBefore(t, k, start);
    }
    if (w.size() < 2) return false;
    if (IsAny(w, {"age", "ages", "aged", "turned", "turning", "turns", "i'm"})) return true;
    if (w.size() > 2 && LowerAt(w, w.size() - 2, "'s")) return Subject(w.substr(0, w.size() - 2));
    std::size_t prev_start = 0;
    const std::string_view prev = PreviousWord(t, start, prev_start);
    if (Is(w, "of")) return Is(prev, "age");
    if (Is(w, "at")) {
      if (Is(prev, "died") || Is(prev, "passed")) return true;
      return Is(prev, "away") && Is(PreviousWord(t, prev_start, prev_start), "passed");
    }
    if (Is(w, "is") || Is(w, "was")) {
      if (Subject(prev) || (Is(w, "was") && Is(prev, "i"))) return true;
      // A clause about a relative goes on with "and": "my mum, who lives in Cork and is 91",
      // "my dad had surgery and is 93". The relative, or who/he/she, earlier in the sentence.
      if (Is(prev, "and") || Is(prev, "but")) return RelativeInSentence(t, prev_start);
      // ... or after an aside between commas: "my grandpa Walt, a WWII vet, is 99".
      if (prev.empty() && start >= 2 && t[start - 1] == ' ' && t[start - 2] == ',') {
        return RelativeInSentence(t, start - 2);
      }
      // A relative's name before: "Grandpa Joe is 95", "my nan Edith was 101".
      if (prev.empty() || !AsciiIsUpper(static_cast<unsigned char>(prev[0]))) return false;
      return Relative(PreviousWord(t, prev_start, prev_start));
    }
    if (Is(w, "am")) return Is(prev, "i");
    // "he'll be 100 in May", "my dad will be 95".
    if (Is(w, "be")) {
      if (prev.size() > 3 && LowerAt(prev, prev.size() - 3, "'ll")) {
        return Is(prev, "i'll") || Subject(prev.substr(0, prev.size() - 3));
      }
      if (!Is(prev, "will")) return false;
      const std::string_view who = PreviousWord(t, prev_start, prev_start);
      return Is(who, "i") || Subject(who);
    }
    return false;
  }

  // "ninetieth" or "(one) hundredth" and spaces before the "birthday" at t[k].
  void Ordinal(std::string_view t, std::size_t k, std::vector<Candidate>& out) const {
    std::size_t e = k;
    while (e > 0 && Space(t[e - 1])) --e;
    if (e == k || e < 9 || !(LowerAt(t, e - 9, "ninetieth") || LowerAt(t, e - 9, "hundredth"))) return;
    std::size_t b = e - 9;
    if (b > 0 && WordByte(t[b - 1])) return;
    if (LowerAt(t, b, "hundredth")) {
      // "one hundredth birthday": the "one" too.
      std::size_t o = b;
      while (o > 0 && Space(t[o - 1])) --o;
      if (o < b && o >= 3 && LowerAt(t, o - 3, "one") && (o == 3 || !WordByte(t[o - 4]))) b = o - 3;
    }
    Add(t, b, e, "before 'birthday'", out);
  }

  // "ninety" at t[p], after a word boundary: "ninety", "ninety-two", "ninety-second".
  void Ninety(std::string_view t, std::size_t p, std::vector<Candidate>& out) const {
    static constexpr std::string_view kUnits[] = {"one", "two",   "three", "four", "five",
                                                  "six", "seven", "eight", "nine"};
    static constexpr std::string_view kOrdinals[] = {"first", "second",  "third",  "fourth", "fifth",
                                                     "sixth", "seventh", "eighth", "ninth"};
    if (!LowerAt(t, p, "ninety")) return;
    const std::size_t end = p + 6;
    // A unit after spaces or hyphens: ordinal ("ninety-second birthday") or cardinal
    // ("ninety-two"). Where neither makes an age, "ninety" alone may ("turned ninety-ish").
    std::size_t k = end;
    while (k < t.size() && (Space(t[k]) || t[k] == '-')) ++k;
    if (k > end) {
      for (const auto o : kOrdinals) {
        std::size_t e = k + o.size();
        if (LowerAt(t, k, o) && Birthday(t, e, false, e)) return Add(t, p, e, "before 'birthday'", out);
      }
      for (const auto u : kUnits) {
        if (!LowerAt(t, k, u)) continue;
        const std::size_t e = k + u.size();
        if (YearsOld(t, e)) return Add(t, p, e, "before 'years old'", out);  // "ninety-twoyo" too
        if (Bound(t, e) && Cue(t, p, false)) return Add(t, p, e, "after an age cue", out);
      }
    }
    if (YearsOld(t, end)) {
      Add(t, p, end, "before 'years old'", out);
    } else if (Bound(t, end) && Cue(t, p, false)) {
      Add(t, p, end, "after an age cue", out);
    }
  }

  // "nineties" at t[p] after a word boundary, a decade of a person's age: "in her nineties", "in
  // my late nineties", "in his mid-nineties" (not "in the nineties", "the nineties' music").
  void NinetiesOfPerson(std::string_view t, std::size_t p, std::vector<Candidate>& out) const {
    if (!LowerAt(t, p, "nineties") || !Bound(t, p + 8)) return;
    std::size_t b = p;
    if (b > 0 && t[b - 1] == '-') {  // "mid-nineties": the possessive is before "mid"
      std::size_t start = 0;
      const std::string_view w = WordBefore(t, b - 1, start);
      if (!IsAny(w, {"early", "mid", "late"})) return;
      b = start;
    } else if (b > 0 && WordByte(t[b - 1])) {
      return;
    }
    if (!PossessiveBefore(t, b, true)) return;
    Add(t, p, p + 8, "a person's decade", out);
  }

  std::uint32_t rule_;
};

}  // namespace

// Years of birth that say someone is 90 or older (Safe Harbor: "all elements of dates
// (including year) indicative of such age"): a year from 1800 to `oldest` (OldestYear()) after
// a birth word in the 40 bytes before it on its line ("born in 1931", "b. 1928", "DOB: 1930",
// "my nan (born in the spring of 1932)") or "born" in the 40 after it in its sentence ("In
// 1931 my nan was born"), and a lifespan of 90 years or more ("1931-2023",
// "1925 \u2013 2020"), both years. A date around such a year ("born 3/14/1931") is the date
// rule's, which keeps no year this old either (Generalize). From each digit, on the posts the
// prefilter set finds a year of the 1800s or 1900s in.
class BirthYearDetector final : public Detector {
 public:
  BirthYearDetector(std::uint32_t rule, int oldest) : rule_(rule), oldest_(oldest) {}

  void Find(std::string_view text, std::vector<Candidate>& out) const override {
    const std::size_t n = text.size();
    for (std::size_t d = NextDigit(text, 0); d < n; d = NextDigit(text, d)) {
      const std::size_t b = d;
      while (d < n && AsciiIsDigit(static_cast<unsigned char>(text[d]))) ++d;
      const int year = YearAt(text, b, d, 1800, 1999);
      if (year == 0 || year > oldest_) continue;
      // A lifespan: a dash and a year 90 or more years later, not after now.
      std::size_t k = d;
      while (k < n && text[k] == ' ') ++k;
      std::size_t dash = 0;
      if (k < n && text[k] == '-') {
        dash = 1;
      } else if (text.substr(k, 3) == "\u2013" || text.substr(k, 3) == "\u2014") {
        dash = 3;
      }
      if (dash != 0) {
        std::size_t y = k + dash;
        while (y < n && text[y] == ' ') ++y;
        if (const int last = YearAt(text, y, y + 4, 1800, 2099); last != 0) {
          if (last - year >= 90 && last <= oldest_ + 90) {
            out.push_back(Candidate{b, y + 4, rule_, "lifespan of 90+ years"});
            d = y + 4;
            continue;
          }
        }
      }
      if (BirthWordBefore(text, b) || BornAfter(text, d)) {
        out.push_back(Candidate{b, d, rule_, "year of birth of someone 90+"});
      }
    }
  }

 private:
  static bool BirthWordBefore(std::string_view t, std::size_t b) {
    std::size_t from = b > 40 ? b - 40 : 0;
    if (const auto nl = t.substr(from, b - from).rfind('\n'); nl != std::string_view::npos) from += nl + 1;
    const std::string before = AsciiLower(t.substr(from, b - from));
    for (const std::string_view w : {"born", "birth", "birthday", "birthdate", "dob", "d.o.b", "yob", "b."}) {
      if (HasWord(before, w)) return true;
    }
    return false;
  }

  // "born" in the 40 bytes after t[e], in the same sentence: "In 1931 my grandma was born".
  static bool BornAfter(std::string_view t, std::size_t e) {
    std::size_t to = std::min(t.size(), e + 40);
    for (std::size_t k = e; k < to; ++k) {
      if (t[k] == '.' || t[k] == '!' || t[k] == '?' || t[k] == '\n' || t[k] == ';') {
        to = k;
        break;
      }
    }
    return HasWord(AsciiLower(t.substr(e, to - e)), "born");
  }

  std::uint32_t rule_;
  int oldest_;
};

// A holiday named with its year is a date ("Christmas Eve 2019", "on Thanksgiving, 2020",
// "Easter Sunday of 1998"): the holiday is the span, the year stays (Safe Harbor keeps years).
// A holiday alone ("at Christmas") is no one's date. From each year, looking back over "of", a
// comma and spaces: as a pattern whose words may start at many letters it cost 2.6% of a pass
// on the fixture posts.
class HolidayDetector final : public Detector {
 public:
  explicit HolidayDetector(std::uint32_t rule) : rule_(rule) {}

  void Find(std::string_view text, std::vector<Candidate>& out) const override {
    static constexpr std::string_view kHolidays[] = {
        "christmas eve", "christmas day",  "christmas",     "xmas eve",         "xmas",           "new year's eve",
        "new years eve", "new year's day", "new years day", "thanksgiving day", "thanksgiving",   "easter sunday",
        "easter monday", "easter",         "halloween",     "valentine's day",  "valentines day", "independence day",
        "memorial day",  "labor day",      "labour day",    "mother's day",     "mothers day",    "father's day",
        "fathers day",   "boxing day"};
    const std::size_t n = text.size();
    for (std::size_t d = NextDigit(text, 0); d < n; d = NextDigit(text, d)) {
      const std::size_t b = d;
      while (d < n && AsciiIsDigit(static_cast<unsigned char>(text[d]))) ++d;
      if (YearAt(text, b, d, 1900, 2099) == 0) continue;
      // Back over spaces, an "of" or a comma, and spaces.
      std::size_t k = b;
      while (k > 0 && text[k - 1] == ' ') --k;
      if (k == b) continue;
      if (k >= 3 && LowerAt(text, k - 2, "of") && text[k - 3] == ' ') {
        k -= 3;
        while (k > 0 && text[k - 1] == ' ') --k;
      } else if (k > 0 && text[k - 1] == ',') {
        --k;
      }
      // Every holiday ends in a letter of "dyesnrg" (most years follow a digit or a month).
      if (k == 0 || std::string_view("dyesnrgDYESNRG").find(text[k - 1]) == std::string_view::npos) continue;
      for (const std::string_view h : kHolidays) {
        if (k < h.size()) continue;
        const std::size_t start = k - h.size();
        if ((start > 0 && RegexWordByte(text[start - 1])) || !LowerAt(text, start, h)) continue;
        out.push_back(Candidate{start, k, rule_, "holiday before a year"});
        break;
      }
    }
  }

 private:
  std::uint32_t rule_;
};

// A day of the month written as an ordinal, 1st to 31st ("11th", "2ND"), after "the" or a
// weekday, full or short, with a full stop or a comma after it ("the 11th", "Tuesday 14th",
// "Weds. 3rd", "Friday, 21st"); the ordinal is the span. The rule's context words say which
// of these are dates ("on the 11th", not "the 3rd floor").
class DayOfMonthDetector final : public Detector {
 public:
  explicit DayOfMonthDetector(std::uint32_t rule) : rule_(rule) {}

  void Find(std::string_view text, std::vector<Candidate>& out) const override {
    const std::size_t n = text.size();
    for (std::size_t d = NextDigit(text, 0); d < n; d = NextDigit(text, d)) {
      const std::size_t b = d;
      while (d < n && AsciiIsDigit(static_cast<unsigned char>(text[d]))) ++d;
      if (d - b > 2 || d + 2 > n || (b > 0 && RegexWordByte(text[b - 1]))) continue;
      if (!OrdinalSuffixAt(text, d)) continue;
      const std::size_t e = d + 2;
      if (e < n && RegexWordByte(text[e])) continue;
      const int day = d - b == 1 ? text[b] - '0' : (text[b] - '0') * 10 + (text[b + 1] - '0');
      if (day < 1 || day > 31) continue;
      // The word before, over white space (one at least) and, after a weekday, a comma and a
      // full stop ("Tues., 3rd").
      std::size_t k = b;
      while (k > 0 && RegexSpaceByte(text[k - 1])) --k;
      if (k == b) continue;
      bool punct = false;
      if (k > 0 && text[k - 1] == ',') {
        --k;
        punct = true;
      }
      if (k > 0 && text[k - 1] == '.') {
        --k;
        punct = true;
      }
      const std::size_t we = k;
      while (k > 0 && AsciiIsAlpha(static_cast<unsigned char>(text[k - 1]))) --k;
      if (we - k < 3 || (k > 0 && RegexWordByte(text[k - 1]))) continue;
      const std::string_view w = text.substr(k, we - k);
      const bool the = !punct && w.size() == 3 && LowerAt(w, 0, "the");
      if (!the && !Weekday(w)) continue;
      out.push_back(Candidate{b, e, rule_, the ? "after 'the'" : "after a weekday"});
    }
  }

 private:
  // "monday" ... "sunday", and "mon", "tue", "tues", "wed", "weds", "thu", "thur", "thurs",
  // "fri", "sat", "sun", any case.
  static bool Weekday(std::string_view w) {
    static constexpr std::string_view kDays[] = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                                                 "sunday", "mon",     "tue",       "tues",     "wed",    "weds",
                                                 "thu",    "thur",    "thurs",     "fri",      "sat",    "sun"};
    for (const auto day : kDays) {
      if (w.size() == day.size() && LowerAt(w, 0, day)) return true;
    }
    return false;
  }

  std::uint32_t rule_;
};

// A word of a capital and lower-case letters, white space, then an area word ("area",
// "county", "County", "neighborhood", "neighbourhood", "township", "Township", "suburb(s)") or
// a residence's ("House", "Lodge", "Manor"), as written, ending at a word boundary: the word
// before is the span when PlaceBeforeFacility takes it for a place (not "the Open House", "a
// Coffee House"; it may add a place word before it). The spans a search with the pattern
// "\b([A-Z][a-z]+)\s+(?:area|...)\b" and that validator finds (a test compares them).
class PlaceAreaDetector final : public Detector {
 public:
  explicit PlaceAreaDetector(std::uint32_t rule) : rule_(rule) {}

  // One of the words above, as written. By its first letter: most words of a post are
  // turned away in one compare.
  static bool AreaWord(std::string_view w) {
    if (w.size() < 4) return false;
    switch (w[0]) {
      case 'a':
        return w == "area";
      case 'c':
      case 'C':
        return w.substr(1) == "ounty";
      case 'n':
        return w == "neighborhood" || w == "neighbourhood";
      case 't':
      case 'T':
        return w.substr(1) == "ownship";
      case 's':
        return w == "suburb" || w == "suburbs";
      case 'H':
        return w == "House";
      case 'L':
        return w == "Lodge";
      case 'M':
        return w == "Manor";
      default:
        return false;
    }
  }

  void Find(std::string_view text, std::vector<Candidate>& out) const override {
    const std::size_t n = text.size();
    std::size_t done = 0;  // the end of the last match: no match starts before it
    for (std::size_t i = 0; i < n;) {
      // The next word of letters.
      while (i < n && !AsciiIsAlpha(static_cast<unsigned char>(text[i]))) ++i;
      std::size_t j = i;
      while (j < n && AsciiIsAlpha(static_cast<unsigned char>(text[j]))) ++j;
      const std::string_view w = text.substr(i, j - i);
      const std::size_t b = i;
      i = j;
      if (!AreaWord(w) || (j < n && RegexWordByte(text[j])) || (b > 0 && RegexWordByte(text[b - 1]))) continue;
      // White space, then [A-Z][a-z]+ after a word boundary.
      std::size_t k = b;
      while (k > 0 && RegexSpaceByte(text[k - 1])) --k;
      if (k == b) continue;
      const std::size_t e = k;
      while (k > 0 && AsciiIsLower(static_cast<unsigned char>(text[k - 1]))) --k;
      if (k == e || k == 0 || !AsciiIsUpper(static_cast<unsigned char>(text[k - 1]))) continue;
      --k;
      if ((k > 0 && RegexWordByte(text[k - 1])) || k < done) continue;
      std::size_t begin = k;
      std::size_t end = e;
      // As a pattern's search goes on: after the match, or after the word when it is no place.
      if (PlaceBeforeFacility(text, begin, end)) {
        out.push_back(Candidate{begin, end, rule_, "before an area word"});
        done = j;
      } else {
        done = e;
      }
    }
  }

 private:
  std::uint32_t rule_;
};

// Handles: u/name and /u/name (Reddit; 3-20 letters, digits, '_' or '-',
// ending at a word boundary), @name (a letter or '_' first, then letters,
// digits, '_', '.', '-', ending in a word byte; "@" inside no word, so not
// "jane@example.com"), and @name@instance.tld (Mastodon). The same spans as
// the pattern in the table above, found from each '@' and '/' (memchr);
// the `handle` validator then turns away units ("5 u/min").
class HandleDetector final : public Detector {
 public:
  explicit HandleDetector(std::uint32_t rule) : rule_(rule) {}

  void Find(std::string_view text, std::vector<Candidate>& out) const override {
    const std::size_t n = text.size();
    const auto next = [&](char c, std::size_t from) { return std::min(text.find(c, from), n); };
    std::size_t at = next('@', 0);
    std::size_t slash = next('/', 0);
    std::size_t done = 0;  // no new span starts before this
    while (at < n || slash < n) {
      std::size_t begin = n;
      std::size_t end = n;
      if (at < slash) {
        if (at >= done && Name(text, at, end)) begin = at;
        at = next('@', at + 1);
      } else {
        // "u/" after a word boundary, maybe after a '/' inside no word.
        if (slash >= 1 && slash - 1 >= done && text[slash - 1] == 'u' && Boundary(text, slash - 1) &&
            Reddit(text, slash + 1, end)) {
          begin = slash - 1;
          if (begin >= 1 && text[begin - 1] == '/' && begin - 1 >= done &&
              !(begin >= 2 && RegexWordByte(text[begin - 2])))
            --begin;
        }
        slash = next('/', slash + 1);
      }
      if (begin == n || !Validate("handle", text, begin, end)) continue;
      out.push_back(Candidate{begin, end, rule_, "handle"});
      done = end;
    }
  }

 private:
  static bool NameByte(char c) { return RegexWordByte(c) || c == '-'; }
  // \b at t[k]: a word byte on one side only.
  static bool Boundary(std::string_view t, std::size_t k) {
    return (k > 0 && RegexWordByte(t[k - 1])) != (k < t.size() && RegexWordByte(t[k]));
  }
  // 3-20 name bytes from t[b], ending where \b holds (the longest such).
  static bool Reddit(std::string_view t, std::size_t b, std::size_t& end) {
    std::size_t e = b;
    while (e < t.size() && e - b < 20 && NameByte(t[e])) ++e;
    for (; e >= b + 3; --e) {
      if (Boundary(t, e)) {
        end = e;
        return true;
      }
    }
    return false;
  }
  // "@name" at t[at], '@' inside no word; then maybe "@instance.tld".
  static bool Name(std::string_view t, std::size_t at, std::size_t& end) {
    const std::size_t n = t.size();
    if ((at > 0 && RegexWordByte(t[at - 1])) || at + 1 >= n) return false;
    if (!AsciiIsAlpha(static_cast<unsigned char>(t[at + 1])) && t[at + 1] != '_') return false;
    std::size_t e = at + 2;
    std::size_t last = e;  // just after the last word byte
    while (e < n && (RegexWordByte(t[e]) || t[e] == '.' || t[e] == '-')) {
      if (RegexWordByte(t[e])) last = e + 1;
      ++e;
    }
    end = last;
    // "@user@mastodon.social": a host of parts of letters, digits and '-', two or more.
    if (end < n && t[end] == '@') {
      std::size_t k = end + 1;
      int parts = 0;
      std::size_t host_end = end;
      while (true) {
        const std::size_t part = k;
        while (k < n && (AsciiIsAlnum(static_cast<unsigned char>(t[k])) || t[k] == '-')) ++k;
        if (k == part) break;
        ++parts;
        host_end = k;
        if (k + 1 >= n || t[k] != '.') break;
        ++k;
      }
      if (parts >= 2) end = host_end;
    }
    return true;
  }
  std::uint32_t rule_;
};

// Numeric dates glued to the word before them, as hurried posts and notes type
// them: "on10/14", "since3/4/22", "labs on10/14/82". The word must be one that
// dates follow (on, from, since, until ...): "x1/2", "q4/6h" and "vol3/12" are
// none; after any word when it can only be a month and a two-digit year
// ("s/p pelvic fx4/97": no day is 97). Month first, then a day or a two-digit
// year ("on4/97"), and maybe a year; the date validator then turns away fractions and runs of numbers, as
// it does for dates the pattern finds. The scan goes from '/' to '/' (memchr):
// as an alternative of the date pattern that may start at any letter it cost
// 4-9% of a pass in DFA states.
class GluedDateDetector final : public Detector {
 public:
  explicit GluedDateDetector(std::uint32_t rule) : rule_(rule) {}

  void Find(std::string_view text, std::vector<Candidate>& out) const override {
    static constexpr std::string_view kWords[] = {"on", "from",   "since", "until", "till", "til",
                                                  "by", "before", "after", "dated", "date", "dob"};
    const std::size_t n = text.size();
    const auto digit = [&](std::size_t k) { return k < n && AsciiIsDigit(static_cast<unsigned char>(text[k])); };
    const auto digits_from = [&](std::size_t k) {
      std::size_t e = k;
      while (digit(e)) ++e;
      return e;
    };
    std::size_t from = 0;
    while (from < n) {
      const void* hit = std::memchr(text.data() + from, '/', n - from);
      if (hit == nullptr) break;
      const auto slash = static_cast<std::size_t>(static_cast<const char*>(hit) - text.data());
      from = slash + 1;
      // One or two digits of the month, glued to a letter.
      std::size_t b = slash;
      while (b > 0 && slash - b < 3 && digit(b - 1)) --b;
      if (b == slash || slash - b > 2 || b == 0 || !AsciiIsAlpha(static_cast<unsigned char>(text[b - 1]))) continue;
      std::size_t w = b;
      while (w > 0 && AsciiIsAlpha(static_cast<unsigned char>(text[w - 1])) && b - w <= 6) --w;
      if (w > 0 && RegexWordByte(text[w - 1])) continue;
      bool cue = false;
      for (const std::string_view word : kWords) cue = cue || (word.size() == b - w && LowerAt(text, w, word));
      const int month = ToInt(text.substr(b, slash - b));
      const std::size_t e2 = digits_from(slash + 1);
      if (month < 1 || month > 12 || e2 == slash + 1 || e2 - slash - 1 > 2) continue;
      std::size_t end = e2;
      if (end + 1 < n && text[end] == '/' && digit(end + 1)) {
        const std::size_t e3 = digits_from(end + 1);
        if (e3 - end - 1 != 2 && e3 - end - 1 != 4) continue;
        end = e3;
      }
      if (end < n && RegexWordByte(text[end])) continue;  // "on3/4mg", "from1/2x"
      const int second = ToInt(text.substr(slash + 1, e2 - slash - 1));
      const bool month_year = end == e2 && e2 - slash - 1 == 2 && second > 31;  // "4/97": no day is 97
      if (second < 1 || (second > 31 && !month_year) || (!cue && !month_year)) continue;
      std::size_t begin = b;
      if (!Validate("date", text, begin, end)) continue;
      out.push_back(Candidate{begin, end, rule_, "date glued to the word before"});
      from = end;
    }
  }

 private:
  static int ToInt(std::string_view d) {
    int v = 0;
    for (const char c : d) v = v * 10 + (c - '0');
    return v;
  }
  std::uint32_t rule_;
};

// Postcodes of the UK and Canada as written, in capitals with their space
// ("SW1A 1AA", "M1 1AE", "K1A 0B1"), and any postcode after a word that names
// it ("postcode 2000", "postal code: k1a0b1", "eircode D02 X285"). Every
// postcode holds a digit near its start, so the scan goes from digit to digit
// (posts have few) rather than by a pattern: a pattern that may start at any
// capital letter cost 2% of a pass on PhysioNet in DFA states.
class PostcodeDetector final : public Detector {
 public:
  explicit PostcodeDetector(std::uint32_t rule) : rule_(rule) {}

  void Find(std::string_view text, std::vector<Candidate>& out) const override {
    const std::size_t n = text.size();
    std::size_t done = 0;  // no new span starts before this
    for (std::size_t d = NextDigit(text, 1); d < n; d = NextDigit(text, d + 1)) {
      std::size_t begin = 0;
      std::size_t end = 0;
      const char* why = nullptr;
      if (text[d - 1] == ' ' && Shape(text, d - 1, begin, end)) {
        why = "postcode shape";
      } else if (Cued(text, d, begin, end)) {
        why = "after 'postcode'";
      } else if (AfterAustralianState(text, d, begin, end)) {
        why = "after an Australian state";
      }
      if (why == nullptr || begin < done) continue;
      out.push_back(Candidate{begin, end, rule_, why});
      done = end;
      d = end;
    }
  }

 private:
  static bool Upper(char c) { return AsciiIsUpper(static_cast<unsigned char>(c)); }
  static bool Digit(char c) { return AsciiIsDigit(static_cast<unsigned char>(c)); }
  // A byte of a word at t[i]: "K1A 0B1_x" holds no postcode.
  static bool WordByte(std::string_view t, std::size_t i) { return i < t.size() && RegexWordByte(t[i]); }
  // Letters a UK inward code's last two and Canada's letters never use.
  static bool UkInwardLetter(char c) {
    return Upper(c) && std::string_view("CIKMOV").find(c) == std::string_view::npos;
  }
  static bool CaLetter(char c) { return Upper(c) && std::string_view("DFIOQU").find(c) == std::string_view::npos; }

  // The space at `sp` splits an outward and an inward code.
  static bool Shape(std::string_view t, std::size_t sp, std::size_t& begin, std::size_t& end) {
    if (sp == 0 || sp + 4 > t.size() || WordByte(t, sp + 4)) return false;
    std::size_t b = sp;
    while (b > 0 && sp - b < 4 && WordByte(t, b - 1)) --b;
    if (b > 0 && WordByte(t, b - 1)) return false;
    const std::string_view out = t.substr(b, sp - b);
    const std::string_view in = t.substr(sp + 1, 3);
    // Canada: A1A 1A1.
    const bool ca = out.size() == 3 && CaLetter(out[0]) && out[0] != 'W' && out[0] != 'Z' && Digit(out[1]) &&
                    CaLetter(out[2]) && CaLetter(in[1]) && Digit(in[2]);
    // UK: A9, A99, AA9, AA99, A9A or AA9A, then 9AA.
    bool uk = out.size() >= 2 && Upper(out[0]) && UkInwardLetter(in[1]) && UkInwardLetter(in[2]);
    if (uk) {
      const std::size_t k = Upper(out[1]) ? 2 : 1;
      uk = k < out.size() && Digit(out[k]);
      if (uk && k + 1 < out.size()) uk = k + 2 == out.size() && (Digit(out[k + 1]) || Upper(out[k + 1]));
    }
    if (!ca && !uk) return false;
    begin = b;
    end = sp + 4;
    return true;
  }

  // An Australian postcode after its state's code, as addresses end: "Kalgoorlie WA 6430",
  // "Parramatta NSW 2150". `d` is the first of exactly four digits, after one space.
  static bool AfterAustralianState(std::string_view t, std::size_t d, std::size_t& begin, std::size_t& end) {
    if (d < 3 || t[d - 1] != ' ' || d + 4 > t.size() || WordByte(t, d + 4)) return false;
    for (std::size_t i = d + 1; i < d + 4; ++i) {
      if (!Digit(t[i])) return false;
    }
    std::size_t b = d - 1;
    while (b > 0 && Upper(t[b - 1]) && d - 1 - b < 3) --b;
    if (b > 0 && WordByte(t, b - 1)) return false;
    const std::string_view state = t.substr(b, d - 1 - b);
    static constexpr std::string_view kStates[] = {"NSW", "VIC", "QLD", "WA", "SA", "TAS", "ACT", "NT"};
    if (std::find(std::begin(kStates), std::end(kStates), state) == std::end(kStates)) return false;
    begin = d;
    end = d + 4;
    return true;
  }

  // The digit at `d` lies among the first three bytes of a token that comes
  // after "postcode", "post code", "postal code" or "eircode" (and ":", "#"
  // or "is"). The token is the code: four digits ("2000"), 5-7 letters and
  // digits ("k1a0b1"), or 2-4 and 3-4 with a space ("SW1A 1AA", "D02 X285").
  static bool Cued(std::string_view t, std::size_t d, std::size_t& begin, std::size_t& end) {
    std::size_t b = d;
    while (b > 0 && d - b < 3 && AsciiIsAlpha(static_cast<unsigned char>(t[b - 1]))) --b;
    if (b == 0 || (t[b - 1] != ' ' && t[b - 1] != ':' && t[b - 1] != '#')) return false;
    std::size_t e = d;
    while (e < t.size() && AsciiIsAlnum(static_cast<unsigned char>(t[e]))) ++e;
    const std::size_t len = e - b;
    const bool four_digits = len == 4 && Digit(t[b]) && Digit(t[b + 1]) && Digit(t[b + 2]) && Digit(t[b + 3]);
    if (!four_digits && (len < 5 || len > 7)) {
      if (len < 2 || len > 4 || e + 1 >= t.size() || t[e] != ' ') return false;
      std::size_t e2 = e + 1;
      while (e2 < t.size() && AsciiIsAlnum(static_cast<unsigned char>(t[e2]))) ++e2;
      if (e2 - (e + 1) < 3 || e2 - (e + 1) > 4) return false;
      e = e2;
    }
    // Back over the gap and an "is" to the naming word.
    std::size_t k = b;
    const auto skip_gap = [&] {
      while (k > 0 && (t[k - 1] == ' ' || t[k - 1] == ':' || t[k - 1] == '#')) --k;
    };
    const auto word_before = [&] {
      const std::size_t we = k;
      while (k > 0 && AsciiIsAlpha(static_cast<unsigned char>(t[k - 1]))) --k;
      return AsciiLower(t.substr(k, we - k));
    };
    skip_gap();
    std::string word = word_before();
    if (word == "is") {
      skip_gap();
      word = word_before();
    }
    if (word == "code") {
      if (k == 0 || t[k - 1] != ' ') return false;
      --k;
      word = word_before();
      if (word != "post" && word != "postal") return false;
    } else if (word != "postcode" && word != "eircode") {
      return false;
    }
    begin = b;
    end = e;
    return true;
  }

  std::uint32_t rule_;
};

namespace {

// The detector of a built-in that is code (its pattern is empty).
Result<std::unique_ptr<Detector>> MakeCodeDetector(const BuiltinDetector& b, const Rule& rule, std::uint32_t rule_index,
                                                   int oldest_year) {
  if (b.name == "place-name") return MakePlaceDetector(rule, rule_index);
  if (b.name == "short-link") return std::unique_ptr<Detector>(new ShortLinkDetector(rule_index));
  if (b.name == "postcode") return std::unique_ptr<Detector>(new PostcodeDetector(rule_index));
  if (b.name == "age") return std::unique_ptr<Detector>(new AgeDetector(rule_index));
  if (b.name == "birth-year") return std::unique_ptr<Detector>(new BirthYearDetector(rule_index, oldest_year));
  if (b.name == "holiday-date") return std::unique_ptr<Detector>(new HolidayDetector(rule_index));
  if (b.name == "glued-date") return std::unique_ptr<Detector>(new GluedDateDetector(rule_index));
  if (b.name == "day-of-month") return std::unique_ptr<Detector>(new DayOfMonthDetector(rule_index));
  if (b.name == "place-area") return std::unique_ptr<Detector>(new PlaceAreaDetector(rule_index));
  if (b.name == "handle") return std::unique_ptr<Detector>(new HandleDetector(rule_index));
  return MakeNameDetector(rule, rule_index);
}

}  // namespace

Result<std::unique_ptr<Detector>> MakeDetector(const Rule& rule, std::uint32_t rule_index, int oldest_year) {
  const BuiltinDetector* b = FindBuiltin(rule.detector);
  if (b != nullptr && b->pattern.empty()) {
    auto d = MakeCodeDetector(*b, rule, rule_index, oldest_year);
    if (!d.ok() || ContextWords(rule).empty()) return d;
    return std::unique_ptr<Detector>(new ContextFiltered(std::move(d).value(), rule));
  }
  const std::string pattern = b != nullptr ? std::string(b->pattern) : rule.pattern;
  RE2::Options opts;
  opts.set_log_errors(false);
  opts.set_case_sensitive(b != nullptr ? !b->case_insensitive : !rule.case_insensitive);
  auto re = std::make_unique<RE2>(pattern, opts);
  if (!re->ok()) {
    return Status::InvalidConfig(rule.file + ":" + std::to_string(rule.line) + ": rule '" + rule.id +
                                 "': invalid pattern: " + re->error());
  }
  const std::string validator = b != nullptr ? std::string(b->validator) : rule.validator;
  return std::unique_ptr<Detector>(new RegexDetector(std::move(re), rule_index, b != nullptr && b->trim_trailing_punct,
                                                     validator, rule, b != nullptr ? b->windows : nullptr));
}

int OldestYear(std::int64_t now_unix) {
  const std::chrono::sys_days day{
      std::chrono::floor<std::chrono::days>(std::chrono::sys_seconds{std::chrono::seconds{now_unix}})};
  return static_cast<int>(std::chrono::year_month_day{day}.year()) - 90;
}

std::string Generalize(std::string_view kind, std::string_view mode, std::string_view span, int oldest_year) {
  if (kind == "age") return "90+";
  if (kind == "zip") {
    std::string d;
    if (!Digits(span, d) || d.size() < 5) return "";
    static constexpr std::array<std::string_view, 17> kRestricted{"036", "059", "063", "102", "203", "556",
                                                                  "692", "790", "821", "823", "830", "831",
                                                                  "878", "879", "884", "890", "893"};
    const std::string zip3 = d.substr(0, 3);
    for (const auto r : kRestricted) {
      if (zip3 == r) return "000";
    }
    return zip3;
  }
  if (kind == "date") {
    // Year: a 4-digit 18xx/19xx/20xx, else a trailing 2-digit year after '/', '-', '.' or an apostrophe
    // (a date of three numbers; two dates "10/03/10/04" have no year).
    std::string year;
    for (std::size_t i = 0; i + 4 <= span.size(); ++i) {
      const std::string_view y = span.substr(i, 4);
      const bool digits =
          AsciiIsDigit(static_cast<unsigned char>(y[0])) && AsciiIsDigit(static_cast<unsigned char>(y[1])) &&
          AsciiIsDigit(static_cast<unsigned char>(y[2])) && AsciiIsDigit(static_cast<unsigned char>(y[3]));
      const bool bounded = (i == 0 || !AsciiIsDigit(static_cast<unsigned char>(span[i - 1]))) &&
                           (i + 4 == span.size() || !AsciiIsDigit(static_cast<unsigned char>(span[i + 4])));
      if (digits && bounded && (y.starts_with("18") || y.starts_with("19") || y.starts_with("20"))) {
        year = std::string(y);
      }
    }
    if (year.empty() && span.size() >= 3) {
      const char sep = span[span.size() - 3];
      if ((sep == '/' || sep == '-' || sep == '.' || sep == '\'') &&
          AsciiIsDigit(static_cast<unsigned char>(span.back())) &&
          AsciiIsDigit(static_cast<unsigned char>(span[span.size() - 2])) &&
          (sep == '\'' ||
           std::count_if(span.begin(), span.end(), [](char c) { return c == '/' || c == '-' || c == '.'; }) == 2)) {
        year = "'" + std::string(span.substr(span.size() - 2));
      }
    }
    // A year that says someone is 90 or older is no year to keep.
    if (!year.empty()) {
      int full = std::atoi(year.c_str() + (year[0] == '\'' ? 1 : 0));
      if (year[0] == '\'') {
        const int now = oldest_year + 90;
        full += full <= now % 100 ? now / 100 * 100 : (now / 100 - 1) * 100;
      }
      if (full <= oldest_year) return "";
    }
    if (mode == "month") {
      static constexpr std::array<std::string_view, 12> kMonths{"January",   "February", "March",    "April",
                                                                "May",       "June",     "July",     "August",
                                                                "September", "October",  "November", "December"};
      const std::string low = AsciiLower(span);
      for (std::size_t m = 0; m < kMonths.size(); ++m) {
        if (low.find(AsciiLower(kMonths[m].substr(0, 3))) != std::string::npos) {
          return std::string(kMonths[m]) + (year.empty() ? "" : " " + year);
        }
      }
      // Numeric: month first (m/d/y) unless it is y-m-d.
      std::string d;
      if (span.size() >= 4 && span[4] == '-' && Digits(span.substr(0, 4), d) && d.size() == 4) {
        const int month = std::atoi(std::string(span.substr(5, 2)).c_str());
        if (month >= 1 && month <= 12) return std::string(kMonths[static_cast<std::size_t>(month - 1)]) + " " + year;
      }
      int month = std::atoi(std::string(span).c_str());
      if (const auto sep = span.find_first_of("/-"); month > 12 && sep != std::string_view::npos) {
        month = std::atoi(std::string(span.substr(sep + 1)).c_str());  // day first: "14/02/1985"
      }
      if (month >= 1 && month <= 12 && span.find('.') == std::string_view::npos) {
        return std::string(kMonths[static_cast<std::size_t>(month - 1)]) + (year.empty() ? "" : " " + year);
      }
      return year;
    }
    return year;
  }
  return "";
}

}  // namespace peerpulse::deid
