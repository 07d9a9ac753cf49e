#include "peerpulse/pipeline/scheduler.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "peerpulse/classify/classifier.h"
#include "peerpulse/deid/deidentifier.h"
#include "peerpulse/pipeline/cron.h"
#include "peerpulse/pipeline/window.h"
#include "credentials.h"

namespace peerpulse {
namespace {

Status ConfigError(const Status& st) {
  if (st.ok() || st.code() == StatusCode::kInvalidConfig) return st;
  return Status::InvalidConfig(st.message());
}

}  // namespace

Result<std::vector<Job>> LoadScheduledJobs(const std::vector<std::string>& paths) {
  std::vector<Job> jobs;
  for (const std::string& p : paths) {
    std::error_code ec;
    if (std::filesystem::is_directory(p, ec)) {
      std::vector<std::string> files;
      for (const auto& e : std::filesystem::directory_iterator(p, ec)) {
        if (e.is_regular_file() && e.path().extension() == ".toml") files.push_back(e.path().string());
      }
      std::sort(files.begin(), files.end());
      for (const std::string& f : files) {
        auto job = LoadJobFile(f);
        if (!job.ok()) return job.status();
        if (job->schedule.empty()) {
          spdlog::info("{}: no [job] schedule; not scheduled", f);
          continue;
        }
        jobs.push_back(std::move(job).value());
      }
      continue;
    }
    auto job = LoadJobFile(p);
    if (!job.ok()) return job.status();
    if (job->schedule.empty()) return Status::InvalidConfig(p + ": no [job] schedule");
    jobs.push_back(std::move(job).value());
  }
  if (jobs.empty()) return Status::InvalidConfig("no scheduled job found");
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    for (std::size_t k = 0; k < i; ++k) {
      if (jobs[k].name == jobs[i].name) {
        return Status::InvalidConfig(jobs[i].path + ": job name '" + jobs[i].name + "' is also used by " + jobs[k].path);
      }
    }
  }
  return jobs;
}

Status CheckJob(const Job& job) {
  if (!job.schedule.empty()) {
    if (auto c = CronSchedule::Parse(job.schedule); !c.ok()) return Status::InvalidConfig(job.path + ": " + c.status().message());
  }
  if (auto p = deid::LoadPolicyFile(job.policy); !p.ok()) return ConfigError(p.status());
  if (auto t = classify::LoadClassifier(job.taxonomy); !t.ok()) return ConfigError(t.status());
  for (const SourceSpec& s : job.sources) {
    const std::string where = job.path + ":" + std::to_string(s.line) + ": source '" + s.name + "': ";
    if (s.type == "jsonl" && s.path != "-" && !std::filesystem::exists(s.path)) {
      return Status::InvalidConfig(where + s.path + " does not exist");
    }
    if (s.type == "reddit") {
      std::string id;
      std::string secret;
      const Status st = RedditCredentials(s, id, secret);
      WipeString(id);
      WipeString(secret);
      if (!st.ok()) return Status::InvalidConfig(where + st.message());
    }
  }
  return Status::Ok();
}

std::string FormatSchedulePlan(const std::vector<Job>& jobs, std::int64_t now, int count) {
  std::string out;
  for (const Job& job : jobs) {
    out += job.name + "  \"" + job.schedule + "\" (UTC)  " + job.path + "\n";
    auto c = CronSchedule::Parse(job.schedule);
    if (!c.ok()) {
      out += "  invalid schedule: " + c.status().message() + "\n";
      continue;
    }
    std::int64_t t = now;
    for (int i = 0; i < count; ++i) {
      t = c->NextAfter(t);
      if (t < 0) {
        out += "  (no further run)\n";
        break;
      }
      out += "  " + FormatTimestamp(t) + "\n";
    }
  }
  return out;
}

Status RunSchedule(const std::vector<Job>& jobs, const ScheduleOptions& options) {
  if (options.stop == nullptr) std::abort();  // a broken precondition
  const SystemClock system_clock;
  const Clock& clock = options.clock != nullptr ? *options.clock : system_clock;
  const auto sleep = [&](double seconds) {
    if (options.sleep) {
      options.sleep(seconds);
    } else {
      std::this_thread::sleep_for(std::chrono::duration<double>(std::min(seconds, 1.0)));
    }
  };
  std::vector<CronSchedule> crons;
  std::vector<std::int64_t> next;
  for (const Job& job : jobs) {
    auto c = CronSchedule::Parse(job.schedule);
    if (!c.ok()) return Status::InvalidConfig(job.path + ": " + c.status().message());
    next.push_back(c->NextAfter(clock.NowUnix()));
    crons.push_back(std::move(c).value());
    spdlog::info("schedule: job {} (\"{}\"), next run {}", job.name, job.schedule,
                 next.back() < 0 ? "never" : FormatTimestamp(next.back()));
  }
  std::int64_t runs = 0;
  while (!options.stop->load()) {
    std::size_t due = 0;
    for (std::size_t i = 1; i < jobs.size(); ++i) {
      if (next[i] >= 0 && (next[due] < 0 || next[i] < next[due])) due = i;
    }
    if (next[due] < 0) {
      spdlog::warn("schedule: no job has a further run; stopping");
      return Status::Ok();
    }
    const std::int64_t now = clock.NowUnix();
    if (next[due] > now) {
      sleep(static_cast<double>(next[due] - now));
      continue;
    }
    const Job& job = jobs[due];
    RunOptions ro;
    ro.clock = options.clock;
    ro.stop = options.stop;
    spdlog::info("schedule: running job {}", job.name);
    const Result<RunReport> report = RunJob(job, ro);
    if (!report.ok()) {
      spdlog::error("schedule: job {} failed: {}", job.name, report.status().ToString());
    } else if (report->locked) {
      spdlog::info("schedule: job {} skipped: another run holds its lock", job.name);
    } else {
      spdlog::info("schedule: job {} done: {} fetched, {} contributions, {} failed sources{}", job.name,
                   report->fetched, report->contributed, report->failed_sources,
                   report->interrupted ? ", interrupted" : "");
    }
    if (options.on_run) options.on_run(job, report);
    // The next slot after the run ended; slots that passed meanwhile are skipped.
    const std::int64_t after = std::max(next[due], clock.NowUnix());
    std::int64_t missed = 0;
    for (std::int64_t t = crons[due].NextAfter(next[due]); t >= 0 && t <= after && missed < 1000;
         t = crons[due].NextAfter(t)) {
      ++missed;
    }
    if (missed > 0) spdlog::warn("schedule: job {}: {} scheduled run(s) skipped while it ran", job.name, missed);
    next[due] = crons[due].NextAfter(after);
    if (options.max_runs >= 0 && ++runs >= options.max_runs) break;
  }
  spdlog::info("schedule: stopped");
  return Status::Ok();
}

}  // namespace peerpulse
