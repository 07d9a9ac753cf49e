#include "peerpulse/deid/deidentifier.h"

#include <gtest/gtest.h>

#include <chrono>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "testing/testing.h"

namespace peerpulse::deid {
namespace {

std::unique_ptr<Deidentifier> SafeHarbor() {
  auto p = LoadPolicyFile(testing::Source("policies/safe-harbor.toml"));
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  return Deidentifier::Create(std::move(p).value()).value();
}

std::unique_ptr<Deidentifier> ClinicalAddon() {
  auto p = LoadPolicyFile(testing::Source("policies/clinical-addon.toml"));
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  return Deidentifier::Create(std::move(p).value()).value();
}

std::unique_ptr<Deidentifier> FromText(const std::string& rules) {
  auto p = ParsePolicy("[policy]\nname = \"t\"\nversion = \"1\"\nmax_text_bytes = 100\n" + rules, "t.toml");
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  return Deidentifier::Create(std::move(p).value()).value();
}

// Each text comes out of the de-identifier unchanged.
void ExpectKept(const Deidentifier& d, std::initializer_list<const char*> texts) {
  for (const char* text : texts) EXPECT_EQ(d.Redact(text).text, text) << text;
}

// Each input comes out as its expected text.
void ExpectRedacted(const Deidentifier& d, const std::vector<std::pair<std::string, std::string>>& cases) {
  for (const auto& [in, want] : cases) EXPECT_EQ(d.Redact(in).text, want) << in;
}

// A real keyed pseudonymizer with a fixed key (the store's keyring is tested in store_test).
class FixedKeyPseudonymizer final : public Pseudonymizer {
 public:
  Result<Digest> Pseudonym(const Window& w, std::string_view domain, std::string_view value) override {
    ++calls;
    const std::string msg = w.Name() + "|" + std::string(domain) + "|" + std::string(value);
    const std::array<std::uint8_t, 4> key{1, 2, 3, 4};
    return HmacSha256(key, msg);
  }
  int calls = 0;
};

TEST(DeidentifierTest, RedactsBuiltinIdentifiers) {
  const auto d = SafeHarbor();
  const Redaction r =
      d->Redact("Mail x.y@example.com, see www.example.org/a, ping @bob@m.example.social or call 555-123-4567.");
  ASSERT_EQ(r.dropped, DropReason::kNone);
  EXPECT_EQ(r.text, "Mail <EMAIL>, see <URL>, ping <HANDLE> or call <PHONE>.");
  ASSERT_EQ(r.spans.size(), 4u);
  EXPECT_EQ(r.spans[0].rule_id, "email");
  EXPECT_EQ(r.spans[0].begin, 5u);
  // Device identifiers after "serial" or "ID is"; not a serial number that is no code.
  ExpectRedacted(*d, {{"my pump serial is SN 44810239", "my pump serial is <ID>"},
                      {"my fitbit ID is 8B3X-22QK", "my fitbit ID is <ID>"}});
  ExpectKept(*d, {"the serial killer 2 movie", "ID consult 2 days ago", "serial 7s intact"});
  // Bank details after their word alone, digits only.
  ExpectRedacted(*d, {{"account 123456789012, sort code 12-34-56", "account <ID>, sort code <ID>"}});
  ExpectKept(*d, {"on my account for 2019", "my account 12"});
}

TEST(DeidentifierTest, KeepsOrdinaryHealthText) {
  const auto d = SafeHarbor();
  for (const char* text : {"My A1C went from 9.1 to 6.8 in 3 months.", "Taking 20mg twice a day since 2019",
                           "Crohn's flare, stage 4, 10/10 pain", "BP 140/90, HR 88", ""}) {
    const Redaction r = d->Redact(text);
    EXPECT_EQ(r.dropped, DropReason::kNone) << text;
    EXPECT_EQ(r.text, text);
  }
}

// Numbers in a run ("7.5/3.5/437", "600/12/40%", "3-4/10") and symptom scores
// ("8/10 CP") are measurements; dates next to them, or in a range of dates,
// still go.
TEST(DeidentifierTest, NumericRunsAndScoresAreNotDates) {
  const auto d = SafeHarbor();
  for (const char* text : {"CO/CI/SVR 7.5/3.5/437 on dopa", "ABG 7.40/40/100/26", "A/C 600/12/40% and 5/5/",
                           "c/o 3-4/10 cp", "PT THEN HAD 8/10 CP", "developed severe 10/10 angina", "x.3/5 peep"}) {
    const Redaction r = d->Redact(text);
    EXPECT_EQ(r.text, text) << text;
  }
  EXPECT_EQ(d->Redact("seen on 8/10, again 8/12").text, "seen on <DATE>, again <DATE>");
  EXPECT_EQ(d->Redact("intubated 6/30-7/2 for CHF").text, "intubated <DATE>-<DATE> for CHF");
  EXPECT_EQ(d->Redact("transferred to Quartermain.8/31 then").text.find("8/31"), std::string::npos);
  // Two dates of a range joined by a slash, with two digits each, and a year after a full stop;
  // not runs of measurements written so.
  EXPECT_EQ(d->Redact("HAD TREATMENTS 10/03/10/04 AND").text, "HAD TREATMENTS <DATE> AND");
  EXPECT_EQ(d->Redact("11/21.93  neuro: alert").text, "'93  neuro: alert");
  for (const char* text : {"ABG 7.40/40/100/26", "vent 12/5/10/5 now", "12/05/10/05/1", "12/05/10/05.5", "x 5/10.5",
                           "ratio 1/2.25", "3/12.50%", "10/03/10/0412", "1.10/03/10/04"}) {
    EXPECT_EQ(d->Redact(text).text, text) << text;
  }
}

// A written date with a day range goes whole: the first day of "March 3-5"
// names the stay as much as the last. Not "3-5" alone, which is a dose too.
TEST(DeidentifierTest, WrittenDatesWithDayRanges) {
  const auto d = SafeHarbor();
  EXPECT_EQ(d->Redact("stayed March 3-5, 2021, home").text, "stayed 2021, home");
  EXPECT_EQ(d->Redact("note 1->2 nov, 0700").text, "note <DATE>, 0700");
  EXPECT_EQ(d->Redact("from 3\u20135 March, then").text, "from <DATE>, then");
  EXPECT_EQ(d->Redact("took 3-5 mg a day").text, "took 3-5 mg a day");
  // "the" before an ordinal day; not before a plain number.
  EXPECT_EQ(d->Redact("surgery is March the 3rd, 2021").text, "surgery is 2021");
  EXPECT_EQ(d->Redact("by June the 30 of us had met").text, "by June the 30 of us had met");
  // A month and a two-digit year after an apostrophe: the month goes, the year stays.
  EXPECT_EQ(d->Redact("relapse Feb '21, since Sept. '19").text, "relapse '21, since '19");
  // ... and before a comma and a full year; not a count after the comma.
  EXPECT_EQ(d->Redact("March, 2021 was hard; Oct., 2019").text, "2021 was hard; 2019");
  EXPECT_EQ(d->Redact("On March 3, 12 of us went").text, "On <DATE>, 12 of us went");
}

// Identifiers as patients in the UK, Ireland, Canada, Australia and New
// Zealand write them: national phone numbers with their trunk 0, day-first
// dates, postcodes, health card and device numbers, e-mails under co.uk.
TEST(DeidentifierTest, IdentifiersOfOtherEnglishSpeakingCountries) {
  const auto d = SafeHarbor();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"ring 07700 900123 or 020 7946 0958", "ring <PHONE> or <PHONE>"},
      {"call (02) 9876 5432 or 0412 345 678", "call <PHONE> or <PHONE>"},
      {"born 14/02/1985, op 25-12-2019", "born 1985, op 2019"},
      {"clinic on 14/06 at 9", "clinic on <DATE> at 9"},
      {"next scan 05-Jun-2023, Hospital number: RX1234567", "next scan 2023, Hospital number: <ID>"},
      // Month first with full stops; ISO 8601 with its time (the time stays).
      {"op 3.14.2019, seen 2023-03-14T10:00Z", "op 2019, seen 2023T10:00Z"},
      {"I live at SW1A 2AA, we moved from K1A 0B1", "I live at <POSTCODE>, we moved from <POSTCODE>"},
      {"postcode is 2000 and eircode D02 X285", "postcode is <POSTCODE> and eircode <POSTCODE>"},
      // An Australian postcode after its state's code.
      {"PO Box 77, Kalgoorlie WA 6430; Parramatta NSW 2150.",
       "<ADDRESS>, <LOCATION> WA <POSTCODE>; <LOCATION> NSW <POSTCODE>."},
      {"OHIP 1234-567-890-AB, device id A1B2-C3D4, serial no. 88812X", "OHIP <ID>, device id <ID>, serial no. <ID>"},
      // Digits in groups with spaces between.
      {"insurance member ID: XYZ 123 456 789, member # 1234 5678", "insurance member ID: <ID>, member # <ID>"},
      // ... of 1-6 digits each, as cards print them (an Australian Medicare number).
      {"Her Medicare number is 2123 45670 1.", "Her Medicare number is <ID>."},
      {"mail jane_doe (at) yahoo (dot) co (dot) uk", "mail <EMAIL>"},
      {"email me: jenny (dot) smith (at) gmail, or j.doe[at]yahoo", "email me: <EMAIL>, or <EMAIL>"},
      {"Canadian here, from Ballarat", "Canadian here, from <LOCATION>"},
  };
  ExpectRedacted(*d, cases);
  // Shift times, doses and clinical shorthand that look like these stay.
  ExpectKept(*d, {"0700 - 1900 shift, checks at 0400 0600 0800", "pain was 14/10 today", "scored 14/6 and 14/60",
                  "HR 80 and B12 and COVID-19 at Q2H 3AM", "my postcode is wrong", "2 days in a row, 3 more walk",
                  "on 2 Green days", "SA 12345 and NT 1234x", "GSA 2000"});
}

// A child's school is a place ("Roosevelt High School"), but not school
// alone; an age of 90+ after "who's" or "she was" goes, a weight or a
// saturation after "she's" stays.
TEST(DeidentifierTest, SchoolsAndAgesAfterAPerson) {
  const auto d = SafeHarbor();
  EXPECT_EQ(d->Redact("his sister goes to Roosevelt High School.").text, "his sister goes to <FACILITY>.");
  EXPECT_EQ(d->Redact("I teach at Hillcrest Elementary School now").text, "I teach at <FACILITY> now");
  ExpectKept(*d, {"In High School I had my first flare.", "the High School musical", "our local high school"});
  EXPECT_EQ(d->Redact("my nan, who's 96, and dad (he's 92) and she was 99 then").text,
            "my nan, who's 90+, and dad (he's 90+) and she was 90+ then");
  ExpectKept(*d, {"she's 95 lbs now", "he is 98% on room air", "he's 97/60", "my O2 is 96"});
}

// Name cues of clinical notes, and words of clinical notes that are not names.
TEST(DeidentifierTest, ClinicalNameCues) {
  const auto d = ClinicalAddon();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"DR TYRO IN SPOKE WITH THE WIFE ABOUT THE PLAN", "DR <PERSON> IN SPOKE WITH THE WIFE ABOUT THE PLAN"},
      {"pt resting comfortably. irene snell, rn", "pt resting comfortably. <PERSON>, rn"},
      {"all is well at this time. q. lander rrt", "all is well at this time. <PERSON> rrt"},
      {"NP CAROL MADE AWARE, HESPAN ORDERED FOR LOW UOP", "NP <PERSON> MADE AWARE, HESPAN ORDERED FOR LOW UOP"},
      {"thanks to nurse Ngozi; the nurse Practitioner said", "thanks to nurse <PERSON>; the nurse Practitioner said"},
      {"Dr. Foley came in to see the patient",
       "Dr. <PERSON> came in to see the patient"},  // a title beats the allow list
      {"daughter is mrs. marcela carlson, tel", "daughter is mrs. <PERSON>, tel"},
      {"SOCIAL:DAUGHTER-KRISSY---ASKED TO CALL BACK LATER TODAY",
       "SOCIAL:DAUGHTER-<PERSON>---ASKED TO CALL BACK LATER TODAY"},
      {"ASKED FOR RABBI- RABBI KLEIN CAME TO SPEAK WITH THE FAMILY",
       "ASKED FOR RABBI- RABBI <PERSON> CAME TO SPEAK WITH THE FAMILY"},
      {"social:md will call son don reid regarding drainage", "social:md will call son <PERSON> regarding drainage"},
      {"lytes checked Dr B Muse in to see pt", "lytes checked Dr <PERSON> in to see pt"},
      // A Capitalized word no list knows after a verb of writing to someone.
      {"so I messaged Priyanka about it, then texted Zendaya", "so I messaged <PERSON> about it, then texted <PERSON>"},
      // A Capitalized word after "named her/him", even an ordinary word.
      {"we named her Juniper after my nan", "we named her <PERSON> after my nan"},
      // A title after a relation is no name, nor repeated as one.
      {"My neighbour Mrs Kowalczyk drove me; the teacher Mrs. O'Brien noticed",
       "My neighbour Mrs <PERSON> drove me; the teacher Mrs. <PERSON> noticed"},
      // Surname particles join the name.
      {"Dr. Van der Berg, then my aunt Maria de la Cruz", "Dr. <PERSON>, then my aunt <PERSON>"},
      // A name given by its initial alone; its letter elsewhere stays.
      {"Dr. K said my vitamin K is low", "Dr. <PERSON> said my vitamin K is low"},
      {"mr I remained on pressors, I think", "mr <PERSON> remained on pressors, I think"},
      {"NSICU team called and Drs Ferullo and Saeed in to see pt.",
       "NSICU team called and Drs <PERSON> and <PERSON> in to see pt."},
      {"BP DID DROP TO 90S SYSTOLIC. NP DJURIC MADE AWARE, PT BOLUSED",
       "BP DID DROP TO 90S SYSTOLIC. NP <PERSON> MADE AWARE, PT BOLUSED"},
      {"SPOKE WITH DR RONAYNE AND HYDRALAZINE ON HOLD FOR NOW",
       "SPOKE WITH DR <PERSON> AND HYDRALAZINE ON HOLD FOR NOW"},
      {"lorrie morales is a 70 yr old female admitted", "<PERSON> is a 70 yr old female admitted"},
      {"MR. EDWIN PRZYBYLO is an 83 yr old male who presented", "MR. <PERSON> is an 83 yr old male who presented"},
      {"KEEP ROMERO FAMILY AWARE OF PLAN OF CARE TODAY", "KEEP <PERSON> FAMILY AWARE OF PLAN OF CARE TODAY"},
      {"MD to call with update: 410 392 0780 x45.", "MD to call with update: <PHONE>."},
      {"should arrive this morning (ref # 8336652).", "should arrive this morning (ref # <ID>)."},
      // A surname that is also a word, after a title and a given name.
      {"followed in clinic by dr. john bowman.", "followed in clinic by dr. <PERSON>."},
      // MD before a surname in ALL-CAPS notes; an initial without its full stop.
      {"HEPARIN HELD, DOSE CHECKED WITH MD SPEARS AS ORDERED",
       "HEPARIN HELD, DOSE CHECKED WITH MD <PERSON> AS ORDERED"},
      {"UOP DROPPED OVERNIGHT AND J SMITH ORDERED A BOLUS", "UOP DROPPED OVERNIGHT AND <PERSON> ORDERED A BOLUS"},
      {"drips titrated per d ross. wires capped", "drips titrated per <PERSON>. wires capped"},
      // A given name that is mostly a word, after a verb of contact.
      {"only able to reach Rob by phone tonight", "only able to reach <PERSON> by phone tonight"},
      // A given name that is also a word joins the surname after it.
      {"Later Bill Hernandez stopped by to see him", "Later <PERSON> stopped by to see him"},
      // A quoted name after a relation; "significant other" is a relation.
      {"daughter \"sarah\" stayed overnight", "daughter \"<PERSON>\" stayed overnight"},
      {"visited by her significant other charlie, all questions answered",
       "visited by her significant other <PERSON>, all questions answered"},
      // A physician assistant before a name; "PA SATS" (pulmonary artery) before an abbreviation.
      {"Shoutout to the PA Josh. PA SATS 73,72 NOTED.", "Shoutout to the PA <PERSON>. PA SATS 73,72 NOTED."},
      // In lower-case text a given name that is no word needs no cue.
      {"pt has 2 children as proxys. suzette and bill visit", "pt has 2 children as proxys. <PERSON> and bill visit"},
      // ... and a word no list knows joined to it by "and".
      {"pt has 2 children who act as his proxys. suzette and ank",
       "pt has 2 children who act as his proxys. <PERSON> and <PERSON>"},
      // A nickname in parentheses after a name.
      {"Our son Ezekiel (Zeke) was diagnosed at 2", "Our son <PERSON> (<PERSON>) was diagnosed at 2"},
      {"Dr. Lee (Cardiology) and my wife Jo (Mom) came", "Dr. <PERSON> (Cardiology) and my wife <PERSON> (Mom) came"},
      // Names listed with a name, even names that are also words; not states.
      {"Mason, Harper and Ellie all have it", "<PERSON>, <PERSON> and <PERSON> all have it"},
      {"Ellie, Georgia and Mason", "<PERSON>, Georgia and <PERSON>"},
      // ... and a Capitalized word no list knows, joined by "and" or "&" (not by a comma alone).
      {"Spoke to Maria and Tamsyn at the clinic", "Spoke to <PERSON> and <PERSON> at the clinic"},
      {"Thanks to Sarah & Tamsyn for the advice", "Thanks to <PERSON> & <PERSON> for the advice"},
      // Two unknown Capitalized words are a name, but do not list the word before them with it.
      {"Tmax 100.3, on Ceftaz and Zosyn Abx.", "Tmax 100.3, on Ceftaz and <PERSON>."},
      {"reported to Dr. O'Rourke, Esmolol gtt off", "reported to Dr. <PERSON>, Esmolol gtt off"},
      // ... nor beside a doctor's name: posts list doctors with drugs.
      {"Thanks to Dr Patel and Humira I'm in remission", "Thanks to Dr <PERSON> and Humira I'm in remission"},
      // Plural relations before names; a short abbreviation after a relation is no name.
      {"My kids Aiyana and Breckyn are my world", "My kids <PERSON> and <PERSON> are my world"},
      {"My mate Gaz and his missus Shaz came round", "My mate <PERSON> and his missus <PERSON> came round"},
      // A name after a plural relation when a list goes on; not a possessive without its apostrophe.
      {"my boys Jaxon, Kai and Leo", "my boys <PERSON>, <PERSON> and <PERSON>"},
      // A generic drug by its stem is no unknown name listed with one.
      {"Thanks Sarah and Gabapentin for getting me through", "Thanks <PERSON> and Gabapentin for getting me through"},
      {"lives with wife and two children PTA; son JJ visits",
       "lives with wife and two children PTA; son <PERSON> visits"},
      // A family by its surname in the plural, after "the"; not a surname that is a word, nor a title.
      {"We're the Hendersons. The Jacksons were kind", "We're the <PERSON>. The <PERSON> were kind"},
      // A nurse practitioner is a title.
      {"Asked Nurse Practitioner Jo about it", "Asked Nurse Practitioner <PERSON> about it"},
      // A name inside a user name takes the whole user name.
      {"Posted by kate_m today", "Posted by <PERSON> today"},
      // A surname that is also a word, when it owns something.
      {"we stayed at jenny smith's house", "we stayed at <PERSON>'s house"},
  };
  ExpectRedacted(*d, cases);
  ExpectKept(*d, {"R IJ Quinton catheter in place, Hickman flushes well.",
                  "O2 sat 98% on 2L NP. Lungs sound clear. Monitor MS. Restart on lopressor.",
                  "PER MD'S PT TO BE STARTED ON NIPRIDE, MD'S AWARE SBP 70-80.", "echo: mild mr, etc.",
                  "Brady to the 40s, then tachy; understands some English.",
                  "SOCIAL=DAUGHTER & SON-IN-LAW PRESENT TILL AFTERNOON",
                  "MS: ATIVAN AT 6 MG/HR, PROPOFOL OFF SINCE NOON TODAY",
                  "Pt is a 70 yo man. She is a 45 year old. The family is here.",
                  // Drugs before "ordered", initials that are no initials, a quote glued to a relation.
                  "NAUSEA. NO FURTHER N/V. DROPERIDOL ORDERED BUT NOT GIVEN", "HCT 27, 1U PRBC ORDERED, HALDOL ORDERED",
                  "as told by daughter\"I'm tired\" today", "family left with Hope for a good recovery",
                  "I told my Dr I was tired, then Dr. A and B team came", "I emailed Humira support and called Aetna",
                  "Black, White and Green were the options", "the Browns won; cartoons like The Simpsons",
                  "My boys Xbox broke. The girls Netflix binge helped; my sons Xbox too",
                  // ... but not a state or a country ("florida" and "america" are given names too).
                  "they spend the winter in florida, back home in america by may"});
}

// "I'm X" introduces a name when X is a given name the lists know, or no word
// and followed by an age or "from": not a proper noun of the word list.
TEST(DeidentifierTest, SelfIntroductions) {
  const auto d = SafeHarbor();
  ExpectRedacted(
      *d, {{"Hi I'm Priya (29F), new here", "Hi I'm <PERSON> (29F), new here"},
           {"i'm karen and this is my first post", "i'm <PERSON> and this is my first post"},
           {"I am Oluwaseun from here, 3 years post transplant", "I am <PERSON> from here, 3 years post transplant"}});
  ExpectKept(*d, {"I'm Texan from birth and I'm Filipino (3 generations).", "I'm Bipolar and I'm SO tired.",
                  "I'm Diabetic, 12 years now."});
  // A name then "here", starting a sentence or after a greeting.
  ExpectRedacted(
      *d, {{"Hi everyone, Priya here, 29F, Crohn's since 16", "Hi everyone, <PERSON> here, 29F, Crohn's since 16"},
           {"Mike here. Long time lurker.", "<PERSON> here. Long time lurker."},
           {"Hi all, Jessamyn here (34F), new", "Hi all, <PERSON> here (34F), new"}});
  ExpectKept(*d, {"Newbie here!", "Spoonie here, diagnosed 2019", "Sunday here, rain", "Nurse here, 12 years in ICU",
                  "Hope here, 31", "Type 1 here"});
  // The writer's name in brackets after "I"; a name alone on the last line after a sign-off.
  ExpectRedacted(*d, {{"I (Kwame) have had RA since 2015.", "I (<PERSON>) have had RA since 2015."},
                      {"Good luck all. Regards,\nHemant", "Good luck all. Regards,\n<PERSON>"},
                      {"Thanks!\n  Asha Rao\n", "Thanks!\n  <PERSON>\n"}});
  ExpectKept(*d, {"I (F34) have RA", "I (Mom of 2) am tired", "Best,\nConfused", "Love,\nMom"});
  // Carers and therapists named in lower case; a bestie.
  ExpectRedacted(*d, {{"my physio Faith and our nanny Hope", "my physio <PERSON> and our nanny <PERSON>"},
                      {"my mum's carer Precious; my bestie Tash", "my mum's carer <PERSON>; my bestie <PERSON>"}});
  ExpectKept(*d, {"my physio Monday was hard", "my therapist EMDR works", "the pharmacist CVS"});
  // Grandmothers are relations, not names, also once the name after one is masked (the
  // residual scan then sees a text in lower case: the post was dropped).
  ExpectKept(*d, {"my nan said no", "my nana says hi"});
  ExpectRedacted(*d, {{"my nana says hi\nmy gran Edith turned 95", "my nana says hi\nmy gran <PERSON> turned 90+"}});
}

// Given names of today that the Census 1990 lists lack, from human-names (safe-harbor's
// given_names_file), also those the word list has as proper nouns ("Gareth", "Muhammad"):
// not its names that are ordinary words, states, months or abbreviations. A town that is
// such a name too keeps its town label when no cue makes it a person.
TEST(DeidentifierTest, GivenNamesOfToday) {
  const auto d = SafeHarbor();
  ExpectRedacted(*d, {{"every other week for Liam's infusions", "every other week for <PERSON>'s infusions"},
                      {"Aiden and Nevaeh both have asthma", "<PERSON> and <PERSON> both have asthma"},
                      {"#PrayersForJayden", "<PERSON>"},
                      {"Gareth is a star; yesterday Alistair and Freya came, Muhammad too",
                       "<PERSON> is a star; yesterday <PERSON> and <PERSON> came, <PERSON> too"},
                      {"We moved to Boston. Boston is cold", "We moved to <LOCATION>. <LOCATION> is cold"},
                      // A state's code after such a town is no surname.
                      {"we live in Boston MA now", "we live in <LOCATION> MA now"}});
  ExpectKept(*d, {"July was hot in Montana", "PaCO2 of 60", "Riker scale 4"});
}

// Two-letter surnames that are also words or abbreviations, Capitalized after a given name.
TEST(DeidentifierTest, ShortSurnamesAfterAGivenName) {
  const auto d = SafeHarbor();
  ExpectRedacted(*d, {{"Sarah Ng said hi; Linh Le is my doctor", "<PERSON> said hi; <PERSON> is my doctor"},
                      {"Kevin Do called, then Amy Ho", "<PERSON> called, then <PERSON>"}});
  ExpectKept(*d, {"NG tube placed", "pt has ng tube", "what to do next"});
  ExpectRedacted(
      *d, {{"I told Sarah to go. Thanks Kevin. Do you know", "I told <PERSON> to go. Thanks <PERSON>. Do you know"}});
}

// "doctor" and "dr" as nouns before a verb are no titles; before a name they are.
TEST(DeidentifierTest, DoctorAsANoun) {
  const auto d = SafeHarbor();
  ExpectKept(*d, {"my doctor thinks it is lupus", "doctor visits are hard", "no doctor since last year",
                  "my dr thinks it is lupus", "the dr wants more tests", "dr prescribed prednisone"});
  ExpectRedacted(*d, {{"my doctor Smith is great", "my doctor <PERSON> is great"},
                      {"saw dr kowalczyk, then dr. pica", "saw dr <PERSON>, then dr. <PERSON>"}});
}

// Months seldom anyone's name are no names, with or without a cue (after a month cue a month is a
// date).
TEST(DeidentifierTest, MonthsAreNoNames) {
  const auto d = SafeHarbor();
  ExpectKept(*d, {"it rained; December too, and January, February."});
  ExpectRedacted(*d, {{"friends since the end of September.", "friends since the end of <DATE>."}});
  // Eponymous conditions as patients write them (the allow list of safe-harbor).
  ExpectKept(*d, {"I have Ehlers Danlos and POTS.", "I was diagnosed with Myasthenia Gravis last year."});
  // Medical words the word list lacks, by their ending, are no names.
  ExpectKept(*d, {"I was diagnosed with Hidradenitis Suppurativa last year.",
                  "Living with Eosinophilic Esophagitis and Hyperemesis Gravidarum."});
  // Nor a condition newer than the word list ("Long" is a surname too).
  ExpectKept(*d, {"I was diagnosed with long covid last year.", "Long time lurker here. Living with Long Covid."});
}

// A double name the lists know only in parts is a name; hyphenated words are not.
TEST(DeidentifierTest, HyphenatedNames) {
  const auto d = SafeHarbor();
  ExpectRedacted(*d, {{"Ella-Rose was born at 28 weeks.", "<PERSON> was born at 28 weeks."},
                      {"Smith-Jones is my surgeon", "<PERSON> is my surgeon"}});
  ExpectKept(*d, {"my well-being is long-term", "Coca-Cola and Rolls-Royce", "my x-ray and t-cell count",
                  "Mother-in-law visited"});
}

// Which years say someone is 90 or older depends on "now" (DeidOptions): a
// year of birth, a lifespan, and the year of a date.
TEST(DeidentifierTest, YearsThatSayNinetyOrOlderFollowNow) {
  auto p = LoadPolicyFile(testing::Source("policies/safe-harbor.toml"));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  DeidOptions in_2026;
  in_2026.now_unix = 1780000000;  // 2026-05-28
  DeidOptions in_2040;
  in_2040.now_unix = 2222222222;  // 2040-06-02
  const auto d2026 = Deidentifier::Create(*p, in_2026).value();
  const auto d2040 = Deidentifier::Create(*p, in_2040).value();
  const std::string text = "Mum, born in 1945, 1948-2039; seen 3/4/1949 and 3/4/47";
  EXPECT_EQ(d2026->Redact(text).text, "Mum, born in 1945, 1948-2039; seen 1949 and '47");
  EXPECT_EQ(d2040->Redact(text).text, "Mum, born in <DATE>, <DATE>; seen <DATE> and <DATE>");
}

// One to four capitalized names before a facility word, in the case of the word.
TEST(DeidentifierTest, FacilityNamesBeforeTheFacilityWord) {
  const auto d = SafeHarbor();
  EXPECT_EQ(d->Redact("seen at (Mercy General Hospital) today").text, "seen at (<FACILITY>) today");
  EXPECT_EQ(d->Redact("ADMITTED TO SAINT AGNES HOSPITAL YESTERDAY").text, "ADMITTED TO <FACILITY> YESTERDAY");
  ExpectKept(*d, {"the hospital was busy", "Memorial HOSPITAL", "a Hospital", "xMercy Hospital"});
  // A name stays on its line and within its sentence; "St." and "Mt." are part of it.
  EXPECT_EQ(d->Redact("Lines: Introducer.\n Hospital: none. Seen at Spaulding Rehab.").text,
            "Lines: Introducer.\n Hospital: none. Seen at <FACILITY>.");
  EXPECT_EQ(d->Redact("Lines: Introducer. Hospital day 3; Mt. Sinai Hospital").text,
            "Lines: Introducer. Hospital day 3; <FACILITY>");
}

// States and countries are no names without a cue (Safe Harbor keeps them);
// an abbreviation in brackets after a relation is no name either.
TEST(DeidentifierTest, StatesAndBracketedAbbreviationsAreNoNames) {
  const auto d = SafeHarbor();
  ExpectKept(*d, {"We moved from North Carolina to Georgia, then Virginia; now in New York.", "New York, NY is home",
                  "Our son (DOB unknown) and my daughter (ASD, 6) are fine.",
                  "moved to the UK last year, from Pakistan; my cousin lives in the United States"});
  ExpectRedacted(*d,
                 {{"My daughter Georgia is 5. Georgia Smith called.", "My daughter <PERSON> is 5. <PERSON> called."},
                  {"my husband (Rajesh) came", "my husband (<PERSON>) came"}});
}

// Places after movement cues: ordinary words are no place unless a facility
// word follows or they are Capitalized in mixed case.
TEST(DeidentifierTest, PlacesAfterMovementCues) {
  const auto d = ClinicalAddon();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"transferred to holy cross hospital today", "transferred to <LOCATION> hospital today"},
      {"came from Harbor this am", "came from <LOCATION> this am"},
      {"pt transferred to Quartermain 2 today", "pt transferred to <LOCATION> 2 today"},
      {"SENT TO CALVERT HOSPITAL ER- TO THEIR ICU", "SENT TO <FACILITY> ER- TO THEIR ICU"},
  };
  ExpectRedacted(*d, cases);
  ExpectKept(*d, {"pt stable for transfer to cardiac floor, then went to the blood bank",
                  "pt returned to previous settings and is going to try to sleep"});
}

// Towns without a cue, from the zipcodes gazetteer of safe-harbor. Towns that
// are words or names, states, countries and medical words stay.
TEST(DeidentifierTest, PlacesFromTheGazetteer) {
  const auto d = SafeHarbor();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"we drove to Towson for my infusion", "we drove to <LOCATION> for my infusion"},
      {"CARE RECEIVED @ BALTIMORE VA.", "CARE RECEIVED @ <LOCATION> VA."},
      {"my rheumatologist in san diego is great", "my rheumatologist in <LOCATION> is great"},
      {"margie from Middle River, MD called", "margie from <LOCATION>, MD called"},
      // Towns of ordinary words in lower case, after a cue, when a place word
      // ends or starts them.
      {"i moved to new haven and she lives in silver spring", "i moved to <LOCATION> and she lives in <LOCATION>"},
      // Any town of the lists after a cue and before its state, in lower case.
      {"cousin lives in east orange nj, aunt in middle river, maryland",
       "cousin lives in <LOCATION> nj, aunt in <LOCATION>, maryland"},
      {"drove from grand rapids to fort worth, then to st louis",
       "drove from <LOCATION> to <LOCATION>, then to <LOCATION>"},
      // ... and in notes written in capitals, after the cue in capitals.
      {"FOUND IN HIS HOME IN MILFORD MILL BY EMS", "FOUND IN HIS HOME IN <LOCATION> BY EMS"},
      {"the Winston-Salem clinic", "the <LOCATION> clinic"},
      // GeoNames towns of the other countries the policy names.
      {"GP moved from Basingstoke to Kirkcaldy", "GP moved from <LOCATION> to <LOCATION>"},
      // Names of the lists with accents match the post with or without them.
      {"from Trois-Rivi\u00e8res to L\u00e9vis, then Saint-Jerome", "from <LOCATION> to <LOCATION>, then <LOCATION>"},
      {"my rheumy in Ballarat, not Mississauga", "my rheumy in <LOCATION>, not <LOCATION>"},
      // Regions smaller than a state (policies/regions.txt).
      {"FAMILY CAME FROM THE EASTERN SHORE- SON", "FAMILY CAME FROM THE <LOCATION>- SON"},
      {"we're in the bay area now", "we're in the <LOCATION> now"},
      {"diagnosed in Indy, moved to ABQ", "diagnosed in <LOCATION>, moved to <LOCATION>"},
      // A town that is a word or a name, before its state or country.
      {"I'm 34 from Cork, Ireland; mum's in Reading, PA, dad in Bath, England",
       "I'm 34 from <LOCATION>, Ireland; mum's in <LOCATION>, PA, dad in <LOCATION>, England"},
  };
  ExpectRedacted(*d, cases);
  ExpectKept(
      *d, {"i hope the middle river of pain ends", "moved from Ohio to New Hampshire",
           "started a nitro drip and a beta blocker", "Muscular Dystrophy Association walk",
           "Rome2 and xBaltimore are not words", "mum in Queensland, dad in New South Wales",
           "started amio and a lido patch", "ABD SOFT, NT, ND. Thanks, Texas! Yes, Canada.", "a cork, Ireland's finest",
           "a new haven for us, the high point of the week", "no movement in left hand, due to high level of pain",
           "in left hand ct scan, nc 2l", "back in high school", "NO MOVEMENT IN LEFT HAND", "IN HIGH SCHOOL"});
}

TEST(DeidentifierTest, NormalisesBeforeDetectingAndMapsOffsetsBack) {
  const auto d = SafeHarbor();
  // Fullwidth digits (NFKC), an HTML character reference, an accented name after a title.
  const std::string text =
      "call \xEF\xBC\x95\xEF\xBC\x95\xEF\xBC\x95-123-4567, mail jane&#64;example.com &amp; Dr. Jos\xC3\xA9 "
      "M\xC3\xBCller";
  const Redaction r = d->Redact(text);
  ASSERT_EQ(r.dropped, DropReason::kNone);
  EXPECT_EQ(r.text, "call <PHONE>, mail <EMAIL> &amp; Dr. <PERSON>");  // untouched text keeps its own bytes
  ASSERT_EQ(r.spans.size(), 3u);
  EXPECT_EQ(r.spans[0].begin, 5u);
  EXPECT_EQ(text.substr(r.spans[1].begin, r.spans[1].end - r.spans[1].begin), "jane&#64;example.com");
  EXPECT_EQ(r.spans[2].end, text.size());
  // Pure ASCII without '&' takes the fast path and the same result as before.
  EXPECT_EQ(d->Redact("mail jane@example.com").text, "mail <EMAIL>");
  // Emoji, symbols and punctuation of other blocks end a word, and the span keeps them out.
  ExpectRedacted(*d, {{"Happy birthday Olivia\U0001F389\U0001F382", "Happy birthday <PERSON>\U0001F389\U0001F382"},
                      {"\u00ABJessica\u00BB said hi", "\u00AB<PERSON>\u00BB said hi"},
                      {"see example.com/x\U0001F389 now", "see <URL>\U0001F389 now"},
                      {"RIP Dad 1931\u20132023", "RIP Dad <DATE>"}});
}

// Letters of other scripts that pass for Latin ones: a Cyrillic a in "jane"
// and "Maria", a name written in Cyrillic look-alikes only ("Joe"). A word of
// those scripts with letters that look like no Latin one ("Mariya" in
// Cyrillic) and Greek letters in health text are left as they are.
TEST(DeidentifierTest, FoldsLookAlikeLettersOfOtherScripts) {
  const auto d = SafeHarbor();
  const std::string text =
      "mail j\xD0\xB0ne.doe@gmail.com, call M\xD0\xB0ria Lopez, my son \xD0\x88\xD0\xBE\xD0\xB5; "
      "\xD0\x9C\xD0\xB0\xD1\x80\xD0\xB8\xD1\x8F is on an \xCE\xB1-blocker";
  const Redaction r = d->Redact(text);
  ASSERT_EQ(r.dropped, DropReason::kNone);
  EXPECT_EQ(r.text,
            "mail <EMAIL>, call <PERSON>, my son <PERSON>; \xD0\x9C\xD0\xB0\xD1\x80\xD0\xB8\xD1\x8F is on an "
            "\xCE\xB1-blocker");
  ASSERT_GE(r.spans.size(), 1u);
  EXPECT_EQ(text.substr(r.spans[0].begin, r.spans[0].end - r.spans[0].begin), "j\xD0\xB0ne.doe@gmail.com");
}

// Redacts `text`, expecting the post kept and `expected` out.
void ExpectKeptAs(const Deidentifier& d, const std::string& text, const std::string& expected) {
  const Redaction r = d.Redact(text);
  ASSERT_EQ(r.dropped, DropReason::kNone) << expected;
  EXPECT_EQ(r.text, expected);
}

// Invisible characters inside an identifier (zero-width space, soft hyphen,
// word joiner) do not split it; the span covers them in the original.
TEST(DeidentifierTest, InvisibleCharactersDoNotSplitIdentifiers) {
  const auto d = SafeHarbor();
  ExpectKeptAs(*d, "call Ma\xE2\x80\x8Bria Lopez at jane\xE2\x81\xA0@gmail.com or 410\xC2\xAD-555-1212 today",
               "call <PERSON> at <EMAIL> or <PHONE> today");
}

// Decimal digits of other scripts are digits to the detectors: a phone
// number in Devanagari digits, a date in Arabic-Indic ones.
TEST(DeidentifierTest, DigitsOfOtherScriptsAreDigits) {
  const auto d = SafeHarbor();
  ExpectKeptAs(*d,
               "call \xE0\xA5\xAA\xE0\xA5\xA7\xE0\xA5\xA6 \xE0\xA5\xAB\xE0\xA5\xAB\xE0\xA5\xAB "
               "\xE0\xA5\xA7\xE0\xA5\xA8\xE0\xA5\xA7\xE0\xA5\xA8, seen \xD9\xA3/\xD9\xA1\xD9\xA4 ok",
               "call <PHONE>, seen <DATE> ok");
}

TEST(DeidentifierTest, FailsClosed) {
  const auto d = FromText(R"(
[[rule]]
id = "email"
detector = "email"
[[rule]]
id = "ssn"
detector = "pattern"
pattern = '\b\d{3}-\d{2}-\d{4}\b'
action = "drop-post"
[[rule]]
id = "secret-word"
detector = "pattern"
pattern = 'zz(?:a@b\.co)'
action = "remove"
)");
  EXPECT_EQ(d->Redact(std::string(101, 'a')).dropped, DropReason::kTooLarge);
  EXPECT_EQ(d->Redact("bad \xC3\x28 utf8").dropped, DropReason::kInvalidUtf8);
  EXPECT_EQ(d->Redact("overlong \xC0\xAF").dropped, DropReason::kInvalidUtf8);
  EXPECT_EQ(d->Redact("surrogate \xED\xA0\x80").dropped, DropReason::kInvalidUtf8);
  EXPECT_EQ(d->Redact("my ssn 123-45-6789").dropped, DropReason::kPolicyDrop);
  // Removing the span "zza@b.co" joins "xa@b." and "co" into a new e-mail... which
  // the residual check catches: the post is dropped, not released with an identifier.
  const Redaction r = d->Redact("xa@b.zza@b.coco");
  EXPECT_TRUE(r.dropped == DropReason::kResidualIdentifier || r.text.find('@') == std::string::npos) << r.text;
}

// The residual scan sees replacements masked: a cue before a masked name does
// not reach the word after it ("my name's <PERSON> btw" made "btw" a name, and
// the post was dropped).
TEST(DeidentifierTest, MaskedReplacementsGiveNoCue) {
  const auto d = SafeHarbor();
  for (const std::string text : {"x my name's Brittany btw", "name: Jo ok so", "my name is Jo btw"}) {
    const Redaction r = d->Redact(text);
    EXPECT_EQ(r.dropped, DropReason::kNone) << text;
    EXPECT_EQ(r.spans.size(), 1U) << text;
  }
}

TEST(DeidentifierTest, PathologicalInputIsBoundedInTime) {
  const auto d = SafeHarbor();
  std::string text;
  while (text.size() < 60000) text += "@a.@b.-1-2-3 +1 (555) www.x. u/ ";
  const auto t0 = std::chrono::steady_clock::now();
  const Redaction r = d->Redact(text);
  const auto secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_LT(secs, 5.0);  // RE2 is linear-time; this guards against a backtracking engine sneaking in
  EXPECT_TRUE(r.dropped == DropReason::kNone || r.dropped == DropReason::kResidualIdentifier);
  // A 10 MB post is refused before any pattern runs.
  EXPECT_EQ(d->Redact(std::string(10u << 20, 'x')).dropped, DropReason::kTooLarge);
}

TEST(DeidentifierTest, ProcessMakesACleanPostAndWipesTheRawOne) {
  const auto d = SafeHarbor();
  FixedKeyPseudonymizer ps;
  RawPost raw;
  raw.source = "s";
  raw.community = "R/Diabetes";
  raw.created_at = 1767693600;  // 2026-01-06
  raw.lang = "EN-us";
  raw.text = "email me: a.b@example.com";
  raw.author = "author-1";
  raw.native_id = "id-1";
  raw.url = "https://example.com/p/1";
  auto out = d->Process(std::move(raw), ps);
  ASSERT_TRUE(out.ok());
  ASSERT_TRUE(out->post.has_value());
  const CleanPost& c = *out->post;
  EXPECT_EQ(c.text(), "email me: <EMAIL>");
  EXPECT_EQ(c.community(), "r/diabetes");
  EXPECT_EQ(c.lang(), "en-us");
  EXPECT_EQ(c.window().Name(), "2026-W02");
  EXPECT_EQ(ps.calls, 2);
  EXPECT_NE(c.author_pseudonym(), c.dedup_key());

  // Same author, another post: same pseudonym; the dedup key differs.
  RawPost raw2;
  raw2.source = "s";
  raw2.community = "f";
  raw2.created_at = 1767693600;
  raw2.text = "hi";
  raw2.author = "author-1";
  raw2.native_id = "id-2";
  auto out2 = d->Process(std::move(raw2), ps);
  EXPECT_EQ(out2->post->author_pseudonym(), c.author_pseudonym());
  EXPECT_NE(out2->post->dedup_key(), c.dedup_key());
}

TEST(DeidentifierTest, BadCommunityIsDropped) {
  const auto d = SafeHarbor();
  FixedKeyPseudonymizer ps;
  RawPost raw;
  raw.community = "Not a code!";
  raw.text = "x";
  auto out = d->Process(std::move(raw), ps);
  ASSERT_TRUE(out.ok());
  EXPECT_FALSE(out->post.has_value());
  EXPECT_EQ(out->dropped, DropReason::kBadCommunity);
  EXPECT_EQ(ps.calls, 0);
}

}  // namespace
}  // namespace peerpulse::deid
