// Deterministic generator of synthetic patient posts (JSON Lines, the format of
// crawler/jsonl_source.h). No real people: authors are made-up handles, every
// e-mail, URL and phone number uses reserved example domains and 555-01xx
// numbers. The same options always give the same bytes, on every platform
// (own PRNG, no std:: distributions).
#ifndef PEERPULSE_BENCH_CORPUS_GENERATOR_H_
#define PEERPULSE_BENCH_CORPUS_GENERATOR_H_

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace peerpulse::bench {

struct CorpusOptions {
  std::uint64_t posts = 2000;
  std::uint64_t seed = 20260105;
  std::string start_date = "2026-01-05";  // a Monday (ISO 2026-W02)
  int weeks = 2;
  int authors_per_community = 500;
  double identifier_rate = 0.2;           // share of posts that carry an e-mail, URL, handle or phone
};

// Writes `options.posts` lines to `out`. Returns false if start_date is invalid.
bool GenerateCorpus(const CorpusOptions& options, std::ostream& out);

// The "text" values of GenerateCorpus(options), in order (for benchmarks).
std::vector<std::string> GenerateTexts(const CorpusOptions& options);

}  // namespace peerpulse::bench

#endif  // PEERPULSE_BENCH_CORPUS_GENERATOR_H_
