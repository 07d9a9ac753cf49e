// HTTP sources (http_sources.h).
#include "peerpulse/crawler/http_sources.h"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <map>

#include "peerpulse/crawler/parsers.h"

namespace peerpulse::crawler {
namespace {

// ---- cursors: "v1:" key=value,key=value (both percent-encoded) ---------------

using CursorMap = std::map<std::string, std::string>;

std::string Decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      int v = 0;
      const auto r = std::from_chars(s.data() + i + 1, s.data() + i + 3, v, 16);
      if (r.ec == std::errc{} && r.ptr == s.data() + i + 3) {
        out += static_cast<char>(v);
        i += 2;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

std::string EncodeCursor(const CursorMap& m) {
  std::string out = "v1:";
  bool first = true;
  for (const auto& [k, v] : m) {
    if (!first) out += ',';
    first = false;
    out += UrlEncode(k) + "=" + UrlEncode(v);
  }
  return out;
}

bool DecodeCursor(std::string_view cursor, CursorMap& m) {
  if (cursor.empty()) return true;
  if (!cursor.starts_with("v1:")) return false;
  cursor.remove_prefix(3);
  while (!cursor.empty()) {
    const auto comma = cursor.find(',');
    const std::string_view kv = cursor.substr(0, comma);
    const auto eq = kv.find('=');
    if (eq == std::string_view::npos) return false;
    m[Decode(kv.substr(0, eq))] = Decode(kv.substr(eq + 1));
    cursor = comma == std::string_view::npos ? std::string_view() : cursor.substr(comma + 1);
  }
  return true;
}

std::int64_t ToInt(const std::string& s, std::int64_t fallback) {
  std::int64_t v = 0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  return r.ec == std::errc{} && r.ptr == s.data() + s.size() && !s.empty() ? v : fallback;
}

// Mastodon ids are decimal strings that can exceed 64 bits in principle: compare as numbers.
bool IdLess(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return a.size() < b.size();
  return a < b;
}

std::string StatusError(const std::string& host, int status, std::string_view what) {
  return host + ": HTTP " + std::to_string(status) + " " + std::string(what);
}

Result<HttpResponse> Get(PoliteFetcher& fetcher, const std::string& url,
                         std::vector<std::pair<std::string, std::string>> headers = {}) {
  HttpRequest req;
  req.url = url;
  req.headers = std::move(headers);
  req.headers.emplace_back("Accept", "application/json");
  return fetcher.Fetch(req);
}

void Append(SourceBatch& batch, ParsedPage& page, const std::string& source) {
  for (RawPost& p : page.posts) {
    p.source = source;
    batch.posts.push_back(std::move(p));
  }
  page.posts.clear();
  for (auto& e : page.record_errors) batch.record_errors.push_back(std::move(e));
  batch.skipped += page.skipped;
}

// ---- Mastodon ------------------------------------------------------------

class MastodonSource final : public Source {
 public:
  MastodonSource(HttpSourceOptions o, PoliteFetcher& f, std::string min_id)
      : o_(std::move(o)), f_(f), min_id_(std::move(min_id)), host_(HostOf(o_.base_url)) {}
  const std::string& name() const override { return o_.name; }

  Result<SourceBatch> Next(std::size_t max_posts) override {
    SourceBatch batch;
    if (!checked_) {
      checked_ = true;
      PEERPULSE_RETURN_IF_ERROR(CheckAccess());
    }
    const int limit = o_.page_size > 0 ? std::min(o_.page_size, 40) : 40;
    while (batch.posts.size() < max_posts && !done_) {
      std::string url = next_url_;
      if (url.empty()) {
        url = o_.base_url + "/api/v1/timelines/tag/" + UrlEncode(o_.tag) + "?limit=" + std::to_string(limit);
        if (!min_id_.empty()) url += "&min_id=" + UrlEncode(min_id_);
      }
      PEERPULSE_ASSIGN_OR_RETURN(HttpResponse r, Get(f_, url));
      ++pages_;
      if (r.status == 401 || r.status == 403 || r.status == 422) {
        return Status::FailedPrecondition(
            StatusError(host_, r.status, "on the hashtag timeline: the server disabled it or requires a login"));
      }
      if (r.status == 404) return Status::NotFound(StatusError(host_, r.status, "on the hashtag timeline"));
      if (r.status != 200) return Status::Unavailable(StatusError(host_, r.status, "on the hashtag timeline"));
      PEERPULSE_ASSIGN_OR_RETURN(ParsedPage page, ParseMastodonStatuses(r.body, o_.community, host_));
      WipeString(r.body);
      const bool empty = page.next.empty();
      std::string newest = min_id_;
      if (!page.next.empty() && (newest.empty() || IdLess(newest, page.next))) newest = page.next;
      const bool first_run = min_id_.empty();
      Append(batch, page, o_.name);
      min_id_ = newest;
      // Follow rel="prev" (newer statuses) when it stays on this host; else build the URL.
      const std::string prev = LinkRel(r.Header("link").value_or(""), "prev");
      next_url_ = (!prev.empty() && HostOf(prev) == host_) ? ResolveUrl(url, prev) : "";
      if (!next_url_.empty() && next_url_.find("min_id=") == std::string::npos) next_url_.clear();
      if (!next_url_.empty() && next_url_.find("limit=") == std::string::npos) {
        next_url_ += (next_url_.find('?') == std::string::npos ? "?limit=" : "&limit=") + std::to_string(limit);
      }
      if (empty || first_run || pages_ >= o_.max_pages) done_ = true;
    }
    batch.cursor = min_id_.empty() ? "" : EncodeCursor({{"min_id", min_id_}});
    batch.exhausted = done_;
    return batch;
  }

 private:
  Status CheckAccess() {
    auto r = Get(f_, o_.base_url + "/api/v2/instance");
    if (!r.ok()) return r.status();
    if (r->status != 200) return Status::Ok();  // older servers: the timeline request will tell
    auto access = ParseMastodonHashtagAccess(r->body, host_);
    if (!access.ok()) return Status::Ok();
    if (*access == "disabled" || *access == "authenticated") {
      return Status::FailedPrecondition(host_ + ": the server has set hashtag timelines to '" + *access +
                                        "' (configuration.timelines_access); not polling");
    }
    return Status::Ok();
  }

  HttpSourceOptions o_;
  PoliteFetcher& f_;
  std::string min_id_;
  std::string host_;
  std::string next_url_;
  bool checked_ = false;
  bool done_ = false;
  int pages_ = 0;
};

// ---- newest-first walks (reddit, discourse, bluesky, feed) ----------------

// One stream walked from the newest item back to the high-water mark.
struct Walk {
  std::string key;           // cursor key: "t" (time), "id" (discourse), or "a:<actor>"
  std::int64_t high = -1;    // saved high-water mark; items with position < high are old
  std::int64_t seen = -1;    // highest position seen this run
  std::string token;         // the API's paging token for the next page ("" = first page)
  int pages = 0;
  bool done = false;
};

class WalkingSource : public Source {
 public:
  // `key`: the cursor key of the single walk that the default Start() sets up.
  WalkingSource(HttpSourceOptions o, PoliteFetcher& f, CursorMap cursor, std::string key)
      : o_(std::move(o)), f_(f), cursor_(std::move(cursor)), host_(HostOf(o_.base_url)), key_(std::move(key)) {}
  const std::string& name() const override { return o_.name; }

  Result<SourceBatch> Next(std::size_t max_posts) override {
    SourceBatch batch;
    if (walks_.empty()) PEERPULSE_RETURN_IF_ERROR(Start());
    while (batch.posts.size() < max_posts && current_ < walks_.size()) {
      Walk& w = walks_[current_];
      PEERPULSE_ASSIGN_OR_RETURN(ParsedPage page, FetchPage(w));
      ++w.pages;
      bool reached_old = false;
      std::vector<RawPost> fresh;
      for (RawPost& p : page.posts) {
        const std::int64_t pos = Position(p);
        if (w.high >= 0 && pos < w.high) {
          reached_old = StopsAtOldItems();
          continue;  // wiped with the page
        }
        w.seen = std::max(w.seen, pos);
        fresh.push_back(std::move(p));
      }
      page.posts = std::move(fresh);
      Append(batch, page, o_.name);
      if (reached_old || page.next.empty() || w.pages >= o_.max_pages || !Pages()) {
        if (!reached_old && !page.next.empty() && w.high >= 0) {
          batch.record_errors.push_back(host_ + ": stopped after max_pages=" + std::to_string(o_.max_pages) +
                                        " before reaching the previous run's position; posts in between are skipped");
        }
        w.done = true;
        // The walk is complete: its new high-water mark can be saved.
        const std::int64_t high = std::max(w.high, w.seen + HighStep());
        if (high >= 0) cursor_[w.key] = std::to_string(high);
        WalkDone(w);
        ++current_;
      } else {
        w.token = page.next;
      }
    }
    batch.cursor = EncodeCursor(cursor_);
    batch.exhausted = current_ >= walks_.size();
    return batch;
  }

 protected:
  // Sets up walks_: by default one walk under the constructor's key.
  virtual Status Start() {
    walks_.push_back(MakeWalk(key_));
    return Status::Ok();
  }
  virtual Result<ParsedPage> FetchPage(Walk& w) = 0;
  // The position of a post: creation time by default.
  virtual std::int64_t Position(const RawPost& p) const { return p.created_at; }
  // Added to the highest position seen to make the new mark: 0 for times
  // (items of the same second are fetched again; dedup makes that harmless),
  // 1 for unique increasing ids.
  virtual std::int64_t HighStep() const { return 0; }
  // False for single-document sources (feeds).
  virtual bool Pages() const { return true; }
  // Whether an item older than the mark ends the walk (false when pages mix
  // old and new items, as a topic list's topics do; FetchPage then ends the
  // walk by returning no `next`).
  virtual bool StopsAtOldItems() const { return true; }
  // Called when a walk completes, before its cursor is handed out.
  virtual void WalkDone(Walk&) {}

  Walk MakeWalk(const std::string& key) {
    Walk w;
    w.key = key;
    auto it = cursor_.find(key);
    if (it != cursor_.end()) w.high = ToInt(it->second, -1);
    return w;
  }

  HttpSourceOptions o_;
  PoliteFetcher& f_;
  CursorMap cursor_;
  std::string host_;
  std::string key_;
  std::vector<Walk> walks_;
  std::size_t current_ = 0;
};

class RedditSource final : public WalkingSource {
 public:
  RedditSource(HttpSourceOptions o, PoliteFetcher& f, CursorMap cursor)
      : WalkingSource(std::move(o), f, std::move(cursor), "t") {}

 protected:

  Result<ParsedPage> FetchPage(Walk& w) override {
    if (token_.empty()) PEERPULSE_RETURN_IF_ERROR(Authenticate());
    const int limit = o_.page_size > 0 ? std::min(o_.page_size, 100) : 100;
    std::string url = o_.base_url + "/r/" + UrlEncode(o_.subreddit) + "/new?limit=" + std::to_string(limit) +
                      "&raw_json=1";
    if (!w.token.empty()) url += "&after=" + UrlEncode(w.token);
    PEERPULSE_ASSIGN_OR_RETURN(HttpResponse r, Get(f_, url, {{"Authorization", "bearer " + token_}}));
    if (r.status == 401) {  // token expired mid-run: once more with a new one
      PEERPULSE_RETURN_IF_ERROR(Authenticate());
      PEERPULSE_ASSIGN_OR_RETURN(r, Get(f_, url, {{"Authorization", "bearer " + token_}}));
    }
    if (r.status == 403 || r.status == 404) {
      return Status::NotFound(StatusError(host_, r.status, "for the subreddit (private, banned or missing)"));
    }
    if (r.status != 200) return Status::Unavailable(StatusError(host_, r.status, "on the listing"));
    auto page = ParseRedditListing(r.body, o_.community, host_);
    WipeString(r.body);
    return page;
  }

 private:
  Status Authenticate() {
    HttpRequest req;
    req.method = "POST";
    req.url = o_.auth_url;
    req.body = "grant_type=client_credentials";
    req.basic_auth = o_.client_id + ":" + o_.client_secret;
    req.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    const std::string auth_host = HostOf(o_.auth_url);
    PEERPULSE_ASSIGN_OR_RETURN(HttpResponse r, f_.Fetch(req));
    WipeString(req.basic_auth);
    if (r.status != 200) {
      return Status::FailedPrecondition(StatusError(auth_host, r.status, "from the OAuth token endpoint (check the client credentials)"));
    }
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    std::string_view token;
    if (parser.parse(r.body.data(), r.body.size(), true).get(root) != simdjson::SUCCESS ||
        root["access_token"].get_string().get(token) != simdjson::SUCCESS || token.empty()) {
      return Status::Unavailable(auth_host + ": OAuth token response without access_token");
    }
    token_.assign(token);
    WipeString(r.body);
    return Status::Ok();
  }
  std::string token_;
};

class DiscourseSource final : public WalkingSource {
 public:
  DiscourseSource(HttpSourceOptions o, PoliteFetcher& f, CursorMap cursor)
      : WalkingSource(std::move(o), f, std::move(cursor), "id") {}

 protected:
  Result<ParsedPage> FetchPage(Walk& w) override {
    std::string url = o_.base_url + "/posts.json";
    if (!w.token.empty()) url += "?before=" + UrlEncode(w.token);
    PEERPULSE_ASSIGN_OR_RETURN(HttpResponse r, Get(f_, url));
    if (r.status != 200) return Status::Unavailable(StatusError(host_, r.status, "on /posts.json"));
    auto page = ParseDiscoursePosts(r.body, o_.community, host_);
    WipeString(r.body);
    if (page.ok() && !w.token.empty() && page->next == w.token) page->next.clear();  // no progress: stop
    return page;
  }
  std::int64_t Position(const RawPost& p) const override { return ToInt(p.native_id, -1); }
  std::int64_t HighStep() const override { return 1; }
};

class DiscourseCategorySource final : public WalkingSource {
 public:
  DiscourseCategorySource(HttpSourceOptions o, PoliteFetcher& f, CursorMap cursor)
      : WalkingSource(std::move(o), f, std::move(cursor), "id") {}

 protected:
  Status Start() override {
    PEERPULSE_RETURN_IF_ERROR(WalkingSource::Start());
    if (auto it = cursor_.find("t"); it != cursor_.end()) mark_time_ = ToInt(it->second, -1);
    newest_time_ = mark_time_;
    return Status::Ok();
  }
  bool StopsAtOldItems() const override { return false; }
  std::int64_t Position(const RawPost& p) const override { return ToInt(p.native_id, -1); }
  std::int64_t HighStep() const override { return 1; }
  void WalkDone(Walk&) override {
    if (newest_time_ >= 0) cursor_["t"] = std::to_string(newest_time_);
  }

  Result<ParsedPage> FetchPage(Walk& w) override {
    const std::string url = w.token.empty() ? o_.base_url + "/c/" + o_.category + ".json" : ResolveUrl(o_.base_url, w.token);
    if (HostOf(url) != host_) return Status::InvalidArgument(host_ + ": more_topics_url leaves the forum");
    PEERPULSE_ASSIGN_OR_RETURN(HttpResponse r, Get(f_, url));
    if (r.status == 404 || r.status == 403) return Status::NotFound(StatusError(host_, r.status, "for the category"));
    if (r.status != 200) return Status::Unavailable(StatusError(host_, r.status, "on the category topic list"));
    PEERPULSE_ASSIGN_OR_RETURN(DiscourseTopicList list, ParseDiscourseTopicList(r.body, host_));
    ParsedPage page;
    bool reached_old = false;
    for (const DiscourseTopic& t : list.topics) {
      if (mark_time_ >= 0 && t.last_posted_at >= 0 && t.last_posted_at < mark_time_) {
        if (!t.pinned) reached_old = true;  // pinned topics sit on top whatever their age
        continue;
      }
      newest_time_ = std::max(newest_time_, t.last_posted_at);
      PEERPULSE_RETURN_IF_ERROR(FetchTopic(t, w.high, page));
    }
    page.next = reached_old || list.topics.empty() || list.more_topics_url == w.token ? "" : list.more_topics_url;
    return page;
  }

 private:
  Status FetchTopic(const DiscourseTopic& t, std::int64_t mark_id, ParsedPage& page) {
    const std::string topic = std::to_string(t.id);
    PEERPULSE_ASSIGN_OR_RETURN(HttpResponse r, Get(f_, o_.base_url + "/t/" + topic + ".json"));
    if (r.status == 404 || r.status == 403) {  // deleted or made private since the list was made
      page.record_errors.push_back(StatusError(host_, r.status, "for a topic of the category; skipped"));
      return Status::Ok();
    }
    if (r.status != 200) return Status::Unavailable(StatusError(host_, r.status, "on a topic"));
    PEERPULSE_ASSIGN_OR_RETURN(ParsedPage first, ParseDiscoursePosts(r.body, o_.community, host_));
    PEERPULSE_ASSIGN_OR_RETURN(std::vector<std::int64_t> stream, ParseDiscourseStream(r.body, host_));
    WipeString(r.body);
    std::vector<std::int64_t> have;
    for (const RawPost& p : first.posts) have.push_back(ToInt(p.native_id, -1));
    Merge(page, first);
    // The rest of the topic's posts above the mark, 20 per request.
    std::vector<std::int64_t> missing;
    for (const std::int64_t id : stream) {
      if ((mark_id < 0 || id >= mark_id) && std::find(have.begin(), have.end(), id) == have.end()) missing.push_back(id);
    }
    for (std::size_t i = 0; i < missing.size(); i += 20) {
      std::string url = o_.base_url + "/t/" + topic + "/posts.json?";
      for (std::size_t k = i; k < std::min(missing.size(), i + 20); ++k) {
        url += (k == i ? "" : "&") + std::string("post_ids%5B%5D=") + std::to_string(missing[k]);
      }
      PEERPULSE_ASSIGN_OR_RETURN(HttpResponse more, Get(f_, url));
      if (more.status != 200) return Status::Unavailable(StatusError(host_, more.status, "on a topic's posts"));
      PEERPULSE_ASSIGN_OR_RETURN(ParsedPage rest, ParseDiscoursePosts(more.body, o_.community, host_));
      WipeString(more.body);
      Merge(page, rest);
    }
    return Status::Ok();
  }
  static void Merge(ParsedPage& into, ParsedPage& from) {
    for (RawPost& p : from.posts) into.posts.push_back(std::move(p));
    for (auto& e : from.record_errors) into.record_errors.push_back(std::move(e));
    into.skipped += from.skipped;
  }

  std::int64_t mark_time_ = -1;
  std::int64_t newest_time_ = -1;
};

class BlueskySource final : public WalkingSource {
 public:
  BlueskySource(HttpSourceOptions o, PoliteFetcher& f, CursorMap cursor)
      : WalkingSource(std::move(o), f, std::move(cursor), "") {}

 protected:
  Status Start() override {
    for (const auto& a : o_.actors) walks_.push_back(MakeWalk("a:" + a));
    return Status::Ok();
  }
  Result<ParsedPage> FetchPage(Walk& w) override {
    const int limit = o_.page_size > 0 ? std::min(o_.page_size, 100) : 100;
    std::string url = o_.base_url + "/xrpc/app.bsky.feed.getAuthorFeed?actor=" + UrlEncode(w.key.substr(2)) +
                      "&filter=posts_no_replies&limit=" + std::to_string(limit);
    if (!w.token.empty()) url += "&cursor=" + UrlEncode(w.token);
    PEERPULSE_ASSIGN_OR_RETURN(HttpResponse r, Get(f_, url));
    if (r.status == 400) return Status::NotFound(StatusError(host_, r.status, "for an account of the source (unknown actor?)"));
    if (r.status != 200) return Status::Unavailable(StatusError(host_, r.status, "on getAuthorFeed"));
    auto page = ParseBlueskyFeed(r.body, o_.community, host_);
    WipeString(r.body);
    if (page.ok() && page->next == w.token) page->next.clear();
    return page;
  }
};

class FeedSource final : public WalkingSource {
 public:
  FeedSource(HttpSourceOptions o, PoliteFetcher& f, CursorMap cursor)
      : WalkingSource(std::move(o), f, std::move(cursor), "t") {}

 protected:
  bool Pages() const override { return false; }
  Result<ParsedPage> FetchPage(Walk&) override {
    std::vector<std::pair<std::string, std::string>> headers;
    if (auto it = cursor_.find("etag"); it != cursor_.end()) headers.emplace_back("If-None-Match", it->second);
    if (auto it = cursor_.find("lm"); it != cursor_.end()) headers.emplace_back("If-Modified-Since", it->second);
    HttpRequest req;
    req.url = o_.base_url;
    req.headers = std::move(headers);
    req.headers.emplace_back("Accept", "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5");
    PEERPULSE_ASSIGN_OR_RETURN(HttpResponse r, f_.Fetch(req));
    if (r.status == 304) return ParsedPage{};  // not modified
    if (r.status != 200) return Status::Unavailable(StatusError(host_, r.status, "on the feed"));
    auto page = ParseFeed(r.body, o_.community, -1, host_);
    WipeString(r.body);
    // Validators for the next run's conditional GET (they name a version of the feed, not a post).
    if (page.ok()) {
      if (auto e = r.Header("etag"); e.has_value()) cursor_["etag"] = std::string(*e);
      if (auto l = r.Header("last-modified"); l.has_value()) cursor_["lm"] = std::string(*l);
    }
    return page;
  }
};

}  // namespace

Result<std::unique_ptr<Source>> MakeHttpSource(HttpSourceOptions o, PoliteFetcher& fetcher, std::string_view cursor) {
  CursorMap m;
  const std::string who = "source '" + o.name + "'";
  if (!DecodeCursor(cursor, m)) return Status::InvalidArgument(who + ": cursor was not written by an HTTP source");
  while (!o.base_url.empty() && o.base_url.back() == '/' && o.type != "feed") o.base_url.pop_back();
  if (HostOf(o.base_url).empty()) return Status::InvalidArgument(who + ": base_url is not an http(s) URL");
  if (o.max_pages < 1) o.max_pages = 1;
  if (o.type == "mastodon") {
    if (o.tag.empty()) return Status::InvalidArgument(who + ": a mastodon source needs 'tag'");
    if (o.community.empty()) return Status::InvalidArgument(who + ": a mastodon source needs 'community'");
    std::string min_id = m.count("min_id") ? m["min_id"] : "";
    return std::unique_ptr<Source>(new MastodonSource(std::move(o), fetcher, std::move(min_id)));
  }
  if (o.type == "reddit") {
    if (o.subreddit.empty()) return Status::InvalidArgument(who + ": a reddit source needs 'subreddit'");
    if (o.client_id.empty() || o.client_secret.empty()) {
      return Status::InvalidArgument(who + ": no Reddit client credentials (environment or secrets file)");
    }
    return std::unique_ptr<Source>(new RedditSource(std::move(o), fetcher, std::move(m)));
  }
  if (o.community.empty()) return Status::InvalidArgument(who + ": needs 'community'");
  if (o.type == "discourse" && !o.category.empty()) {
    const auto slash = o.category.find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == o.category.size() ||
        o.category.find_first_not_of("0123456789", slash + 1) != std::string::npos) {
      return Status::InvalidArgument(who + ": category must be \"slug/id\", e.g. \"diabetes/12\"");
    }
    return std::unique_ptr<Source>(new DiscourseCategorySource(std::move(o), fetcher, std::move(m)));
  }
  if (o.type == "discourse") return std::unique_ptr<Source>(new DiscourseSource(std::move(o), fetcher, std::move(m)));
  if (o.type == "bluesky") {
    if (o.actors.empty()) return Status::InvalidArgument(who + ": a bluesky source needs 'actors'");
    return std::unique_ptr<Source>(new BlueskySource(std::move(o), fetcher, std::move(m)));
  }
  if (o.type == "feed") return std::unique_ptr<Source>(new FeedSource(std::move(o), fetcher, std::move(m)));
  return Status::InvalidArgument(who + ": unknown HTTP source type '" + o.type + "'");
}

}  // namespace peerpulse::crawler
