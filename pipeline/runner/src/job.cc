#include "peerpulse/pipeline/job.h"

#include <filesystem>
#include <set>
#include <tuple>

#include "peerpulse/pipeline/cron.h"
#include "peerpulse/pipeline/labels.h"
#include "peerpulse/pipeline/toml_reader.h"

namespace peerpulse {
namespace {

std::string Resolve(const std::string& job_path, const std::string& p) {
  const std::filesystem::path path(p);
  if (path.is_absolute()) return p;
  return (std::filesystem::path(job_path).parent_path() / path).lexically_normal().string();
}

// The option a source of this type cannot do without, "" if none is missing,
// or "?" for an unknown type.
std::string Required(const SourceSpec& s) {
  if (s.type == "jsonl") return s.path.empty() ? "path" : "";
  if (s.type == "mastodon") return s.url.empty() ? "url" : s.tag.empty() ? "tag" : s.community.empty() ? "community" : "";
  if (s.type == "reddit") return s.subreddit.empty() ? "subreddit" : "";
  if (s.type == "discourse") return s.url.empty() ? "url" : s.community.empty() ? "community" : "";
  if (s.type == "bluesky") return s.actors.empty() ? "actors" : s.community.empty() ? "community" : "";
  if (s.type == "feed") return s.url.empty() ? "url" : s.community.empty() ? "community" : "";
  return "?";
}

Status ParseHttp(const toml::table& t, const std::string& path, HttpSettings& h) {
  TomlReader r(t, path, "[http]");
  PEERPULSE_RETURN_IF_ERROR(r.CheckKeys({"contact", "user_agent", "min_delay_seconds", "max_concurrency",
                                         "max_crawl_delay_seconds",
                                         "max_attempts", "backoff_base_seconds", "connect_timeout_seconds",
                                         "timeout_seconds", "max_body_bytes", "ca_file"}));
  r.String("contact", h.contact);
  r.String("user_agent", h.user_agent);
  r.Double("min_delay_seconds", h.min_delay_seconds);
  r.Double("max_crawl_delay_seconds", h.max_crawl_delay_seconds);
  r.Int("max_attempts", h.max_attempts, false, 1, 20);
  r.Int("max_concurrency", h.max_concurrency, false, 1, 64);
  r.Double("backoff_base_seconds", h.backoff_base_seconds);
  r.Double("connect_timeout_seconds", h.connect_timeout_seconds);
  r.Double("timeout_seconds", h.timeout_seconds);
  r.Int("max_body_bytes", h.max_body_bytes, false, 1024, std::int64_t{1} << 30);
  r.String("ca_file", h.ca_file);
  PEERPULSE_RETURN_IF_ERROR(r.status());
  for (const auto& [key, v, lo, hi] : {std::tuple{"min_delay_seconds", h.min_delay_seconds, 0.0, 3600.0},
                                       std::tuple{"max_crawl_delay_seconds", h.max_crawl_delay_seconds, 0.0, 3600.0},
                                       std::tuple{"backoff_base_seconds", h.backoff_base_seconds, 0.0, 600.0},
                                       std::tuple{"connect_timeout_seconds", h.connect_timeout_seconds, 0.1, 600.0},
                                       std::tuple{"timeout_seconds", h.timeout_seconds, 0.1, 86400.0}}) {
    if (v < lo || v > hi) {
      r.Fail(t.get(key), std::string(key) + " must be within " + std::to_string(lo) + ".." + std::to_string(hi));
      return r.status();
    }
  }
  if (!h.contact.empty() && !(h.contact.starts_with("http://") || h.contact.starts_with("https://") ||
                              h.contact.starts_with("mailto:"))) {
    r.Fail(t.get("contact"), "contact must be an http(s) URL or a mailto: address");
    return r.status();
  }
  return Status::Ok();
}

}  // namespace

bool Job::HasHttpSources() const {
  for (const auto& s : sources) {
    if (s.type != "jsonl") return true;
  }
  return false;
}

Result<Job> ParseJob(std::string_view text, const std::string& path) {
  PEERPULSE_ASSIGN_OR_RETURN(toml::table root, ParseToml(text, path));
  Job job;
  job.path = path;
  TomlReader top(root, path);
  PEERPULSE_RETURN_IF_ERROR(top.CheckKeys({"job", "source", "http"}));
  const toml::table* meta = nullptr;
  const toml::table* http = nullptr;
  std::vector<const toml::table*> sources;
  top.Table("job", meta, true);
  top.Table("http", http);
  top.Tables("source", sources, true);
  PEERPULSE_RETURN_IF_ERROR(top.status());
  if (http != nullptr) PEERPULSE_RETURN_IF_ERROR(ParseHttp(*http, path, job.http));

  TomlReader m(*meta, path, "[job]");
  PEERPULSE_RETURN_IF_ERROR(
      m.CheckKeys({"name", "description", "policy", "taxonomy", "store", "schedule", "metrics_file"}));
  std::string description;
  m.String("name", job.name, true);
  m.String("description", description);
  m.String("policy", job.policy, true);
  m.String("taxonomy", job.taxonomy, true);
  m.String("store", job.store, true);
  m.String("schedule", job.schedule);
  m.String("metrics_file", job.metrics_file);
  PEERPULSE_RETURN_IF_ERROR(m.status());
  if (!job.schedule.empty()) {
    if (auto cron = CronSchedule::Parse(job.schedule); !cron.ok()) {
      m.Fail(meta->get("schedule"), cron.status().message());
      return m.status();
    }
  }
  if (!job.metrics_file.empty()) job.metrics_file = Resolve(path, job.metrics_file);
  if (!IsDimensionCode(job.name)) {
    m.Fail(meta->get("name"), "job name must be 1-64 characters of a-z, 0-9 and _.:/#-");
    return m.status();
  }
  job.policy = Resolve(path, job.policy);
  job.taxonomy = Resolve(path, job.taxonomy);
  job.store = Resolve(path, job.store);

  std::set<std::string> names;
  for (const toml::table* t : sources) {
    SourceSpec s;
    s.line = static_cast<int>(t->source().begin.line);
    TomlReader pre(*t, path, "[[source]]");
    if (!pre.String("name", s.name, true)) return pre.status();
    TomlReader r(*t, path, "source '" + s.name + "'");
    PEERPULSE_RETURN_IF_ERROR(r.CheckKeys({"name", "type", "path", "format", "community", "batch_size", "url", "tag",
                                           "subreddit", "category", "actors", "auth_url", "secrets_file", "max_pages",
                                           "page_size", "delay_seconds"}));
    std::int64_t batch = static_cast<std::int64_t>(s.batch_size);
    r.String("type", s.type, true);
    r.String("path", s.path);
    r.String("format", s.format);
    r.String("community", s.community);
    r.Int("batch_size", batch, false, 1, 100000);
    r.String("url", s.url);
    r.String("tag", s.tag);
    r.String("subreddit", s.subreddit);
    r.String("category", s.category);
    r.StringArray("actors", s.actors);
    r.String("auth_url", s.auth_url);
    r.String("secrets_file", s.secrets_file);
    r.Int("max_pages", s.max_pages, false, 1, 100000);
    r.Int("page_size", s.page_size, false, 0, 1000);
    r.Double("delay_seconds", s.delay_seconds);
    PEERPULSE_RETURN_IF_ERROR(r.status());
    if (t->contains("delay_seconds") && (s.delay_seconds < 0 || s.delay_seconds > 3600)) {
      r.Fail(t->get("delay_seconds"), "delay_seconds must be within 0..3600");
      return r.status();
    }
    s.batch_size = static_cast<std::size_t>(batch);
    if (!IsDimensionCode(s.name)) {
      r.Fail(t->get("name"), "source name must be 1-64 characters of a-z, 0-9 and _.:/#-");
      return r.status();
    }
    if (!names.insert(s.name).second) {
      r.Fail(t->get("name"), "duplicate source name");
      return r.status();
    }
    if (s.format != "peerpulse" && s.format != "mastodon" && s.format != "reddit" && s.format != "bluesky" &&
        s.format != "jetstream") {
      r.Fail(t->get("format"), "unknown format '" + s.format + "' (peerpulse, mastodon, reddit, bluesky, jetstream)");
      return r.status();
    }
    const std::string need = Required(s);
    if (need == "?") {
      r.Fail(t->get("type"), "unknown source type '" + s.type +
                                 "' (jsonl, jetstream, mastodon, reddit, discourse, bluesky, feed)");
      return r.status();
    }
    if (!need.empty()) {
      r.Fail(nullptr, "a " + s.type + " source needs '" + need + "'");
      return r.status();
    }
    if (!s.path.empty() && s.path != "-") s.path = Resolve(path, s.path);
    if (!s.secrets_file.empty()) s.secrets_file = Resolve(path, s.secrets_file);
    if (!s.url.empty() && !(s.url.starts_with("http://") || s.url.starts_with("https://"))) {
      r.Fail(t->get("url"), "url must start with http:// or https://");
      return r.status();
    }
    job.sources.push_back(std::move(s));
  }
  if (job.sources.empty()) return Status::InvalidConfig(path + ": a job needs at least one [[source]]");
  if (job.HasHttpSources() && job.http.contact.empty()) {
    return Status::InvalidConfig(path + ": a job with HTTP sources needs [http] contact (a URL or mailto: that site "
                                        "operators can reach; it goes into the User-Agent)");
  }
  if (!job.http.ca_file.empty()) job.http.ca_file = Resolve(path, job.http.ca_file);
  return job;
}

Result<Job> LoadJobFile(const std::string& path) {
  std::string text;
  const Status st = ReadWholeFile(path, text);
  if (!st.ok()) return Status::InvalidConfig(st.message());
  return ParseJob(text, path);
}

}  // namespace peerpulse
