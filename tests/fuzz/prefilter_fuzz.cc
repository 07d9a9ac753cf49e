// libFuzzer target: every built-in detector's prefilter (detectors.h) matches
// wherever the detector's pattern (or code detector) finds something, on arbitrary bytes. A miss would let
// the de-identifier skip a detector on a post it had something to find in. And a
// pattern searched only in windows (e-mails, URLs) finds what a search of the
// whole text finds: a window too narrow would let an identifier through.
//   cmake --preset fuzz && cmake --build --preset fuzz
//   build/fuzz/tests/fuzz/prefilter_fuzz -max_total_time=300 -max_len=512
#include <re2/re2.h>

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "detectors.h"

namespace {
// A detector's pattern (or, for a code detector, the detector itself) and its
// prefilter.
struct Pair {
  std::unique_ptr<RE2> pattern;
  std::unique_ptr<peerpulse::deid::Detector> code;
  std::unique_ptr<RE2> prefilter;
};

// A windowed built-in: its detector and its pattern, searched over the whole text.
struct Windowed {
  std::unique_ptr<RE2> pattern;
  std::unique_ptr<peerpulse::deid::Detector> detector;
  bool trim = false;
};

const std::vector<Windowed>& WindowedDetectors() {
  static const auto* all = [] {
    auto* v = new std::vector<Windowed>;
    for (const auto name : peerpulse::deid::BuiltinDetectors()) {
      const auto* b = peerpulse::deid::FindBuiltin(name);
      if (b->windows == nullptr) continue;
      RE2::Options o;
      o.set_case_sensitive(!b->case_insensitive);
      Windowed w;
      w.pattern = std::make_unique<RE2>(std::string(b->pattern), o);
      if (!w.pattern->ok()) std::abort();
      peerpulse::deid::Rule rule;
      rule.detector = std::string(name);
      auto made = peerpulse::deid::MakeDetector(rule, 0, 1936);
      if (!made.ok()) std::abort();
      w.detector = std::move(made).value();
      w.trim = b->trim_trailing_punct;
      v->push_back(std::move(w));
    }
    return v;
  }();
  return *all;
}

const std::vector<Pair>& Pairs() {
  static const auto* pairs = [] {
    auto* v = new std::vector<Pair>;
    for (const auto name : peerpulse::deid::BuiltinDetectors()) {
      const auto* b = peerpulse::deid::FindBuiltin(name);
      if (b->prefilter.empty()) continue;
      RE2::Options o;
      o.set_case_sensitive(!b->case_insensitive);
      Pair p;
      p.prefilter = std::make_unique<RE2>(std::string(b->prefilter), o);
      if (!p.prefilter->ok()) std::abort();
      if (b->pattern.empty()) {
        peerpulse::deid::Rule rule;
        rule.detector = std::string(name);
        auto made = peerpulse::deid::MakeDetector(rule, 0, 1936);
        if (!made.ok()) std::abort();
        p.code = std::move(made).value();
      } else {
        p.pattern = std::make_unique<RE2>(std::string(b->pattern), o);
        if (!p.pattern->ok()) std::abort();
      }
      v->push_back(std::move(p));
    }
    return v;
  }();
  return *pairs;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<peerpulse::deid::Candidate> found;
  for (const auto& p : Pairs()) {
    bool finds = false;
    if (p.pattern != nullptr) {
      finds = RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *p.pattern);
    } else {
      found.clear();
      p.code->Find(text, found);
      finds = !found.empty();
    }
    if (finds && !RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *p.prefilter)) std::abort();
  }
  // The same spans as the whole-text search (these built-ins have no validator).
  const re2::StringPiece input(text.data(), text.size());
  for (const auto& w : WindowedDetectors()) {
    found.clear();
    w.detector->Find(text, found);
    std::size_t k = 0;
    std::size_t pos = 0;
    re2::StringPiece m;
    while (pos <= text.size() && w.pattern->Match(input, pos, text.size(), RE2::UNANCHORED, &m, 1)) {
      const auto begin = static_cast<std::size_t>(m.data() - text.data());
      std::size_t end = begin + m.size();
      while (w.trim && end > begin && peerpulse::deid::IsTrailingPunct(text[end - 1])) --end;
      if (end > begin) {
        if (k >= found.size() || found[k].begin != begin || found[k].end != end) std::abort();
        ++k;
      }
      pos = m.size() > 0 ? begin + m.size() : begin + 1;
    }
    if (k != found.size()) std::abort();
  }
  return 0;
}
