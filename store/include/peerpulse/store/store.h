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
  int min_authors = 11;           // cells below this many distinct authors are never released (>= 11)
  int max_cells_per_author = 2;   // L0: an author counts in at most this many cells per table and window
  double epsilon = 1.0;           // per table and window; a window releases two tables
  double delta = 1e-6;            // per table and window
  double epsilon_cap = 104.0;     // the ledger refuses a release that would spend more in total
  double delta_cap = 1e-4;
  std::int64_t grace_seconds = 2 * 86400;  // a window is released this long after it ends
  std::string policy_hash;        // recorded with the release
  std::string taxonomy_hash;      // recorded with the release (covers the model, if any)
};

struct WindowRelease {
  std::string window;
  std::size_t cells_released = 0;
  std::size_t cells_withheld = 0;       // below min_authors, or not above the noisy threshold
  std::size_t marginals_released = 0;
  std::size_t marginals_withheld = 0;
  std::size_t authors_bounded = 0;      // authors whose cells were cut to max_cells_per_author
  std::int64_t min_noisy_value = 0;     // the threshold in effect
};

// One row of the privacy ledger.
struct LedgerEntry {
  std::int64_t release_id = 0;
  std::string window;
  std::string table;              // "cells" or "marginals"
  std::int64_t released_at = 0;   // Unix seconds
  std::int64_t epsilon_micros = 0;
  std::int64_t delta_picos = 0;
  std::size_t released = 0;
  std::size_t withheld = 0;
  std::string policy_hash;
};

struct RunSourceRecord {
  std::string source;             // the job's source name
  std::size_t fetched = 0;
  std::size_t record_errors = 0;
  std::size_t skipped = 0;        // deleted, removed, reposts
  bool failed = false;            // the source stopped with an error (its message is logged, not stored)
};

struct RunRecord {
  std::int64_t run_id = 0;        // set by Runs(); ignored by RecordRun()
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
  std::string outcome;            // "ok", "failed" or "interrupted" (stopped by a signal after committing)
  std::vector<RunSourceRecord> sources;
};

// Grouping dimensions a query may use.
inline constexpr std::string_view kDimensions[] = {"window", "community", "condition", "need", "experiencer"};

enum class QueryTable {
  kAuto,       // marginals when the question only involves window, condition and need; else cells
  kCells,      // sums of released cells
  kMarginals,  // released marginals (distinct authors across communities and experiencers)
};

struct QueryOptions {
  QueryTable table = QueryTable::kAuto;
  std::vector<std::string> by;    // subset of kDimensions; empty = all five (the cells themselves)
  std::string since;              // first window, inclusive ("2026-W01"); empty = no bound
  std::string until;              // last window, inclusive; empty = no bound
  std::string community;          // filters; empty = any
  std::string condition;
  std::string need;
  std::string experiencer;
};

struct QueryResult {
  std::string table;                           // "cells" or "marginals": what answered
  // The grouping columns, then "authors" (sum of released noisy values),
  // "cells" (how many released values were summed) and "margin95" (the 95%
  // margin of error: exact for one value; for a sum, the root of the sum of
  // squared margins, a normal approximation).
  std::vector<std::string> columns;
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

  // Releases every staged window whose end + grace_seconds <= now_unix, oldest
  // first, each in its own transaction:
  //  - exact distinct-author counts per cell and per marginal (condition x
  //    need), in memory, each author bounded to max_cells_per_author of each;
  //  - each count below min_authors is withheld; the others get independent
  //    secure discrete Laplace noise and are released only above the threshold
  //    T (noise.h); released values are stored with their 95% interval;
  //  - the ledger is charged epsilon and delta per table (rounded up), and the
  //    release is refused with FailedPrecondition if that would exceed the caps;
  //  - the window is marked released, its staging rows are deleted
  //    (secure_delete) and its key is destroyed.
  // A window is released once: later calls, from any process, skip it; of
  // concurrent attempts exactly one releases. Windows released before an
  // error stay released.
  Result<std::vector<WindowRelease>> ReleaseClosedWindows(std::int64_t now_unix, const ReleaseOptions& options);

  // Released values grouped as asked. The same question always gets the same answer.
  Result<QueryResult> Query(const QueryOptions& options);

  // The privacy ledger, oldest first.
  Result<std::vector<LedgerEntry>> Ledger();

  // Appends to the run ledger (counts only).
  Status RecordRun(const RunRecord& run);

  // The newest `limit` runs of the run ledger, oldest first.
  Result<std::vector<RunRecord>> Runs(std::size_t limit);

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

// Renders the run ledger: one row per run, times as RFC 3339 UTC.
std::string FormatRuns(const std::vector<RunRecord>& runs, OutputFormat format);

// Renders the ledger: one row per release with its epsilon and delta, then
// the totals spent (and the caps, when given as >= 0).
std::string FormatLedger(const std::vector<LedgerEntry>& entries, double epsilon_cap, double delta_cap,
                         OutputFormat format);

}  // namespace peerpulse::store

#endif  // PEERPULSE_STORE_STORE_H_
