// PoliteFetcher: every HTTP request a source makes goes through one of these.
//
// It enforces, per host: robots.txt (RFC 9309; fetched once per host and run,
// `Crawl-delay` honoured up to a cap), a minimum delay between the starts of
// two requests, retries with exponential backoff and full jitter on transport
// errors and on 408/429/500/502/503/504, `Retry-After` (seconds or HTTP date),
// a proactive slow-down from rate-limit headers (`X-RateLimit-Remaining` with
// `X-RateLimit-Reset` as seconds, Unix time or an ISO 8601 instant, the form
// Reddit and Mastodon send), and a circuit breaker that stops calling a host
// after repeated failures. It sends one request at a time, so a job holds at
// most one connection to any host and one in all.
//
// Errors name the host, never the path or query. Not thread-safe: one caller
// at a time.
#ifndef PEERPULSE_CRAWLER_POLITE_FETCHER_H_
#define PEERPULSE_CRAWLER_POLITE_FETCHER_H_

#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <string>

#include "peerpulse/crawler/http.h"
#include "peerpulse/crawler/robots.h"
#include "peerpulse/pipeline/status.h"

namespace peerpulse::crawler {

struct PolitenessOptions {
  double min_delay_seconds = 1.0;          // between two request starts to one host
  std::map<std::string, double> host_delay;  // per-host override of min_delay_seconds (host as HostOf gives it)
  bool obey_robots = true;                 // job files cannot switch this off; tests of the fetcher can
  std::string robots_agent = "peerpulse";  // product token matched against robots.txt user-agent lines
  double max_crawl_delay_seconds = 60;     // a larger Crawl-delay is capped at this
  int max_attempts = 5;                    // per request, the first try included
  double backoff_base_seconds = 1.0;       // attempt n waits uniform(0, base * 2^n), capped ...
  double backoff_max_seconds = 60;         // ... at this
  double max_retry_after_seconds = 600;    // a longer Retry-After or rate-limit reset fails the request
  int rate_limit_reserve = 1;              // at this many remaining requests, wait for the reset
  int breaker_threshold = 3;               // consecutive failed requests that open a host's circuit ...
  double breaker_cooldown_seconds = 300;   // ... for this long (requests then fail at once)
};

// Time, behind an interface so that tests can observe and skip waits.
class Pacer {
 public:
  virtual ~Pacer() = default;
  virtual double MonotonicSeconds() = 0;   // for spacing requests
  virtual double UnixSeconds() = 0;        // for Retry-After dates and rate-limit instants
  virtual void Sleep(double seconds) = 0;
};
// The real clocks and std::this_thread::sleep_for.
std::unique_ptr<Pacer> MakeSystemPacer();

// Counts per host, for run reports (no URLs, no content).
struct HostStats {
  std::int64_t requests = 0;        // attempts sent, robots.txt included
  std::int64_t retries = 0;
  std::int64_t failures = 0;        // requests that failed after their retries
  std::int64_t robots_denied = 0;   // requests refused by robots.txt
  std::int64_t bytes = 0;           // response body bytes
  double waited_seconds = 0;        // politeness, backoff and rate-limit waits
  std::string last_error;           // the last failure's message (names the host only)
};

class PoliteFetcher {
 public:
  // `transport` and `pacer` must outlive the fetcher; `pacer` nullptr: the system pacer.
  PoliteFetcher(HttpTransport& transport, PolitenessOptions options, Pacer* pacer = nullptr);

  // Sends `request` politely. Returns the final response, whatever its status
  // (a 404 is a response, not an error), once it is not a retryable status or
  // the attempts are used up. Errors: FailedPrecondition when robots.txt
  // disallows the path; Unavailable when the host's circuit is open, a
  // Retry-After is too long or the attempts ran out on transport errors;
  // ResourceExhausted / InvalidArgument from the transport (oversize body,
  // redirect loop), which are not retried.
  Result<HttpResponse> Fetch(const HttpRequest& request);

  const std::map<std::string, HostStats>& stats() const { return stats_; }

 private:
  struct HostState {
    bool robots_loaded = false;
    RobotsRules robots;
    double next_allowed = 0;       // monotonic seconds
    double delay = 0;              // effective minimum spacing
    int consecutive_failures = 0;
    double open_until = -1;        // circuit open until (monotonic), or -1
  };
  HostState& Host(const std::string& host, const std::string& origin);
  Result<HttpResponse> SendPaced(const std::string& host, HostState& h, const HttpRequest& request);
  void Wait(const std::string& host, double seconds);
  void NoteRateLimit(HostState& h, const HttpResponse& r);
  double Backoff(int attempt);

  HttpTransport& transport_;
  PolitenessOptions options_;
  std::unique_ptr<Pacer> own_pacer_;
  Pacer* pacer_;
  std::map<std::string, HostState> hosts_;
  std::map<std::string, HostStats> stats_;
  std::mt19937_64 jitter_;
};

// Seconds to wait from a Retry-After value (delta seconds or an HTTP date) at
// `now_unix`, or nullopt if it is neither.
std::optional<double> ParseRetryAfter(std::string_view value, double now_unix);

}  // namespace peerpulse::crawler

#endif  // PEERPULSE_CRAWLER_POLITE_FETCHER_H_
