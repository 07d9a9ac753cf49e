#include "normalize.h"

#include <utf8proc.h>

#include <cstring>

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

}  // namespace

Normalized Normalize(std::string_view text) {
  Normalized n;
  // Plain ASCII without '&' (most posts) needs nothing: checked eight bytes
  // at a time (a byte is '&' when it is zero after XOR with '&').
  std::size_t at = 0;
  for (; at + 8 <= text.size(); at += 8) {
    std::uint64_t v;
    std::memcpy(&v, text.data() + at, 8);
    const std::uint64_t amp = v ^ 0x2626262626262626ULL;
    if (((v | ((amp - 0x0101010101010101ULL) & ~amp)) & 0x8080808080808080ULL) != 0) break;
  }
  bool plain = true;
  for (; at < text.size() && plain; ++at) plain = static_cast<unsigned char>(text[at]) < 0x80 && text[at] != '&';
  if (plain) return n;
  n.identity = false;
  n.text.reserve(text.size());
  n.begin.reserve(text.size());
  n.end.reserve(text.size());
  const auto emit = [&n](std::int32_t cp, std::size_t from, std::size_t to) {
    // Compatibility decomposition without marks; a code point utf8proc
    // cannot map (unassigned) is kept as it is.
    utf8proc_int32_t out[32];
    int boundclass = UTF8PROC_BOUNDCLASS_START;
    utf8proc_ssize_t count = utf8proc_decompose_char(
        cp, out, 32, static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_STRIPMARK),
        &boundclass);
    if (count < 0 || count > 32) {
      out[0] = cp;
      count = 1;
    }
    for (utf8proc_ssize_t k = 0; k < count; ++k) {
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
  return n;
}

}  // namespace peerpulse::deid
