#include "peerpulse/crawler/polite_fetcher.h"

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <thread>

#include "peerpulse/pipeline/window.h"

namespace peerpulse::crawler {
namespace {

class SystemPacer final : public Pacer {
 public:
  double MonotonicSeconds() override {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
  }
  double UnixSeconds() override {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  }
  void Sleep(double seconds) override {
    if (seconds > 0) std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  }
};

bool Retryable(int status) {
  return status == 408 || status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

// The first transport of a pool; an empty pool is a broken precondition.
HttpTransport& FirstOf(const std::vector<std::unique_ptr<HttpTransport>>& pool) {
  if (pool.empty() || pool.front() == nullptr) std::abort();
  return *pool.front();
}

std::optional<double> ParseNumber(std::string_view v) {
  const std::string s(v);
  char* end = nullptr;
  const double d = std::strtod(s.c_str(), &end);
  if (s.empty() || end == s.c_str() || *end != '\0' || !std::isfinite(d)) return std::nullopt;
  return d;
}

}  // namespace

std::unique_ptr<Pacer> MakeSystemPacer() { return std::make_unique<SystemPacer>(); }

std::optional<double> ParseRetryAfter(std::string_view value, double now_unix) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  if (auto n = ParseNumber(value); n.has_value()) return *n >= 0 ? *n : 0.0;
  const std::string s(value);
  const time_t t = curl_getdate(s.c_str(), nullptr);
  if (t < 0) return std::nullopt;
  return std::max(0.0, static_cast<double>(t) - now_unix);
}

PoliteFetcher::PoliteFetcher(HttpTransport& transport, PolitenessOptions options, Pacer* pacer)
    : options_(std::move(options)),
      own_pacer_(pacer == nullptr ? MakeSystemPacer() : nullptr),
      pacer_(pacer == nullptr ? own_pacer_.get() : pacer),
      jitter_(std::random_device{}()) {
  slots_.push_back(Slot{&transport, "", false});
}

PoliteFetcher::PoliteFetcher(std::vector<std::unique_ptr<HttpTransport>> transports, PolitenessOptions options,
                             Pacer* pacer)
    : PoliteFetcher(FirstOf(transports), std::move(options), pacer) {
  owned_ = std::move(transports);
  for (std::size_t i = 1; i < owned_.size(); ++i) slots_.push_back(Slot{owned_[i].get(), "", false});
}

std::map<std::string, HostStats> PoliteFetcher::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

void PoliteFetcher::LoadRobots(const std::string& host, const std::string& origin, HostState& h, HostStats& st) {
  h.robots_loaded = true;  // one attempt per run, whatever its outcome
  HttpRequest robots;
  robots.url = origin + "/robots.txt";
  auto r = SendPaced(host, h, st, robots);
  if (!r.ok()) {
    h.robots = RobotsRules::DisallowAll();
    h.robots_error = "robots.txt unreachable (" + r.status().message() + "): host skipped";
    st.last_error = h.robots_error;
  } else if (r->status >= 200 && r->status < 300) {
    h.robots = RobotsRules::Parse(r->body, options_.robots_agent);
  } else if (r->status >= 400 && r->status < 500 && r->status != 429) {
    h.robots = RobotsRules::AllowAll();  // no robots.txt
  } else {
    h.robots = RobotsRules::DisallowAll();  // 5xx, 429 (after retries): unreachable (RFC 9309 2.3.1.4)
    h.robots_error = host + ": robots.txt answered HTTP " + std::to_string(r->status) + ": host skipped";
    st.last_error = h.robots_error;
  }
  if (auto cd = h.robots.crawl_delay(); cd.has_value()) {
    h.delay = std::max(h.delay, std::min(*cd, options_.max_crawl_delay_seconds));
  }
}

void PoliteFetcher::Wait(HostStats& st, double seconds) {
  if (seconds <= 0) return;
  st.waited_seconds += seconds;
  pacer_->Sleep(seconds);
}

double PoliteFetcher::Backoff(int attempt) {
  const double cap = std::min(options_.backoff_max_seconds, options_.backoff_base_seconds * std::ldexp(1.0, attempt));
  std::uniform_real_distribution<double> u(0.0, cap);
  std::lock_guard<std::mutex> lock(mu_);
  return u(jitter_);
}

void PoliteFetcher::NoteRateLimit(HostState& h, const HttpResponse& r) {
  auto remaining = r.Header("x-ratelimit-remaining");
  auto reset = r.Header("x-ratelimit-reset");
  if (!remaining.has_value() || !reset.has_value()) return;
  const auto left = ParseNumber(*remaining);
  if (!left.has_value()) return;
  double reset_in = -1;
  if (auto n = ParseNumber(*reset); n.has_value()) {
    // Reddit sends seconds until the reset; others a Unix time.
    reset_in = *n > 1e9 ? *n - pacer_->UnixSeconds() : *n;
  } else if (auto t = ParseTimestamp(*reset); t.ok()) {  // Mastodon: ISO 8601
    reset_in = static_cast<double>(*t) - pacer_->UnixSeconds();
  }
  if (reset_in <= 0) return;
  reset_in = std::min(reset_in, options_.max_retry_after_seconds);
  const double now = pacer_->MonotonicSeconds();
  if (*left <= options_.rate_limit_reserve) {
    h.next_allowed = std::max(h.next_allowed, now + reset_in);
  } else {
    // Spread what is left of the window evenly over the time to its reset.
    h.next_allowed = std::max(h.next_allowed, now + reset_in / *left);
  }
}

// One request on a pooled transport (the global concurrency limit): waits for
// a free slot, preferring the one whose kept-alive connection is to `host`.
Result<HttpResponse> PoliteFetcher::SendOnce(const std::string& host, const HttpRequest& request) {
  Slot* slot = nullptr;
  {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] {
      for (Slot& s : slots_) {
        if (!s.busy && (slot == nullptr || s.last_host == host)) slot = &s;
      }
      return slot != nullptr;
    });
    slot->busy = true;
    slot->last_host = host;
  }
  auto r = slot->transport->Send(request);
  {
    std::lock_guard<std::mutex> lock(mu_);
    slot->busy = false;
  }
  cv_.notify_all();
  return r;
}

Result<HttpResponse> PoliteFetcher::SendPaced(const std::string& host, HostState& h, HostStats& st,
                                              const HttpRequest& request) {
  for (int attempt = 0;; ++attempt) {
    Wait(st, h.next_allowed - pacer_->MonotonicSeconds());
    ++st.requests;
    auto r = SendOnce(host, request);
    // The delay runs from the end of a request, so that the host sees at least
    // `delay` between two arrivals whatever the network did to the first.
    h.next_allowed = pacer_->MonotonicSeconds() + h.delay;
    const bool last = attempt + 1 >= options_.max_attempts;
    if (!r.ok()) {
      if (r.status().code() != StatusCode::kUnavailable || last) return r.status();
      ++st.retries;
      h.next_allowed = std::max(h.next_allowed, pacer_->MonotonicSeconds() + Backoff(attempt));
      continue;
    }
    st.bytes += static_cast<std::int64_t>(r->body.size());
    NoteRateLimit(h, *r);
    if (!Retryable(r->status) || last) return r;
    double wait = Backoff(attempt);
    if (auto ra = r->Header("retry-after"); ra.has_value()) {
      if (auto sec = ParseRetryAfter(*ra, pacer_->UnixSeconds()); sec.has_value()) {
        if (*sec > options_.max_retry_after_seconds) {
          return Status::Unavailable(host + ": HTTP " + std::to_string(r->status) + " with Retry-After " +
                                     std::to_string(static_cast<long long>(*sec)) + " s, over the " +
                                     std::to_string(static_cast<long long>(options_.max_retry_after_seconds)) +
                                     " s limit");
        }
        wait = std::max(wait, *sec);
      }
    }
    ++st.retries;
    h.next_allowed = std::max(h.next_allowed, pacer_->MonotonicSeconds() + wait);
  }
}

Result<HttpResponse> PoliteFetcher::Fetch(const HttpRequest& request) {
  const std::string host = HostOf(request.url);
  const std::string origin = OriginOf(request.url);
  if (host.empty() || !(origin.starts_with("http://") || origin.starts_with("https://"))) {
    return Status::InvalidArgument("not an http(s) URL");
  }
  // Take the host's slot: one request at a time per host, across threads.
  HostState* hp = nullptr;
  HostStats* sp = nullptr;
  {
    std::unique_lock<std::mutex> lock(mu_);
    auto [it, inserted] = hosts_.try_emplace(host);
    if (inserted) {
      const auto d = options_.host_delay.find(host);
      it->second.delay = d != options_.host_delay.end() ? d->second : options_.min_delay_seconds;
    }
    hp = &it->second;
    sp = &stats_[host];
    cv_.wait(lock, [hp] { return !hp->busy; });
    hp->busy = true;
  }
  HostState& h = *hp;
  HostStats& st = *sp;
  struct Release {
    PoliteFetcher* self;
    HostState* h;
    ~Release() {
      {
        std::lock_guard<std::mutex> lock(self->mu_);
        h->busy = false;
      }
      self->cv_.notify_all();
    }
  } release{this, hp};

  if (!h.robots_loaded && options_.obey_robots) LoadRobots(host, origin, h, st);
  if (h.open_until >= 0) {
    if (pacer_->MonotonicSeconds() < h.open_until) {
      ++st.failures;
      return Status::Unavailable(host + ": circuit open after " + std::to_string(h.consecutive_failures) +
                                 " failed requests");
    }
    h.open_until = -1;  // half-open: one request decides
  }
  if (!h.robots_error.empty() && request.method != "POST") {
    ++st.failures;
    return Status::Unavailable(h.robots_error);
  }
  // robots.txt governs what a crawler fetches; a POST (an OAuth token request) is not crawling.
  if (options_.obey_robots && request.method != "POST" && !h.robots.Allowed(PathOf(request.url))) {
    ++st.robots_denied;
    return Status::FailedPrecondition(host + ": disallowed by robots.txt");
  }
  auto r = SendPaced(host, h, st, request);
  const bool failed = !r.ok() || r->status >= 500 || r->status == 429;
  if (failed) {
    ++st.failures;
    st.last_error = r.ok() ? host + ": HTTP " + std::to_string(r->status) : r.status().message();
    if (++h.consecutive_failures >= options_.breaker_threshold) {
      h.open_until = pacer_->MonotonicSeconds() + options_.breaker_cooldown_seconds;
    }
  } else {
    h.consecutive_failures = 0;
  }
  return r;
}

}  // namespace peerpulse::crawler
