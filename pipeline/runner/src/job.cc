#include "peerpulse/pipeline/job.h"

#include <filesystem>
#include <set>

#include "peerpulse/pipeline/labels.h"
#include "peerpulse/pipeline/toml_reader.h"

namespace peerpulse {
namespace {

std::string Resolve(const std::string& job_path, const std::string& p) {
  const std::filesystem::path path(p);
  if (path.is_absolute()) return p;
  return (std::filesystem::path(job_path).parent_path() / path).lexically_normal().string();
}

}  // namespace

Result<Job> ParseJob(std::string_view text, const std::string& path) {
  PEERPULSE_ASSIGN_OR_RETURN(toml::table root, ParseToml(text, path));
  Job job;
  job.path = path;
  TomlReader top(root, path);
  PEERPULSE_RETURN_IF_ERROR(top.CheckKeys({"job", "source"}));
  const toml::table* meta = nullptr;
  std::vector<const toml::table*> sources;
  top.Table("job", meta, true);
  top.Tables("source", sources, true);
  PEERPULSE_RETURN_IF_ERROR(top.status());

  TomlReader m(*meta, path, "[job]");
  PEERPULSE_RETURN_IF_ERROR(m.CheckKeys({"name", "description", "policy", "taxonomy", "store"}));
  std::string description;
  m.String("name", job.name, true);
  m.String("description", description);
  m.String("policy", job.policy, true);
  m.String("taxonomy", job.taxonomy, true);
  m.String("store", job.store, true);
  PEERPULSE_RETURN_IF_ERROR(m.status());
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
    PEERPULSE_RETURN_IF_ERROR(r.CheckKeys({"name", "type", "path", "community", "batch_size"}));
    std::int64_t batch = static_cast<std::int64_t>(s.batch_size);
    r.String("type", s.type, true);
    r.String("path", s.path);
    r.String("community", s.community);
    r.Int("batch_size", batch, false, 1, 100000);
    PEERPULSE_RETURN_IF_ERROR(r.status());
    s.batch_size = static_cast<std::size_t>(batch);
    if (!IsDimensionCode(s.name)) {
      r.Fail(t->get("name"), "source name must be 1-64 characters of a-z, 0-9 and _.:/#-");
      return r.status();
    }
    if (!names.insert(s.name).second) {
      r.Fail(t->get("name"), "duplicate source name");
      return r.status();
    }
    if (s.type != "jsonl") {
      r.Fail(t->get("type"), "unknown source type '" + s.type + "' (this version supports: jsonl)");
      return r.status();
    }
    if (s.path.empty()) {
      r.Fail(nullptr, "a jsonl source needs 'path'");
      return r.status();
    }
    s.path = Resolve(path, s.path);
    job.sources.push_back(std::move(s));
  }
  if (job.sources.empty()) return Status::InvalidConfig(path + ": a job needs at least one [[source]]");
  return job;
}

Result<Job> LoadJobFile(const std::string& path) {
  std::string text;
  const Status st = ReadWholeFile(path, text);
  if (!st.ok()) return Status::InvalidConfig(st.message());
  return ParseJob(text, path);
}

}  // namespace peerpulse
