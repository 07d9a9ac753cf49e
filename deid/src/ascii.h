// ASCII character classes, inline. The de-identifier's hot loops call these
// per byte; <cctype>'s versions are out-of-line, locale-aware calls. peerpulse
// never changes the C locale, in which the two agree; bytes >= 0x80 (UTF-8)
// are in no class here either.
#ifndef PEERPULSE_DEID_SRC_ASCII_H_
#define PEERPULSE_DEID_SRC_ASCII_H_

#include <string>
#include <string_view>

namespace peerpulse::deid {

constexpr bool AsciiIsUpper(unsigned char c) { return c >= 'A' && c <= 'Z'; }
constexpr bool AsciiIsLower(unsigned char c) { return c >= 'a' && c <= 'z'; }
constexpr bool AsciiIsAlpha(unsigned char c) { return AsciiIsUpper(c) || AsciiIsLower(c); }
constexpr bool AsciiIsDigit(unsigned char c) { return c >= '0' && c <= '9'; }
constexpr bool AsciiIsAlnum(unsigned char c) { return AsciiIsAlpha(c) || AsciiIsDigit(c); }
constexpr char AsciiToLower(unsigned char c) { return static_cast<char>(AsciiIsUpper(c) ? c + ('a' - 'A') : c); }
// A byte of a word as RE2's \b sees it (ASCII letters, digits, '_'): the code
// detectors keep the word boundaries their patterns had.
constexpr bool RegexWordByte(char c) { return AsciiIsAlnum(static_cast<unsigned char>(c)) || c == '_'; }
// A byte of RE2's \s: space, tab, newline, carriage return, form feed.
constexpr bool RegexSpaceByte(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

// Calls f(line) for each '\n'-separated line of `text` (without the '\n'; a
// last line without one counts too).
template <typename F>
void ForEachLine(std::string_view text, F&& f) {
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    f(text.substr(start, end - start));
    start = end + 1;
  }
}

// A copy of `s` with ASCII letters lowercased (other bytes kept).
inline std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = AsciiToLower(static_cast<unsigned char>(c));
  return out;
}

}  // namespace peerpulse::deid

#endif  // PEERPULSE_DEID_SRC_ASCII_H_
