// Built-in detectors: RE2 patterns for the identifiers the foundation policy
// covers. Convention: when a pattern has a capturing group, group 1 is the
// span to redact; otherwise the whole match is.
#ifndef PEERPULSE_DEID_SRC_DETECTORS_H_
#define PEERPULSE_DEID_SRC_DETECTORS_H_

#include <string_view>

namespace peerpulse::deid {

struct BuiltinDetector {
  std::string_view name;
  std::string_view default_tag;
  std::string_view pattern;
  bool trim_trailing_punct;  // drop trailing .,;:!?)' from matches (URLs)
};

// Returns nullptr for an unknown name.
const BuiltinDetector* FindBuiltin(std::string_view name);

}  // namespace peerpulse::deid

#endif  // PEERPULSE_DEID_SRC_DETECTORS_H_
