// Parsers from source API responses to RawPosts. Pure functions: no I/O, no
// globals; thread-safe. `where` names the host (or file) in error messages,
// which never quote the body.
//
// Every parser maps its records to RawPost {community, created_at, lang, text
// (markup stripped, entities decoded), author, native_id, url}; `source` is
// left for the caller. A record that lacks a required field is skipped and
// reported in record_errors ("where: record N: problem"); deleted, removed and
// re-shared records (whose author is not the writer) are counted in `skipped`.
// A body that is not the expected document at all is an error (DataLoss).
#ifndef PEERPULSE_CRAWLER_PARSERS_H_
#define PEERPULSE_CRAWLER_PARSERS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "peerpulse/pipeline/raw_post.h"
#include "peerpulse/pipeline/status.h"

namespace peerpulse::crawler {

struct ParsedPage {
  std::vector<RawPost> posts;
  std::vector<std::string> record_errors;
  std::size_t skipped = 0;   // deleted, removed, reposts, boosts
  std::string next;          // the API's paging token for the next (older) page, if any
};

// Mastodon: a JSON array of Status entities (timelines, e.g.
// /api/v1/timelines/tag/{tag}). Text = spoiler_text + content (HTML).
// Boosts (reblog set) are skipped. next = the largest status id on the page
// (boosts and bad records included), the min_id of the next request.
Result<ParsedPage> ParseMastodonStatuses(std::string_view body, const std::string& community, std::string_view where);

// What /api/v2/instance says about hashtag timelines: "public",
// "authenticated", "disabled", or "" when the server does not say (older than 4.5).
Result<std::string> ParseMastodonHashtagAccess(std::string_view body, std::string_view where);

// Reddit: a Listing ({"kind":"Listing","data":{"children":[...],"after":...}})
// or an array of Listings (a thread). t3 (posts: title + selftext) and t1
// (comments: body); other kinds are ignored. `[deleted]`/`[removed]` authors
// or bodies, and posts with removed_by_category, are skipped. community =
// `community` if non-empty, else the subreddit name. next = data.after.
Result<ParsedPage> ParseRedditListing(std::string_view body, const std::string& community, std::string_view where);

// Discourse: /posts.json ({"latest_posts":[...]}) or a topic /t/{id}.json
// ({"post_stream":{"posts":[...]}}) or /t/{id}/posts.json. Text from
// `cooked` (HTML); deleted, hidden and non-regular posts are skipped. next =
// the smallest post id on the page (for /posts.json?before=).
Result<ParsedPage> ParseDiscoursePosts(std::string_view body, const std::string& community, std::string_view where);

// Discourse topic lists (/latest.json, /c/{slug}/{id}.json): the topics,
// newest bump first, and the URL of the next page ("" if none).
struct DiscourseTopic {
  std::int64_t id = 0;
  std::string slug;
  std::int64_t last_posted_at = -1;  // Unix seconds, -1 if absent
  bool pinned = false;
};
struct DiscourseTopicList {
  std::vector<DiscourseTopic> topics;
  std::string more_topics_url;
};
Result<DiscourseTopicList> ParseDiscourseTopicList(std::string_view body, std::string_view where);
// The ids of every post of a topic (/t/{id}.json's post_stream.stream).
Result<std::vector<std::int64_t>> ParseDiscourseStream(std::string_view body, std::string_view where);

// Bluesky AppView: getAuthorFeed / getFeed ({"feed":[{"post":...}]}) or
// searchPosts ({"posts":[...]}). Text = record.text; lang = record.langs[0];
// reposts (an item with `reason`) are skipped. next = cursor.
Result<ParsedPage> ParseBlueskyFeed(std::string_view body, const std::string& community, std::string_view where);

// One Jetstream event (a line of JSON): a `commit` `create` of
// app.bsky.feed.post. Returns true and fills `post` for such events; returns
// false (no error) for other events; an error for malformed JSON or a post
// record without text/createdAt.
Result<bool> ParseJetstreamEvent(std::string_view line, const std::string& community, RawPost& post);

// One API record on its own (a line of another collector's dump): a Mastodon
// status, a Reddit child ({"kind":"t3","data":...}) or a Bluesky feed item
// ({"post":...}). Returns true and fills `post` for a record that becomes a
// post, false (no error) for one that is skipped (deleted, removed, a boost
// or repost, another kind); an error (naming no content) for a malformed one.
enum class RecordFormat { kMastodon, kReddit, kBluesky };
Result<bool> ParseApiRecord(RecordFormat format, std::string_view record, const std::string& community,
                            RawPost& post);

// RSS 2.0 (and 0.9x/1.0) or Atom, with libxml2 in recover mode: ill-formed
// feeds yield what could be recovered; an undeclared encoding that is not
// UTF-8 is read as Windows-1252. native_id = guid / id, else link, else
// title + date. text = title + description / content / summary (HTML).
// created_at = pubDate / published / updated / dc:date; an item without any
// date gets `fallback_time`,
// or is a record error when that is negative. lang = the channel's language, else "und".
Result<ParsedPage> ParseFeed(std::string_view body, const std::string& community, std::int64_t fallback_time,
                             std::string_view where);

// Parses an RFC 822/1123 date (RSS, HTTP) or RFC 3339 (Atom) into Unix
// seconds, or -1.
std::int64_t ParseAnyDate(std::string_view text);

}  // namespace peerpulse::crawler

#endif  // PEERPULSE_CRAWLER_PARSERS_H_
