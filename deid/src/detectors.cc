#include "detectors.h"

#include <array>

#include "peerpulse/deid/policy.h"

namespace peerpulse::deid {
namespace {

// Patterns are RE2 syntax (no look-around); \b and \B carry the boundaries.
constexpr std::array<BuiltinDetector, 4> kBuiltins{{
    // local@domain.tld; the local part allows the usual atext characters.
    {"email", "EMAIL",
     R"([A-Za-z0-9][A-Za-z0-9._%+\-]*@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,24})",
     false},
    // With a scheme or www., or a bare host under a common TLD (with an optional path).
    {"url", "URL",
     R"((?i)(?:\b(?:https?|ftp)://[^\s<>"'\x60]+|\bwww\.[^\s<>"'\x60]+|\b[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?)*\.(?:com|org|net|edu|gov|io|ly|me|co|uk|de|fr|info|biz|app|dev|social|xyz|link|health|care)\b(?:/[^\s<>"'\x60]*)?))",
     true},
    // Reddit u/name and /u/name; @name and @name@instance (Mastodon); @name.bsky.social (Bluesky).
    {"handle", "HANDLE",
     R"((?:\B/)?\bu/[A-Za-z0-9_\-]{2,20}\b|\B@[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_])?(?:@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)?)",
     false},
    // NANP (optional +1, optional parentheses, separators optional) and international +CC numbers.
    {"phone", "PHONE",
     R"((?:\+?\b1[\s.\-]?)?(?:\(\d{3}\)|\b\d{3})[\s.\-]?\d{3}[\s.\-]?\d{4}\b|\+\d{1,3}[\s.\-]?\(?\d{1,4}\)?(?:[\s.\-]?\d{2,4}){2,4}\b)",
     false},
}};

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

}  // namespace peerpulse::deid
