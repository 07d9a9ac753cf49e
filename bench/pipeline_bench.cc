// Stage benchmarks on the deterministic synthetic corpus.
//   build/release/bench/peerpulse-bench [--benchmark_repetitions=5 --benchmark_report_aggregates_only=true]
// Reports bytes/s for de-identification and items/s (posts) for classification.
#include <benchmark/benchmark.h>

#include <sstream>
#include <string>
#include <vector>

#include "corpus_generator.h"
#include "peerpulse/classify/classifier.h"
#include "peerpulse/deid/deidentifier.h"

#ifndef PEERPULSE_SOURCE_DIR
#error "PEERPULSE_SOURCE_DIR must be defined"
#endif

namespace {

const std::vector<std::string>& Texts() {
  static const std::vector<std::string> texts = [] {
    peerpulse::bench::CorpusOptions o;
    o.posts = 20000;
    return peerpulse::bench::GenerateTexts(o);
  }();
  return texts;
}

// The corpus as classification sees it: de-identified under safe-harbor.
const std::vector<std::string>& CleanTexts() {
  static const std::vector<std::string> texts = [] {
    auto policy = peerpulse::deid::LoadPolicyFile(PEERPULSE_SOURCE_DIR "/policies/safe-harbor.toml");
    auto deid = peerpulse::deid::Deidentifier::Create(std::move(policy).value());
    std::vector<std::string> out;
    for (const auto& t : Texts()) {
      auto r = (*deid)->Redact(t);
      if (r.dropped == peerpulse::deid::DropReason::kNone) out.push_back(std::move(r.text));
    }
    return out;
  }();
  return texts;
}

void BM_DeidSafeHarbor(benchmark::State& state) {
  auto policy = peerpulse::deid::LoadPolicyFile(PEERPULSE_SOURCE_DIR "/policies/safe-harbor.toml");
  auto deid = peerpulse::deid::Deidentifier::Create(std::move(policy).value());
  const auto& texts = Texts();
  std::size_t bytes = 0;
  for (auto _ : state) {
    for (const auto& t : texts) {
      auto r = (*deid)->Redact(t);
      benchmark::DoNotOptimize(r);
      bytes += t.size();
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK(BM_DeidSafeHarbor)->Unit(benchmark::kMillisecond);

// Classification of de-identified posts, one core: state.range(0) == 1 with
// the shipped model (the default), 0 with the lexicon rules alone.
void BM_Classify(benchmark::State& state) {
  auto clf = peerpulse::classify::LoadClassifier(PEERPULSE_SOURCE_DIR "/classify/taxonomy/default.toml", "",
                                                 state.range(0) == 1);
  if (!clf.ok()) {
    state.SkipWithError(clf.status().ToString().c_str());
    return;
  }
  const auto& texts = CleanTexts();
  std::size_t posts = 0;
  for (auto _ : state) {
    for (const auto& t : texts) {
      auto l = (*clf)->ClassifyText(t);
      benchmark::DoNotOptimize(l);
      ++posts;
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(posts));
  state.SetLabel(state.range(0) == 1 ? "lexicon+model" : "lexicon only");
}
BENCHMARK(BM_Classify)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
