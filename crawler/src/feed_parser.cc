// RSS / Atom with libxml2 (parsers.h).
#include <curl/curl.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <cstring>

#include "peerpulse/crawler/parsers.h"
#include "peerpulse/crawler/text.h"
#include "libxml2_quiet.h"
#include "peerpulse/pipeline/window.h"

namespace peerpulse::crawler {
namespace {

bool Is(const xmlNode* n, const char* local) {
  return n->type == XML_ELEMENT_NODE && n->name != nullptr &&
         xmlStrcasecmp(n->name, reinterpret_cast<const xmlChar*>(local)) == 0;
}

std::string Content(const xmlNode* n) {
  xmlChar* c = xmlNodeGetContent(n);
  if (c == nullptr) return {};
  std::string out(reinterpret_cast<const char*>(c));
  xmlFree(c);
  return out;
}

// Atom <content type="xhtml"> holds markup as child elements: serialise them.
std::string InnerMarkup(xmlDoc* doc, const xmlNode* n) {
  std::string out;
  xmlBufferPtr buf = xmlBufferCreate();
  if (buf == nullptr) return out;
  for (xmlNode* c = n->children; c != nullptr; c = c->next) xmlNodeDump(buf, doc, c, 0, 0);
  out.assign(reinterpret_cast<const char*>(xmlBufferContent(buf)), static_cast<std::size_t>(xmlBufferLength(buf)));
  xmlBufferFree(buf);
  return out;
}

const xmlNode* Child(const xmlNode* n, const char* local) {
  for (const xmlNode* c = n->children; c != nullptr; c = c->next) {
    if (Is(c, local)) return c;
  }
  return nullptr;
}

bool ValidUtf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

bool DeclaresEncoding(std::string_view body) {
  const auto decl = body.find("<?xml");
  if (decl == std::string_view::npos || decl > 512) return false;
  const auto end = body.find("?>", decl);
  return end != std::string_view::npos && body.substr(decl, end - decl).find("encoding") != std::string_view::npos;
}

// Windows-1252 to UTF-8 (the five bytes it leaves undefined become U+FFFD).
std::string Cp1252ToUtf8(std::string_view in) {
  static constexpr char16_t kHigh[32] = {
      0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
      0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
      0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};
  std::string out;
  out.reserve(in.size() + in.size() / 4);
  for (const char ch : in) {
    const auto c = static_cast<unsigned char>(ch);
    const char32_t cp = c < 0x80 ? c : (c < 0xA0 ? kHigh[c - 0x80] : c);
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  return out;
}

struct Item {
  std::string id, link, title, body, author, date;
};

void CollectItems(xmlDoc* doc, const xmlNode* node, std::vector<Item>& items, std::string& lang, int depth) {
  if (depth > 32) return;
  for (const xmlNode* n = node; n != nullptr; n = n->next) {
    if (n->type != XML_ELEMENT_NODE) continue;
    if (Is(n, "language") && lang.empty()) lang = Content(n);
    if (Is(n, "item") || Is(n, "entry")) {
      Item it;
      std::string summary;
      int date_rank = 7;
      for (const xmlNode* c = n->children; c != nullptr; c = c->next) {
        if (c->type != XML_ELEMENT_NODE) continue;
        if (Is(c, "guid") || Is(c, "id")) {
          it.id = Content(c);
        } else if (Is(c, "link")) {
          xmlChar* href = xmlGetProp(c, reinterpret_cast<const xmlChar*>("href"));
          if (href != nullptr) {
            xmlChar* rel = xmlGetProp(c, reinterpret_cast<const xmlChar*>("rel"));
            const bool alternate = rel == nullptr || xmlStrcmp(rel, reinterpret_cast<const xmlChar*>("alternate")) == 0;
            if (alternate && it.link.empty()) it.link = reinterpret_cast<const char*>(href);
            xmlFree(rel);
            xmlFree(href);
          } else if (it.link.empty()) {
            it.link = Content(c);
          }
        } else if (Is(c, "title")) {
          it.title = HtmlToText(Content(c));
        } else if (Is(c, "encoded") || Is(c, "content")) {
          xmlChar* type = xmlGetProp(c, reinterpret_cast<const xmlChar*>("type"));
          const bool xhtml = type != nullptr && xmlStrcmp(type, reinterpret_cast<const xmlChar*>("xhtml")) == 0;
          xmlFree(type);
          it.body = HtmlToText(xhtml ? InnerMarkup(doc, c) : Content(c));
        } else if (Is(c, "description") || Is(c, "summary")) {
          summary = HtmlToText(Content(c));
        } else if (Is(c, "author") || Is(c, "creator")) {
          const xmlNode* name = Child(c, "name");
          it.author = Content(name != nullptr ? name : c);
        } else {
          // Dates, by preference: pubDate / published, dc:date, dcterms:created / issued, updated / modified.
          static constexpr const char* kDates[] = {"pubDate", "published", "date", "created", "issued", "updated",
                                                   "modified"};
          for (int rank = 0; rank < 7; ++rank) {
            if (Is(c, kDates[rank]) && rank < date_rank) {
              it.date = Content(c);
              date_rank = rank;
            }
          }
        }
      }
      if (it.body.empty()) it.body = std::move(summary);
      items.push_back(std::move(it));
      continue;
    }
    CollectItems(doc, n->children, items, lang, depth + 1);
  }
}

std::string Trim(std::string s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  const auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

}  // namespace

std::int64_t ParseAnyDate(std::string_view text) {
  const std::string s = Trim(std::string(text));
  if (s.empty()) return -1;
  if (auto t = ParseTimestamp(s); t.ok()) return *t;
  const time_t t = curl_getdate(s.c_str(), nullptr);
  return t < 0 ? -1 : static_cast<std::int64_t>(t);
}

Result<ParsedPage> ParseFeed(std::string_view body, const std::string& community, std::int64_t fallback_time,
                             std::string_view where) {
  const int options = XML_PARSE_RECOVER | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NONET |
                      XML_PARSE_NOCDATA | XML_PARSE_COMPACT;
  SilenceLibxml2();
  // No declared encoding and not UTF-8: the commonest real-world case is Windows-1252.
  std::string converted;
  const char* encoding = nullptr;
  if (!DeclaresEncoding(body) && !ValidUtf8(body)) {
    converted = Cp1252ToUtf8(body);
    body = converted;
    encoding = "UTF-8";
  }
  const int len = body.size() > 0x7fffffff ? 0x7fffffff : static_cast<int>(body.size());
  xmlDocPtr doc = xmlReadMemory(body.data(), len, nullptr, encoding, options);
  WipeString(converted);
  if (doc == nullptr || xmlDocGetRootElement(doc) == nullptr) {
    if (doc != nullptr) xmlFreeDoc(doc);
    return Status::DataLoss(std::string(where) + ": not an XML feed (nothing recoverable)");
  }
  const xmlNode* root = xmlDocGetRootElement(doc);
  if (!(Is(root, "rss") || Is(root, "feed") || Is(root, "RDF") || Is(root, "channel"))) {
    xmlFreeDoc(doc);
    return Status::DataLoss(std::string(where) + ": root element is not rss, feed or rdf:RDF");
  }
  std::vector<Item> items;
  std::string lang;
  CollectItems(doc, root, items, lang, 0);
  xmlFreeDoc(doc);
  lang = Trim(lang);
  ParsedPage page;
  for (std::size_t i = 0; i < items.size(); ++i) {
    Item& it = items[i];
    RawPost p;
    it.id = Trim(it.id);
    it.link = Trim(it.link);
    p.native_id = !it.id.empty() ? it.id : !it.link.empty() ? it.link : "";
    if (p.native_id.empty() && !(it.title.empty() && it.date.empty())) p.native_id = it.title + "|" + Trim(it.date);
    p.author = Trim(it.author);
    // Feeds often give no author. Such items all count as one author, the
    // feed's host: that under-counts distinct people, where one id per item
    // would let a single writer fill a cell past min_authors.
    if (p.author.empty()) p.author = "feed:" + std::string(where);
    p.text = it.title;
    if (!it.body.empty()) {
      if (!p.text.empty()) p.text += "\n\n";
      p.text += it.body;
    }
    p.url = it.link;
    p.lang = lang.empty() ? "und" : lang;
    p.community = community;
    std::int64_t t = ParseAnyDate(it.date);
    if (t < 0) t = fallback_time;
    std::string problem;
    if (p.native_id.empty()) problem = "item without guid, id, link, title or date";
    else if (p.text.empty()) problem = "item without text";
    else if (t < 0) problem = "item without a date (it could not be placed in one week exactly once)";
    else if (t < 631152000 || t >= 4102444800) problem = "item date outside 1990..2100";
    if (!problem.empty()) {
      page.record_errors.push_back(std::string(where) + ": item " + std::to_string(i + 1) + ": " + problem);
      continue;
    }
    p.created_at = t;
    page.posts.push_back(std::move(p));
  }
  for (Item& it : items) {
    for (std::string* s : {&it.id, &it.link, &it.title, &it.body, &it.author, &it.date}) WipeString(*s);
  }
  return page;
}

}  // namespace peerpulse::crawler
