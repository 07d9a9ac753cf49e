// peerpulse-gen: writes the deterministic synthetic corpus to stdout.
//   peerpulse-gen [--posts N] [--seed S] [--start YYYY-MM-DD] [--weeks W]
#include <CLI/CLI.hpp>

#include <iostream>

#include "corpus_generator.h"

int main(int argc, char** argv) {
  CLI::App app{"peerpulse-gen: deterministic synthetic patient posts (JSON Lines)"};
  peerpulse::bench::CorpusOptions o;
  app.add_option("--posts", o.posts, "Number of posts");
  app.add_option("--seed", o.seed, "Seed");
  app.add_option("--start", o.start_date, "First day (a Monday), YYYY-MM-DD");
  app.add_option("--weeks", o.weeks, "Number of weeks");
  app.add_option("--authors", o.authors_per_community, "Authors per community");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  std::ios::sync_with_stdio(false);
  if (!peerpulse::bench::GenerateCorpus(o, std::cout)) {
    std::cerr << "peerpulse-gen: invalid --start or --weeks\n";
    return 2;
  }
  return 0;
}
