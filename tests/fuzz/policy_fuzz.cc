// libFuzzer target: the policy loader (TOML parsing, rule validation, RE2
// compilation) on arbitrary bytes. It must return a Status, never crash.
#include <cstdint>
#include <string_view>

#include "peerpulse/deid/deidentifier.h"
#include "peerpulse/deid/policy.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto p = peerpulse::deid::ParsePolicy(text, "/tmp/peerpulse-fuzz/policy.toml");
  if (p.ok()) {
    // Person-name rules read system lists; everything else compiles offline.
    auto d = peerpulse::deid::Deidentifier::Create(std::move(p).value());
    if (d.ok()) (void)(*d)->Redact("Hi Maria, call 555-123-4567 on 3/4/2021");
  }
  return 0;
}
