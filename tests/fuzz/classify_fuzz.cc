// libFuzzer target: the classify stage on arbitrary bytes. The first byte
// picks what is fed: a taxonomy file, a model file, or a post for the shipped
// classifier (ClassifyText and Explain). Each must return a Status or a
// result, never crash.
#include <cstdint>
#include <string_view>

#include "peerpulse/classify/classifier.h"
#include "peerpulse/classify/model.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 3) {
    case 0: {
      auto t = peerpulse::classify::ParseTaxonomy(text, "/tmp/peerpulse-fuzz/taxonomy.toml");
      if (t.ok()) {
        auto c = peerpulse::classify::Classifier::Create(std::move(t).value());
        if (c.ok()) (void)(*c)->Explain("my mom has diabetes, can't afford insulin?");
      }
      break;
    }
    case 1:
      (void)peerpulse::classify::Model::Parse(text, "fuzz.model");
      break;
    default: {
      static const auto shipped =
          peerpulse::classify::LoadClassifier(PEERPULSE_SOURCE_DIR "/classify/taxonomy/default.toml");
      if (shipped.ok()) {
        (void)(*shipped)->ClassifyText(text);
        (void)(*shipped)->Explain(text);
      }
    }
  }
  return 0;
}
