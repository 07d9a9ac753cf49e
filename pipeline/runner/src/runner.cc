#include "peerpulse/pipeline/runner.h"

#include <spdlog/spdlog.h>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <future>
#include <map>
#include <optional>
#include <system_error>
#include <utility>

#include "peerpulse/classify/classifier.h"
#include "peerpulse/crawler/http_sources.h"
#include "peerpulse/crawler/jsonl_source.h"
#include "peerpulse/crawler/source_group.h"
#include "peerpulse/deid/deidentifier.h"
#include "peerpulse/pipeline/json.h"
#include "peerpulse/pipeline/toml_reader.h"
#include "peerpulse/store/store.h"
#include "credentials.h"

namespace peerpulse {
namespace {

// Progress of a long source: a self-overwriting line on a terminal, an info
// log line every 10 s otherwise. Counts only.
class Progress {
 public:
  explicit Progress(std::string source) : source_(std::move(source)), tty_(::isatty(2) == 1), last_(Now()) {}
  void Update(std::size_t fetched, std::size_t deidentified, std::size_t contributed) {
    const double now = Now();
    if (now - last_ < (tty_ ? 0.25 : 10.0)) return;
    last_ = now;
    if (tty_) {
      std::fprintf(stderr, "\r%s: %zu fetched, %zu de-identified, %zu contributions   ", source_.c_str(), fetched,
                   deidentified, contributed);
      shown_ = true;
    } else {
      spdlog::info("progress source={} fetched={} deidentified={} contributions={}", source_, fetched, deidentified,
                   contributed);
    }
  }
  void Done() {
    if (shown_) std::fputs("\n", stderr);
  }

 private:
  static double Now() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
  }
  std::string source_;
  bool tty_;
  double last_;
  bool shown_ = false;
};

// The per-job lock: an flock that the kernel drops when the process dies, so
// a crashed run never leaves a stale lock behind.
class JobLock {
 public:
  static Result<JobLock> Acquire(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return Status::IoError(path + ": " + std::strerror(errno));
    JobLock lock(fd);
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      if (errno == EWOULDBLOCK) return lock;  // not held
      return Status::IoError(path + ": flock: " + std::strerror(errno));
    }
    lock.held_ = true;
    return lock;
  }
  JobLock(JobLock&& o) noexcept : fd_(std::exchange(o.fd_, -1)), held_(o.held_) {}
  JobLock& operator=(JobLock&&) = delete;
  ~JobLock() {
    if (fd_ >= 0) ::close(fd_);  // releases the flock
  }
  bool held() const { return held_; }

 private:
  explicit JobLock(int fd) : fd_(fd) {}
  int fd_;
  bool held_ = false;
};

// A job name as a file name: its characters (a-z 0-9 _.:/#-) minus '/'.
std::string SafeFileName(std::string name) {
  for (char& c : name) {
    if (c == '/') c = '_';
  }
  return name;
}

// Missing or invalid configuration is one class of error for callers (exit 3).
Status AsConfigError(const Status& st) {
  if (st.ok() || st.code() == StatusCode::kInvalidConfig) return st;
  if (st.code() == StatusCode::kNotFound || st.code() == StatusCode::kIoError) {
    return Status::InvalidConfig(st.message());
  }
  return st;
}

store::ReleaseOptions ReleaseOptionsOf(const deid::ReleaseSettings& s, const std::string& policy_hash,
                                       const std::string& taxonomy_hash) {
  store::ReleaseOptions r;
  r.min_authors = s.min_authors;
  r.max_cells_per_author = s.max_cells_per_author;
  r.epsilon = s.epsilon;
  r.delta = s.delta;
  r.epsilon_cap = s.epsilon_cap;
  r.delta_cap = s.delta_cap;
  r.grace_seconds = static_cast<std::int64_t>(s.grace_days) * 86400;
  r.policy_hash = policy_hash;
  r.taxonomy_hash = taxonomy_hash;
  return r;
}

Result<std::vector<ReleaseReport>> Release(store::Store& st, const deid::Policy& policy, std::int64_t now,
                                           const std::string& taxonomy_hash) {
  PEERPULSE_ASSIGN_OR_RETURN(auto released, st.ReleaseClosedWindows(now, ReleaseOptionsOf(policy.release,
                                                                                          policy.content_hash,
                                                                                          taxonomy_hash)));
  std::vector<ReleaseReport> out;
  for (const auto& r : released) {
    spdlog::info("released window {}: {} cells and {} marginals above the noisy threshold {}, {} and {} withheld, "
                 "{} authors bounded",
                 r.window, r.cells_released, r.marginals_released, r.min_noisy_value, r.cells_withheld,
                 r.marginals_withheld, r.authors_bounded);
    out.push_back(ReleaseReport{r.window, r.cells_released, r.cells_withheld, r.marginals_released,
                                r.marginals_withheld});
  }
  return out;
}

// What a run needs before it fetches anything: the policy, the classifier
// (taxonomy and model) and the store. Nothing is fetched under a policy that
// does not load.
struct Loaded {
  deid::Policy policy;
  std::unique_ptr<classify::Classifier> classifier;
  std::unique_ptr<store::Store> store;
};

Result<Loaded> Load(const Job& job, const RunOptions& options) {
  auto policy = deid::LoadPolicyFile(job.policy);
  if (!policy.ok()) return AsConfigError(policy.status());
  auto classifier = classify::LoadClassifier(job.taxonomy);
  if (!classifier.ok()) return AsConfigError(classifier.status());
  store::StoreOptions so;
  so.dir = options.store_override.empty() ? job.store : options.store_override;
  PEERPULSE_ASSIGN_OR_RETURN(auto st, store::Store::Open(so));
  return Loaded{std::move(policy).value(), std::move(classifier).value(), std::move(st)};
}

// The HTTP side of a run: one polite fetcher (with max_concurrency
// transports) shared by all HTTP sources of the job, so that per-host
// politeness and the global limit hold across sources.
struct Http {
  std::unique_ptr<crawler::PoliteFetcher> fetcher;
};

Result<Http> MakeHttp(const Job& job) {
  const HttpSettings& h = job.http;
  crawler::CurlOptions co;
  co.user_agent = h.user_agent.empty() ? "peerpulse/0.1 (+" + h.contact + ")" : h.user_agent + " (+" + h.contact + ")";
  co.connect_timeout_ms = static_cast<long>(h.connect_timeout_seconds * 1000);
  co.total_timeout_ms = static_cast<long>(h.timeout_seconds * 1000);
  co.max_body_bytes = static_cast<std::size_t>(h.max_body_bytes);
  co.ca_file = h.ca_file;
  std::vector<std::unique_ptr<crawler::HttpTransport>> transports;
  for (std::int64_t i = 0; i < h.max_concurrency; ++i) {
    PEERPULSE_ASSIGN_OR_RETURN(auto transport, crawler::MakeCurlTransport(co));
    transports.push_back(std::move(transport));
  }
  crawler::PolitenessOptions po;
  po.min_delay_seconds = h.min_delay_seconds;
  po.max_crawl_delay_seconds = h.max_crawl_delay_seconds;
  po.max_attempts = static_cast<int>(h.max_attempts);
  po.backoff_base_seconds = h.backoff_base_seconds;
  for (const SourceSpec& s : job.sources) {
    if (s.delay_seconds < 0) continue;
    const std::string url = s.type == "reddit"     ? (s.url.empty() ? "https://oauth.reddit.com" : s.url)
                            : s.type == "bluesky" ? (s.url.empty() ? "https://public.api.bsky.app" : s.url)
                                                  : s.url;
    po.host_delay[crawler::HostOf(url)] = s.delay_seconds;
  }
  Http http;
  http.fetcher = std::make_unique<crawler::PoliteFetcher>(std::move(transports), po);
  return http;
}

Result<std::unique_ptr<crawler::Source>> OpenSource(const SourceSpec& spec, const std::string& cursor, Http* http) {
  if (spec.type == "jsonl") {
    crawler::JsonlSourceOptions o;
    o.format = spec.format == "jetstream" ? crawler::JsonlFormat::kJetstream
               : spec.format == "mastodon" ? crawler::JsonlFormat::kMastodon
               : spec.format == "reddit"   ? crawler::JsonlFormat::kReddit
               : spec.format == "bluesky"  ? crawler::JsonlFormat::kBluesky
                                           : crawler::JsonlFormat::kPeerpulse;
    o.name = spec.name;
    o.path = spec.path;
    o.default_community = spec.community;
    PEERPULSE_ASSIGN_OR_RETURN(auto src, crawler::JsonlSource::Open(std::move(o), cursor));
    return std::unique_ptr<crawler::Source>(std::move(src));
  }
  if (http == nullptr) return Status::Internal("HTTP source without a fetcher");
  crawler::HttpSourceOptions o;
  o.name = spec.name;
  o.type = spec.type;
  o.community = spec.community;
  o.base_url = spec.url;
  if (o.base_url.empty() && spec.type == "reddit") o.base_url = "https://oauth.reddit.com";
  if (o.base_url.empty() && spec.type == "bluesky") o.base_url = "https://public.api.bsky.app";
  o.tag = spec.tag;
  o.subreddit = spec.subreddit;
  o.category = spec.category;
  o.actors = spec.actors;
  if (!spec.auth_url.empty()) o.auth_url = spec.auth_url;
  o.max_pages = static_cast<int>(spec.max_pages);
  o.page_size = static_cast<int>(spec.page_size);
  if (spec.type == "reddit") PEERPULSE_RETURN_IF_ERROR(RedditCredentials(spec, o.client_id, o.client_secret));
  auto src = crawler::MakeHttpSource(std::move(o), *http->fetcher, cursor);
  return src;
}

// The consumer side of a run: de-identify, classify and commit batches as
// the sources deliver them. Only store failures are errors (they stop the run).
class Ingest {
 public:
  Ingest(store::Store& st, const deid::Deidentifier& deid, const classify::Classifier& classifier, RunReport& report)
      : st_(st), deid_(deid), classifier_(classifier), report_(report) {}

  Status Batch(const SourceSpec& spec, crawler::SourceBatch& batch, SourceReport& sr) {
    for (const auto& e : batch.record_errors) spdlog::warn("source {}: {}", spec.name, e);
    sr.record_errors += batch.record_errors.size();
    sr.fetched += batch.posts.size();
    report_.fetched += batch.posts.size();
    report_.record_errors += batch.record_errors.size();
    sr.skipped += batch.skipped;
    report_.skipped += batch.skipped;

    std::vector<store::PostContribution> contributions;
    contributions.reserve(batch.posts.size());
    std::size_t late = 0;
    for (RawPost& raw : batch.posts) {
      const Window window = WindowOf(raw.created_at);
      auto it = released_.find(window.Name());
      if (it == released_.end()) {
        auto r = st_.IsReleased(window);
        if (!r.ok()) return r.status().WithContext("source " + spec.name);
        it = released_.emplace(window.Name(), *r).first;
      }
      if (it->second) {
        ++late;  // the window is published and its key destroyed: too late to count
        continue;
      }
      auto processed = deid_.Process(std::move(raw), st_.pseudonymizer());
      if (!processed.ok()) return processed.status().WithContext("source " + spec.name);
      deid::DeidOutcome outcome = std::move(processed).value();
      if (!outcome.post.has_value()) {
        ++drops_[static_cast<std::size_t>(outcome.dropped)];
        ++report_.dropped;
        continue;
      }
      ++report_.deidentified;
      const CleanPost& clean = *outcome.post;
      const Labels labels = classifier_.Classify(clean);
      if (labels.conditions.empty()) {
        ++report_.unclassified;
      } else {
        ++report_.classified;
      }
      contributions.push_back(store::PostContribution{clean.window(), clean.dedup_key(), clean.author_pseudonym(),
                                                      CellsFor(clean.window(), clean.community(), labels)});
    }
    batch.posts.clear();  // wipes the RawPosts that were skipped as late
    // Commit in the background while the next batch is de-identified: one
    // commit in flight at a time, in order, each with its own cursor.
    PEERPULSE_RETURN_IF_ERROR(Flush());
    report_.late += late;
    try {
      pending_ = std::async(std::launch::async,
                            [this, name = spec.name, cursor = std::move(batch.cursor), c = std::move(contributions)] {
                              return st_.CommitBatch(name, cursor, c);
                            });
    } catch (const std::system_error& e) {  // no thread to be had
      return Status::Internal("source " + spec.name + ": cannot start the commit thread: " + e.what());
    }
    pending_source_ = spec.name;
    return Status::Ok();
  }

  // Waits for the commit in flight, if any, and counts what it stored.
  Status Flush() {
    if (!pending_.valid()) return Status::Ok();
    Result<store::BatchResult> done = pending_.get();
    if (!done.ok()) return done.status().WithContext("source " + pending_source_);
    const store::BatchResult& res = *done;
    report_.contributed += res.contributions;
    report_.duplicates += res.duplicates;
    report_.late += res.late;
    spdlog::debug("source {}: committed batch: {} new posts, {} duplicates, {} contributions", pending_source_,
                  res.accepted, res.duplicates, res.contributions);
    return Status::Ok();
  }

  void FillDropReasons() {
    for (std::size_t i = 1; i < drops_.size(); ++i) {
      if (drops_[i] > 0) {
        report_.dropped_by_reason.emplace_back(deid::DropReasonName(static_cast<deid::DropReason>(i)), drops_[i]);
      }
    }
  }

 private:
  store::Store& st_;
  const deid::Deidentifier& deid_;
  const classify::Classifier& classifier_;
  RunReport& report_;
  std::map<std::string, bool> released_;
  std::array<std::size_t, deid::kDropReasonCount> drops_{};
  std::future<Result<store::BatchResult>> pending_;  // joined by Flush() or, at worst, by its destructor
  std::string pending_source_;
};

void LogSourceEnd(const SourceReport& sr) {
  if (sr.error.empty()) {
    spdlog::info("source {}: fetched {} posts, {} bad records", sr.name, sr.fetched, sr.record_errors);
  } else {
    spdlog::error("source {}: stopped after {} posts: {}", sr.name, sr.fetched, sr.error);
  }
}

// Opens every source and ingests their batches as they arrive (the sources
// fetch concurrently, see crawler::SourceGroup). Source failures end up in
// their SourceReport; a store failure is returned and stops the run.
Status IngestAll(const Job& job, store::Store& st, Ingest& ingest, RunReport& report, Http* http,
                 const std::atomic<bool>* stop) {
  std::vector<crawler::SourceGroup::Member> members;
  std::vector<std::size_t> spec_of;  // member -> index into job.sources and report.sources
  for (std::size_t i = 0; i < job.sources.size(); ++i) {
    const SourceSpec& spec = job.sources[i];
    report.sources.push_back(SourceReport{spec.name, 0, 0, 0, ""});
    PEERPULSE_ASSIGN_OR_RETURN(const std::string cursor, st.Cursor(spec.name));
    auto opened = OpenSource(spec, cursor, http);
    if (!opened.ok()) {
      report.sources.back().error = opened.status().ToString();
      spdlog::error("source {}: cannot start: {}", spec.name, report.sources.back().error);
      continue;
    }
    members.push_back(crawler::SourceGroup::Member{std::move(opened).value(), spec.batch_size});
    spec_of.push_back(i);
  }
  crawler::SourceGroup group(std::move(members));
  Progress progress(job.name);
  while (auto item = group.Next()) {
    const std::size_t i = spec_of[item->member];
    SourceReport& sr = report.sources[i];
    if (!item->batch.ok()) {
      sr.error = item->batch.status().ToString();
    } else {
      const Status s = ingest.Batch(job.sources[i], *item->batch, sr);
      if (!s.ok()) return s;  // Batch names the source (of the failed commit, which may be an earlier one)
      progress.Update(report.fetched, report.deidentified, report.contributed);
    }
    if (item->last) LogSourceEnd(sr);
    if (stop != nullptr && stop->load()) {
      report.interrupted = true;  // the group's destructor waits for the fetches in flight
      break;
    }
  }
  progress.Done();
  return ingest.Flush();
}

}  // namespace

Result<RunReport> RunJob(const Job& job, const RunOptions& options) {
  const SystemClock system_clock;
  const Clock& clock = options.clock != nullptr ? *options.clock : system_clock;
  const std::int64_t started = clock.NowUnix();

  PEERPULSE_ASSIGN_OR_RETURN(Loaded loaded, Load(job, options));
  RunReport report;
  report.job = job.name;
  report.started_at = started;
  const std::string store_dir = options.store_override.empty() ? job.store : options.store_override;
  PEERPULSE_ASSIGN_OR_RETURN(JobLock lock, JobLock::Acquire(store_dir + "/job-" + SafeFileName(job.name) + ".lock"));
  if (!lock.held()) {
    spdlog::info("job {}: another run holds its lock; skipped", job.name);
    report.locked = true;
    report.ended_at = clock.NowUnix();
    return report;
  }
  report.policy_hash = loaded.policy.content_hash;
  report.taxonomy_hash = loaded.classifier->content_hash();
  // The run's clock decides which years of birth say someone is 90 or older.
  deid::DeidOptions deid_options;
  deid_options.now_unix = started;
  PEERPULSE_ASSIGN_OR_RETURN(auto deid, deid::Deidentifier::Create(std::move(loaded.policy), deid_options));
  std::unique_ptr<classify::Classifier> classifier = std::move(loaded.classifier);
  std::unique_ptr<store::Store> st = std::move(loaded.store);
  spdlog::info("job {}: policy {} ({}), taxonomy {}", job.name, deid->policy().name,
               report.policy_hash.substr(0, 12), report.taxonomy_hash.substr(0, 12));

  std::optional<Http> http;
  if (job.HasHttpSources()) {
    auto made = MakeHttp(job);
    if (!made.ok()) return made.status();
    http.emplace(std::move(made).value());
  }
  Ingest ingest(*st, *deid, *classifier, report);
  Status status = IngestAll(job, *st, ingest, report, http ? &*http : nullptr, options.stop);
  const Status flushed = ingest.Flush();  // after an error too: nothing may still be committing below
  if (status.ok()) status = flushed;
  for (const SourceReport& sr : report.sources) report.failed_sources += sr.error.empty() ? 0u : 1u;
  ingest.FillDropReasons();
  if (http) {
    for (const auto& [host, hs] : http->fetcher->stats()) {
      report.hosts.push_back(HostReport{host, hs.requests, hs.retries, hs.failures, hs.robots_denied, hs.bytes,
                                        hs.waited_seconds, hs.last_error});
    }
  }
  if (report.interrupted) spdlog::warn("job {}: interrupted; committed batches stand, nothing released", job.name);
  if (status.ok() && options.release && !report.interrupted) {
    auto released = Release(*st, deid->policy(), clock.NowUnix(), report.taxonomy_hash);
    if (released.ok()) {
      report.releases = std::move(released).value();
    } else {
      status = released.status();
    }
  }

  store::RunRecord rec;
  rec.job = job.name;
  rec.policy_hash = report.policy_hash;
  rec.taxonomy_hash = report.taxonomy_hash;
  rec.started_at = started;
  rec.ended_at = clock.NowUnix();
  rec.fetched = report.fetched;
  rec.deidentified = report.deidentified;
  rec.dropped = report.dropped;
  rec.classified = report.classified;
  rec.contributed = report.contributed;
  rec.duplicates = report.duplicates;
  rec.late = report.late;
  rec.record_errors = report.record_errors;
  for (const SourceReport& s : report.sources) {
    rec.sources.push_back(store::RunSourceRecord{s.name, s.fetched, s.record_errors, s.skipped, !s.error.empty()});
  }
  // A run in which any source failed is "failed" (the CLI exits 1), though the
  // other sources' committed batches stand.
  // A run stopped by a signal after committing is "interrupted" (a failure
  // wins over it).
  rec.outcome = !status.ok() || report.failed_sources > 0 ? "failed" : report.interrupted ? "interrupted" : "ok";
  report.ended_at = rec.ended_at;
  const Status recorded = st->RecordRun(rec);
  if (!job.metrics_file.empty()) {
    const Status written = WriteFileAtomically(job.metrics_file, FormatMetrics(report));
    if (!written.ok()) spdlog::error("job {}: metrics file: {}", job.name, written.message());
  }
  if (!status.ok()) return status;
  if (!recorded.ok()) return recorded;
  return report;
}

Result<std::vector<ReleaseReport>> ReleaseJob(const Job& job, const RunOptions& options) {
  const SystemClock system_clock;
  const Clock& clock = options.clock != nullptr ? *options.clock : system_clock;
  PEERPULSE_ASSIGN_OR_RETURN(Loaded loaded, Load(job, options));
  return Release(*loaded.store, loaded.policy, clock.NowUnix(), loaded.classifier->content_hash());
}

std::string FormatRunReport(const RunReport& r) {
  if (r.locked) return "job " + r.job + ": skipped, another run of it holds its lock\n";
  std::string out = "job " + r.job + " (policy " + r.policy_hash.substr(0, 12) + ", taxonomy " +
                    r.taxonomy_hash.substr(0, 12) + ")\n";
  const auto line = [&out](const std::string& k, std::size_t v) { out += "  " + k + ": " + std::to_string(v) + "\n"; };
  if (r.interrupted) out += "  INTERRUPTED: stopped by a signal; committed batches stand, nothing was released\n";
  line("fetched", r.fetched);
  line("bad records", r.record_errors);
  line("skipped (deleted, removed, reposts)", r.skipped);
  line("de-identified", r.deidentified);
  line("dropped by de-identification", r.dropped);
  for (const auto& [reason, n] : r.dropped_by_reason) line("  " + reason, n);
  line("classified", r.classified);
  line("no condition", r.unclassified);
  line("duplicates (already staged)", r.duplicates);
  line("late (window already released)", r.late);
  line("contributions staged", r.contributed);
  for (const auto& s : r.sources) {
    out += "  source " + s.name + ": fetched " + std::to_string(s.fetched) + ", bad records " +
           std::to_string(s.record_errors) + ", skipped " + std::to_string(s.skipped) + (s.error.empty() ? "" : ", FAILED: " + s.error) + "\n";
  }
  for (const auto& h : r.hosts) {
    char waited[32];
    std::snprintf(waited, sizeof waited, "%.1f", h.waited_seconds);
    out += "  host " + h.host + ": " + std::to_string(h.requests) + " requests, " + std::to_string(h.retries) +
           " retries, " + std::to_string(h.failures) + " failures, " + std::to_string(h.robots_denied) +
           " refused by robots.txt, " + std::to_string(h.bytes) + " bytes, waited " + waited + " s" +
           (h.last_error.empty() ? "" : "; last error: " + h.last_error) + "\n";
  }
  for (const auto& rel : r.releases) out += "  " + FormatReleaseReport(rel) + "\n";
  return out;
}

std::string FormatMetrics(const RunReport& r) {
  std::string out;
  const std::string job = "job=" + JsonQuote(r.job);  // label values use JSON string escapes, as Prometheus does
  const auto gauge = [&out](const std::string& name, const std::string& help, const std::string& labels,
                            const std::string& value, bool header) {
    if (header) out += "# HELP " + name + " " + help + "\n# TYPE " + name + " gauge\n";
    out += name + "{" + labels + "} " + value + "\n";
  };
  const auto n = [](auto v) { return std::to_string(v); };
  gauge("peerpulse_run_start_timestamp_seconds", "Start of the last run.", job, n(r.started_at), true);
  gauge("peerpulse_run_end_timestamp_seconds", "End of the last run.", job, n(r.ended_at), true);
  gauge("peerpulse_run_success", "1 if the last run completed without a failed source or error.", job,
        r.failed_sources == 0 && !r.interrupted && !r.locked ? "1" : "0", true);
  gauge("peerpulse_run_interrupted", "1 if the last run was stopped early by a signal.", job,
        r.interrupted ? "1" : "0", true);
  const std::pair<const char*, std::size_t> counts[] = {
      {"fetched", r.fetched},           {"bad_records", r.record_errors}, {"skipped", r.skipped},
      {"deidentified", r.deidentified}, {"dropped", r.dropped},           {"classified", r.classified},
      {"unclassified", r.unclassified}, {"duplicates", r.duplicates},     {"late", r.late},
      {"contributions", r.contributed}, {"failed_sources", r.failed_sources}};
  for (const auto& [what, v] : counts) {
    gauge(std::string("peerpulse_run_") + what, std::string("Last run: ") + what + ".", job, n(v), true);
  }
  bool first = true;
  for (const auto& [reason, v] : r.dropped_by_reason) {
    gauge("peerpulse_run_dropped_by_reason", "Last run: posts dropped by de-identification, by reason.",
          job + ",reason=" + JsonQuote(reason), n(v), first);
    first = false;
  }
  first = true;
  for (const auto& s : r.sources) {
    const std::string l = job + ",source=" + JsonQuote(s.name);
    gauge("peerpulse_source_fetched", "Last run: posts fetched per source.", l, n(s.fetched), first);
    first = false;
  }
  first = true;
  for (const auto& s : r.sources) {
    const std::string l = job + ",source=" + JsonQuote(s.name);
    gauge("peerpulse_source_failed", "Last run: 1 if the source stopped with an error.", l, s.error.empty() ? "0" : "1",
          first);
    first = false;
  }
  first = true;
  for (const auto& h : r.hosts) {
    const std::string l = job + ",host=" + JsonQuote(h.host);
    gauge("peerpulse_host_requests", "Last run: HTTP requests per host (robots.txt included).", l, n(h.requests),
          first);
    first = false;
  }
  first = true;
  for (const auto& h : r.hosts) {
    gauge("peerpulse_host_failures", "Last run: failed requests per host.", job + ",host=" + JsonQuote(h.host),
          n(h.failures), first);
    first = false;
  }
  return out;
}

std::string FormatReleaseReport(const ReleaseReport& r) {
  return "released " + r.window + ": " + std::to_string(r.cells_released) + " cells and " +
         std::to_string(r.marginals_released) + " marginals (" + std::to_string(r.cells_withheld) + " cells and " +
         std::to_string(r.marginals_withheld) + " marginals withheld: under min_authors or the noisy threshold)";
}

}  // namespace peerpulse
