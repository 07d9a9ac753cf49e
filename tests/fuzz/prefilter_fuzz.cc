// libFuzzer target: every built-in detector's prefilter (detectors.h) matches
// wherever the detector's pattern does, on arbitrary bytes. A miss would let
// the de-identifier skip a detector on a post it had something to find in.
//   cmake --preset fuzz && cmake --build --preset fuzz
//   build/fuzz/tests/fuzz/prefilter_fuzz -max_total_time=300 -max_len=512
#include <re2/re2.h>

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "detectors.h"

namespace {
using Pair = std::pair<std::unique_ptr<RE2>, std::unique_ptr<RE2>>;

const std::vector<Pair>& Pairs() {
  static const auto* pairs = [] {
    auto* v = new std::vector<Pair>;
    for (const auto name : peerpulse::deid::BuiltinDetectors()) {
      const auto* b = peerpulse::deid::FindBuiltin(name);
      if (b->prefilter.empty()) continue;
      RE2::Options o;
      o.set_case_sensitive(!b->case_insensitive);
      v->emplace_back(std::make_unique<RE2>(std::string(b->pattern), o),
                      std::make_unique<RE2>(std::string(b->prefilter), o));
      if (!v->back().first->ok() || !v->back().second->ok()) std::abort();
    }
    return v;
  }();
  return *pairs;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const re2::StringPiece text(reinterpret_cast<const char*>(data), size);
  for (const auto& [pattern, prefilter] : Pairs()) {
    if (RE2::PartialMatch(text, *pattern) && !RE2::PartialMatch(text, *prefilter)) std::abort();
  }
  return 0;
}
