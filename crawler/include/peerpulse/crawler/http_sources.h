// Sources that fetch over HTTP: Mastodon hashtag timelines, Reddit
// subreddits, Discourse forums, Bluesky author feeds, and RSS/Atom feeds.
// Each fetches through a PoliteFetcher (robots.txt, per-host delay, retries,
// circuit breaker), maps records to RawPosts with the parsers in parsers.h,
// and keeps its own cursor (saved by the runner with the batch it covers).
//
// Paging and cursors (README "Sources"):
// - mastodon: forward paging with min_id (the Link rel="prev" URL): every page
//   holds the statuses immediately newer than the cursor, so the cursor
//   advances with every batch. A source without a cursor starts at the
//   newest page (no backfill).
// - reddit, discourse, bluesky, feed: the APIs page from the newest item
//   backwards. A run walks back until it reaches items older than the saved
//   high-water mark (or max_pages); every batch but the last carries the old
//   cursor, the last carries the new high-water mark. A crash mid-walk makes
//   the next run walk again; dedup keys make that idempotent.
//
// A Next() batch is one or more pages, up to max_posts posts. Errors: a
// failed host (after retries), robots.txt refusal, a server that disabled the
// feed, or a page that is not the expected document end the source's run with
// an error naming the host; what was returned before stays returned.
// Not thread-safe.
#ifndef PEERPULSE_CRAWLER_HTTP_SOURCES_H_
#define PEERPULSE_CRAWLER_HTTP_SOURCES_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "peerpulse/crawler/polite_fetcher.h"
#include "peerpulse/crawler/source.h"

namespace peerpulse::crawler {

struct HttpSourceOptions {
  std::string name;           // the job's source name
  std::string type;           // mastodon, reddit, discourse, bluesky, feed
  std::string community;      // community code of its posts (reddit: default the subreddit name)
  std::string base_url;       // instance / forum / API origin, e.g. "https://mastodon.social"; feed: the feed URL
  std::string tag;            // mastodon: the hashtag, without '#'
  std::string subreddit;      // reddit: without "r/"
  std::string category;       // discourse: "slug/id" to follow one category's topics; "" = the forum's /posts.json
  std::vector<std::string> actors;  // bluesky: handles or DIDs
  std::string auth_url = "https://www.reddit.com/api/v1/access_token";  // reddit OAuth token endpoint
  std::string client_id;      // reddit OAuth client credentials (from the environment or a secrets file)
  std::string client_secret;
  int max_pages = 20;         // pages per run (a backlog is taken over several runs)
  int page_size = 0;          // 0: the API's maximum (mastodon 40, reddit 100, bluesky 100)
};

// Creates the source at `cursor` (empty: never run). `fetcher` must outlive
// it. Errors: InvalidArgument for a cursor this type did not write, or for
// missing options (no tag, no subreddit, no actors, no credentials).
Result<std::unique_ptr<Source>> MakeHttpSource(HttpSourceOptions options, PoliteFetcher& fetcher,
                                               std::string_view cursor);

}  // namespace peerpulse::crawler

#endif  // PEERPULSE_CRAWLER_HTTP_SOURCES_H_
