#include "peerpulse/pipeline/runner.h"

#include <spdlog/spdlog.h>

#include <map>

#include "peerpulse/classify/classifier.h"
#include "peerpulse/crawler/jsonl_source.h"
#include "peerpulse/deid/deidentifier.h"
#include "peerpulse/store/store.h"

namespace peerpulse {
namespace {

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

// What a run needs before it fetches anything: the policy, the taxonomy and
// the store. Nothing is fetched under a policy that does not load.
struct Loaded {
  deid::Policy policy;
  classify::Taxonomy taxonomy;
  std::unique_ptr<store::Store> store;
};

Result<Loaded> Load(const Job& job, const RunOptions& options) {
  auto policy = deid::LoadPolicyFile(job.policy);
  if (!policy.ok()) return AsConfigError(policy.status());
  auto taxonomy = classify::LoadTaxonomyFile(job.taxonomy);
  if (!taxonomy.ok()) return AsConfigError(taxonomy.status());
  store::StoreOptions so;
  so.dir = options.store_override.empty() ? job.store : options.store_override;
  PEERPULSE_ASSIGN_OR_RETURN(auto st, store::Store::Open(so));
  return Loaded{std::move(policy).value(), std::move(taxonomy).value(), std::move(st)};
}

Result<std::unique_ptr<crawler::Source>> OpenSource(const SourceSpec& spec, const std::string& cursor) {
  crawler::JsonlSourceOptions o;
  o.name = spec.name;
  o.path = spec.path;
  o.default_community = spec.community;
  PEERPULSE_ASSIGN_OR_RETURN(auto src, crawler::JsonlSource::Open(std::move(o), cursor));
  return std::unique_ptr<crawler::Source>(std::move(src));
}

Status IngestSource(const SourceSpec& spec, store::Store& st, const deid::Deidentifier& deid,
                    const classify::Classifier& classifier, RunReport& report,
                    std::array<std::size_t, deid::kDropReasonCount>& drops) {
  PEERPULSE_ASSIGN_OR_RETURN(const std::string cursor, st.Cursor(spec.name));
  PEERPULSE_ASSIGN_OR_RETURN(auto source, OpenSource(spec, cursor));
  SourceReport sr{spec.name, 0, 0};
  std::map<std::string, bool> released_cache;
  for (;;) {
    PEERPULSE_ASSIGN_OR_RETURN(crawler::SourceBatch batch, source->Next(spec.batch_size));
    for (const auto& e : batch.record_errors) spdlog::warn("source {}: {}", spec.name, e);
    sr.record_errors += batch.record_errors.size();
    sr.fetched += batch.posts.size();

    std::vector<store::PostContribution> contributions;
    contributions.reserve(batch.posts.size());
    std::size_t late = 0;
    for (RawPost& raw : batch.posts) {
      const Window window = WindowOf(raw.created_at);
      auto it = released_cache.find(window.Name());
      if (it == released_cache.end()) {
        PEERPULSE_ASSIGN_OR_RETURN(const bool r, st.IsReleased(window));
        it = released_cache.emplace(window.Name(), r).first;
      }
      if (it->second) {
        ++late;  // the window is published and its key destroyed: too late to count
        continue;
      }
      PEERPULSE_ASSIGN_OR_RETURN(deid::DeidOutcome outcome, deid.Process(std::move(raw), st.pseudonymizer()));
      if (!outcome.post.has_value()) {
        ++drops[static_cast<std::size_t>(outcome.dropped)];
        ++report.dropped;
        continue;
      }
      ++report.deidentified;
      const CleanPost& clean = *outcome.post;
      const Labels labels = classifier.Classify(clean);
      if (labels.conditions.empty()) {
        ++report.unclassified;
      } else {
        ++report.classified;
      }
      contributions.push_back(store::PostContribution{clean.window(), clean.dedup_key(), clean.author_pseudonym(),
                                                      CellsFor(clean.window(), clean.community(), labels)});
    }
    batch.posts.clear();  // wipes the RawPosts that were skipped as late
    PEERPULSE_ASSIGN_OR_RETURN(const store::BatchResult res,
                               st.CommitBatch(spec.name, batch.cursor, contributions));
    report.contributed += res.contributions;
    report.duplicates += res.duplicates;
    report.late += late + res.late;
    spdlog::debug("source {}: committed batch: {} posts, {} new, {} duplicates, {} contributions", spec.name,
                  contributions.size(), res.accepted, res.duplicates, res.contributions);
    if (batch.exhausted) break;
  }
  spdlog::info("source {}: fetched {} posts, {} bad records", spec.name, sr.fetched, sr.record_errors);
  report.fetched += sr.fetched;
  report.record_errors += sr.record_errors;
  report.sources.push_back(std::move(sr));
  return Status::Ok();
}

}  // namespace

Result<RunReport> RunJob(const Job& job, const RunOptions& options) {
  const SystemClock system_clock;
  const Clock& clock = options.clock != nullptr ? *options.clock : system_clock;
  const std::int64_t started = clock.NowUnix();

  PEERPULSE_ASSIGN_OR_RETURN(Loaded loaded, Load(job, options));
  RunReport report;
  report.job = job.name;
  report.policy_hash = loaded.policy.content_hash;
  report.taxonomy_hash = loaded.taxonomy.content_hash;
  PEERPULSE_ASSIGN_OR_RETURN(auto deid, deid::Deidentifier::Create(std::move(loaded.policy)));
  PEERPULSE_ASSIGN_OR_RETURN(auto classifier, classify::Classifier::Create(std::move(loaded.taxonomy)));
  std::unique_ptr<store::Store> st = std::move(loaded.store);
  spdlog::info("job {}: policy {} ({}), taxonomy {}", job.name, deid->policy().name,
               report.policy_hash.substr(0, 12), report.taxonomy_hash.substr(0, 12));

  std::array<std::size_t, deid::kDropReasonCount> drops{};
  Status status;
  for (const SourceSpec& spec : job.sources) {
    status = IngestSource(spec, *st, *deid, *classifier, report, drops);
    if (!status.ok()) {
      status = status.WithContext("source " + spec.name);
      break;
    }
  }
  for (std::size_t i = 1; i < drops.size(); ++i) {
    if (drops[i] > 0) report.dropped_by_reason.emplace_back(deid::DropReasonName(static_cast<deid::DropReason>(i)), drops[i]);
  }
  if (status.ok() && options.release) {
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
  rec.outcome = status.ok() ? "ok" : "failed";
  const Status recorded = st->RecordRun(rec);
  if (!status.ok()) return status;
  if (!recorded.ok()) return recorded;
  return report;
}

Result<std::vector<ReleaseReport>> ReleaseJob(const Job& job, const RunOptions& options) {
  const SystemClock system_clock;
  const Clock& clock = options.clock != nullptr ? *options.clock : system_clock;
  PEERPULSE_ASSIGN_OR_RETURN(Loaded loaded, Load(job, options));
  return Release(*loaded.store, loaded.policy, clock.NowUnix(), loaded.taxonomy.content_hash);
}

std::string FormatRunReport(const RunReport& r) {
  std::string out = "job " + r.job + " (policy " + r.policy_hash.substr(0, 12) + ", taxonomy " +
                    r.taxonomy_hash.substr(0, 12) + ")\n";
  const auto line = [&out](const std::string& k, std::size_t v) { out += "  " + k + ": " + std::to_string(v) + "\n"; };
  line("fetched", r.fetched);
  line("bad records", r.record_errors);
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
           std::to_string(s.record_errors) + "\n";
  }
  for (const auto& rel : r.releases) out += "  " + FormatReleaseReport(rel) + "\n";
  return out;
}

std::string FormatReleaseReport(const ReleaseReport& r) {
  return "released " + r.window + ": " + std::to_string(r.cells_released) + " cells and " +
         std::to_string(r.marginals_released) + " marginals (" + std::to_string(r.cells_withheld) + " cells and " +
         std::to_string(r.marginals_withheld) + " marginals withheld: under min_authors or the noisy threshold)";
}

}  // namespace peerpulse
