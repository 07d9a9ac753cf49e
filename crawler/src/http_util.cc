// URL and header helpers (http.h).
#include <cctype>

#include "lower.h"
#include "peerpulse/crawler/http.h"

namespace peerpulse::crawler {
namespace {

// Index after "scheme://", or npos.
std::size_t AuthorityStart(std::string_view url) {
  const auto p = url.find("://");
  if (p == std::string_view::npos) return std::string_view::npos;
  for (std::size_t i = 0; i < p; ++i) {
    const char c = url[i];
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.')) return std::string_view::npos;
  }
  return p + 3;
}

}  // namespace

std::optional<std::string_view> HttpResponse::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k == name) return std::string_view(v);
  }
  return std::nullopt;
}

std::string HostOf(std::string_view url) {
  const std::size_t a = AuthorityStart(url);
  if (a == std::string_view::npos) return {};
  std::size_t e = url.find_first_of("/?#", a);
  if (e == std::string_view::npos) e = url.size();
  std::string_view auth = url.substr(a, e - a);
  const auto at = auth.rfind('@');
  if (at != std::string_view::npos) auth.remove_prefix(at + 1);  // never keep credentials
  std::string host = Lower(auth);
  if (url.starts_with("https://") && host.ends_with(":443")) host.resize(host.size() - 4);
  if (url.starts_with("http://") && host.ends_with(":80")) host.resize(host.size() - 3);
  return host;
}

std::string OriginOf(std::string_view url) {
  const std::size_t a = AuthorityStart(url);
  if (a == std::string_view::npos) return {};
  return Lower(url.substr(0, a)) + HostOf(url);
}

std::string PathOf(std::string_view url) {
  const std::size_t a = AuthorityStart(url);
  if (a == std::string_view::npos) return "/";
  std::size_t s = url.find_first_of("/?#", a);
  if (s == std::string_view::npos) return "/";
  std::string_view rest = url.substr(s);
  const auto hash = rest.find('#');
  if (hash != std::string_view::npos) rest = rest.substr(0, hash);
  std::string out(rest);
  if (out.empty() || out.front() == '?') out.insert(0, "/");
  return out;
}

std::string UrlEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string LinkRel(std::string_view header, std::string_view rel) {
  // <url>; rel="next", <url>; rel="prev"   (a rel value may list several space-separated relations)
  std::size_t pos = 0;
  while (pos < header.size()) {
    const auto lt = header.find('<', pos);
    if (lt == std::string_view::npos) break;
    const auto gt = header.find('>', lt);
    if (gt == std::string_view::npos) break;
    const std::string_view url = header.substr(lt + 1, gt - lt - 1);
    auto end = header.find('<', gt);
    if (end == std::string_view::npos) end = header.size();
    std::string_view params = header.substr(gt + 1, end - gt - 1);
    while (!params.empty()) {
      const auto semi = params.find(';');
      std::string param = Lower(params.substr(0, semi));
      params = semi == std::string_view::npos ? std::string_view() : params.substr(semi + 1);
      std::erase_if(param, [](char c) { return c == '"' || c == ',' || c == '\t'; });
      const auto b = param.find_first_not_of(' ');
      if (b == std::string::npos || param.compare(b, 4, "rel=") != 0) continue;
      std::string_view values = std::string_view(param).substr(b + 4);
      while (!values.empty()) {
        const auto sp = values.find(' ');
        if (values.substr(0, sp) == rel) return std::string(url);
        values = sp == std::string_view::npos ? std::string_view() : values.substr(sp + 1);
      }
    }
    pos = end;
  }
  return {};
}

std::string ResolveUrl(std::string_view base, std::string_view ref) {
  if (AuthorityStart(ref) != std::string_view::npos) return std::string(ref);
  if (ref.starts_with("//")) {
    const auto p = base.find("://");
    return std::string(base.substr(0, p == std::string_view::npos ? 0 : p + 1)) + std::string(ref);
  }
  const std::string origin = OriginOf(base);
  if (ref.starts_with("/")) return origin + std::string(ref);
  std::string path = PathOf(base);
  if (ref.starts_with("?")) {
    const auto q = path.find('?');
    return origin + path.substr(0, q) + std::string(ref);
  }
  const auto q = path.find('?');
  if (q != std::string::npos) path.resize(q);
  const auto slash = path.rfind('/');
  return origin + path.substr(0, slash + 1) + std::string(ref);
}

}  // namespace peerpulse::crawler
