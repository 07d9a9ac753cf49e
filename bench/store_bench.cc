// Store benchmarks (issue 6 targets):
//  - BM_ReleaseWindow: release one window of 1,000,000 (author, cell)
//    contributions over 10,000 cells (bounding, exact counts, noise, writes).
//  - BM_QueryYear*: a year of weekly releases (52 x ~9,600 = 500,000 cells),
//    grouped by condition x week, from the cells table and from the marginals.
//   build/release/bench/peerpulse-store-bench --benchmark_repetitions=5
#include <SQLiteCpp/SQLiteCpp.h>
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <filesystem>
#include <string>
#include <vector>

#include "peerpulse/store/store.h"

namespace {

using peerpulse::CellKey;
using peerpulse::Digest;
using peerpulse::ParseWindow;
using peerpulse::Window;
using peerpulse::store::PostContribution;
using peerpulse::store::Store;

struct TempDir {
  std::string path;
  TempDir() {
    std::string t = "/tmp/peerpulse-bench-XXXXXX";
    if (::mkdtemp(t.data()) == nullptr) std::abort();
    path = t;
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

std::uint64_t Mix(std::uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdull;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ull;
  return x ^ (x >> 33);
}

Digest D(std::uint64_t v, std::uint8_t tag) {
  Digest d{};
  for (int i = 0; i < 8; ++i) d[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v >> (8 * i));
  d[31] = tag;
  return d;
}

std::unique_ptr<Store> Open(const std::string& dir) {
  peerpulse::store::StoreOptions o;
  o.dir = dir;
  return std::move(Store::Open(o)).value();
}

void BM_ReleaseWindow(benchmark::State& state) {
  const Window w = ParseWindow("2026-W02").value();
  const std::int64_t now = w.EndUnix() + 30 * 86400;
  constexpr std::uint64_t kAuthors = 500000;  // x 2 cells = 1,000,000 contributions
  constexpr std::uint64_t kCells = 10000;
  for (auto _ : state) {
    state.PauseTiming();
    TempDir dir;
    auto st = Open(dir.path);
    std::vector<PostContribution> posts;
    posts.reserve(kAuthors);
    for (std::uint64_t a = 0; a < kAuthors; ++a) {
      PostContribution p{w, D(a, 1), D(a, 2), {}};
      // Skewed cells: many authors in few cells, so some clear the threshold.
      for (std::uint64_t k = 0; k < 2; ++k) {
        const std::uint64_t r = Mix(a * 2 + k);
        const std::uint64_t c = (r % 4 == 0) ? r % 200 : r % kCells;
        p.cells.push_back(CellKey{w.Name(), "c" + std::to_string(c % 20), "cond" + std::to_string(c / 20 % 17),
                                  "need" + std::to_string(c / 340 % 10), c / 3400 % 3 == 0 ? "self" : "family"});
      }
      posts.push_back(std::move(p));
    }
    auto res = st->CommitBatch("bench", "c", posts);
    if (!res.ok() || res->contributions < 990000) state.SkipWithError("staging failed");
    peerpulse::store::ReleaseOptions ro;
    state.ResumeTiming();
    auto rel = st->ReleaseClosedWindows(now, ro);
    state.PauseTiming();
    if (!rel.ok() || rel->size() != 1) state.SkipWithError("release failed");
    state.counters["cells_released"] = static_cast<double>((*rel)[0].cells_released);
    state.counters["contributions"] = static_cast<double>(res->contributions);
    st.reset();
    state.ResumeTiming();
  }
}
BENCHMARK(BM_ReleaseWindow)->Unit(benchmark::kMillisecond)->Iterations(1)->UseRealTime();

// A year of released cells written directly (the release path is measured above).
struct YearStore {
  TempDir dir;
  std::unique_ptr<Store> store;
  YearStore() {
    store = Open(dir.path);
    SQLite::Database db(dir.path + "/peerpulse.db", SQLite::OPEN_READWRITE);
    SQLite::Transaction tx(db);
    SQLite::Statement rel(db,
                          "INSERT INTO release (release_id, window, table_name, released_at, policy_hash, "
                          "taxonomy_hash, min_authors, max_cells_per_author, epsilon_micros, delta_picos, "
                          "min_noisy_value, ci95_halfwidth, cells_released, cells_withheld) "
                          "VALUES (?, ?, ?, 0, 'p', 't', 11, 2, 1000000, 1000000, 39, 6, 0, 0)");
    SQLite::Statement cell(db,
                           "INSERT INTO cell VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 11)");
    SQLite::Statement marg(db, "INSERT INTO marginal VALUES (?, ?, ?, ?, ?, ?, ?, 11)");
    std::int64_t id = 0;
    for (int week = 1; week <= 52; ++week) {
      char name[16];
      std::snprintf(name, sizeof name, "2025-W%02d", week);
      const auto add_release = [&](const char* table) {
        rel.reset();
        rel.bind(1, ++id);
        rel.bind(2, name);
        rel.bind(3, table);
        rel.exec();
        return id;
      };
      const std::int64_t cells_id = add_release("cells");
      int n = 0;
      for (int c = 0; c < 20 && n < 9616; ++c) {
        for (int cond = 0; cond < 17 && n < 9616; ++cond) {
          for (int need = 0; need < 10 && n < 9616; ++need) {
            for (const char* e : {"self", "family", "other"}) {
              if (n++ >= 9616) break;
              const std::int64_t v = 40 + static_cast<std::int64_t>(Mix(static_cast<std::uint64_t>(n + week * 10007)) % 200);
              cell.reset();
              cell.bind(1, cells_id);
              cell.bind(2, name);
              cell.bind(3, "community-" + std::to_string(c));
              cell.bind(4, "condition-" + std::to_string(cond));
              cell.bind(5, "need-" + std::to_string(need));
              cell.bind(6, e);
              cell.bind(7, v);
              cell.bind(8, v - 6);
              cell.bind(9, v + 6);
              cell.exec();
            }
          }
        }
      }
      const std::int64_t marg_id = add_release("marginals");
      for (int cond = 0; cond < 17; ++cond) {
        for (int need = 0; need < 10; ++need) {
          marg.reset();
          marg.bind(1, marg_id);
          marg.bind(2, name);
          marg.bind(3, "condition-" + std::to_string(cond));
          marg.bind(4, "need-" + std::to_string(need));
          marg.bind(5, 500);
          marg.bind(6, 494);
          marg.bind(7, 506);
          marg.exec();
        }
      }
    }
    tx.commit();
  }
};

YearStore& Year() {
  static YearStore y;
  return y;
}

void QueryYear(benchmark::State& state, peerpulse::store::QueryTable table) {
  Store& st = *Year().store;
  peerpulse::store::QueryOptions q;
  q.by = {"condition", "window"};
  q.table = table;
  std::size_t rows = 0;
  for (auto _ : state) {
    auto r = st.Query(q);
    if (!r.ok()) state.SkipWithError("query failed");
    rows = r->rows.size();
    benchmark::DoNotOptimize(r);
  }
  state.counters["rows"] = static_cast<double>(rows);
}

void BM_QueryYearCells(benchmark::State& state) { QueryYear(state, peerpulse::store::QueryTable::kCells); }
void BM_QueryYearMarginals(benchmark::State& state) { QueryYear(state, peerpulse::store::QueryTable::kMarginals); }
BENCHMARK(BM_QueryYearCells)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_QueryYearMarginals)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
