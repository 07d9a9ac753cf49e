// libFuzzer target: everything in the crawler that reads bytes from the
// network. The first input byte picks the reader; the rest is its input.
// Properties checked: no crash, no sanitizer report, no hang (libFuzzer's
// -timeout), and a few invariants (parsed posts have ids, times in range).
//   cmake --preset fuzz && cmake --build --preset fuzz
//   build/fuzz/tests/fuzz/crawler_fuzz -max_total_time=300 -max_len=65536 -timeout=5
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "peerpulse/crawler/http.h"
#include "peerpulse/crawler/parsers.h"
#include "peerpulse/crawler/polite_fetcher.h"
#include "peerpulse/crawler/robots.h"
#include "peerpulse/crawler/text.h"

namespace {

void Check(const peerpulse::Result<peerpulse::crawler::ParsedPage>& page) {
  if (!page.ok()) return;
  for (const auto& p : page->posts) {
    if (p.native_id.empty() || p.author.empty() || p.created_at < 631152000 || p.created_at >= 4102444800) {
      std::abort();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  using namespace peerpulse::crawler;
  switch (data[0] % 10) {
    case 0: (void)HtmlToText(in); break;
    case 1: Check(ParseFeed(in, "c", -1, "fuzz")); break;
    case 2: Check(ParseMastodonStatuses(in, "c", "fuzz")); break;
    case 3: Check(ParseRedditListing(in, "c", "fuzz")); break;
    case 4: Check(ParseDiscoursePosts(in, "c", "fuzz")); break;
    case 5: Check(ParseBlueskyFeed(in, "c", "fuzz")); break;
    case 6: {
      peerpulse::RawPost p;
      (void)ParseJetstreamEvent(in, "c", p);
      (void)ParseApiRecord(RecordFormat::kReddit, in, "c", p);
      break;
    }
    case 7: {
      const auto nl = in.find('\n');
      const RobotsRules r = RobotsRules::Parse(in.substr(nl == std::string_view::npos ? 0 : nl + 1), "peerpulse");
      (void)r.Allowed("/" + std::string(in.substr(0, nl == std::string_view::npos ? 0 : nl)));
      break;
    }
    case 8:
      (void)LinkRel(in, "next");
      (void)ResolveUrl("https://a.example/x/y?z", in);
      (void)HostOf(in);
      (void)PathOf(in);
      break;
    default: (void)ParseRetryAfter(in, 1.7e9); (void)ParseAnyDate(in); break;
  }
  return 0;
}
