// JsonlSource: reads posts from a JSON Lines file, for offline replay and for
// imports from other collectors; also Bluesky Jetstream event dumps.
//
// Format (one JSON object per line, UTF-8; README "JSON Lines post format"):
//   id          string or integer, required   the post's id in its origin
//   author      string, required              author name or id in its origin
//   created_at  string (RFC 3339) or integer (Unix seconds), required
//   text        string, required              plain text (or HTML-free body)
//   title       string, optional              prepended to text
//   community   string, optional              defaults to the source's community
//   lang        string, optional              defaults to "und"
//   url         string, optional
// Unknown fields are ignored. Empty lines are skipped.
//
// Bad records (malformed JSON, invalid UTF-8, a missing or mistyped field, a
// line longer than max_line_bytes) are skipped and reported as "FILE:LINE:
// problem" without any content. A last line without a newline that does not
// parse is left unread (a writer may still be appending to it).
//
// The cursor is "v1:<byte offset>:<line number>". If the file is shorter than
// the cursor's offset (replaced or truncated), reading restarts at the top;
// dedup keys keep that idempotent.
#ifndef PEERPULSE_CRAWLER_JSONL_SOURCE_H_
#define PEERPULSE_CRAWLER_JSONL_SOURCE_H_

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "peerpulse/crawler/source.h"

namespace peerpulse::crawler {

enum class JsonlFormat {
  kPeerpulse,  // the format above
  kJetstream,  // Bluesky Jetstream events: commit/create of app.bsky.feed.post (other events are passed over)
  kMastodon,   // one Mastodon status per line (boosts are passed over)
  kReddit,     // one Reddit child per line, {"kind":"t3"|"t1","data":...} (deleted/removed are passed over)
  kBluesky,    // one Bluesky feed item per line, {"post":...} (reposts are passed over)
};

struct JsonlSourceOptions {
  JsonlFormat format = JsonlFormat::kPeerpulse;
  std::string name;                           // source name from the job
  std::string path;                           // the .jsonl file, or "-" for standard input (read from its start, cursor ignored)
  std::string default_community;              // community of records that give none
  std::size_t max_line_bytes = 4u << 20;      // longer lines are skipped (4 MiB)
};

class JsonlSource final : public Source {
 public:
  // Opens `options.path` and positions it at `cursor` (empty: the start).
  // Errors: NotFound/IoError if the file cannot be opened, InvalidArgument if
  // the cursor is not one this source wrote.
  static Result<std::unique_ptr<JsonlSource>> Open(JsonlSourceOptions options, std::string_view cursor);

  ~JsonlSource() override;
  JsonlSource(const JsonlSource&) = delete;
  JsonlSource& operator=(const JsonlSource&) = delete;

  const std::string& name() const override { return options_.name; }
  Result<SourceBatch> Next(std::size_t max_posts) override;

 private:
  struct Impl;
  explicit JsonlSource(JsonlSourceOptions options, std::unique_ptr<Impl> impl);
  JsonlSourceOptions options_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace peerpulse::crawler

#endif  // PEERPULSE_CRAWLER_JSONL_SOURCE_H_
