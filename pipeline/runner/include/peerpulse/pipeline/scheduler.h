// The scheduler behind `peerpulse schedule`: runs jobs when their cron
// schedule says, as a long-running service (systemd, a container).
//
// - Each job runs under its own lock (RunJob), so a job never overlaps
//   itself, whether the other run is this scheduler's or a cron `ingest`; a
//   run that finds the lock held is skipped and logged.
// - Jobs run one at a time, in order of their due time. A run that takes
//   longer than its interval does not queue missed runs: the next run is the
//   first slot after it ends (the skipped slots are logged).
// - When `stop` is set (SIGTERM, SIGINT), the run in progress finishes its
//   current batch, commits and ends; then the scheduler returns.
// - A failing run is logged and the scheduler goes on; only configuration
//   errors found before the first run are returned.
#ifndef PEERPULSE_PIPELINE_SCHEDULER_H_
#define PEERPULSE_PIPELINE_SCHEDULER_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "peerpulse/pipeline/clock.h"
#include "peerpulse/pipeline/job.h"
#include "peerpulse/pipeline/runner.h"
#include "peerpulse/pipeline/status.h"

namespace peerpulse {

// Job files from `paths`: files, and directories whose *.toml job files have
// a schedule (others there are skipped with a log line). Errors:
// InvalidConfig for a file that does not load, or a named file without a
// schedule, or no job at all.
Result<std::vector<Job>> LoadScheduledJobs(const std::vector<std::string>& paths);

// Checks a job beyond its syntax: its policy and taxonomy load, its schedule
// parses, its sources' files and Reddit credentials are there. Errors:
// InvalidConfig naming the file (and line where there is one).
Status CheckJob(const Job& job);

// "JOB  SCHEDULE  next: T1, T2, ..." per job, `count` runs after `now`.
std::string FormatSchedulePlan(const std::vector<Job>& jobs, std::int64_t now, int count);

struct ScheduleOptions {
  const std::atomic<bool>* stop = nullptr;       // set to end the service (required)
  const Clock* clock = nullptr;                  // nullptr: the system clock
  std::function<void(double seconds)> sleep;     // empty: really sleep (in steps of at most 1 s)
  std::int64_t max_runs = -1;                    // return after this many runs (tests); -1: until stopped
  // Called after every run (tests, metrics); may be empty.
  std::function<void(const Job&, const Result<RunReport>&)> on_run;
};

// Runs `jobs` on their schedules until options.stop is set. Errors:
// InvalidConfig when a job has no valid schedule.
Status RunSchedule(const std::vector<Job>& jobs, const ScheduleOptions& options);

}  // namespace peerpulse

#endif  // PEERPULSE_PIPELINE_SCHEDULER_H_
