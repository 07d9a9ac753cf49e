// Source: where RawPosts come from, one batch at a time, with a resumable cursor.
//
// A cursor is an opaque string that the store saves in the same transaction
// as the batch it covers (design.md: at-least-once delivery; dedup keys make
// re-processing idempotent). It is the one piece of source position peerpulse
// keeps, and it is never linked to a cell, count or label.
#ifndef PEERPULSE_CRAWLER_SOURCE_H_
#define PEERPULSE_CRAWLER_SOURCE_H_

#include <cstddef>
#include <string>
#include <vector>

#include "peerpulse/pipeline/raw_post.h"
#include "peerpulse/pipeline/status.h"

namespace peerpulse::crawler {

struct SourceBatch {
  std::vector<RawPost> posts;
  // Cursor to resume after this batch; save it together with the batch.
  std::string cursor;
  // Records that could not be turned into a RawPost and were skipped. Each
  // message names the location (file:line or host) and the problem, never the
  // content.
  std::vector<std::string> record_errors;
  // Records passed over on purpose: deleted or removed posts, boosts and
  // reposts (the text is not the sharer's), events that are not posts.
  std::size_t skipped = 0;
  // True when the source had nothing more to give this run.
  bool exhausted = false;
};

class Source {
 public:
  virtual ~Source() = default;

  // The source's name in the job file (used for cursors and run reports).
  virtual const std::string& name() const = 0;

  // Returns up to `max_posts` posts after the current position and advances
  // the position. An error Status means the source as a whole failed (file
  // unreadable, host down); bad individual records go to record_errors.
  // Not thread-safe: one caller at a time.
  virtual Result<SourceBatch> Next(std::size_t max_posts) = 0;
};

}  // namespace peerpulse::crawler

#endif  // PEERPULSE_CRAWLER_SOURCE_H_
