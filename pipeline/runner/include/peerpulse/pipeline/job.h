// Job files: what one scheduled ingestion does (README "Job files").
#ifndef PEERPULSE_PIPELINE_JOB_H_
#define PEERPULSE_PIPELINE_JOB_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "peerpulse/pipeline/status.h"

namespace peerpulse {

struct SourceSpec {
  std::string name;        // unique in the job; keys the cursor
  std::string type;        // jsonl, mastodon, reddit, discourse, bluesky, feed
  std::string path;        // jsonl: the file, absolute or relative to the job file; "-" = standard input
  std::string format = "peerpulse";  // jsonl: peerpulse, mastodon, reddit, bluesky, jetstream (records per line)
  std::string community;   // default community for records that give none
  std::size_t batch_size = 500;  // posts per committed batch
  // HTTP sources.
  std::string url;         // mastodon/discourse: instance or forum origin; bluesky: AppView origin
                           // (default https://public.api.bsky.app); reddit: API origin (default
                           // https://oauth.reddit.com); feed: the feed URL
  std::string tag;         // mastodon: hashtag without '#'
  std::string subreddit;   // reddit: without "r/"
  std::string category;    // discourse: "slug/id" to follow one category ("" = the whole forum's /posts.json)
  std::vector<std::string> actors;  // bluesky: handles or DIDs
  std::string auth_url;    // reddit: token endpoint (default https://www.reddit.com/api/v1/access_token)
  std::string secrets_file;  // reddit: TOML with [reddit] client_id, client_secret (mode 0600), relative to the job
  std::int64_t max_pages = 20;   // pages per run
  std::int64_t page_size = 0;    // 0: the API's maximum
  double delay_seconds = -1;     // minimum seconds between requests to this source's host (-1: the job's)
  int line = 0;
};

// How the job's HTTP sources fetch ([http] table; defaults shown).
struct HttpSettings {
  std::string contact;              // required with any HTTP source: a URL or mailto: for site operators
  std::string user_agent;           // default "peerpulse/VERSION (+CONTACT)"
  double min_delay_seconds = 1.0;   // per host, from the end of a request to the start of the next
  std::int64_t max_concurrency = 4; // requests in flight at once, over all hosts (one per host)
  double max_crawl_delay_seconds = 60;  // cap on robots.txt Crawl-delay
  std::int64_t max_attempts = 5;
  double backoff_base_seconds = 1.0;
  double connect_timeout_seconds = 10;
  double timeout_seconds = 60;
  std::int64_t max_body_bytes = 16 << 20;
  std::string ca_file;              // extra CA bundle (relative to the job), for private forums
};

struct Job {
  std::string path;        // the job file
  std::string name;
  std::string policy;      // resolved paths (relative ones are taken from the job file's folder)
  std::string taxonomy;
  std::string store;
  std::string schedule;    // 5-field cron or @hourly/@daily/... in UTC ("" = not for `peerpulse schedule`)
  std::string metrics_file;  // Prometheus text file rewritten after every run ("" = none), relative to the job
  // Release settings (min_authors, epsilon, ...) are the policy's, not the job's.
  std::vector<SourceSpec> sources;
  HttpSettings http;
  bool HasHttpSources() const;
};

// Parses a job. Errors: InvalidConfig with FILE:LINE:COLUMN. A missing job
// file is also InvalidConfig (CLI exit code 3).
Result<Job> ParseJob(std::string_view text, const std::string& path);
Result<Job> LoadJobFile(const std::string& path);

}  // namespace peerpulse

#endif  // PEERPULSE_PIPELINE_JOB_H_
