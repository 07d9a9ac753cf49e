#include "peerpulse/crawler/text.h"

#include "libxml2_quiet.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include <cstring>

namespace peerpulse::crawler {
namespace {

bool NameIs(const xmlNode* n, const char* name) {
  return n->name != nullptr && xmlStrcasecmp(n->name, reinterpret_cast<const xmlChar*>(name)) == 0;
}

bool Skipped(const xmlNode* n) {
  for (const char* s : {"script", "style", "head", "template", "noscript", "iframe", "object", "svg"}) {
    if (NameIs(n, s)) return true;
  }
  return false;
}

bool Block(const xmlNode* n) {
  for (const char* s : {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote",
                        "pre", "hr", "table", "section", "article", "aside", "header", "footer", "dd", "dt"}) {
    if (NameIs(n, s)) return true;
  }
  return false;
}

void AppendText(std::string& out, const char* text) {
  for (const char* p = text; *p != '\0'; ++p) {
    const char c = *p;
    const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
    if (space) {
      if (!out.empty() && out.back() != ' ' && out.back() != '\n') out += ' ';
    } else {
      out += c;
    }
  }
}

void Walk(const xmlNode* node, std::string& out, int depth) {
  if (depth > 512) return;  // libxml2 caps depth too; stay well within the stack
  for (const xmlNode* n = node; n != nullptr; n = n->next) {
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
      if (n->content != nullptr) AppendText(out, reinterpret_cast<const char*>(n->content));
      continue;
    }
    if (n->type != XML_ELEMENT_NODE || Skipped(n)) continue;
    const bool block = Block(n);
    if (block) {
      while (!out.empty() && out.back() == ' ') out.pop_back();
      if (!out.empty() && out.back() != '\n') out += '\n';
    }
    Walk(n->children, out, depth + 1);
    if (block) {
      while (!out.empty() && out.back() == ' ') out.pop_back();
      if (!out.empty() && out.back() != '\n') out += '\n';
    }
  }
}

}  // namespace

std::string HtmlToText(std::string_view html) {
  if (html.empty()) return {};
  if (html.find('<') == std::string_view::npos && html.find('&') == std::string_view::npos) return std::string(html);
  const int options = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
                      HTML_PARSE_NOIMPLIED | HTML_PARSE_COMPACT;
  // libxml2 takes an int length; bodies are capped far below that by the transport.
  const int len = html.size() > 0x7fffffff ? 0x7fffffff : static_cast<int>(html.size());
  SilenceLibxml2();
  htmlDocPtr doc = htmlReadMemory(html.data(), len, nullptr, "UTF-8", options);
  std::string out;
  if (doc != nullptr) {
    Walk(xmlDocGetRootElement(doc) != nullptr ? doc->children : nullptr, out, 0);
    xmlFreeDoc(doc);
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  std::size_t start = 0;
  while (start < out.size() && (out[start] == '\n' || out[start] == ' ')) ++start;
  out.erase(0, start);
  return out;
}

}  // namespace peerpulse::crawler
