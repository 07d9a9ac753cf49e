#include "normalize.h"

#include <utf8proc.h>

#include <algorithm>
#include <cstring>
#include <iterator>

#include "ascii.h"
#include "peerpulse/pipeline/raw_post.h"

namespace peerpulse::deid {
namespace {

// Decodes the character reference at text[i] ('&'); returns its code point
// and sets `len` to the bytes it spans, or returns -1.
std::int32_t Entity(std::string_view text, std::size_t i, std::size_t& len) {
  const std::size_t semi = text.find(';', i + 1);
  if (semi == std::string_view::npos || semi - i > 10 || semi == i + 1) return -1;
  const std::string_view name = text.substr(i + 1, semi - i - 1);
  len = semi - i + 1;
  if (name[0] == '#') {
    std::int32_t cp = 0;
    const bool hex = name.size() > 1 && (name[1] == 'x' || name[1] == 'X');
    const std::size_t start = hex ? 2 : 1;
    if (start >= name.size()) return -1;
    for (std::size_t k = start; k < name.size(); ++k) {
      const char c = name[k];
      int v = -1;
      if (c >= '0' && c <= '9') v = c - '0';
      if (hex && c >= 'a' && c <= 'f') v = c - 'a' + 10;
      if (hex && c >= 'A' && c <= 'F') v = c - 'A' + 10;
      if (v < 0) return -1;
      cp = cp * (hex ? 16 : 10) + v;
      if (cp > 0x10FFFF) return -1;
    }
    if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
    return cp;
  }
  if (name == "amp") return '&';
  if (name == "lt") return '<';
  if (name == "gt") return '>';
  if (name == "quot") return '"';
  if (name == "apos") return '\'';
  if (name == "nbsp") return ' ';
  return -1;
}

// Letters of other scripts that look like a Latin letter, and that letter
// (written for this project from the letters' shapes; sorted by code point).
// "jаne" with a Cyrillic а reads as "jane" to people, and must to detectors.
struct LookAlike {
  std::int32_t cp;
  char latin;
};
// clang-format off
constexpr LookAlike kLookAlikes[] = {
    // Latin: dotless i and j, IPA a, g, iota.
    {0x0131, 'i'}, {0x0237, 'j'}, {0x0251, 'a'}, {0x0261, 'g'}, {0x0269, 'i'},
    // Greek.
    {0x0391, 'A'}, {0x0392, 'B'}, {0x0395, 'E'}, {0x0396, 'Z'}, {0x0397, 'H'}, {0x0399, 'I'}, {0x039A, 'K'},
    {0x039C, 'M'}, {0x039D, 'N'}, {0x039F, 'O'}, {0x03A1, 'P'}, {0x03A4, 'T'}, {0x03A5, 'Y'}, {0x03A7, 'X'},
    {0x03B1, 'a'}, {0x03B9, 'i'}, {0x03BA, 'k'}, {0x03BD, 'v'}, {0x03BF, 'o'}, {0x03C1, 'p'}, {0x03C5, 'u'},
    // Cyrillic.
    {0x0405, 'S'}, {0x0406, 'I'}, {0x0408, 'J'}, {0x0410, 'A'}, {0x0412, 'B'}, {0x0415, 'E'}, {0x041A, 'K'},
    {0x041C, 'M'}, {0x041D, 'H'}, {0x041E, 'O'}, {0x0420, 'P'}, {0x0421, 'C'}, {0x0422, 'T'}, {0x0423, 'Y'},
    {0x0425, 'X'}, {0x0430, 'a'}, {0x0435, 'e'}, {0x043E, 'o'}, {0x0440, 'p'}, {0x0441, 'c'}, {0x0443, 'y'},
    {0x0445, 'x'}, {0x0455, 's'}, {0x0456, 'i'}, {0x0458, 'j'}, {0x04BA, 'H'}, {0x04BB, 'h'}, {0x04C0, 'I'},
    {0x04CF, 'l'}, {0x0501, 'd'}, {0x051B, 'q'}, {0x051C, 'W'}, {0x051D, 'w'},
    // Armenian.
    {0x0570, 'h'}, {0x0578, 'n'}, {0x057D, 'u'}, {0x0585, 'o'}};
// clang-format on
static_assert(std::is_sorted(std::begin(kLookAlikes), std::end(kLookAlikes),
                             [](const LookAlike& a, const LookAlike& b) { return a.cp < b.cp; }));

// The Latin letter `cp` looks like, or 0.
char LatinLookAlike(std::int32_t cp) {
  if (cp < kLookAlikes[0].cp || cp > kLookAlikes[std::size(kLookAlikes) - 1].cp) return 0;
  const auto* it = std::lower_bound(std::begin(kLookAlikes), std::end(kLookAlikes), cp,
                                    [](const LookAlike& l, std::int32_t c) { return l.cp < c; });
  return it != std::end(kLookAlikes) && it->cp == cp ? it->latin : 0;
}

// The value of a decimal digit of any script ("٤" Arabic-Indic four, "४"
// Devanagari four), or -1. Unicode encodes each script's digits 0-9 in a
// contiguous run, so a digit's value is its distance from the run's start.
int DecimalDigit(std::int32_t cp) {
  if (utf8proc_category(cp) != UTF8PROC_CATEGORY_ND) return -1;
  int below = 0;
  while (below < 60 && utf8proc_category(cp - below - 1) == UTF8PROC_CATEGORY_ND) ++below;
  return below % 10;
}

// Symbols, emoji, punctuation and spaces of other blocks end a word as ASCII
// punctuation does: a space, or '-' for a dash ("—Michael", "1925–2020").
// Detectors that read words as runs of letters took "Olivia🎉" or "Boston…»"
// for one unknown word. Letters, marks and digits are kept.
std::int32_t AsAscii(std::int32_t cp) {
  switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_PD:
      return '-';
    case UTF8PROC_CATEGORY_SO:
    case UTF8PROC_CATEGORY_SK:
    case UTF8PROC_CATEGORY_SM:
    case UTF8PROC_CATEGORY_SC:
    case UTF8PROC_CATEGORY_PO:
    case UTF8PROC_CATEGORY_PS:
    case UTF8PROC_CATEGORY_PE:
    case UTF8PROC_CATEGORY_PI:
    case UTF8PROC_CATEGORY_PF:
    case UTF8PROC_CATEGORY_ZS:
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
    case UTF8PROC_CATEGORY_CO:
      return ' ';
    default:
      return cp;
  }
}

bool WordCodePoint(std::int32_t cp) {
  if (cp < 0x80) return AsciiIsAlnum(static_cast<unsigned char>(cp));
  switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
      return true;
    default:
      return false;
  }
}

// Replaces look-alike letters by their Latin letter in the words where they
// pass for Latin: words that mix them with Latin letters ("Mаria"), and words
// made of look-alikes only ("Јоhn" in Cyrillic). Other words of those scripts
// ("Мария") keep their letters. The maps follow the replacements.
void FoldLookAlikes(Normalized& n) {
  struct CodePoint {
    std::int32_t cp;
    std::size_t begin;  // its bytes in n.text
    std::size_t end;
  };
  std::vector<CodePoint> cps;
  cps.reserve(n.text.size());
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(n.text.data());
  for (std::size_t i = 0; i < n.text.size();) {
    utf8proc_int32_t cp = 0;
    utf8proc_ssize_t len = utf8proc_iterate(bytes + i, static_cast<utf8proc_ssize_t>(n.text.size() - i), &cp);
    if (len <= 0) {
      cp = -1;
      len = 1;
    }
    cps.push_back({cp, i, i + static_cast<std::size_t>(len)});
    i += static_cast<std::size_t>(len);
  }
  Normalized out;
  out.identity = false;
  out.text.reserve(n.text.size());
  out.begin.reserve(n.text.size());
  out.end.reserve(n.text.size());
  const auto copy = [&](const CodePoint& c) {
    for (std::size_t b = c.begin; b < c.end; ++b) {
      out.text.push_back(n.text[b]);
      out.begin.push_back(n.begin[b]);
      out.end.push_back(n.end[b]);
    }
  };
  for (std::size_t w = 0; w < cps.size();) {
    if (!WordCodePoint(cps[w].cp)) {
      copy(cps[w++]);
      continue;
    }
    std::size_t e = w;
    bool latin = false;
    bool look_alike = false;
    bool other = false;  // a letter of another script that looks like no Latin letter
    for (; e < cps.size() && WordCodePoint(cps[e].cp); ++e) {
      const std::int32_t cp = cps[e].cp;
      if (cp < 0x80) {
        latin = latin || AsciiIsAlpha(static_cast<unsigned char>(cp));
      } else if (LatinLookAlike(cp) != 0) {
        look_alike = true;
      } else {
        other = true;
      }
    }
    const bool fold = look_alike && (latin || !other);
    for (; w < e; ++w) {
      const char latin_letter = fold ? LatinLookAlike(cps[w].cp) : 0;
      if (latin_letter == 0) {
        copy(cps[w]);
        continue;
      }
      out.text.push_back(latin_letter);
      out.begin.push_back(n.begin[cps[w].begin]);
      out.end.push_back(n.end[cps[w].end - 1]);
    }
  }
  WipeString(n.text);
  std::fill(cps.begin(), cps.end(), CodePoint{});  // the post's code points
  n = std::move(out);
}

}  // namespace

bool PlainAscii(std::string_view text) {
  // A byte is '&' when it is zero after XOR with '&'.
  std::size_t at = 0;
  for (; at + 8 <= text.size(); at += 8) {
    std::uint64_t v;
    std::memcpy(&v, text.data() + at, 8);
    const std::uint64_t amp = v ^ 0x2626262626262626ULL;
    if (((v | ((amp - 0x0101010101010101ULL) & ~amp)) & 0x8080808080808080ULL) != 0) return false;
  }
  for (; at < text.size(); ++at) {
    if (static_cast<unsigned char>(text[at]) >= 0x80 || text[at] == '&') return false;
  }
  return true;
}

Normalized Normalize(std::string_view text) {
  Normalized n;
  if (PlainAscii(text)) return n;  // most posts: nothing to do
  n.identity = false;
  n.text.reserve(text.size());
  n.begin.reserve(text.size());
  n.end.reserve(text.size());
  bool look_alikes = false;  // a letter FoldLookAlikes may replace
  const auto emit = [&n, &look_alikes](std::int32_t cp, std::size_t from, std::size_t to) {
    // Compatibility decomposition without marks and without default-ignorable
    // characters (zero-width space and joiners, soft hyphen: "Ma\u200Bria" is
    // Maria); a code point utf8proc cannot map (unassigned) is kept as it is.
    utf8proc_int32_t out[32];
    int boundclass = UTF8PROC_BOUNDCLASS_START;
    utf8proc_ssize_t count = utf8proc_decompose_char(
        cp, out, 32,
        static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_STRIPMARK | UTF8PROC_IGNORE),
        &boundclass);
    if (count < 0 || count > 32) {
      out[0] = cp;
      count = 1;
    }
    for (utf8proc_ssize_t k = 0; k < count; ++k) {
      // Typographic apostrophes and quotes as ASCII ones: "I’m", "Jobs’s".
      if (out[k] == 0x2018 || out[k] == 0x2019 || out[k] == 0x02BC) out[k] = '\'';
      if (out[k] == 0x201C || out[k] == 0x201D) out[k] = '"';
      if (out[k] >= 0x80) {
        // Digits of other scripts as ASCII digits: "٤١٠-٥٥٥-١٢١٢" is a phone number.
        const int digit = DecimalDigit(out[k]);
        out[k] = digit >= 0 ? '0' + digit : AsAscii(out[k]);
      }
      look_alikes = look_alikes || (out[k] >= 0x100 && LatinLookAlike(out[k]) != 0);
      utf8proc_uint8_t buf[4];
      const utf8proc_ssize_t len = utf8proc_encode_char(out[k], buf);
      for (utf8proc_ssize_t b = 0; b < len; ++b) {
        n.text.push_back(static_cast<char>(buf[b]));
        n.begin.push_back(static_cast<std::uint32_t>(from));
        n.end.push_back(static_cast<std::uint32_t>(to));
      }
    }
  };
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '&') {
      std::size_t len = 0;
      const std::int32_t cp = Entity(text, i, len);
      if (cp >= 0) {
        emit(cp, i, i + len);
        i += len;
        continue;
      }
    }
    if (c < 0x80) {
      n.text.push_back(static_cast<char>(c));
      n.begin.push_back(static_cast<std::uint32_t>(i));
      n.end.push_back(static_cast<std::uint32_t>(i + 1));
      ++i;
      continue;
    }
    utf8proc_int32_t cp = 0;
    const utf8proc_ssize_t len = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data() + i),
                                                  static_cast<utf8proc_ssize_t>(text.size() - i), &cp);
    if (len <= 0) {  // not reachable for valid UTF-8; keep the byte
      n.text.push_back(static_cast<char>(c));
      n.begin.push_back(static_cast<std::uint32_t>(i));
      n.end.push_back(static_cast<std::uint32_t>(i + 1));
      ++i;
      continue;
    }
    emit(cp, i, i + static_cast<std::size_t>(len));
    i += static_cast<std::size_t>(len);
  }
  if (look_alikes) FoldLookAlikes(n);
  return n;
}

}  // namespace peerpulse::deid
