// libxml2 prints parse and encoding errors to stderr by default, and those
// messages can quote input bytes: post content in a log. Every crawler entry
// point into libxml2 calls SilenceLibxml2() first. The handlers are
// per-thread in libxml2, hence a call per parse (it only stores two pointers).
#ifndef PEERPULSE_CRAWLER_SRC_LIBXML2_QUIET_H_
#define PEERPULSE_CRAWLER_SRC_LIBXML2_QUIET_H_

#include <libxml/xmlerror.h>

namespace peerpulse::crawler {

inline void IgnoreLibxml2Generic(void*, const char*, ...) {}
inline void IgnoreLibxml2Structured(void*, xmlErrorPtr) {}

inline void SilenceLibxml2() {
  xmlSetGenericErrorFunc(nullptr, &IgnoreLibxml2Generic);
  xmlSetStructuredErrorFunc(nullptr, &IgnoreLibxml2Structured);
}

}  // namespace peerpulse::crawler

#endif  // PEERPULSE_CRAWLER_SRC_LIBXML2_QUIET_H_
