// JSON API parsers (parsers.h), with simdjson's DOM API.
#include <simdjson.h>

#include <cmath>

#include "peerpulse/crawler/parsers.h"
#include "peerpulse/crawler/text.h"
#include "peerpulse/pipeline/window.h"

namespace peerpulse::crawler {
namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

// Earliest and latest accepted created_at (1990..2100), as for JSON Lines.
constexpr std::int64_t kMinTime = 631152000;
constexpr std::int64_t kMaxTime = 4102444800;

std::string_view Str(object o, const char* key) {
  std::string_view sv;
  if (o[key].get_string().get(sv) != simdjson::SUCCESS) return {};
  return sv;
}

bool IsNullOrMissing(object o, const char* key) {
  element e;
  return o[key].get(e) != simdjson::SUCCESS || e.is_null();
}

// A string or integer id as a string.
std::string Id(object o, const char* key) {
  element e;
  if (o[key].get(e) != simdjson::SUCCESS) return {};
  if (std::string_view sv; e.get_string().get(sv) == simdjson::SUCCESS) return std::string(sv);
  if (std::int64_t i; e.get_int64().get(i) == simdjson::SUCCESS) return std::to_string(i);
  if (std::uint64_t u; e.get_uint64().get(u) == simdjson::SUCCESS) return std::to_string(u);
  return {};
}

std::int64_t Timestamp(std::string_view text) {
  auto t = ParseTimestamp(text);
  return t.ok() ? *t : -1;
}

bool TimeOk(std::int64_t t) { return t >= kMinTime && t < kMaxTime; }

Status Parse(simdjson::dom::parser& parser, std::string_view body, element& root, std::string_view where) {
  if (auto err = parser.parse(body.data(), body.size(), true).get(root); err != simdjson::SUCCESS) {
    return Status::DataLoss(std::string(where) + ": malformed JSON (" + simdjson::error_message(err) + ")");
  }
  return Status::Ok();
}

std::string RecordError(std::string_view where, std::size_t index, std::string_view problem) {
  return std::string(where) + ": record " + std::to_string(index + 1) + ": " + std::string(problem);
}

// Fills the shared fields, or returns the problem.
std::string Finish(RawPost& p, std::int64_t t) {
  if (p.native_id.empty()) return "missing id";
  if (p.author.empty()) return "missing author";
  if (t < 0) return "missing or malformed creation time";
  if (!TimeOk(t)) return "creation time outside 1990..2100";
  p.created_at = t;
  if (p.lang.empty()) p.lang = "und";
  return {};
}

void Keep(ParsedPage& page, RawPost&& p, const std::string& problem, std::string_view where, std::size_t i) {
  if (!problem.empty()) {
    page.record_errors.push_back(RecordError(where, i, problem));
    return;
  }
  page.posts.push_back(std::move(p));
}

// A Bluesky record's first language tag (record.langs[0]), or "".
std::string FirstLang(object record) {
  array langs;
  if (record["langs"].get_array().get(langs) != simdjson::SUCCESS) return {};
  for (element l : langs) {
    std::string_view sv;
    if (l.get_string().get(sv) == simdjson::SUCCESS) return std::string(sv);
  }
  return {};
}

// ---- Reddit ----------------------------------------------------------------

bool Gone(std::string_view s) { return s == "[deleted]" || s == "[removed]"; }

void RedditListing(object listing, const std::string& community, std::string_view where, ParsedPage& page,
                   std::size_t& index, int depth);

void RedditThing(object thing, const std::string& community, std::string_view where, ParsedPage& page,
                 std::size_t& index, int depth) {
  const std::string_view kind = Str(thing, "kind");
  object d;
  if (thing["data"].get_object().get(d) != simdjson::SUCCESS) {
    page.record_errors.push_back(RecordError(where, index++, "child without data"));
    return;
  }
  if (kind != "t3" && kind != "t1") {
    if (kind == "Listing") RedditListing(thing, community, where, page, index, depth + 1);
    return;  // t5 (subreddits), more, ...
  }
  const std::size_t i = index++;
  const std::string_view author = Str(d, "author");
  const std::string_view text = kind == "t3" ? Str(d, "selftext") : Str(d, "body");
  if (Gone(author) || Gone(text) || !IsNullOrMissing(d, "removed_by_category")) {
    ++page.skipped;
  } else {
    RawPost p;
    p.native_id = Id(d, "name");
    if (p.native_id.empty()) p.native_id = Id(d, "id");
    p.author.assign(author);
    const std::string_view title = Str(d, "title");
    if (kind == "t3" && !title.empty()) {
      p.text.assign(title);
      if (!text.empty()) p.text += "\n\n";
    }
    p.text.append(text);
    p.community = community.empty() ? std::string(Str(d, "subreddit")) : community;
    const std::string_view permalink = Str(d, "permalink");
    if (!permalink.empty()) p.url = "https://www.reddit.com" + std::string(permalink);
    double created = -1;
    element ce;
    if (d["created_utc"].get(ce) == simdjson::SUCCESS) {
      if (ce.get_double().get(created) != simdjson::SUCCESS) {
        std::int64_t ci = -1;
        if (ce.get_int64().get(ci) == simdjson::SUCCESS) created = static_cast<double>(ci);
      }
    }
    const std::int64_t t = created >= 0 && std::isfinite(created) && created < 1e12 ? static_cast<std::int64_t>(created) : -1;
    std::string problem = Finish(p, t);
    if (problem.empty() && p.community.empty()) problem = "no subreddit";
    Keep(page, std::move(p), problem, where, i);
  }
  // Comment trees: replies are Listings (or "").
  object replies;
  if (depth < 64 && d["replies"].get_object().get(replies) == simdjson::SUCCESS) {
    RedditListing(replies, community, where, page, index, depth + 1);
  }
}

void RedditListing(object listing, const std::string& community, std::string_view where, ParsedPage& page,
                   std::size_t& index, int depth) {
  object data;
  array children;
  if (listing["data"].get_object().get(data) != simdjson::SUCCESS ||
      data["children"].get_array().get(children) != simdjson::SUCCESS) {
    page.record_errors.push_back(RecordError(where, index++, "listing without data.children"));
    return;
  }
  if (depth == 0) page.next = std::string(Str(data, "after"));
  for (element child : children) {
    object thing;
    if (child.get_object().get(thing) != simdjson::SUCCESS) {
      page.record_errors.push_back(RecordError(where, index++, "child is not an object"));
      continue;
    }
    RedditThing(thing, community, where, page, index, depth);
  }
}

}  // namespace

Result<ParsedPage> ParseMastodonStatuses(std::string_view body, const std::string& community, std::string_view where) {
  simdjson::dom::parser parser;
  element root;
  PEERPULSE_RETURN_IF_ERROR(Parse(parser, body, root, where));
  array statuses;
  if (root.get_array().get(statuses) != simdjson::SUCCESS) {
    return Status::DataLoss(std::string(where) + ": expected a JSON array of statuses");
  }
  ParsedPage page;
  std::size_t i = 0;
  for (element e : statuses) {
    const std::size_t idx = i++;
    object s;
    if (e.get_object().get(s) != simdjson::SUCCESS) {
      page.record_errors.push_back(RecordError(where, idx, "status is not an object"));
      continue;
    }
    const std::string id = Id(s, "id");
    if (!id.empty() && (page.next.size() < id.size() || (page.next.size() == id.size() && page.next < id))) {
      page.next = id;  // the newest id on the page, whatever the status is
    }
    if (!IsNullOrMissing(s, "reblog")) {
      ++page.skipped;  // a boost: the text is someone else's
      continue;
    }
    RawPost p;
    p.native_id = Id(s, "id");
    object account;
    if (s["account"].get_object().get(account) == simdjson::SUCCESS) {
      p.author = Id(account, "id");
      if (p.author.empty()) p.author.assign(Str(account, "acct"));
    }
    const std::string_view spoiler = Str(s, "spoiler_text");
    const std::string content = HtmlToText(Str(s, "content"));
    if (!spoiler.empty()) {
      p.text.assign(spoiler);
      if (!content.empty()) p.text += "\n\n";
    }
    p.text += content;
    p.lang.assign(Str(s, "language"));
    p.url.assign(Str(s, "url"));
    if (p.url.empty()) p.url.assign(Str(s, "uri"));
    p.community = community;
    Keep(page, std::move(p), Finish(p, Timestamp(Str(s, "created_at"))), where, idx);
  }
  return page;
}

Result<std::string> ParseMastodonHashtagAccess(std::string_view body, std::string_view where) {
  simdjson::dom::parser parser;
  element root;
  PEERPULSE_RETURN_IF_ERROR(Parse(parser, body, root, where));
  std::string_view local;
  std::string_view remote;
  if (root.at_pointer("/configuration/timelines_access/hashtag_feeds/local").get_string().get(local) !=
      simdjson::SUCCESS) {
    return std::string();
  }
  if (root.at_pointer("/configuration/timelines_access/hashtag_feeds/remote").get_string().get(remote) !=
      simdjson::SUCCESS) {
    remote = local;
  }
  // The most open of the two: a tag timeline shows local and remote posts.
  if (local == "public" || remote == "public") return std::string("public");
  if (local == "authenticated" || remote == "authenticated") return std::string("authenticated");
  return std::string(local);
}

Result<ParsedPage> ParseRedditListing(std::string_view body, const std::string& community, std::string_view where) {
  simdjson::dom::parser parser;
  element root;
  PEERPULSE_RETURN_IF_ERROR(Parse(parser, body, root, where));
  ParsedPage page;
  std::size_t index = 0;
  object listing;
  array listings;
  if (root.get_object().get(listing) == simdjson::SUCCESS && Str(listing, "kind") == "Listing") {
    RedditListing(listing, community, where, page, index, 0);
  } else if (root.get_array().get(listings) == simdjson::SUCCESS) {
    for (element l : listings) {
      object o;
      if (l.get_object().get(o) == simdjson::SUCCESS && Str(o, "kind") == "Listing") {
        RedditListing(o, community, where, page, index, 1);
      }
    }
  } else {
    return Status::DataLoss(std::string(where) + ": expected a Reddit Listing");
  }
  return page;
}

Result<ParsedPage> ParseDiscoursePosts(std::string_view body, const std::string& community, std::string_view where) {
  simdjson::dom::parser parser;
  element root;
  PEERPULSE_RETURN_IF_ERROR(Parse(parser, body, root, where));
  array posts;
  if (root["latest_posts"].get_array().get(posts) != simdjson::SUCCESS &&
      root.at_pointer("/post_stream/posts").get_array().get(posts) != simdjson::SUCCESS) {
    return Status::DataLoss(std::string(where) + ": expected latest_posts or post_stream.posts");
  }
  ParsedPage page;
  std::size_t i = 0;
  std::int64_t smallest = -1;
  for (element e : posts) {
    const std::size_t idx = i++;
    object o;
    if (e.get_object().get(o) != simdjson::SUCCESS) {
      page.record_errors.push_back(RecordError(where, idx, "post is not an object"));
      continue;
    }
    std::int64_t id = -1;
    if (o["id"].get_int64().get(id) == simdjson::SUCCESS && (smallest < 0 || id < smallest)) smallest = id;
    bool hidden = false;
    std::int64_t post_type = 1;
    if (o["post_type"].get_int64().get(post_type) != simdjson::SUCCESS) post_type = 1;
    if (!IsNullOrMissing(o, "deleted_at") || (o["hidden"].get_bool().get(hidden) == simdjson::SUCCESS && hidden) ||
        post_type != 1 || (o["user_deleted"].get_bool().get(hidden) == simdjson::SUCCESS && hidden)) {
      ++page.skipped;  // deleted, hidden, or a moderator action / whisper / small action
      continue;
    }
    RawPost p;
    p.native_id = Id(o, "id");
    p.author = Id(o, "user_id");
    if (p.author.empty()) p.author.assign(Str(o, "username"));
    p.text = HtmlToText(Str(o, "cooked"));
    if (p.text.empty()) p.text.assign(Str(o, "raw"));  // raw is markdown; only when cooked is absent
    p.community = community;
    const std::string_view slug = Str(o, "topic_slug");
    const std::string topic = Id(o, "topic_id");
    if (!topic.empty()) p.url = "/t/" + std::string(slug) + "/" + topic + "/" + Id(o, "post_number");
    Keep(page, std::move(p), Finish(p, Timestamp(Str(o, "created_at"))), where, idx);
  }
  if (smallest > 0) page.next = std::to_string(smallest);
  return page;
}

Result<DiscourseTopicList> ParseDiscourseTopicList(std::string_view body, std::string_view where) {
  simdjson::dom::parser parser;
  element root;
  PEERPULSE_RETURN_IF_ERROR(Parse(parser, body, root, where));
  array topics;
  if (root.at_pointer("/topic_list/topics").get_array().get(topics) != simdjson::SUCCESS) {
    return Status::DataLoss(std::string(where) + ": expected topic_list.topics");
  }
  DiscourseTopicList out;
  std::string_view more;
  if (root.at_pointer("/topic_list/more_topics_url").get_string().get(more) == simdjson::SUCCESS) {
    out.more_topics_url.assign(more);
  }
  for (element e : topics) {
    object o;
    if (e.get_object().get(o) != simdjson::SUCCESS) continue;
    DiscourseTopic t;
    if (o["id"].get_int64().get(t.id) != simdjson::SUCCESS) continue;
    t.slug.assign(Str(o, "slug"));
    t.last_posted_at = Timestamp(Str(o, "last_posted_at"));
    bool pinned = false;
    t.pinned = o["pinned"].get_bool().get(pinned) == simdjson::SUCCESS && pinned;
    out.topics.push_back(std::move(t));
  }
  return out;
}

Result<std::vector<std::int64_t>> ParseDiscourseStream(std::string_view body, std::string_view where) {
  simdjson::dom::parser parser;
  element root;
  PEERPULSE_RETURN_IF_ERROR(Parse(parser, body, root, where));
  array stream;
  if (root.at_pointer("/post_stream/stream").get_array().get(stream) != simdjson::SUCCESS) {
    return Status::DataLoss(std::string(where) + ": expected post_stream.stream");
  }
  std::vector<std::int64_t> ids;
  for (element e : stream) {
    std::int64_t id = 0;
    if (e.get_int64().get(id) == simdjson::SUCCESS) ids.push_back(id);
  }
  return ids;
}

Result<ParsedPage> ParseBlueskyFeed(std::string_view body, const std::string& community, std::string_view where) {
  simdjson::dom::parser parser;
  element root;
  PEERPULSE_RETURN_IF_ERROR(Parse(parser, body, root, where));
  array items;
  object top;
  bool feed = true;
  if (root.get_object().get(top) != simdjson::SUCCESS) {
    return Status::DataLoss(std::string(where) + ": expected feed[] or posts[]");
  }
  if (top["feed"].get_array().get(items) != simdjson::SUCCESS) {
    feed = false;
    if (top["posts"].get_array().get(items) != simdjson::SUCCESS) {
      return Status::DataLoss(std::string(where) + ": expected feed[] or posts[]");
    }
  }
  ParsedPage page;
  page.next = std::string(Str(top, "cursor"));
  std::size_t i = 0;
  for (element e : items) {
    const std::size_t idx = i++;
    object item;
    object post;
    if (e.get_object().get(item) != simdjson::SUCCESS) {
      page.record_errors.push_back(RecordError(where, idx, "item is not an object"));
      continue;
    }
    if (feed) {
      if (!IsNullOrMissing(item, "reason")) {
        ++page.skipped;  // a repost
        continue;
      }
      if (item["post"].get_object().get(post) != simdjson::SUCCESS) {
        page.record_errors.push_back(RecordError(where, idx, "item without post"));
        continue;
      }
    } else {
      post = item;
    }
    object record;
    if (post["record"].get_object().get(record) != simdjson::SUCCESS) {
      page.record_errors.push_back(RecordError(where, idx, "post without record"));
      continue;
    }
    RawPost p;
    p.native_id.assign(Str(post, "uri"));
    object author;
    if (post["author"].get_object().get(author) == simdjson::SUCCESS) p.author.assign(Str(author, "did"));
    p.text.assign(Str(record, "text"));
    p.lang = FirstLang(record);
    p.community = community;
    p.url = p.native_id;  // at:// URI
    Keep(page, std::move(p), Finish(p, Timestamp(Str(record, "createdAt"))), where, idx);
  }
  return page;
}

Result<bool> ParseApiRecord(RecordFormat format, std::string_view record, const std::string& community,
                            RawPost& post) {
  std::string wrapped;
  switch (format) {
    case RecordFormat::kMastodon: wrapped = "["; break;
    case RecordFormat::kReddit: wrapped = R"({"kind":"Listing","data":{"children":[)"; break;
    case RecordFormat::kBluesky: wrapped = R"({"feed":[)"; break;
  }
  wrapped.append(record);
  wrapped += format == RecordFormat::kMastodon ? "]" : format == RecordFormat::kReddit ? "]}}" : "]}";
  Result<ParsedPage> page = format == RecordFormat::kMastodon ? ParseMastodonStatuses(wrapped, community, "record")
                            : format == RecordFormat::kReddit ? ParseRedditListing(wrapped, community, "record")
                                                              : ParseBlueskyFeed(wrapped, community, "record");
  WipeString(wrapped);
  if (!page.ok()) return page.status();
  if (!page->record_errors.empty()) {
    std::string e = page->record_errors.front();
    e.erase(0, std::string_view("record: record 1: ").size());
    return Status::DataLoss(e);
  }
  if (page->posts.empty()) return false;
  post = std::move(page->posts.front());
  return true;
}

Result<bool> ParseJetstreamEvent(std::string_view line, const std::string& community, RawPost& post) {
  simdjson::dom::parser parser;
  element root;
  PEERPULSE_RETURN_IF_ERROR(Parse(parser, line, root, "jetstream event"));
  object ev;
  object commit;
  object record;
  if (root.get_object().get(ev) != simdjson::SUCCESS) return Status::DataLoss("event is not an object");
  if (Str(ev, "kind") != "commit" || ev["commit"].get_object().get(commit) != simdjson::SUCCESS ||
      Str(commit, "operation") != "create" || Str(commit, "collection") != "app.bsky.feed.post") {
    return false;
  }
  if (commit["record"].get_object().get(record) != simdjson::SUCCESS) return Status::DataLoss("commit without record");
  const std::string did(Str(ev, "did"));
  const std::string_view rkey = Str(commit, "rkey");
  post.author = did;
  post.native_id = "at://" + did + "/app.bsky.feed.post/" + std::string(rkey);
  post.url = post.native_id;
  post.text.assign(Str(record, "text"));
  post.lang = FirstLang(record);
  post.community = community;
  const std::string problem = Finish(post, Timestamp(Str(record, "createdAt")));
  if (did.empty() || rkey.empty()) return Status::DataLoss("event without did or rkey");
  if (!problem.empty()) return Status::DataLoss(problem);
  return true;
}

}  // namespace peerpulse::crawler
