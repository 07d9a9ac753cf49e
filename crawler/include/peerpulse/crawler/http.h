// HTTP for the crawler: one request/response vocabulary, a transport
// interface (so tests and benchmarks can swap it), and the libcurl transport.
//
// A transport sends exactly one request and does no politeness, no retries
// and no robots.txt: that is PoliteFetcher's job (polite_fetcher.h). Bodies of
// responses may contain post text: they live in memory only and no error
// message ever quotes them. Error messages name the host, never the full URL
// (paths and queries can carry ids).
#ifndef PEERPULSE_CRAWLER_HTTP_H_
#define PEERPULSE_CRAWLER_HTTP_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "peerpulse/pipeline/status.h"

namespace peerpulse::crawler {

struct HttpRequest {
  std::string method = "GET";  // GET, HEAD or POST
  std::string url;             // absolute http:// or https:// URL
  std::vector<std::pair<std::string, std::string>> headers;  // extra request headers
  std::string body;            // POST body (application/x-www-form-urlencoded unless a header says otherwise)
  std::string basic_auth;      // "user:password" for HTTP Basic, or empty
};

struct HttpResponse {
  int status = 0;
  // Header names lower-cased, in arrival order (of the final response after redirects).
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;           // decompressed
  std::string effective_url;  // after redirects
  double seconds = 0;         // total transfer time

  // The first header named `name` (lower-case), or nullopt.
  std::optional<std::string_view> Header(std::string_view name) const;
};

// Sends one request. Thread-compatible: one caller at a time per instance.
class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  // Returns the response for any HTTP status (4xx and 5xx included).
  // Errors: Unavailable for connection failures, timeouts, TLS errors and
  // bodies cut short; ResourceExhausted when the body exceeds the size limit;
  // InvalidArgument for a URL that is not http(s) or a redirect loop (more
  // than max_redirects). Messages name the host only.
  virtual Result<HttpResponse> Send(const HttpRequest& request) = 0;
};

struct CurlOptions {
  std::string user_agent = "peerpulse/0.1";    // the job sets a descriptive one with a contact URL
  long connect_timeout_ms = 10000;             // TCP + TLS handshake
  long total_timeout_ms = 60000;               // whole transfer
  long low_speed_bytes = 100;                  // abort when slower than this many bytes/s ...
  long low_speed_seconds = 20;                 // ... for this long
  std::size_t max_body_bytes = 16u << 20;      // enforced while streaming (16 MiB)
  long max_redirects = 5;
  bool verify_tls = true;                      // never switched off by a job file
  std::string ca_file;                         // extra CA bundle (tests), or empty: the system store
};

// The libcurl transport: TLS verification on, http and https only (also
// across redirects), gzip/deflate/brotli accepted, connections kept alive and
// reused. Errors: Internal if libcurl cannot be initialised.
Result<std::unique_ptr<HttpTransport>> MakeCurlTransport(const CurlOptions& options);

// The host of an http(s) URL ("example.org:8080" keeps a non-default port),
// lower-cased; empty if the URL has none.
std::string HostOf(std::string_view url);
// scheme://host[:port] of a URL, or empty.
std::string OriginOf(std::string_view url);
// The path and query of a URL ("/" when absent).
std::string PathOf(std::string_view url);
// Percent-encodes everything but unreserved characters (RFC 3986).
std::string UrlEncode(std::string_view s);
// The URL of rel="<rel>" in an RFC 8288 Link header, or empty.
std::string LinkRel(std::string_view link_header, std::string_view rel);
// `reference` resolved against `base` (absolute URLs, "//host/...", "/path" and "?query").
std::string ResolveUrl(std::string_view base, std::string_view reference);

}  // namespace peerpulse::crawler

#endif  // PEERPULSE_CRAWLER_HTTP_H_
