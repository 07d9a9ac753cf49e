// The libcurl transport and the polite fetcher against a real HTTP server on
// 127.0.0.1 that injects faults.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "fixture_server.h"
#include "peerpulse/crawler/http.h"
#include "peerpulse/crawler/polite_fetcher.h"

namespace peerpulse::crawler {
namespace {

using peerpulse::testing::FixtureRequest;
using peerpulse::testing::FixtureResponse;
using peerpulse::testing::FixtureServer;

std::unique_ptr<HttpTransport> Transport(CurlOptions o = {}) {
  o.total_timeout_ms = 5000;
  o.low_speed_seconds = 2;
  auto t = MakeCurlTransport(o);
  EXPECT_TRUE(t.ok());
  return std::move(t).value();
}

PolitenessOptions Fast() {
  PolitenessOptions p;
  p.min_delay_seconds = 0;
  p.backoff_base_seconds = 0.01;
  p.backoff_max_seconds = 0.05;
  return p;
}

HttpRequest Get(const FixtureServer& s, const std::string& path) {
  HttpRequest r;
  r.url = s.base() + path;
  return r;
}

TEST(CurlTransportTest, StatusHeadersBodyAndLimits) {
  FixtureServer server([](const FixtureRequest& r) {
    FixtureResponse out;
    if (r.path == "/ok") {
      out.headers = {{"ETag", "\"v1\""}, {"X-Thing", "a"}};
      out.body = "hello " + r.Header("user-agent");
    } else if (r.path == "/big") {
      out.body = std::string(70000, 'x');
    } else if (r.path == "/loop") {
      out.status = 302;
      out.headers = {{"Location", "/loop"}};
    } else if (r.path == "/ftp") {
      out.status = 302;
      out.headers = {{"Location", "ftp://127.0.0.1/x"}};
    } else if (r.path == "/gzip") {
      out.headers = {{"Content-Encoding", "gzip"}};
      out.body = std::string(
          "\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff\xab\x56\xca\xcf\x56\xb2\x52\x4a\xce\xcf\x2d\x28\x4a\x2d"
          "\x2e\x4e\x4d\x51\xaa\x05\x00\x19\xa2\x9b\x8a\x13\x00\x00\x00",
          39);
    } else if (r.path == "/stall") {
      out.delay_ms = 1500;  // longer than the test's total timeout
      out.body = "late";
    } else if (r.path == "/cut") {
      out.body = std::string(5000, 'y');
      out.truncate_at = 100;
    } else {
      out.status = 404;
    }
    return out;
  });
  CurlOptions o;
  o.user_agent = "peerpulse-test (+mailto:t@example.org)";
  o.max_body_bytes = 65536;
  auto t = Transport(o);
  auto r = t->Send(Get(server, "/ok"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "hello peerpulse-test (+mailto:t@example.org)");
  EXPECT_EQ(r->Header("etag").value_or(""), "\"v1\"");
  EXPECT_EQ(t->Send(Get(server, "/nope"))->status, 404);
  r = t->Send(Get(server, "/gzip"));  // compressed bodies are accepted and decoded
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->body, R"({"ok":"compressed"})");
  {
    CurlOptions quick = o;
    quick.total_timeout_ms = 300;
    auto q = MakeCurlTransport(quick);
    ASSERT_TRUE(q.ok());
    r = (*q)->Send(Get(server, "/stall"));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
    EXPECT_NE(r.status().message().find("127.0.0.1"), std::string::npos);
  }

  r = t->Send(Get(server, "/big"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);
  r = t->Send(Get(server, "/loop"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("redirects"), std::string::npos);
  r = t->Send(Get(server, "/ftp"));
  ASSERT_FALSE(r.ok());
  r = t->Send(Get(server, "/cut"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  // Messages name the host, never the path.
  EXPECT_EQ(r.status().message().find("/cut"), std::string::npos);
  EXPECT_NE(r.status().message().find("127.0.0.1"), std::string::npos);
}

TEST(PoliteFetcherTest, RetriesOn429WithRetryAfterAnd5xxBursts) {
  std::atomic<int> calls{0};
  FixtureServer server([&](const FixtureRequest& r) {
    FixtureResponse out;
    if (r.path == "/robots.txt") {
      out.status = 404;
      return out;
    }
    const int n = calls++;
    if (n == 0) {
      out.status = 429;
      out.headers = {{"Retry-After", "1"}};
    } else if (n < 3) {
      out.status = 503;
    } else {
      out.body = "[]";
    }
    return out;
  });
  auto t = Transport();
  PoliteFetcher f(*t, Fast());
  auto r = f.Fetch(Get(server, "/api"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(calls.load(), 4);
  const auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 5u);  // robots.txt + 4
  EXPECT_GE(reqs[2].arrived - reqs[1].arrived, 0.95);  // Retry-After: 1 honoured
  const HostStats st = f.stats().begin()->second;
  EXPECT_EQ(st.retries, 3);
  EXPECT_EQ(st.failures, 0);
}

TEST(PoliteFetcherTest, GivesUpAfterMaxAttemptsAndOpensTheCircuit) {
  FixtureServer server([](const FixtureRequest& r) {
    FixtureResponse out;
    out.status = r.path == "/robots.txt" ? 404 : 500;
    return out;
  });
  auto t = Transport();
  PolitenessOptions p = Fast();
  p.max_attempts = 2;
  p.breaker_threshold = 2;
  PoliteFetcher f(*t, p);
  for (int i = 0; i < 2; ++i) {
    auto r = f.Fetch(Get(server, "/x"));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->status, 500);
  }
  const std::size_t sent = server.requests().size();
  auto r = f.Fetch(Get(server, "/x"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("circuit open"), std::string::npos);
  EXPECT_EQ(server.requests().size(), sent);  // nothing sent while open
  EXPECT_EQ(f.stats().begin()->second.failures, 3);
}

TEST(PoliteFetcherTest, RetryAfterTooLongFailsAtOnce) {
  FixtureServer server([](const FixtureRequest& r) {
    FixtureResponse out;
    if (r.path == "/robots.txt") {
      out.status = 404;
    } else {
      out.status = 429;
      out.headers = {{"Retry-After", "86400"}};
    }
    return out;
  });
  auto t = Transport();
  PoliteFetcher f(*t, Fast());
  auto r = f.Fetch(Get(server, "/x"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(r.status().message().find("Retry-After"), std::string::npos);
}

TEST(PoliteFetcherTest, RobotsTxtDisallowAndUnreachable) {
  FixtureServer server([](const FixtureRequest& r) {
    FixtureResponse out;
    if (r.path == "/robots.txt") {
      out.headers = {{"Content-Type", "text/plain"}};
      out.body = "User-agent: *\nDisallow: /private\n";
    } else {
      out.body = "ok";
    }
    return out;
  });
  auto t = Transport();
  PoliteFetcher f(*t, Fast());
  EXPECT_TRUE(f.Fetch(Get(server, "/public")).ok());
  auto r = f.Fetch(Get(server, "/private/x"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(f.stats().begin()->second.robots_denied, 1);
  HttpRequest token = Get(server, "/private/token");  // an OAuth token POST is not crawling
  token.method = "POST";
  token.body = "grant_type=client_credentials";
  EXPECT_TRUE(f.Fetch(token).ok());
  std::size_t robots = 0;
  for (const auto& q : server.requests()) robots += q.path == "/robots.txt" ? 1u : 0u;
  EXPECT_EQ(robots, 1u);  // cached per host

  // robots.txt answering 5xx: the host is treated as fully disallowed (RFC 9309).
  FixtureServer down([](const FixtureRequest& q) {
    FixtureResponse out;
    out.status = q.path == "/robots.txt" ? 503 : 200;
    return out;
  });
  PolitenessOptions p = Fast();
  p.max_attempts = 1;
  PoliteFetcher g(*t, p);
  r = g.Fetch(Get(down, "/x"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(r.status().message().find("robots.txt answered HTTP 503"), std::string::npos);
  EXPECT_EQ(down.requests().size(), 1u);  // only robots.txt was asked
}

TEST(PoliteFetcherTest, SpacingNeverBelowTheConfiguredDelay) {
  FixtureServer server([](const FixtureRequest& r) {
    FixtureResponse out;
    if (r.path == "/robots.txt") out.status = 404;
    return out;
  });
  auto t = Transport();
  PolitenessOptions p = Fast();
  p.min_delay_seconds = 0.2;
  PoliteFetcher f(*t, p);
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(f.Fetch(Get(server, "/p" + std::to_string(i))).ok());
  const auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 7u);
  for (std::size_t i = 1; i < reqs.size(); ++i) {
    EXPECT_GE(reqs[i].arrived - reqs[i - 1].arrived, 0.2 - 0.005) << "request " << i;
  }
}

TEST(PoliteFetcherTest, CrawlDelayAndRateLimitHeadersSlowDown) {
  FixtureServer server([](const FixtureRequest& r) {
    FixtureResponse out;
    if (r.path == "/robots.txt") {
      out.body = "User-agent: peerpulse\nCrawl-delay: 0.3\n";
    } else {
      // Reddit style: 2 requests left in a window resetting in 1 s -> wait for the reset.
      out.headers = {{"x-ratelimit-remaining", r.path == "/a" ? "1.0" : "100"}, {"x-ratelimit-reset", "1"}};
    }
    return out;
  });
  auto t = Transport();
  PoliteFetcher f(*t, Fast());
  ASSERT_TRUE(f.Fetch(Get(server, "/a")).ok());
  ASSERT_TRUE(f.Fetch(Get(server, "/b")).ok());
  ASSERT_TRUE(f.Fetch(Get(server, "/c")).ok());
  const auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 4u);
  EXPECT_GE(reqs[2].arrived - reqs[1].arrived, 0.95);  // waited for the reset
  EXPECT_GE(reqs[3].arrived - reqs[2].arrived, 0.3 - 0.005);  // Crawl-delay
}

TEST(PoliteFetcherTest, SlowBodyAndDroppedConnections) {
  std::atomic<int> drops{0};
  FixtureServer server([&](const FixtureRequest& r) {
    FixtureResponse out;
    if (r.path == "/robots.txt") {
      out.status = 404;
    } else if (r.path == "/slow") {
      out.body = std::string(2000, 'z');
      out.chunk_bytes = 500;
      out.chunk_delay_ms = 50;
    } else if (drops++ < 2) {
      out.drop_connection = true;
    } else {
      out.body = "back";
    }
    return out;
  });
  auto t = Transport();
  PoliteFetcher f(*t, Fast());
  auto r = f.Fetch(Get(server, "/slow"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->body.size(), 2000u);
  r = f.Fetch(Get(server, "/flaky"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->body, "back");
}

// Concurrency: a shared in-flight counter across two servers (two hosts).
struct InFlight {
  std::atomic<int> now{0};
  std::atomic<int> max{0};
  std::atomic<int> max_same_host{0};
  std::atomic<int> per_host[2] = {0, 0};
  FixtureResponse Handle(const FixtureRequest& r, int host) {
    FixtureResponse out;
    if (r.path == "/robots.txt") {
      out.status = 404;
      return out;
    }
    const int n = ++now;
    const int h = ++per_host[host];
    int m = max.load();
    while (n > m && !max.compare_exchange_weak(m, n)) {
    }
    m = max_same_host.load();
    while (h > m && !max_same_host.compare_exchange_weak(m, h)) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(60));
    --per_host[host];
    --now;
    out.body = "ok";
    return out;
  }
};

void FetchFromThreads(PoliteFetcher& f, const std::vector<std::string>& bases, int per_thread) {
  std::vector<std::thread> threads;
  for (const std::string& base : bases) {
    threads.emplace_back([&f, base, per_thread] {
      for (int i = 0; i < per_thread; ++i) {
        HttpRequest r;
        r.url = base + "/p" + std::to_string(i);
        auto got = f.Fetch(r);
        EXPECT_TRUE(got.ok() && got->status == 200);
      }
    });
  }
  for (auto& t : threads) t.join();
}

std::vector<std::unique_ptr<HttpTransport>> Pool(int n) {
  std::vector<std::unique_ptr<HttpTransport>> out;
  for (int i = 0; i < n; ++i) out.push_back(Transport());
  return out;
}

TEST(PoliteFetcherConcurrencyTest, HostsInParallelOneRequestPerHostAndAGlobalLimit) {
  InFlight flight;
  FixtureServer a([&](const FixtureRequest& r) { return flight.Handle(r, 0); });
  FixtureServer b([&](const FixtureRequest& r) { return flight.Handle(r, 1); });
  {
    PoliteFetcher f(Pool(2), Fast());
    FetchFromThreads(f, {a.base(), b.base()}, 6);
    EXPECT_EQ(flight.max.load(), 2);  // the two hosts overlapped
    EXPECT_EQ(f.stats().size(), 2u);
  }
  flight.max = 0;
  flight.max_same_host = 0;
  {
    PoliteFetcher f(Pool(1), Fast());  // global limit 1
    FetchFromThreads(f, {a.base(), b.base()}, 4);
    EXPECT_EQ(flight.max.load(), 1);
  }
  flight.max = 0;
  flight.max_same_host = 0;
  {
    PolitenessOptions p = Fast();
    p.min_delay_seconds = 0.1;
    PoliteFetcher f(Pool(4), p);
    // Three threads on one host: one request at a time, spaced by the delay.
    FetchFromThreads(f, {a.base(), a.base(), a.base()}, 3);
    EXPECT_EQ(flight.max_same_host.load(), 1);
    std::vector<double> starts;
    for (const auto& q : a.requests()) {
      if (q.path != "/robots.txt") starts.push_back(q.arrived);
    }
    std::sort(starts.begin(), starts.end());
    ASSERT_GE(starts.size(), 9u);
    for (std::size_t i = starts.size() - 9 + 1; i < starts.size(); ++i) {
      EXPECT_GE(starts[i] - starts[i - 1], 0.1 - 0.005);
    }
  }
}

}  // namespace
}  // namespace peerpulse::crawler
