// HTTP sources end to end against the project's own loopback server, which
// speaks the Mastodon, Discourse, Reddit, Bluesky and RSS APIs over synthetic
// posts (no real people).
#include <gtest/gtest.h>

#include <algorithm>
#include <sys/stat.h>

#include <ctime>
#include <mutex>

#include "fixture_server.h"
#include "synthetic_forum.h"
#include "peerpulse/crawler/http_sources.h"
#include "peerpulse/crawler/source_group.h"
#include "peerpulse/pipeline/job.h"
#include "peerpulse/pipeline/runner.h"
#include "testing/testing.h"

namespace peerpulse::crawler {
namespace {

using peerpulse::testing::FixtureRequest;
using peerpulse::testing::FixtureResponse;
using peerpulse::testing::FixtureServer;

using peerpulse::testing::Forum;
using peerpulse::testing::kForumStart;
constexpr std::int64_t kStart = kForumStart;

PolitenessOptions Fast() {
  PolitenessOptions p;
  p.min_delay_seconds = 0;
  p.backoff_base_seconds = 0.01;
  p.max_attempts = 2;
  return p;
}

std::size_t DrainAll(Source& s, std::string& cursor, std::size_t batch = 30) {
  std::size_t n = 0;
  for (;;) {
    auto b = s.Next(batch);
    EXPECT_TRUE(b.ok()) << b.status().ToString();
    if (!b.ok()) return n;
    n += b->posts.size();
    cursor = b->cursor;
    if (b->exhausted) return n;
  }
}

TEST(MastodonSourceTest, StartsAtTheNewestPageThenPagesForwardWithMinId) {
  Forum forum;
  forum.posts = 95;
  FixtureServer server([&](const FixtureRequest& r) { return forum.Handle(r); });
  auto transport = MakeCurlTransport({});
  ASSERT_TRUE(transport.ok());
  PoliteFetcher fetcher(**transport, Fast());
  HttpSourceOptions o;
  o.name = "m";
  o.type = "mastodon";
  o.base_url = server.base();
  o.tag = "diabetes";
  o.community = "diabetes";
  std::string cursor;
  {
    auto src = MakeHttpSource(o, fetcher, "");
    ASSERT_TRUE(src.ok()) << src.status().ToString();
    EXPECT_EQ(DrainAll(**src, cursor), 40u);  // the newest page only: no backfill
    EXPECT_EQ(cursor, "v1:min_id=100094");
  }
  forum.posts = 180;  // 85 new statuses: three pages forward
  {
    auto src = MakeHttpSource(o, fetcher, cursor);
    ASSERT_TRUE(src.ok());
    EXPECT_EQ(DrainAll(**src, cursor), 85u);
    EXPECT_EQ(cursor, "v1:min_id=100179");
  }
  {
    auto src = MakeHttpSource(o, fetcher, cursor);
    EXPECT_EQ(DrainAll(**src, cursor), 0u);
  }
  forum.mastodon_disabled = true;
  auto src = MakeHttpSource(o, fetcher, cursor);
  auto b = (*src)->Next(10);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(b.status().message().find("disabled"), std::string::npos);
}

TEST(WalkingSourcesTest, DiscourseRedditAndFeedWalkBackToTheHighWaterMark) {
  Forum forum;
  forum.posts = 70;
  FixtureServer server([&](const FixtureRequest& r) { return forum.Handle(r); });
  auto transport = MakeCurlTransport({});
  ASSERT_TRUE(transport.ok());
  PoliteFetcher fetcher(**transport, Fast());
  for (const std::string type : {"discourse", "reddit", "feed"}) {
    SCOPED_TRACE(type);
    forum.posts = 70;
    HttpSourceOptions o;
    o.name = type;
    o.type = type;
    o.community = "diabetes";
    o.base_url = type == "feed" ? server.base() + "/feed.xml" : server.base();
    o.subreddit = "diabetes";
    o.auth_url = server.base() + "/api/v1/access_token";
    o.client_id = "id";
    o.client_secret = "secret";
    std::string cursor;
    auto src = MakeHttpSource(o, fetcher, "");
    ASSERT_TRUE(src.ok()) << src.status().ToString();
    EXPECT_EQ(DrainAll(**src, cursor), type == "feed" ? 30u : 70u);
    forum.posts = 100;
    src = MakeHttpSource(o, fetcher, cursor);
    // Time-keyed walks fetch the newest item of the last run again (same second); dedup keys absorb it.
    const std::size_t second = DrainAll(**src, cursor);
    EXPECT_GE(second, 30u);
    EXPECT_LE(second, 31u);
    src = MakeHttpSource(o, fetcher, cursor);
    EXPECT_LE(DrainAll(**src, cursor), 1u);
  }
  // Conditional GET: an unchanged feed answers 304.
  bool saw_304 = false;
  for (const auto& r : server.requests()) saw_304 |= r.path == "/feed.xml" && !r.Header("if-none-match").empty();
  EXPECT_TRUE(saw_304);
}

TEST(WalkingSourcesTest, DiscourseCategoryFollowsTopicsAndFetchesOnlyNewPosts) {
  Forum forum;
  forum.posts = 250;  // 9 topics of 30 (the last one partial): two topic-list pages
  FixtureServer server([&](const FixtureRequest& r) { return forum.Handle(r); });
  auto transport = MakeCurlTransport({});
  ASSERT_TRUE(transport.ok());
  PoliteFetcher fetcher(**transport, Fast());
  HttpSourceOptions o;
  o.name = "cat";
  o.type = "discourse";
  o.community = "forum";
  o.base_url = server.base();
  o.category = "diabetes/7";
  std::string cursor;
  auto src = MakeHttpSource(o, fetcher, "");
  ASSERT_TRUE(src.ok()) << src.status().ToString();
  EXPECT_EQ(DrainAll(**src, cursor), 250u);  // the first 20 of each topic, then the rest by post_ids[]
  EXPECT_NE(cursor.find("id=251"), std::string::npos) << cursor;
  bool asked_ids = false;
  for (const auto& r : server.requests()) asked_ids |= r.path.ends_with("/posts.json") && !r.query.empty();
  EXPECT_TRUE(asked_ids);

  const std::size_t before = server.requests().size();
  forum.posts = 290;  // the last topic fills up, one more topic starts
  src = MakeHttpSource(o, fetcher, cursor);
  EXPECT_EQ(DrainAll(**src, cursor), 40u);
  std::size_t topic_requests = 0;
  const auto reqs = server.requests();
  for (std::size_t i = before; i < reqs.size(); ++i) topic_requests += reqs[i].path.starts_with("/t/") ? 1u : 0u;
  EXPECT_LE(topic_requests, 4u);  // topics 9 and 10 (and their remaining posts), not the old ones
  src = MakeHttpSource(o, fetcher, cursor);
  EXPECT_EQ(DrainAll(**src, cursor), 0u);
  o.category = "no-id";
  EXPECT_FALSE(MakeHttpSource(o, fetcher, "").ok());
}

TEST(SourceGroupHttpTest, AFailingMemberEndsWithItsErrorAndTheOthersGoOn) {
  Forum forum;
  forum.posts = 60;
  FixtureServer server([&](const FixtureRequest& r) { return forum.Handle(r); });
  auto transport = MakeCurlTransport({});
  ASSERT_TRUE(transport.ok());
  PolitenessOptions p = Fast();
  p.max_attempts = 1;
  PoliteFetcher fetcher(**transport, p);
  HttpSourceOptions good;
  good.name = "good";
  good.type = "discourse";
  good.community = "c";
  good.base_url = server.base();
  HttpSourceOptions bad = good;
  bad.name = "bad";
  bad.base_url = "http://127.0.0.1:1";  // nothing listens there
  std::vector<SourceGroup::Member> members;
  members.push_back(SourceGroup::Member{MakeHttpSource(bad, fetcher, "").value(), 10});
  members.push_back(SourceGroup::Member{MakeHttpSource(good, fetcher, "").value(), 10});
  SourceGroup group(std::move(members));
  std::size_t good_posts = 0;
  int bad_items = 0;
  while (auto item = group.Next()) {
    if (item->member == 0) {
      ++bad_items;
      EXPECT_FALSE(item->batch.ok());
      EXPECT_TRUE(item->last);
    } else {
      ASSERT_TRUE(item->batch.ok());
      good_posts += item->batch->posts.size();
    }
  }
  EXPECT_EQ(bad_items, 1);
  EXPECT_EQ(good_posts, 60u);
}

TEST(WalkingSourcesTest, CursorFromAnotherSourceTypeIsRefused) {
  auto transport = MakeCurlTransport({});
  ASSERT_TRUE(transport.ok());
  PoliteFetcher fetcher(**transport, Fast());
  HttpSourceOptions o;
  o.name = "d";
  o.type = "discourse";
  o.community = "c";
  o.base_url = "http://127.0.0.1:1";
  EXPECT_FALSE(MakeHttpSource(o, fetcher, "v1:12:34").ok());  // a jsonl cursor
  o.type = "mastodon";
  EXPECT_FALSE(MakeHttpSource(o, fetcher, "").ok());  // no tag
}

// A whole job: four HTTP sources on one host, one of them failing, run twice.
TEST(HttpJobTest, RunsEndToEndReportsPerHostAndIsIdempotent) {
  Forum forum;
  forum.posts = 120;
  forum.feed_broken = true;
  FixtureServer server([&](const FixtureRequest& r) { return forum.Handle(r); });
  peerpulse::testing::TempDir dir;
  peerpulse::testing::WriteFile(dir.Join("reddit.toml"), "[reddit]\nclient_id = \"id\"\nclient_secret = \"secret\"\n");
  ASSERT_EQ(::chmod(dir.Join("reddit.toml").c_str(), 0600), 0);
  const std::string job_text =
      "[job]\nname = \"http-test\"\npolicy = \"" + peerpulse::testing::Source("policies/safe-harbor.toml") +
      "\"\ntaxonomy = \"" + peerpulse::testing::Source("classify/taxonomy/default.toml") + "\"\nstore = \"" +
      dir.Join("store") + "\"\n\n[http]\ncontact = \"mailto:research@example.org\"\nmin_delay_seconds = 0\n"
      "backoff_base_seconds = 0.01\nmax_attempts = 2\n\n"
      "[[source]]\nname = \"masto\"\ntype = \"mastodon\"\nurl = \"" + server.base() +
      "\"\ntag = \"diabetes\"\ncommunity = \"mastodon-diabetes\"\n\n"
      "[[source]]\nname = \"forum\"\ntype = \"discourse\"\nurl = \"" + server.base() +
      "\"\ncommunity = \"forum\"\nbatch_size = 50\n\n"
      "[[source]]\nname = \"blog\"\ntype = \"feed\"\nurl = \"" + server.base() + "/feed.xml\"\ncommunity = \"blog\"\n\n"
      "[[source]]\nname = \"rd\"\ntype = \"reddit\"\nsubreddit = \"diabetes\"\nurl = \"" + server.base() +
      "\"\nauth_url = \"" + server.base() + "/api/v1/access_token\"\nsecrets_file = \"reddit.toml\"\n";
  peerpulse::testing::WriteFile(dir.Join("job.toml"), job_text);
  auto job = LoadJobFile(dir.Join("job.toml"));
  ASSERT_TRUE(job.ok()) << job.status().ToString();
  const FixedClock clock(kStart + 3600);
  RunOptions ro;
  ro.clock = &clock;
  ro.release = false;
  auto first = RunJob(*job, ro);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->failed_sources, 1u) << FormatRunReport(*first);  // the feed answers 500
  ASSERT_EQ(first->sources.size(), 4u);
  EXPECT_EQ(first->sources[0].fetched, 40u);   // mastodon: newest page
  EXPECT_EQ(first->sources[1].fetched, 120u);  // discourse: the whole walk
  EXPECT_NE(first->sources[2].error.find("HTTP 500"), std::string::npos);
  EXPECT_EQ(first->sources[3].fetched, 120u);  // reddit
  ASSERT_EQ(first->hosts.size(), 1u);
  EXPECT_GT(first->hosts[0].requests, 10);
  EXPECT_GE(first->hosts[0].failures, 1);
  EXPECT_GT(first->contributed, 0u);
  const std::string report = FormatRunReport(*first);
  EXPECT_NE(report.find("FAILED"), std::string::npos);
  // Run reports carry counts, hosts and source names, never post text.
  EXPECT_EQ(report.find("insulin"), std::string::npos);

  forum.feed_broken = false;
  auto second = RunJob(*job, ro);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->failed_sources, 0u);
  EXPECT_EQ(second->sources[2].fetched, 30u);  // the feed, now up
  // Nothing new elsewhere: at most the boundary items, recognised as duplicates.
  const std::size_t refetched = second->sources[0].fetched + second->sources[1].fetched + second->sources[3].fetched;
  EXPECT_LE(refetched, 2u);
  auto third = RunJob(*job, ro);
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->contributed, 0u);
  EXPECT_EQ(third->sources[2].fetched, 0u);  // 304 Not Modified
}

}  // namespace
}  // namespace peerpulse::crawler
