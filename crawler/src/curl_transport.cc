// The libcurl transport (http.h). One easy handle per transport, reused so
// that connections stay alive between requests to the same host.
#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <mutex>

#include "lower.h"
#include "peerpulse/crawler/http.h"

namespace peerpulse::crawler {
namespace {

std::once_flag g_curl_once;

struct Transfer {
  HttpResponse* response = nullptr;
  std::size_t max_body = 0;
  bool too_large = false;
};

std::size_t OnBody(char* data, std::size_t size, std::size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::size_t bytes = size * n;
  if (t->response->body.size() + bytes > t->max_body) {
    t->too_large = true;
    return 0;  // aborts the transfer (CURLE_WRITE_ERROR)
  }
  t->response->body.append(data, bytes);
  return bytes;
}

std::size_t OnHeader(char* data, std::size_t size, std::size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::size_t bytes = size * n;
  std::string_view line(data, bytes);
  if (line.starts_with("HTTP/")) {
    t->response->headers.clear();  // a new response (redirect or 100 Continue): keep the last one's
    return bytes;
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos) return bytes;
  std::string name = Lower(line.substr(0, colon));
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) value.remove_suffix(1);
  t->response->headers.emplace_back(std::move(name), std::string(value));
  return bytes;
}

class CurlTransport final : public HttpTransport {
 public:
  CurlTransport(CURL* curl, CurlOptions options) : curl_(curl), options_(std::move(options)) {}
  ~CurlTransport() override { curl_easy_cleanup(curl_); }
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  Result<HttpResponse> Send(const HttpRequest& request) override {
    const std::string host = HostOf(request.url);
    if (host.empty() || !(request.url.starts_with("http://") || request.url.starts_with("https://"))) {
      return Status::InvalidArgument("not an http(s) URL (host '" + host + "')");
    }
    CURL* c = curl_;
    curl_easy_reset(c);
    HttpResponse response;
    Transfer transfer{&response, options_.max_body_bytes, false};
    curl_slist* headers = nullptr;
    for (const auto& [k, v] : request.headers) headers = curl_slist_append(headers, (k + ": " + v).c_str());
    // Every setopt below takes a valid value; their return codes only report
    // unknown options (absent in libcurl 7.88, Debian 12) and are not checked.
    curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, options_.max_redirects);
    curl_easy_setopt(c, CURLOPT_USERAGENT, options_.user_agent.c_str());
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");  // every encoding libcurl was built with
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, options_.connect_timeout_ms);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, options_.total_timeout_ms);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, options_.low_speed_bytes);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, options_.low_speed_seconds);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, options_.verify_tls ? 1L : 0L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, options_.verify_tls ? 2L : 0L);
    if (!options_.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, options_.ca_file.c_str());
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &OnBody);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &transfer);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, &OnHeader);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &transfer);
    if (headers != nullptr) curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    if (!request.basic_auth.empty()) {
      curl_easy_setopt(c, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC));
      curl_easy_setopt(c, CURLOPT_USERPWD, request.basic_auth.c_str());
    }
    if (request.method == "POST") {
      curl_easy_setopt(c, CURLOPT_POST, 1L);
      curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
      curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.c_str());
    } else if (request.method == "HEAD") {
      curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    }
    const CURLcode rc = curl_easy_perform(c);
    curl_slist_free_all(headers);
    if (rc != CURLE_OK) {
      WipeBody(response);
      if (transfer.too_large) {
        return Status::ResourceExhausted(host + ": response body over " + std::to_string(options_.max_body_bytes) +
                                         " bytes");
      }
      if (rc == CURLE_TOO_MANY_REDIRECTS) return Status::InvalidArgument(host + ": more than " +
                                                                         std::to_string(options_.max_redirects) +
                                                                         " redirects");
      if (rc == CURLE_UNSUPPORTED_PROTOCOL) return Status::InvalidArgument(host + ": redirect to a scheme other than http(s)");
      return Status::Unavailable(host + ": " + curl_easy_strerror(rc));
    }
    long code = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    response.status = static_cast<int>(code);
    char* effective = nullptr;
    if (curl_easy_getinfo(c, CURLINFO_EFFECTIVE_URL, &effective) == CURLE_OK && effective != nullptr) {
      response.effective_url = effective;
    }
    double seconds = 0;
    curl_easy_getinfo(c, CURLINFO_TOTAL_TIME, &seconds);
    response.seconds = seconds;
    return response;
  }

 private:
  static void WipeBody(HttpResponse& r) {
    std::fill(r.body.begin(), r.body.end(), '\0');
    r.body.clear();
  }
  CURL* curl_;
  CurlOptions options_;
};

}  // namespace

Result<std::unique_ptr<HttpTransport>> MakeCurlTransport(const CurlOptions& options) {
  bool global_ok = true;
  std::call_once(g_curl_once, [&global_ok] { global_ok = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK; });
  if (!global_ok) return Status::Internal("libcurl global initialisation failed");
  CURL* c = curl_easy_init();
  if (c == nullptr) return Status::Internal("libcurl: cannot create a handle");
  return std::unique_ptr<HttpTransport>(new CurlTransport(c, options));
}

}  // namespace peerpulse::crawler
