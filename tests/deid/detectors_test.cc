// Internal: the built-in detectors' prefilter patterns (detectors.h).
#include "detectors.h"

#include <gtest/gtest.h>
#include <re2/re2.h>

#include <memory>
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
                                             "linktr.ee/x",
                                             "youtu.be/dQw4w9",
                                             "I.REDD.IT/abc.jpg",
                                             "lnkd.in/x",
                                             "cash app $JessT",
                                             "CashApp to $j-t",
                                             "discord tag is sam#0001",
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
                                             "K1C 0B1_x"};
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
      auto made = MakeDetector(rule, 0);
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
  EXPECT_EQ(checked, 6);  // email, email-obfuscated, url, platform-handle, street-address, postcode
}

}  // namespace
}  // namespace peerpulse::deid
