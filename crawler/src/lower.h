// ASCII lower-casing shared by the crawler's parsers (header names, URLs,
// robots.txt keys). Bytes >= 0x80 pass through. Internal to the crawler.
#ifndef PEERPULSE_CRAWLER_SRC_LOWER_H_
#define PEERPULSE_CRAWLER_SRC_LOWER_H_

#include <cctype>
#include <string>
#include <string_view>

namespace peerpulse::crawler {

inline std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace peerpulse::crawler

#endif  // PEERPULSE_CRAWLER_SRC_LOWER_H_
