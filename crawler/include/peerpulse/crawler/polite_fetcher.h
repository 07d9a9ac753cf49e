// PoliteFetcher: every HTTP request a source makes goes through one of these.
//
// It enforces, per host: robots.txt (RFC 9309; fetched once per host and run,
// `Crawl-delay` honoured up to a cap; it governs GET and HEAD, not the POST of
// an OAuth token request), a minimum delay between the end of one
// request and the start of the next, retries with exponential backoff and full jitter on transport
// errors and on 408/429/500/502/503/504, `Retry-After` (seconds or HTTP date),
// a proactive slow-down from rate-limit headers (`X-RateLimit-Remaining` with
// `X-RateLimit-Reset` as seconds, Unix time or an ISO 8601 instant, the form
// Reddit and Mastodon send), and a circuit breaker that stops calling a host
// after repeated failures. Concurrency: any number of threads may call
// Fetch() at once; requests to one host are serialised (one connection per
// host), and at most as many requests are in flight as the fetcher has
// transports (the global concurrency limit).
//
// Errors name the host, never the path or query. Fetch() is thread-safe.
#ifndef PEERPULSE_CRAWLER_POLITE_FETCHER_H_
#define PEERPULSE_CRAWLER_POLITE_FETCHER_H_

#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "peerpulse/crawler/http.h"
#include "peerpulse/crawler/robots.h"
#include "peerpulse/pipeline/status.h"

namespace peerpulse::crawler {

struct PolitenessOptions {
  double min_delay_seconds = 1.0;          // from the end of one request to one host to the start of the next
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
  // One transport: one request in flight at a time. `transport` and `pacer`
  // must outlive the fetcher; `pacer` nullptr: the system pacer (thread-safe;
  // a test's pacer must be too when several threads fetch).
  PoliteFetcher(HttpTransport& transport, PolitenessOptions options, Pacer* pacer = nullptr);
  // A pool: up to transports.size() (>= 1) requests in flight, each to a
  // different host. The fetcher owns the transports.
  PoliteFetcher(std::vector<std::unique_ptr<HttpTransport>> transports, PolitenessOptions options,
                Pacer* pacer = nullptr);
  PoliteFetcher(const PoliteFetcher&) = delete;
  PoliteFetcher& operator=(const PoliteFetcher&) = delete;

  // Sends `request` politely. Returns the final response, whatever its status
  // (a 404 is a response, not an error), once it is not a retryable status or
  // the attempts are used up. Errors: FailedPrecondition when robots.txt
  // disallows the path; Unavailable when robots.txt could not be read (5xx,
  // network: the host is skipped for the run), the host's circuit is open, a
  // Retry-After is too long or the attempts ran out on transport errors;
  // ResourceExhausted / InvalidArgument from the transport (oversize body,
  // redirect loop), which are not retried.
  Result<HttpResponse> Fetch(const HttpRequest& request);

  // A copy of the counts per host. Call it when no Fetch() is in flight: the
  // counters are written by the thread holding a host's slot, not under the lock.
  std::map<std::string, HostStats> stats() const;

 private:
  struct HostState {
    bool busy = false;             // a thread holds this host's slot (one request at a time per host)
    bool robots_loaded = false;
    RobotsRules robots;
    std::string robots_error;      // why robots.txt could not be read (the host is then skipped)
    double next_allowed = 0;       // monotonic seconds
    double delay = 0;              // effective minimum spacing
    int consecutive_failures = 0;
    double open_until = -1;        // circuit open until (monotonic), or -1
  };
  struct Slot {
    HttpTransport* transport = nullptr;
    std::string last_host;         // to reuse a kept-alive connection
    bool busy = false;
  };
  // With the host's slot held:
  void LoadRobots(const std::string& host, const std::string& origin, HostState& h, HostStats& st);
  Result<HttpResponse> SendPaced(const std::string& host, HostState& h, HostStats& st, const HttpRequest& request);
  Result<HttpResponse> SendOnce(const std::string& host, const HttpRequest& request);
  void Wait(HostStats& st, double seconds);
  void NoteRateLimit(HostState& h, const HttpResponse& r);
  double Backoff(int attempt);

  std::vector<std::unique_ptr<HttpTransport>> owned_;
  PolitenessOptions options_;
  std::unique_ptr<Pacer> own_pacer_;
  Pacer* pacer_;
  mutable std::mutex mu_;          // guards the maps' structure, the busy flags, slots_ and jitter_
  std::condition_variable cv_;
  std::vector<Slot> slots_;
  // Entries are never erased, so references stay valid; a HostState and its
  // HostStats are only touched by the thread holding the host's slot.
  std::map<std::string, HostState> hosts_;
  std::map<std::string, HostStats> stats_;
  std::mt19937_64 jitter_;
};

// Seconds to wait from a Retry-After value (delta seconds or an HTTP date) at
// `now_unix`, or nullopt if it is neither.
std::optional<double> ParseRetryAfter(std::string_view value, double now_unix);

}  // namespace peerpulse::crawler

#endif  // PEERPULSE_CRAWLER_POLITE_FETCHER_H_
