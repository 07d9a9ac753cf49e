// Store: staging for open windows, once-per-window release, and the released
// cells analysts query. SQLite today (SQLiteCpp, linked privately); the SQL is
// kept portable so a PostgreSQL backend can be added behind this interface.
//
// What is on disk (design.md, privacy model):
//   <dir>/peerpulse.db     staging rows (window, dimension codes, keyed author
//                          pseudonym), keyed dedup keys, source cursors,
//                          releases, released cells, run ledger. No post text,
//                          author, post id, URL or timestamp finer than a week.
//   <dir>/keys/<window>.key  32 random bytes per open window (0600, directory
//                          0700), apart from the database; destroyed on release.
//
// Thread-safety: a Store is used by one thread at a time; its Pseudonymizer is
// thread-safe. Several processes may open the same directory: SQLite locking
// serialises writers, and a window is released by exactly one of them.
#ifndef PEERPULSE_STORE_STORE_H_
#define PEERPULSE_STORE_STORE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "peerpulse/pipeline/crypto.h"
#include "peerpulse/pipeline/labels.h"
#include "peerpulse/pipeline/pseudonymizer.h"
#include "peerpulse/pipeline/status.h"
#include "peerpulse/pipeline/window.h"

namespace peerpulse::store {

struct StoreOptions {
  std::string dir;                // created (0700) when missing
  int busy_timeout_ms = 10000;    // how long to wait for another process's write lock
};

// What one de-identified, classified post adds to staging.
struct PostContribution {
  Window window;
  Digest dedup_key{};             // keyed; a repeated key is a duplicate and adds nothing
  Digest author{};                // keyed author pseudonym
  std::vector<CellKey> cells;     // may be empty (an unclassified post is still marked seen)
};

struct BatchResult {
  std::size_t accepted = 0;       // posts new to staging
  std::size_t duplicates = 0;     // posts whose dedup key was already staged
  std::size_t late = 0;           // posts for windows already released (dropped)
  std::size_t contributions = 0;  // new (author, cell) rows
};

struct ReleaseOptions {
  int min_authors = 11;           // cells below this many distinct authors are never released
  int max_cells_per_author = 4;   // an author counts in at most this many cells per window
  std::int64_t grace_seconds = 2 * 86400;  // a window is released this long after it ends
  std::string policy_hash;        // recorded with the release
  std::string taxonomy_hash;      // recorded with the release
};

struct WindowRelease {
  std::string window;
  std::size_t cells_released = 0;
  std::size_t cells_suppressed = 0;   // below min_authors
  std::size_t authors_bounded = 0;    // authors whose cells were cut to max_cells_per_author
};

struct RunRecord {
  std::string job;
  std::string policy_hash;
  std::string taxonomy_hash;
  std::int64_t started_at = 0;    // Unix seconds (the run's, not any post's)
  std::int64_t ended_at = 0;
  std::size_t fetched = 0;
  std::size_t deidentified = 0;
  std::size_t dropped = 0;
  std::size_t classified = 0;     // posts with at least one condition
  std::size_t contributed = 0;    // (author, cell) rows added
  std::size_t duplicates = 0;
  std::size_t late = 0;
  std::size_t record_errors = 0;
  std::string outcome;            // "ok" or "failed"
};

// Grouping dimensions a query may use.
inline constexpr std::string_view kDimensions[] = {"window", "community", "condition", "need", "experiencer"};

struct QueryOptions {
  std::vector<std::string> by;    // subset of kDimensions; empty = all five (the cells themselves)
  std::string since;              // first window, inclusive ("2026-W01"); empty = no bound
  std::string until;              // last window, inclusive; empty = no bound
  std::string community;          // filters; empty = any
  std::string condition;
  std::string need;
  std::string experiencer;
};

struct QueryResult {
  std::vector<std::string> columns;            // the grouping columns, then "authors"
  std::vector<std::vector<std::string>> rows;  // ordered by the grouping columns
};

class Store {
 public:
  // Opens or creates the store in options.dir. Errors: IoError (directory,
  // database or permissions), DataLoss (a database that is not a peerpulse
  // store or is corrupt).
  static Result<std::unique_ptr<Store>> Open(const StoreOptions& options);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Keyed pseudonyms under each window's key (refuses released windows).
  Pseudonymizer& pseudonymizer();

  // True when `window` has been released (its posts are late from then on).
  Result<bool> IsReleased(const Window& window);

  // The saved cursor of `source`, or "" when none.
  Result<std::string> Cursor(std::string_view source);

  // Stages `posts` and saves `cursor` for `source`, all in one transaction:
  // either everything is committed or nothing is.
  Result<BatchResult> CommitBatch(std::string_view source, std::string_view cursor,
                                  std::span<const PostContribution> posts);

  // Releases every staged window whose end + grace_seconds <= now_unix, each in
  // its own transaction: counts distinct authors per cell in memory (with
  // contribution bounding), persists the cells with at least min_authors, marks
  // the window released, deletes its staging rows (secure_delete) and destroys
  // its key. A window is released once; later calls skip it.
  Result<std::vector<WindowRelease>> ReleaseClosedWindows(std::int64_t now_unix, const ReleaseOptions& options);

  // Sums of released cell values grouped as asked.
  Result<QueryResult> Query(const QueryOptions& options);

  // Appends to the run ledger (counts only).
  Status RecordRun(const RunRecord& run);

  // Path of the database file.
  const std::string& db_path() const;

 private:
  struct Impl;
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

enum class OutputFormat { kTable, kCsv, kJson };

// Parses "table", "csv" or "json".
Result<OutputFormat> ParseOutputFormat(std::string_view name);

// Renders a query result (a trailing newline included).
std::string FormatQueryResult(const QueryResult& result, OutputFormat format);

}  // namespace peerpulse::store

#endif  // PEERPULSE_STORE_STORE_H_
