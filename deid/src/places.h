// The place-name detector (internal to deid): a gazetteer of cities and towns.
//
// Safe Harbor removes every geographic subdivision smaller than a state, and
// a town named without a cue ("we drove to Towson", "BALTIMORE VA") escapes
// the cue rules. This detector looks every word run up in a list of places,
// read when the policy is loaded from the rule's `places_file` (never
// compiled in):
//  - the `zipcodes` npm package's lib/codes.js (US post-office city names,
//    BSD licence; scripts/setup.sh installs it under third_party/npm), or
//  - a plain list, one place per line ('#' starts a comment), for the sites a
//    privacy officer adds (a hospital's own buildings, local neighbourhoods).
//
// What counts, decided per entry when the list is loaded:
//  - an entry of one word counts when it is distinctive: 4+ letters, not an
//    ordinary English word (wamerican) and not a given name or surname
//    (libtext-names-perl): "Towson", "baltimore", "PIKESVILLE". Names and
//    ordinary words ("Jackson", "Laurel", "Hope") are left to the person-name
//    detector and the cue rules ("lives in Laurel"), or count when a comma
//    and their state or country follow, Capitalized ("Cork, Ireland",
//    "Reading, PA", "Jackson, MS");
//  - an entry of 2-4 words counts in any case when one of its words is
//    distinctive ("san diego", "Bel Air"), else only with every word
//    Capitalized ("Middle River", "White Marsh"; not "middle river"), or in
//    any case after "to", "in", "from" or "near" when it ends in a place word
//    or starts with a place prefix ("moved to new haven", "in silver spring",
//    "near fort worth"; not "in left hand", "due to high level"); after a
//    cue and before a US state, any entry counts in any case ("lives in east
//    orange nj");
//  - states and countries are not places here (Safe Harbor keeps them), and
//    entries that name organisations rather than places ("Citicorp Services
//    Inc", "Muscular Dystrophy", "Internal Revenue") are skipped;
//  - in a plain list (a site's own names) every entry counts in any case,
//    even an ordinary word: the officer listed it on purpose.
// Words are runs of ASCII letters; between the words of an entry the text may
// have one or two spaces, hyphens, apostrophes or periods ("Winston-Salem",
// "O'Fallon").
#ifndef PEERPULSE_DEID_SRC_PLACES_H_
#define PEERPULSE_DEID_SRC_PLACES_H_

#include <cstdint>
#include <memory>

#include "detectors.h"

namespace peerpulse::deid {

// For rule.detector "place-name". Errors: InvalidConfig naming the rule and
// the places file (missing, unreadable, or with fewer than 1 usable entry),
// and for a plain list file:line of a listed line that gives no words (not
// valid UTF-8, or no ASCII letter after folding accents).
Result<std::unique_ptr<Detector>> MakePlaceDetector(const Rule& rule, std::uint32_t rule_index);

}  // namespace peerpulse::deid

#endif  // PEERPULSE_DEID_SRC_PLACES_H_
