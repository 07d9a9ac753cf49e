// End-to-end crawl benchmark: fetch, parse, de-identify, classify and stage
// against the project's loopback fixture server (a Discourse-style
// /posts.json, 50 synthetic posts per page, politeness delay 0 for the test
// host, robots.txt honoured).
//
//   build/release/bench/peerpulse-crawl-bench [--pages N] [--repetitions R]
//
// Prints pages/s and posts/s per repetition, their median, and the peak RSS
// of the process (getrusage).
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "corpus_generator.h"
#include "fixture_server.h"
#include "peerpulse/pipeline/job.h"
#include "peerpulse/pipeline/json.h"
#include "peerpulse/pipeline/runner.h"
#include "peerpulse/pipeline/window.h"

#ifndef PEERPULSE_SOURCE_DIR
#error "PEERPULSE_SOURCE_DIR must be defined"
#endif

namespace {

constexpr int kPerPage = 50;



}  // namespace

int main(int argc, char** argv) {
  int pages = 400;
  int reps = 3;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--pages") pages = std::atoi(argv[i + 1]);
    if (a == "--repetitions") reps = std::atoi(argv[i + 1]);
  }
  const int total = pages * kPerPage;
  peerpulse::bench::CorpusOptions corpus;
  corpus.posts = static_cast<std::uint64_t>(total);
  const std::vector<std::string> texts = peerpulse::bench::GenerateTexts(corpus);
  // Pre-rendered pages: page k holds posts with ids total-50k .. total-50k-49 (newest first).
  const std::int64_t start = 1772445600;  // 2026-03-02, one ISO week of posts
  std::vector<std::string> bodies(static_cast<std::size_t>(pages));
  for (int k = 0; k < pages; ++k) {
    std::string b = "{\"latest_posts\":[";
    for (int j = 0; j < kPerPage; ++j) {
      const int id = total - k * kPerPage - j;  // 1-based
      const std::int64_t t = start + static_cast<std::int64_t>(id) * 600000 / total;
      b += std::string(j ? "," : "") + "{\"id\":" + std::to_string(id) + ",\"user_id\":" + std::to_string(id % 997) +
           ",\"created_at\":\"" + peerpulse::FormatTimestamp(t) + "\",\"cooked\":" +
           peerpulse::JsonQuote("<p>" + texts[static_cast<std::size_t>(id - 1)] + "</p>") +
           ",\"post_type\":1,\"topic_id\":1,\"post_number\":1}";
    }
    bodies[static_cast<std::size_t>(k)] = b + "]}";
  }
  std::size_t bytes = 0;
  for (const auto& b : bodies) bytes += b.size();
  peerpulse::testing::FixtureServer server([&](const peerpulse::testing::FixtureRequest& r) {
    peerpulse::testing::FixtureResponse out;
    if (r.path == "/robots.txt") {
      out.body = "User-agent: *\nDisallow: /admin\n";
      return out;
    }
    if (r.path != "/posts.json") {
      out.status = 404;
      return out;
    }
    const std::string before = r.Param("before");
    const int top = before.empty() ? total : std::atoi(before.c_str()) - 1;
    const int k = (total - top) / kPerPage;
    out.body = k < pages ? bodies[static_cast<std::size_t>(k)] : "{\"latest_posts\":[]}";
    return out;
  });

  std::vector<double> rates;
  const std::string root = std::filesystem::temp_directory_path() / ("peerpulse-crawl-bench-" + std::to_string(::getpid()));
  for (int rep = 0; rep < reps; ++rep) {
    std::filesystem::remove_all(root);
    std::filesystem::create_directories(root);
    std::ofstream(root + "/job.toml") << "[job]\nname = \"bench\"\npolicy = \"" PEERPULSE_SOURCE_DIR
                                          "/policies/safe-harbor.toml\"\ntaxonomy = \"" PEERPULSE_SOURCE_DIR
                                          "/classify/taxonomy/default.toml\"\nstore = \"store\"\n\n"
                                          "[http]\ncontact = \"mailto:bench@example.org\"\n\n"
                                          "[[source]]\nname = \"forum\"\ntype = \"discourse\"\nurl = \""
                                       << server.base() << "\"\ncommunity = \"forum\"\nmax_pages = " << pages
                                       << "\ndelay_seconds = 0\nbatch_size = 1000\n";
    auto job = peerpulse::LoadJobFile(root + "/job.toml");
    if (!job.ok()) {
      std::fprintf(stderr, "%s\n", job.status().ToString().c_str());
      return 1;
    }
    peerpulse::RunOptions ro;
    ro.release = false;
    const auto t0 = std::chrono::steady_clock::now();
    auto report = peerpulse::RunJob(*job, ro);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!report.ok() || report->failed_sources > 0 || report->fetched != static_cast<std::size_t>(total)) {
      std::fprintf(stderr, "run failed or incomplete: %s\n",
                   report.ok() ? peerpulse::FormatRunReport(*report).c_str() : report.status().ToString().c_str());
      return 1;
    }
    rates.push_back(pages / s);
    std::printf("run %d: %d pages (%d posts, %.1f MB of JSON) in %.3f s: %.0f pages/s, %.0f posts/s, "
                "%zu de-identified, %zu dropped, %zu contributions\n",
                rep + 1, pages, total, static_cast<double>(bytes) / 1e6, s, pages / s, total / s,
                report->deidentified, report->dropped, report->contributed);
  }
  std::filesystem::remove_all(root);
  std::sort(rates.begin(), rates.end());
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  std::printf("median: %.0f pages/s (%.0f posts/s); peak RSS %.1f MB (server and its pre-rendered pages included)\n",
              rates[rates.size() / 2], rates[rates.size() / 2] * kPerPage, static_cast<double>(ru.ru_maxrss) / 1024.0);
  return 0;
}
