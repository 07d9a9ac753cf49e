// The person-name detector (internal to deid).
//
// Dictionaries, read when the policy is loaded (never compiled in):
//  - given names and surnames: the US Census 1990 lists carried by Debian's
//    libtext-names-perl (/usr/share/perl5/Text/Names.pm), or a plain list
//    (one name per line) named by the rule's `names_file`;
//  - common words: Debian's wamerican (/usr/share/dict/american-english) or
//    `words_file`. A name that is also a common word ("Will", "Grace") is
//    ambiguous and needs a cue; the 300 most frequent given names count as
//    names unless they are in the project's short list of truly ambiguous ones.
// Cues (written by the project): titles and credentials ("Dr", "Mrs", "NP",
// ", RN", " MD"), relations ("my husband", "daughter,", "(son)"), clinical
// verbs ("spoke with", "paged", "per"), greetings and sign-offs ("Hi Maria,",
// "Love, Sam"), initials ("B. Kargas"). Once a token is a name in a post,
// every occurrence of it in the post goes (only capitalized ones when the name
// is a common word). Lowercase and ALL-CAPS names count.
#ifndef PEERPULSE_DEID_SRC_NAMES_H_
#define PEERPULSE_DEID_SRC_NAMES_H_

#include <cstdint>
#include <memory>
#include <string_view>

#include "detectors.h"

namespace peerpulse::deid {

inline constexpr const char* kDefaultNamesFile = "/usr/share/perl5/Text/Names.pm";
inline constexpr const char* kDefaultWordsFile = "/usr/share/dict/american-english";

// For rule.detector "person-name" or "hashtag-name". Errors: InvalidConfig
// naming the rule and the missing list (and the Debian package that has it).
Result<std::unique_ptr<Detector>> MakeNameDetector(const Rule& rule, std::uint32_t rule_index);

// True when `lower` (lowercase ASCII) is an ordinary word of the default word
// list (wamerican's lowercase entries; its capitalized proper nouns such as
// "Baltimore" are not). False for every word when the list cannot be read.
// Loaded once; thread-safe.
bool IsCommonWord(std::string_view lower);

// True when `lower` (lowercase ASCII) is a given name or surname of the
// default name list (libtext-names-perl). False for every word when the list
// cannot be read. Loaded once; thread-safe.
bool IsKnownName(std::string_view lower);

}  // namespace peerpulse::deid

#endif  // PEERPULSE_DEID_SRC_NAMES_H_
