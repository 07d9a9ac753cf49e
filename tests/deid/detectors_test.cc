// Internal: the built-in detectors' prefilter patterns, and the age detector
// (detectors.h).
#include "detectors.h"

#include <gtest/gtest.h>
#include <re2/re2.h>

#include <memory>
#include <random>
#include <string>
#include <vector>

namespace peerpulse::deid {
namespace {

std::unique_ptr<RE2> Compile(std::string_view pattern, bool case_insensitive) {
  RE2::Options o;
  o.set_case_sensitive(!case_insensitive);
  o.set_log_errors(false);
  auto re = std::make_unique<RE2>(std::string(pattern), o);
  EXPECT_TRUE(re->ok()) << pattern;
  return re;
}

// A prefilter must match wherever its detector's pattern does (else the
// detector would be skipped on a post it had something to find in). Checked
// on the detectors' own positive examples, each also inside other text, in
// upper case and with the separators the patterns allow.
TEST(DetectorsTest, PrefiltersMatchWhereverThePatternDoes) {
  const std::vector<std::string> examples = {"jane dot doe at gmail dot com",
                                             "jane[at]example[dot]org",
                                             "j.doe[at]proton.me",
                                             "jenny (dot) smith (at) gmail",
                                             "X (AT) Y.CO.UK",
                                             "jane (at) example (dot) org",
                                             "j.doe {at} mail {dot} co",
                                             "JANE DOT DOE AT GMAIL DOT COM",
                                             "x at y dot us",
                                             "a@b.org",
                                             "first.last+tag@example.co.uk",
                                             "X_Y%z@Mail-1.example.museum",
                                             "mail me:j-d@d.io.",
                                             "9@9.zz",
                                             "u/lupus_22",
                                             "/u/someone",
                                             "@jess",
                                             "@jane@mastodon.social",
                                             "@me.bsky.social",
                                             "jess_t on discord",
                                             "snap: j.doe_92",
                                             "my INSTA is x_y.z",
                                             "Steam ID is gamer_99",
                                             "tiktok - dance_4",
                                             "my ig is jane.fights.ms",
                                             "on Instagram as the.spoonie.diaries",
                                             "my insta is JaneFightsLupus",
                                             "my tiktok account is SpoonieSarahLife",
                                             "linktr.ee/x",
                                             "youtu.be/dQw4w9",
                                             "I.REDD.IT/abc.jpg",
                                             "lnkd.in/x",
                                             "cash app $JessT",
                                             "CashApp to $j-t",
                                             "discord tag is sam#0001",
                                             "my username is spoonie_sam_1987",
                                             "GAMERTAG: x_y9",
                                             "paypal: j_doe",
                                             "see https://example.org/a?b=c",
                                             "ftp://files.example.zz",
                                             "www.example.org",
                                             "www.zyx.abc",
                                             "bit.ly/abc",
                                             "example.com",
                                             "Go to EXAMPLE.COM/path today",
                                             "a-b.c-d.health",
                                             "my.site.social",
                                             "12 Elm Street",
                                             "221B Baker Street",
                                             "near Maple Street",
                                             "1600 Pennsylvania Ave NW",
                                             "221B? no: 221 Baker St.",
                                             "5 N. Main Rd, Apt 4",
                                             "P.O. Box 123",
                                             "PO BOX 9",
                                             "po box 77",
                                             "742 Evergreen Terrace",
                                             "10 Downing Pl",
                                             "3 west 4th st",
                                             "1 Infinite Loop Way",
                                             "99 Old Mill Trl",
                                             "400 Park Avenue suite 5",
                                             "SW1A 1AA",
                                             "in M1 1AE now",
                                             "K1A 0B1",
                                             "postcode 2000",
                                             "Postcode: 2000",
                                             "postal code: k1a0b1",
                                             "my POST CODE IS EC1A 1BB",
                                             "eircode#D02 X285",
                                             "K1C 0B1_x",
                                             "92 y.o.",
                                             "aged: 93",
                                             "I'm 95",
                                             "my nan's 96",
                                             "100th birthday",
                                             "ninety-four years old",
                                             "Mom is NINETY",
                                             "her ninetieth birthday",
                                             "one hundredth  birthday",
                                             "passed away at 101",
                                             "she was 119",
                                             "102 years young",
                                             "me (94F)",
                                             "Grandad Jim, 96, fell",
                                             "born in 1931",
                                             "b. 1928",
                                             "DOB: 1930",
                                             "my nan (born in the spring of 1932)",
                                             "Dad 1931-2023",
                                             "1925 \u2013 2020",
                                             "date of birth 1899",
                                             "Christmas Eve 2019",
                                             "on THANKSGIVING of 2020",
                                             "New Year's Eve, 2021",
                                             "easter 1995",
                                             "call 410-555-0134",
                                             "(410) 555 0134",
                                             "410.555.0134 x12",
                                             "1-800-555-0199",
                                             "+44 7700 900123",
                                             "+1 (410) 555-0134",
                                             "07700 900123",
                                             "020 7946 0958",
                                             "(02) 9876 5432",
                                             "4105550134",
                                             "ON THE 11TH",
                                             "Weds. 3rd",
                                             "tuesday,\n14th",
                                             "in Edgemere area",
                                             "Grieco House NH",
                                             "the Townsend\tsuburbs"};
  int checked = 0;
  for (const std::string_view name : BuiltinDetectors()) {
    const BuiltinDetector* b = FindBuiltin(name);
    ASSERT_NE(b, nullptr);
    if (b->prefilter.empty()) continue;
    const auto prefilter = Compile(b->prefilter, b->case_insensitive);
    // A code detector (no pattern) is run on the text itself.
    const auto pattern = b->pattern.empty() ? nullptr : Compile(b->pattern, b->case_insensitive);
    std::unique_ptr<Detector> code;
    if (pattern == nullptr) {
      Rule rule;
      rule.detector = std::string(name);
      auto made = MakeDetector(rule, 0, 1936);
      ASSERT_TRUE(made.ok()) << name;
      code = std::move(made).value();
    }
    const auto finds = [&](const std::string& text) {
      if (pattern != nullptr) return RE2::PartialMatch(text, *pattern);
      std::vector<Candidate> found;
      code->Find(text, found);
      return !found.empty();
    };
    int hits = 0;
    for (const std::string& e : examples) {
      for (const std::string& text : {e, "before " + e + " after", "(" + e + ")", e + "\n", "x\t" + e}) {
        if (!finds(text)) continue;
        ++hits;
        EXPECT_TRUE(RE2::PartialMatch(text, *prefilter)) << name << ": " << text;
      }
    }
    EXPECT_GE(hits, 10) << name << ": too few examples match the pattern to test its prefilter";
    ++checked;
  }
  // email-obfuscated, platform-handle, phone, street-address, postcode, age, birth-year,
  // holiday-date, day-of-month, place-area
  EXPECT_EQ(checked, 10);
}

// The spans the detector `name` reports in `text`, as written, with 1936 as
// the oldest year (a run in 2026).
std::vector<std::string> Spans(std::string_view name, std::string_view text) {
  Rule rule;
  rule.detector = std::string(name);
  auto made = MakeDetector(rule, 0, 1936);
  EXPECT_TRUE(made.ok());
  std::vector<Candidate> found;
  (*made)->Find(text, found);
  std::vector<std::string> out;
  for (const auto& c : found) out.emplace_back(text.substr(c.begin, c.end - c.begin));
  return out;
}

std::vector<std::string> Ages(std::string_view text) { return Spans("age", text); }

TEST(DetectorsTest, AgesOfNinetyAndOver) {
  using V = std::vector<std::string>;
  EXPECT_EQ(Ages("92 y.o. woman; 93yo man; 94 yrs. old; 96 years-old; 97-year-old; 98 y/o; 110 YEARS OLD"),
            (V{"92", "93", "94", "96", "97", "98", "110"}));
  EXPECT_EQ(Ages("a 96-yr-old, a 95 yr-old, a 94-y-o"), (V{"96", "95", "94"}));
  EXPECT_EQ(Ages("aged 93, Age: 94, at the age of 95, turned 96, turning 97, turns 98, died at 99, "
                 "passed away at 100, passed at 101"),
            (V{"93", "94", "95", "96", "97", "98", "99", "100", "101"}));
  EXPECT_EQ(Ages("I'm 95. I am 96. I was 97. she's 98. He is 99. who was 91. my mom is 92. Grandma's 93. nan was 94"),
            (V{"95", "96", "97", "98", "99", "91", "92", "93", "94"}));
  // An adverb between the verb and the age; "will be" and "'ll be".
  EXPECT_EQ(Ages("my mum is now 92, she's nearly ninety-three; he'll be 100 in May, my dad will be 95, I'll be 91"),
            (V{"92", "ninety-three", "100", "95", "91"}));
  EXPECT_EQ(Ages("his BP is now 95; sats are now 93; it will be 95 today; she'll be 95 minutes late; "
                 "he'll be 100 days sober; my BP was high and is now 96"),
            V{});
  // In brackets after a relative, alone or after a name; after a relative's name.
  EXPECT_EQ(Ages("my dad (Frank, 93) and Mom (94); Mum (91, still driving); my mother-in-law (92); "
                 "Grandpa Joe is 95, my nan Edith was 101; Grandma Ethel (97) still drives"),
            (V{"93", "94", "91", "92", "95", "101", "97"}));
  // A clause about a relative that goes on with "and" or "but", in the same sentence.
  EXPECT_EQ(Ages("my mum, who lives in Cork and is 91; she lives alone but is 97"), (V{"91", "97"}));
  // ... or after an aside between commas; not without a relative in the sentence.
  EXPECT_EQ(Ages("my grandpa Walt, a WWII vet, is 99. my BP, as usual, is 95"), (V{"99"}));
  // A person's decade, an ordinal after her/his/their, an age between commas after a relative.
  EXPECT_EQ(Ages("she's in her late 90s; in my 90's, I hope; she celebrated her 95th, his 101st is next week; "
                 "my grandma, 97, lives with us; caring for my dad, 93."),
            (V{"90s", "90's", "95th", "101st", "97", "93"}));
  EXPECT_EQ(Ages("BP in the 90s all day; her 95th percentile; my dad, 90 kg, is fine; the 90s were fun; (Frank, 93); "
                 "my 90s playlist"),
            V{});
  // ... or after a relative's or a titled person's name; an age and a sex glued in brackets.
  EXPECT_EQ(Ages("Grandad Jim, 96, had a fall; old Mrs Pemberton, 97, brought soup; me (94F), mum [101M], (92M, "
                 "retired)"),
            (V{"96", "97", "94", "101", "92"}));
  EXPECT_EQ(Ages("Mum's 90th is next week; grandpa's 101st."), (V{"90th", "101st"}));
  // A note's line that starts with the age and "s/p".
  EXPECT_EQ(Ages("CCU NPN:\n98 s/p left hip fx\n  93 s/p CABG"), (V{"98", "93"}));
  EXPECT_EQ(Ages("HR 98 s/p bolus\n98% s/p suction\n100 s/pin"), V{});
  EXPECT_EQ(Ages("Mum's 95th percentile; the hospital's 90th"), V{});
  EXPECT_EQ(Ages("Room Bailey, 96, east; fever (101F); a walk (95m); it was 92F today; (93F is hot); Tesco, 97, too"),
            V{});
  // After "at", before a person; not a reading after a vital sign.
  EXPECT_EQ(Ages("At 93 my grandmother still gardens; at 95, she drove. sats at 96 on 2L, HR at 97 his BP fell"),
            (V{"93", "95"}));
  EXPECT_EQ(Ages("my BP was high and is 95 now. Dad is home. It went up and is 96"), V{});
  EXPECT_EQ(Ages("my dad (93 kg); BP (95) fine; (Frank, 93); my dad (frank, 93); Dr Joe is 95% sure; "
                 "the drug Joe is 95; Grandpa joe is 95; Dr Joe (95); my dad Joe (95 kg)"),
            V{});
  EXPECT_EQ(Ages("her 95th birthday, his 100 birthday, her Ninetieth birthday, ninety-second birthday, "
                 "one hundredth birthday, grandpa's 91st bday, her 92nd b-day, 93rd Birthday"),
            (V{"95th", "100", "Ninetieth", "ninety-second", "one hundredth", "91st", "92nd", "93rd"}));
  EXPECT_EQ(Ages("my great-grandmother, 102 years young; a 95-year-young man"), (V{"102", "95"}));
  EXPECT_EQ(Ages("ninety-four years old, turned ninety, she is NINETY-TWO, I'm ninety one, ninety-twoyo"),
            (V{"ninety-four", "ninety", "NINETY-TWO", "ninety one", "ninety-two"}));
  // Measures, other numbers, glued or bare numbers, and "ninety" without a cue.
  EXPECT_EQ(Ages("she's 95 lbs, he is 98%, he was 99.5, I'm 95% sure, 1995 yo, 092 yo, x92 yo, aged92, 89 y.o., "
                 "120 yo, page 92, ninety percent of them, turned ninetyish, she is ninety percent better, "
                 "hundredth time, 95 birthdays"),
            V{});
}

// An ordinal day after "the" or a weekday, full or short; the ordinal is the span (the rule's
// context words then say which are dates).
TEST(DetectorsTest, DaysOfTheMonthAfterTheOrAWeekday) {
  using V = std::vector<std::string>;
  EXPECT_EQ(Spans("day-of-month", "on the 11th, THE 2ND, Tuesday 14th, Weds. 3rd, Friday, 21st, sat 1st, Tues., 31st"),
            (V{"11th", "2ND", "14th", "3rd", "21st", "1st", "31st"}));
  EXPECT_EQ(Spans("day-of-month",
                  "the 32nd, the 0th, the 111th, the, 3rd, bathe 3rd, the3rd, the 3rds, Friday my 3rd, "
                  "sundays 4th, x1st, 4th"),
            V{});
}

// A holiday before a year (over "of", a comma, spaces); the year is no part of the span.
TEST(DetectorsTest, HolidaysWithTheirYear) {
  using V = std::vector<std::string>;
  EXPECT_EQ(Spans("holiday-date", "on Christmas Eve 2019, THANKSGIVING of 2020, New Year's Eve, 2021, easter 1995"),
            (V{"Christmas Eve", "THANKSGIVING", "New Year's Eve", "easter"}));
  EXPECT_EQ(Spans("holiday-date", "at Christmas we rest; xmas2019; Hallo ween 2019; preEaster 2019; Easter 20190"),
            V{});
}

// The handle detector is code; it finds what its former pattern found, which
// this test keeps: on hand-written cases and on random strings of the bytes
// that matter, the same spans (then the validator, as the rule runs it).
TEST(DetectorsTest, HandlesAsTheirPatternFindsThem) {
  using V = std::vector<std::string>;
  EXPECT_EQ(Spans("handle",
                  "ask u/jess_t or /u/x-y_z, @jane.doe. and @kate@mastodon.social; jane@example.com, "
                  "5 u/min, @2300, a/u/bcd, (@_x)"),
            (V{"u/jess_t", "/u/x-y_z", "@jane.doe", "@kate@mastodon.social", "u/bcd", "@_x"}));
  RE2::Options o;
  o.set_log_errors(false);
  const RE2 re(
      R"((?:\B/)?\bu/[A-Za-z0-9_\-]{3,20}\b|\B@[A-Za-z_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_])?(?:@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)?)",
      o);
  ASSERT_TRUE(re.ok());
  const auto by_pattern = [&](const std::string& text) {
    V out;
    re2::StringPiece in(text), m;
    std::size_t pos = 0;
    while (pos <= text.size() && re.Match(in, pos, text.size(), RE2::UNANCHORED, &m, 1)) {
      auto b = static_cast<std::size_t>(m.data() - text.data());
      auto e = b + m.size();
      if (Validate("handle", text, b, e)) out.emplace_back(text.substr(b, e - b));
      pos = e > b ? e : b + 1;
    }
    return out;
  };
  std::mt19937 rng(20261202);
  const std::string bytes = "@@//uuuaZ_9-.. \n";
  for (int i = 0; i < 20000; ++i) {
    std::string text(1 + rng() % 40, ' ');
    for (char& c : text) c = bytes[rng() % bytes.size()];
    ASSERT_EQ(Spans("handle", text), by_pattern(text)) << "'" << text << "'";
  }
}

// The place-area detector is code; it finds what safe-harbor's former pattern rule found (the
// pattern below, its group the span, then the place-before validator, the search going on after
// a match or, when the validator turns it away, after its group): on hand-written cases and on
// random strings of pieces that make and break matches.
TEST(DetectorsTest, PlaceAreasAsTheirPatternFindsThem) {
  using V = std::vector<std::string>;
  EXPECT_EQ(Spans("place-area",
                  "in Edgemere area, the Baltimore County schools, Grieco House; a Coffee House, "
                  "Open House, Townsend\tsuburbs, McDonald House, the Ashgrove Houses"),
            (V{"Edgemere", "Baltimore", "Grieco", "Townsend"}));
  const auto re = Compile(
      R"(\b([A-Z][a-z]+)\s+(?:area|county|County|neighborhood|neighbourhood|township|Township|suburbs?|House|Lodge|Manor)\b)",
      false);
  const auto by_pattern = [&](const std::string& text) {
    V out;
    re2::StringPiece in(text), m[2];
    std::size_t pos = 0;
    while (pos <= text.size() && re->Match(in, pos, text.size(), RE2::UNANCHORED, m, 2)) {
      auto b = static_cast<std::size_t>(m[1].data() - text.data());
      auto e = b + m[1].size();
      const std::size_t whole_end = static_cast<std::size_t>(m[0].data() - text.data()) + m[0].size();
      const bool ok = Validate("place-before", text, b, e);
      if (ok) out.emplace_back(text.substr(b, e - b));
      pos = ok ? whole_end : static_cast<std::size_t>(m[1].data() - text.data()) + m[1].size();
    }
    return out;
  };
  std::mt19937 rng(20261202);
  const std::vector<std::string> pieces = {"Edgemere", "Grieco", "Baltimore", "Coffee",   "Open", "County", "area",
                                           "county",   "House",  "Lodge",     "Houses",   " ",    " ",      "\n",
                                           ",",        "x",      "Ab",        "-",        "'s",   "Mc",     "9",
                                           " area",    " House", "Grieco ",   "Edgemere "};
  int with_match = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string text;
    for (int k = 1 + static_cast<int>(rng() % 12); k > 0; --k) text += pieces[rng() % pieces.size()];
    const V want = by_pattern(text);
    with_match += want.empty() ? 0 : 1;
    ASSERT_EQ(Spans("place-area", text), want) << "'" << text << "'";
  }
  EXPECT_GE(with_match, 500);
}

// E-mails and URLs are searched only in windows (around each '@'; in words with
// a '.' or "://"): the same spans as a search of the whole text, on
// hand-written cases and on random strings of the bytes that matter.
TEST(DetectorsTest, WindowedPatternsFindWhatTheWholeTextHolds) {
  using V = std::vector<std::string>;
  EXPECT_EQ(Spans("email", "mail jane.doe+x@mail.example.co.uk, a@b.cc@d.ee or x@example.com2 (@none) me@x."),
            (V{"jane.doe+x@mail.example.co.uk", "a@b.cc", "x@example.com"}));
  EXPECT_EQ(Spans("url", "see https://x.org/a?b=1). or www.site.net, e.g. mysite.health/path; end. youtube.com"),
            (V{"https://x.org/a?b=1", "www.site.net", "mysite.health/path", "youtube.com"}));
  const auto whole_text = [](std::string_view name, const RE2& re, const std::string& text) {
    const BuiltinDetector* b = FindBuiltin(name);
    V out;
    re2::StringPiece in(text), m;
    std::size_t pos = 0;
    while (pos <= text.size() && re.Match(in, pos, text.size(), RE2::UNANCHORED, &m, 1)) {
      const auto begin = static_cast<std::size_t>(m.data() - text.data());
      std::size_t end = begin + m.size();
      while (b->trim_trailing_punct && end > begin &&
             std::string_view(".,;:!?)]'\"").find(text[end - 1]) != std::string_view::npos) {
        --end;
      }
      if (end > begin) out.emplace_back(text.substr(begin, end - begin));
      pos = begin + m.size() > begin ? begin + m.size() : begin + 1;
    }
    return out;
  };
  // Random strings of pieces that make and break matches; enough of them hold one.
  std::mt19937 rng(20261202);
  using Pieces = std::vector<std::string>;
  for (const auto& [name, pieces] : std::vector<std::pair<std::string_view, Pieces>>{
           {"email",
            {"@", "@", ".", ".", "a", "Z", "9", "_", "-", "%", "+", " ", "\n", "<", "cc", ".com", "x.y", "@x.org",
             "jo"}},
           {"url", {"www.", ".com", ".", ".", "://", "http", "s",  "a", "9", "-",  "_",   " ",
                    "\t",   "?",    ")", "]", "<",   "'",    "\"", "/", ":", "co", ".uk", "x"}}}) {
    const BuiltinDetector* b = FindBuiltin(name);
    ASSERT_NE(b->windows, nullptr) << name;
    RE2::Options o;
    o.set_case_sensitive(!b->case_insensitive);
    const RE2 re(std::string(b->pattern), o);
    int with_match = 0;
    for (int i = 0; i < 10000; ++i) {
      std::string text;
      for (int k = 1 + static_cast<int>(rng() % 16); k > 0; --k) text += pieces[rng() % pieces.size()];
      const V want = whole_text(name, re, text);
      with_match += want.empty() ? 0 : 1;
      ASSERT_EQ(Spans(name, text), want) << name << ": '" << text << "'";
    }
    EXPECT_GE(with_match, 500) << name;
  }
}

// Numeric dates glued to a word that dates follow, or to any word when no day
// fits ("fx4/97"); fractions, runs of numbers, other words and dates glued on
// the right are none.
TEST(DetectorsTest, DatesGluedToTheWordBefore) {
  using V = std::vector<std::string>;
  EXPECT_EQ(
      Spans("glued-date", "labs on10/14/82> seen ON3/14, since4/97 and dob12/01/1931; until12/31; pelvic fx4/97,"),
      (V{"10/14/82", "3/14", "4/97", "12/01/1931", "12/31", "4/97"}));
  EXPECT_EQ(Spans("glued-date", "x1/2 q4/6h vol3/12 on3/4 on13/2 on1/32/2 on3/14mg won3/14 on3/14/5 on1/2/3/4 /on2/"),
            V{});
  EXPECT_EQ(Spans("glued-date", "fx4/12 fx13/97 fx4/97mg fx4/97/2 fx4/100 dil1/500"), V{});
}

// Years of birth up to the oldest year, and lifespans of 90 years or more.
TEST(DetectorsTest, YearsOfBirthOfPeopleOfNinetyAndOver) {
  using V = std::vector<std::string>;
  EXPECT_EQ(Spans("birth-year", "Grandpa, born in 1931, b. 1928; DOB: 1936; my nan (born in the spring of 1932)"),
            (V{"1931", "1928", "1936", "1932"}));
  EXPECT_EQ(Spans("birth-year", "In 1931 my grandma was born; in 1930, when Dad was born"), (V{"1931", "1930"}));
  EXPECT_EQ(Spans("birth-year", "RIP Dad 1931-2023. Mum 1925 \u2013 2020. (1899 - 1990)"),
            (V{"1931-2023", "1925 \u2013 2020", "1899 - 1990"}));
  // After the oldest year, no birth word before it on its line, or a lifespan under 90 years.
  EXPECT_EQ(Spans("birth-year",
                  "I was born in 1937.\nSince 1931 the house stood. born on a farm\n1931 came. "
                  "1951-2023. 1931-2030. 19310 born 1931x.\nIn 1931. She was born"),
            V{});
}

}  // namespace
}  // namespace peerpulse::deid
