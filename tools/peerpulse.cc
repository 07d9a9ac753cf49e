// peerpulse: argv -> options -> library call -> exit code. No logic lives here.
//
// Exit codes (pinned): 0 ok, 1 runtime failure, 2 usage, 3 invalid policy/job/taxonomy.
#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>

#include "peerpulse/classify/classifier.h"
#include "peerpulse/classify/dataset.h"
#include "peerpulse/classify/eval.h"
#include "peerpulse/classify/stream.h"
#include "peerpulse/classify/train.h"
#include "peerpulse/deid/deidentifier.h"
#include "peerpulse/deid/eval.h"
#include "peerpulse/deid/stream.h"
#include "peerpulse/pipeline/clock.h"
#include "peerpulse/pipeline/json.h"
#include "peerpulse/pipeline/job.h"
#include "peerpulse/pipeline/runner.h"
#include "peerpulse/pipeline/scheduler.h"
#include "peerpulse/pipeline/window.h"
#include "peerpulse/store/store.h"

namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;
constexpr int kExitInvalidConfig = 3;

int Fail(const peerpulse::Status& st) {
  spdlog::error("{}", st.ToString());
  switch (st.code()) {
    case peerpulse::StatusCode::kInvalidConfig: return kExitInvalidConfig;
    case peerpulse::StatusCode::kInvalidArgument: return kExitUsage;
    default: return kExitFailure;
  }
}

// %* in a log pattern: the message as a JSON string (for --log-format json).
class JsonMessageFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
    const std::string quoted = peerpulse::JsonQuote(std::string_view(msg.payload.data(), msg.payload.size()));
    dest.append(quoted.data(), quoted.data() + quoted.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<JsonMessageFlag>(); }
};

void SetUpLogging(bool verbose, bool quiet, bool json) {
  auto logger = spdlog::stderr_logger_mt("peerpulse");
  if (json) {
    auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
    formatter->add_flag<JsonMessageFlag>('*').set_pattern(R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","msg":%*})");
    logger->set_formatter(std::move(formatter));
  } else {
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %l %v", spdlog::pattern_time_type::utc);
  }
  spdlog::set_default_logger(logger);
  spdlog::set_level(verbose ? spdlog::level::debug : quiet ? spdlog::level::warn : spdlog::level::info);
}

// SIGTERM / SIGINT: ask the run in progress to finish its batch, commit and
// stop. A second signal is not caught: it ends the process at once (the
// store's transactions keep that safe).
std::atomic<bool> g_stop{false};

extern "C" void OnStopSignal(int sig) {
  g_stop.store(true);
  std::signal(sig, SIG_DFL);
}

void CatchStopSignals() {
  std::signal(SIGTERM, OnStopSignal);
  std::signal(SIGINT, OnStopSignal);
}

// --now, for reproducible runs and tests.
peerpulse::Result<std::unique_ptr<peerpulse::Clock>> MakeClock(const std::string& now) {
  if (now.empty()) return std::unique_ptr<peerpulse::Clock>(new peerpulse::SystemClock());
  auto t = peerpulse::ParseTimestamp(now);
  if (!t.ok()) return peerpulse::Status::InvalidArgument("--now: " + t.status().message());
  return std::unique_ptr<peerpulse::Clock>(new peerpulse::FixedClock(*t));
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"peerpulse: privacy-preserving health signals from public patient posts"};
  app.require_subcommand(1);
  bool verbose = false;
  bool quiet = false;
  app.add_flag("-v,--verbose", verbose, "Debug-level logs on stderr");
  app.add_flag("-q,--quiet", quiet, "Warnings and errors only");
  std::string log_format = "text";
  app.add_option("--log-format", log_format, "text or json (one JSON object per line on stderr)")
      ->check(CLI::IsMember({"text", "json"}));

  std::string job_path;
  std::string store_dir;
  std::string now;

  auto* ingest = app.add_subcommand("ingest", "Run a job once: fetch, de-identify, classify, stage, release closed windows");
  ingest->add_option("JOB", job_path, "Job file (TOML)")->required();
  ingest->add_option("--store", store_dir, "Store directory (overrides the job's)");
  ingest->add_option("--now", now, "Treat this RFC 3339 time as now (reproducible runs)");
  bool no_release = false;
  ingest->add_flag("--no-release", no_release, "Stage only; do not release closed windows");

  auto* release = app.add_subcommand("release", "Release the job's closed windows (once each)");
  release->add_option("JOB", job_path, "Job file (TOML)")->required();
  release->add_option("--store", store_dir, "Store directory (overrides the job's)");
  release->add_option("--now", now, "Treat this RFC 3339 time as now");

  auto* schedule = app.add_subcommand("schedule", "Run jobs on their cron schedules, as a service (SIGTERM stops it)");
  std::vector<std::string> schedule_paths;
  bool dry_run = false;
  int plan_count = 5;
  schedule->add_option("JOBS", schedule_paths, "Job files, or directories of job files")->required();
  schedule->add_flag("--dry-run", dry_run, "Print each job's next runs and exit");
  schedule->add_option("--count", plan_count, "Runs shown per job by --dry-run")->check(CLI::Range(1, 1000));
  schedule->add_option("--now", now, "With --dry-run: plan from this RFC 3339 time");

  auto* job_cmd = app.add_subcommand("job", "Check job files");
  job_cmd->require_subcommand(1);
  auto* job_check = job_cmd->add_subcommand("check", "Load a job with its policy and taxonomy; errors with file:line");
  job_check->add_option("FILE", job_path, "Job file")->required();

  auto* runs = app.add_subcommand("runs", "List the run ledger (counts only)");
  runs->add_option("--job", job_path, "Job file whose store to read");
  runs->add_option("--store", store_dir, "Store directory");
  std::size_t runs_limit = 50;
  runs->add_option("--limit", runs_limit, "The newest N runs")->check(CLI::Range(1, 1000000));

  auto* query = app.add_subcommand("query", "Query released cells");
  peerpulse::store::QueryOptions qo;
  std::string format = "table";
  query->add_option("--job", job_path, "Job file whose store to read");
  query->add_option("--store", store_dir, "Store directory");
  query->add_option("--by", qo.by, "Group by: window,community,condition,need,experiencer (default: all)")
      ->delimiter(',');
  query->add_option("--since", qo.since, "First window, e.g. 2026-W01");
  query->add_option("--until", qo.until, "Last window, inclusive");
  query->add_option("--community", qo.community, "Only this community");
  query->add_option("--condition", qo.condition, "Only this condition");
  query->add_option("--need", qo.need, "Only this need");
  query->add_option("--experiencer", qo.experiencer, "Only this experiencer (self, family, other)");
  query->add_option("--format", format, "table, csv or json")->check(CLI::IsMember({"table", "csv", "json"}));
  std::string table = "auto";
  query->add_option("--table", table, "auto (marginals when no community/experiencer is involved), cells or marginals")
      ->check(CLI::IsMember({"auto", "cells", "marginals"}));

  runs->add_option("--format", format, "table, csv or json")->check(CLI::IsMember({"table", "csv", "json"}));

  auto* ledger = app.add_subcommand("ledger", "List releases and the privacy budget spent");
  ledger->add_option("--job", job_path, "Job file whose store (and policy caps) to read");
  ledger->add_option("--store", store_dir, "Store directory");
  ledger->add_option("--format", format, "table, csv or json")->check(CLI::IsMember({"table", "csv", "json"}));

  auto* policy = app.add_subcommand("policy", "Check and test policy files");
  policy->require_subcommand(1);
  std::string policy_path;
  auto* policy_check = policy->add_subcommand("check", "Load a policy and report errors with file:line:column");
  policy_check->add_option("FILE", policy_path, "Policy file")->required();
  auto* policy_test = policy->add_subcommand("test", "Run the policy's embedded [[test]] cases");
  policy_test->add_option("FILE", policy_path, "Policy file")->required();

  auto* policy_explain = policy->add_subcommand("explain", "Print the effective policy after inheritance");
  policy_explain->add_option("FILE", policy_path, "Policy file")->required();

  auto* deid_cmd = app.add_subcommand("deid", "De-identify text or JSON Lines from stdin");
  peerpulse::deid::StreamOptions stream_options;
  deid_cmd->add_option("--policy", policy_path, "Policy file")->required();
  deid_cmd->add_flag("--explain", stream_options.explain, "List each span's offsets, type, rule and evidence");
  deid_cmd->add_flag("--jsonl", stream_options.jsonl, "Read and write JSON Lines ({\"text\": ...} per line)");

  auto* eval = app.add_subcommand("eval", "Measure a stage against gold data");
  eval->require_subcommand(1);
  auto* eval_deid = eval->add_subcommand("deid", "Per-type recall and precision of a policy on gold identifier spans");
  std::string gold_path;
  std::string gold_format = "auto";
  std::string phrases_path;
  eval_deid->add_option("--policy", policy_path, "Policy file")->required();
  eval_deid->add_option("--gold", gold_path, "Gold file (PhysioNet id.text, or JSON Lines spans)")->required();
  eval_deid->add_option("--gold-format", gold_format, "auto, physionet or jsonl")
      ->check(CLI::IsMember({"auto", "physionet", "jsonl"}));
  eval_deid->add_option("--phrases", phrases_path, "PhysioNet phrase file (default: id-phi.phrase beside --gold)");

  auto* eval_classify = eval->add_subcommand("classify", "Per-label precision, recall, F1 and macro-F1 on labelled posts");
  std::string taxonomy_path;
  std::string model_path;
  bool no_model = false;
  std::string eval_format = "text";
  eval_classify->add_option("--gold", gold_path, "Labelled posts (JSON Lines)")->required();
  eval_classify->add_option("--taxonomy", taxonomy_path, "Taxonomy file")->required();
  eval_classify->add_option("--model", model_path, "Model file (default: the taxonomy's)");
  eval_classify->add_flag("--no-model", no_model, "Lexicon rules only");
  eval_classify->add_option("--policy", policy_path, "De-identify the gold texts with this policy first");
  eval_classify->add_option("--format", eval_format, "text or json")->check(CLI::IsMember({"text", "json"}));

  auto* classify_cmd = app.add_subcommand("classify", "De-identify, then classify text or JSON Lines from stdin");
  peerpulse::classify::ClassifyStreamOptions classify_options;
  classify_cmd->add_option("--policy", policy_path, "Policy file (the text is de-identified first)")->required();
  classify_cmd->add_option("--taxonomy", taxonomy_path, "Taxonomy file")->required();
  classify_cmd->add_option("--model", model_path, "Model file (default: the taxonomy's)");
  classify_cmd->add_flag("--no-model", no_model, "Lexicon rules only");
  classify_cmd->add_flag("--explain", classify_options.explain, "Rules and top model features behind each label");
  classify_cmd->add_flag("--jsonl", classify_options.jsonl, "Read and write JSON Lines ({\"text\": ...} per line)");
  classify_cmd->add_option("--top", classify_options.top_features, "Features shown per label with --explain")
      ->check(CLI::Range(1, 100));

  auto* train = app.add_subcommand("train", "Train the linear model from labelled JSON Lines");
  std::string train_data;
  std::string out_path;
  peerpulse::classify::TrainOptions train_options;
  train->add_option("--taxonomy", taxonomy_path, "Taxonomy file")->required();
  train->add_option("--data", train_data, "Labelled posts (JSON Lines)")->required();
  train->add_option("--out", out_path, "Model file to write")->required();
  train->add_option("--policy", policy_path, "De-identify the texts with this policy first");
  train->add_option("--epochs", train_options.epochs, "Passes over the data")->check(CLI::Range(1, 10000));
  train->add_option("--learning-rate", train_options.learning_rate, "SGD step of the first epoch")->check(CLI::PositiveNumber);
  train->add_option("--l2", train_options.l2, "L2 penalty")->check(CLI::NonNegativeNumber);
  train->add_option("--min-count", train_options.min_count, "Drop features seen in fewer posts")
      ->check(CLI::Range(1, 1000000));
  train->add_option("--folds", train_options.folds, "Cross-validation folds for thresholds (0: thresholds 0.5)")
      ->check(CLI::Range(0, 100));
  train->add_option("--max-class-weight", train_options.max_class_weight, "Cap on a positive example's weight")
      ->check(CLI::Range(1.0, 1000.0));
  train->add_option("--seed", train_options.seed, "Order of the examples (equal seeds give equal models)");

  app.add_subcommand("version", "Print the version");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  }
  SetUpLogging(verbose, quiet, log_format == "json");

  if (app.got_subcommand("version")) {
    std::printf("peerpulse 0.1.0\n");
    return kExitOk;
  }

  if (ingest->parsed() || release->parsed()) {
    if (ingest->parsed()) CatchStopSignals();
    auto clock = MakeClock(now);
    if (!clock.ok()) return Fail(clock.status());
    auto job = peerpulse::LoadJobFile(job_path);
    if (!job.ok()) return Fail(job.status());
    peerpulse::RunOptions ro;
    ro.clock = clock->get();
    ro.store_override = store_dir;
    if (ingest->parsed()) {
      ro.release = !no_release;
      ro.stop = &g_stop;
      auto report = peerpulse::RunJob(*job, ro);
      if (!report.ok()) return Fail(report.status());
      std::fputs(peerpulse::FormatRunReport(*report).c_str(), stdout);
      if (report->failed_sources > 0) return kExitFailure;  // the other sources' batches stay committed
      // A run skipped because another holds the job's lock, or stopped by a
      // signal after committing, is not a failure: exit 0.
    } else {
      auto released = peerpulse::ReleaseJob(*job, ro);
      if (!released.ok()) return Fail(released.status());
      if (released->empty()) std::printf("no window to release\n");
      for (const auto& r : *released) std::printf("%s\n", peerpulse::FormatReleaseReport(r).c_str());
    }
    return kExitOk;
  }

  if (job_check->parsed()) {
    auto job = peerpulse::LoadJobFile(job_path);
    if (!job.ok()) return Fail(job.status());
    const peerpulse::Status st = peerpulse::CheckJob(*job);
    if (!st.ok()) return Fail(st);
    std::printf("%s: ok (job %s, %zu sources%s)\n", job_path.c_str(), job->name.c_str(), job->sources.size(),
                job->schedule.empty() ? "" : (", schedule \"" + job->schedule + "\" UTC").c_str());
    return kExitOk;
  }

  if (schedule->parsed()) {
    CatchStopSignals();  // before the (slow) loading, so that an early SIGTERM still ends cleanly
    auto jobs = peerpulse::LoadScheduledJobs(schedule_paths);
    if (!jobs.ok()) return Fail(jobs.status());
    if (dry_run) {
      auto clock = MakeClock(now);
      if (!clock.ok()) return Fail(clock.status());
      std::fputs(peerpulse::FormatSchedulePlan(*jobs, (*clock)->NowUnix(), plan_count).c_str(), stdout);
      return kExitOk;
    }
    for (const auto& j : *jobs) {
      if (const auto st = peerpulse::CheckJob(j); !st.ok()) return Fail(st);
    }
    peerpulse::ScheduleOptions so;
    so.stop = &g_stop;
    const peerpulse::Status st = peerpulse::RunSchedule(*jobs, so);
    if (!st.ok()) return Fail(st);
    return kExitOk;
  }

  if (query->parsed() || ledger->parsed() || runs->parsed()) {
    const char* cmd = query->parsed() ? "query" : ledger->parsed() ? "ledger" : "runs";
    if (store_dir.empty() && job_path.empty()) {
      return Fail(peerpulse::Status::InvalidArgument(std::string(cmd) + " needs --store or --job"));
    }
    std::string policy_file;
    if (!job_path.empty()) {
      auto job = peerpulse::LoadJobFile(job_path);
      if (!job.ok()) return Fail(job.status());
      if (store_dir.empty()) store_dir = job->store;
      policy_file = job->policy;
    }
    auto fmt = peerpulse::store::ParseOutputFormat(format);
    if (!fmt.ok()) return Fail(fmt.status());
    peerpulse::store::StoreOptions so;
    so.dir = store_dir;
    auto st = peerpulse::store::Store::Open(so);
    if (!st.ok()) return Fail(st.status());
    if (runs->parsed()) {
      auto list = (*st)->Runs(runs_limit);
      if (!list.ok()) return Fail(list.status());
      std::fputs(peerpulse::store::FormatRuns(*list, *fmt).c_str(), stdout);
      return kExitOk;
    }
    if (query->parsed()) {
      qo.table = table == "cells"       ? peerpulse::store::QueryTable::kCells
                 : table == "marginals" ? peerpulse::store::QueryTable::kMarginals
                                        : peerpulse::store::QueryTable::kAuto;
      auto result = (*st)->Query(qo);
      if (!result.ok()) return Fail(result.status());
      std::fputs(peerpulse::store::FormatQueryResult(*result, *fmt).c_str(), stdout);
      return kExitOk;
    }
    auto entries = (*st)->Ledger();
    if (!entries.ok()) return Fail(entries.status());
    std::optional<peerpulse::deid::ReleaseSettings> caps;
    if (!policy_file.empty()) {
      auto p = peerpulse::deid::LoadPolicyFile(policy_file);
      if (!p.ok()) return Fail(peerpulse::Status::InvalidConfig(p.status().message()));
      caps = p->release;
    }
    std::fputs(peerpulse::store::FormatLedger(*entries, caps ? caps->epsilon_cap : -1.0,
                                              caps ? caps->delta_cap : -1.0, *fmt)
                   .c_str(),
               stdout);
    return kExitOk;
  }

  if (deid_cmd->parsed()) {
    auto d = peerpulse::deid::LoadDeidentifier(policy_path);
    if (!d.ok()) return Fail(d.status());
    std::ios::sync_with_stdio(false);
    auto n = peerpulse::deid::DeidStream(**d, std::cin, std::cout, stream_options);
    std::cout.flush();
    if (!n.ok()) return Fail(n.status());
    return kExitOk;
  }

  if (eval_deid->parsed()) {
    auto d = peerpulse::deid::LoadDeidentifier(policy_path);
    if (!d.ok()) return Fail(d.status());
    if (gold_format == "auto") {
      std::FILE* f = std::fopen(gold_path.c_str(), "rb");
      char head[16] = {};
      if (f != nullptr) {
        const std::size_t n = std::fread(head, 1, sizeof head - 1, f);
        head[n] = '\0';
        std::fclose(f);
      }
      gold_format = std::string_view(head).starts_with("START_OF_RECORD") ? "physionet" : "jsonl";
    }
    auto docs = gold_format == "physionet" ? peerpulse::deid::LoadPhysioNetGold(gold_path, phrases_path)
                                           : peerpulse::deid::LoadJsonlGold(gold_path);
    if (!docs.ok()) return Fail(docs.status());
    const auto report = peerpulse::deid::Evaluate(**d, *docs);
    std::fputs(peerpulse::deid::FormatEvalReport(report).c_str(), stdout);
    return kExitOk;
  }

  if (classify_cmd->parsed()) {
    auto d = peerpulse::deid::LoadDeidentifier(policy_path);
    if (!d.ok()) return Fail(d.status());
    auto c = peerpulse::classify::LoadClassifier(taxonomy_path, model_path, !no_model);
    if (!c.ok()) return Fail(c.status());
    std::ios::sync_with_stdio(false);
    auto n = peerpulse::classify::ClassifyStream(**d, **c, std::cin, std::cout, classify_options);
    std::cout.flush();
    if (!n.ok()) return Fail(n.status());
    return kExitOk;
  }

  if (eval_classify->parsed() || train->parsed()) {
    auto c = peerpulse::classify::LoadClassifier(taxonomy_path, model_path, eval_classify->parsed() && !no_model);
    if (!c.ok()) return Fail(c.status());
    auto posts = peerpulse::classify::LoadLabelledJsonl(eval_classify->parsed() ? gold_path : train_data,
                                                         (*c)->taxonomy());
    if (!posts.ok()) return Fail(posts.status());
    if (!policy_path.empty()) {
      auto d = peerpulse::deid::LoadDeidentifier(policy_path);
      if (!d.ok()) return Fail(d.status());
      const std::size_t dropped = peerpulse::classify::DeidentifyLabelled(**d, *posts);
      if (dropped > 0) spdlog::warn("{} posts dropped by de-identification", dropped);
    }
    if (eval_classify->parsed()) {
      const auto report = peerpulse::classify::EvaluateClassifier(**c, *posts);
      std::fputs(peerpulse::classify::FormatClassifyEval(report, eval_format == "json").c_str(), stdout);
      return kExitOk;
    }
    auto trained = peerpulse::classify::Train((*c)->taxonomy(), *posts, train_options);
    if (!trained.ok()) return Fail(trained.status());
    if (const auto st = trained->model.SaveFile(out_path); !st.ok()) return Fail(st);
    std::fputs(peerpulse::classify::FormatTrainReport(trained->report).c_str(), stdout);
    std::printf("wrote %s (sha256 %s)\n", out_path.c_str(), trained->model.content_hash().c_str());
    return kExitOk;
  }

  if (policy_check->parsed() || policy_test->parsed() || policy_explain->parsed()) {
    auto d = peerpulse::deid::LoadDeidentifier(policy_path);
    if (!d.ok()) return Fail(d.status());
    const peerpulse::deid::Policy& p = (*d)->policy();
    const std::size_t rules = p.rules.size();
    const std::size_t tests = p.tests.size();
    const std::string& name = p.name;
    const std::string& hash = p.content_hash;
    if (policy_explain->parsed()) {
      std::fputs(peerpulse::deid::ExplainPolicy((*d)->policy()).c_str(), stdout);
      return kExitOk;
    }
    if (policy_check->parsed()) {
      std::printf("%s: ok (policy %s, %zu rules, %zu tests, sha256 %s)\n", policy_path.c_str(), name.c_str(), rules,
                  tests, hash.c_str());
      return kExitOk;
    }
    const auto failures = peerpulse::deid::RunPolicyTests(**d);
    for (const auto& f : failures) std::printf("FAIL %s\n", f.c_str());
    std::printf("%zu passed, %zu failed\n", tests - failures.size(), failures.size());
    return failures.empty() ? kExitOk : kExitInvalidConfig;
  }
  return kExitUsage;
}
