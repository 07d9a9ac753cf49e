// Turning markup into the plain text a RawPost carries.
#ifndef PEERPULSE_CRAWLER_TEXT_H_
#define PEERPULSE_CRAWLER_TEXT_H_

#include <string>
#include <string_view>

namespace peerpulse::crawler {

// The visible text of an HTML fragment or document (libxml2's HTML parser in
// recover mode, no network): entities decoded; script, style, head, template
// and comments dropped; block elements and <br> become line breaks; runs of
// spaces collapse. Never fails: hostile or broken markup yields whatever text
// the parser recovered (possibly empty; markup nested deeper than libxml2's
// 256 levels is cut there). Thread-safe.
std::string HtmlToText(std::string_view html);

}  // namespace peerpulse::crawler

#endif  // PEERPULSE_CRAWLER_TEXT_H_
