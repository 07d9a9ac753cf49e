// The job runner: wires Source -> Deidentifier -> Classifier -> Store for one
// run of a job, then releases the windows that have closed.
//
// Per batch: fetch up to batch_size RawPosts, de-identify each (RawPosts die
// here), classify the CleanPosts, and commit their contributions together with
// the source's cursor in one transaction. A crash loses at most the batches in
// flight; no cursor is advanced past them, and dedup keys make re-fetching
// idempotent.
//
// Threads: every source fetches on its own thread, a few batches ahead
// (crawler::SourceGroup; HTTP politeness is shared across them); one thread
// de-identifies and classifies batches as they arrive; each batch's commit
// runs on a helper thread while the next batch is de-identified (one commit
// in flight, in arrival order).
//
// Logs go through spdlog's default logger and carry counts, file:line
// locations and source names only.
#ifndef PEERPULSE_PIPELINE_RUNNER_H_
#define PEERPULSE_PIPELINE_RUNNER_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <cstddef>
#include <string>
#include <vector>

#include "peerpulse/pipeline/clock.h"
#include "peerpulse/pipeline/job.h"
#include "peerpulse/pipeline/status.h"

namespace peerpulse {

struct RunOptions {
  const Clock* clock = nullptr;   // nullptr: the system clock
  std::string store_override;     // non-empty: use this store directory instead of the job's
  bool release = true;            // release closed windows after ingesting
  // Set (e.g. from a SIGTERM handler) to stop early: the batch being
  // processed is finished and committed, the sources' fetches in flight end,
  // nothing is released, and the run is reported as interrupted.
  const std::atomic<bool>* stop = nullptr;
};

struct SourceReport {
  std::string name;
  std::size_t fetched = 0;
  std::size_t record_errors = 0;
  std::size_t skipped = 0;   // deleted, removed, reposts, other events
  std::string error;   // why the source stopped early (names a host or file, never content); "" if it did not
};

// Per-host HTTP counts of the run (no paths, no content).
struct HostReport {
  std::string host;
  std::int64_t requests = 0;
  std::int64_t retries = 0;
  std::int64_t failures = 0;
  std::int64_t robots_denied = 0;
  std::int64_t bytes = 0;
  double waited_seconds = 0;
  std::string last_error;
};

struct ReleaseReport {
  std::string window;
  std::size_t cells_released = 0;
  std::size_t cells_withheld = 0;
  std::size_t marginals_released = 0;
  std::size_t marginals_withheld = 0;
};

struct RunReport {
  std::string job;
  bool locked = false;        // another run of this job holds its lock: nothing was done
  bool interrupted = false;   // stopped early by RunOptions::stop (committed batches stand)
  std::int64_t started_at = 0;
  std::int64_t ended_at = 0;
  std::string policy_hash;
  std::string taxonomy_hash;   // classify::Classifier::content_hash(): the taxonomy, and its model if any
  std::size_t fetched = 0;
  std::size_t deidentified = 0;
  std::size_t dropped = 0;
  std::vector<std::pair<std::string, std::size_t>> dropped_by_reason;  // non-zero reasons only
  std::size_t classified = 0;     // posts with at least one condition
  std::size_t unclassified = 0;
  std::size_t contributed = 0;
  std::size_t duplicates = 0;
  std::size_t late = 0;
  std::size_t record_errors = 0;
  std::size_t skipped = 0;          // records the sources passed over on purpose
  std::size_t failed_sources = 0;   // sources that stopped with an error (the others still ran)
  std::vector<SourceReport> sources;
  std::vector<HostReport> hosts;
  std::vector<ReleaseReport> releases;
};

// Runs `job` once, holding the job's lock (an flock on STORE/job-NAME.lock
// that dies with the process): if another run holds it, returns at once with
// report.locked set. A source that fails (host down after retries, robots.txt
// refusal, unreadable file, a feed the server disabled) stops with an error in
// its SourceReport and the run goes on with the next source; such a run
// returns its report with failed_sources > 0 (the CLI exits 1). Errors:
// InvalidConfig when the policy or taxonomy is missing or invalid (nothing is
// ingested); store failures (IoError, DataLoss, Unavailable when the store is
// locked for too long), which stop the run. Counts of what was committed
// before an error stay committed.
Result<RunReport> RunJob(const Job& job, const RunOptions& options);

// Releases the closed windows of the job's store without ingesting, under the
// release settings of the job's policy.
Result<std::vector<ReleaseReport>> ReleaseJob(const Job& job, const RunOptions& options);

// A human-readable summary with counts only.
std::string FormatRunReport(const RunReport& report);

// The report in Prometheus text exposition format (counts, labels job,
// source and host only), for a node-exporter textfile collector.
std::string FormatMetrics(const RunReport& report);
// One line: "released 2026-W03: 9 cells and 4 marginals (...)".
std::string FormatReleaseReport(const ReleaseReport& report);

}  // namespace peerpulse

#endif  // PEERPULSE_PIPELINE_RUNNER_H_
