#include "peerpulse/store/store.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "peerpulse/store/noise.h"
#include "testing/testing.h"

namespace peerpulse::store {
namespace {

using peerpulse::testing::TempDir;

const Window kW2 = ParseWindow("2026-W02").value();
const Window kW3 = ParseWindow("2026-W03").value();
// Long after every test window closed.
const std::int64_t kLater = ParseTimestamp("2026-06-01T00:00:00Z").value();

Digest D(std::uint64_t a, std::uint8_t tag) {
  Digest d{};
  for (int i = 0; i < 8; ++i) d[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(a >> (8 * i));
  d[31] = tag;
  return d;
}

PostContribution Post(const Window& w, std::uint64_t post, std::uint64_t author, std::vector<CellKey> cells) {
  return PostContribution{w, D(post, 1), D(author, 2), std::move(cells)};
}

CellKey Cell(const Window& w, const std::string& condition, const std::string& need = "information") {
  return CellKey{w.Name(), "forum", condition, need, "self"};
}

std::unique_ptr<Store> OpenStore(const std::string& dir) {
  StoreOptions o;
  o.dir = dir;
  auto s = Store::Open(o);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return std::move(s).value();
}

// The loosest settings a policy may choose: noise of scale 0.02 (so values are
// exact with probability 1 - 1e-21) and threshold T = 11.09. Tests that look at
// exact counts use them; the noise itself is tested in noise_test.cc.
ReleaseOptions Loose() {
  ReleaseOptions r;
  r.epsilon = 100.0;
  r.delta = 0.01;
  r.epsilon_cap = 100000.0;
  r.delta_cap = 0.9;
  r.policy_hash = "p";
  r.taxonomy_hash = "t";
  return r;
}

std::map<std::string, std::string> CellsByCondition(Store& s) {
  QueryOptions q;
  q.by = {"condition"};
  std::map<std::string, std::string> out;
  for (const auto& row : s.Query(q).value().rows) out[row[0]] = row[1];
  return out;
}

TEST(StoreTest, NeverReleasesACellBelowMinAuthors) {
  TempDir dir;
  auto s = OpenStore(dir.path());
  // Condition cN gets exactly N distinct authors, N = 1..15; each author posts twice.
  std::vector<PostContribution> posts;
  std::uint64_t post = 0;
  std::uint64_t author = 0;
  for (int n = 1; n <= 15; ++n) {
    for (int a = 0; a < n; ++a, ++author) {
      for (int rep = 0; rep < 2; ++rep)
        posts.push_back(Post(kW2, post++, author, {Cell(kW2, "c" + std::to_string(n))}));
    }
  }
  const auto res = s->CommitBatch("src", "v1:1:1", posts).value();
  EXPECT_EQ(res.accepted, posts.size());
  const auto rel = s->ReleaseClosedWindows(kLater, Loose()).value();
  ASSERT_EQ(rel.size(), 1u);
  EXPECT_EQ(rel[0].min_noisy_value, 12);
  EXPECT_EQ(rel[0].cells_released, 4u);   // 12..15
  EXPECT_EQ(rel[0].cells_withheld, 11u);  // 1..10 by the hard rule, 11 by the threshold
  const auto cells = CellsByCondition(*s);
  ASSERT_EQ(cells.size(), 4u);
  for (int n = 12; n <= 15; ++n) EXPECT_EQ(cells.at("c" + std::to_string(n)), std::to_string(n));
}

TEST(StoreTest, DuplicatesAreIdempotentAndCursorIsSaved) {
  TempDir dir;
  auto s = OpenStore(dir.path());
  std::vector<PostContribution> posts;
  for (std::uint64_t a = 0; a < 20; ++a) posts.push_back(Post(kW2, a, a, {Cell(kW2, "diabetes")}));
  EXPECT_EQ(s->Cursor("src").value(), "");
  auto r1 = s->CommitBatch("src", "v1:100:12", posts).value();
  EXPECT_EQ(r1.accepted, 20u);
  EXPECT_EQ(r1.contributions, 20u);
  EXPECT_EQ(s->Cursor("src").value(), "v1:100:12");
  // The same batch again (a re-fetch after a crash): nothing new.
  auto r2 = s->CommitBatch("src", "v1:100:12", posts).value();
  EXPECT_EQ(r2.accepted, 0u);
  EXPECT_EQ(r2.duplicates, 20u);
  EXPECT_EQ(r2.contributions, 0u);
  ASSERT_EQ(s->ReleaseClosedWindows(kLater, Loose()).value().size(), 1u);
  EXPECT_EQ(CellsByCondition(*s).at("diabetes"), "20");
}

TEST(StoreTest, ReleasesOncePerWindowAfterGraceAndLatePostsAreDropped) {
  TempDir dir;
  auto s = OpenStore(dir.path());
  std::vector<PostContribution> posts;
  for (std::uint64_t a = 0; a < 20; ++a) posts.push_back(Post(kW3, a, a, {Cell(kW3, "asthma")}));
  ASSERT_TRUE(s->CommitBatch("src", "c1", posts).ok());
  // 2026-W03 ends Monday 2026-01-19; the default grace is 2 days.
  EXPECT_TRUE(s->ReleaseClosedWindows(kW3.EndUnix() + 86400, Loose()).value().empty());
  EXPECT_EQ(s->ReleaseClosedWindows(kW3.EndUnix() + 2 * 86400, Loose()).value().size(), 1u);
  EXPECT_TRUE(s->ReleaseClosedWindows(kLater, Loose()).value().empty());
  EXPECT_TRUE(s->IsReleased(kW3).value());
  // A post for the released window is late: not counted.
  const auto late =
      s->CommitBatch("src", "c2", std::vector<PostContribution>{Post(kW3, 99, 99, {Cell(kW3, "asthma")})});
  EXPECT_EQ(late.value().late, 1u);
  EXPECT_EQ(CellsByCondition(*s).at("asthma"), "20");
  // The key is gone and cannot come back.
  EXPECT_FALSE(std::filesystem::exists(dir.Join("keys/2026-W03.key")));
  EXPECT_EQ(s->pseudonymizer().Pseudonym(kW3, "d", "v").status().code(), StatusCode::kFailedPrecondition);
  // Staging rows of the window are gone.
  SQLite::Database db(s->db_path());
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM staging_contribution").getInt(), 0);
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM staging_seen").getInt(), 0);
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM staging_cell").getInt(), 0);
}

TEST(StoreTest, ContributionBoundingLimitsCellsPerAuthor) {
  TempDir dir;
  auto s = OpenStore(dir.path());
  // 60 authors, each in the same 6 cells; bounded to 4 cells each.
  std::vector<PostContribution> posts;
  std::vector<CellKey> six;
  for (int c = 0; c < 6; ++c) six.push_back(Cell(kW2, "c" + std::to_string(c)));
  for (std::uint64_t a = 0; a < 60; ++a) posts.push_back(Post(kW2, a, a, six));
  ASSERT_TRUE(s->CommitBatch("src", "c", posts).ok());
  auto opts = Loose();
  // Noise scale L0/epsilon = 0.04: exact values with probability 1 - 3e-11.
  opts.max_cells_per_author = 4;
  const auto rel = s->ReleaseClosedWindows(kLater, opts).value();
  ASSERT_EQ(rel.size(), 1u);
  EXPECT_EQ(rel[0].authors_bounded, 60u);
  ASSERT_EQ(rel[0].cells_released, 6u);  // each cell keeps ~40 of 60 authors
  int total = 0;
  for (const auto& [cond, v] : CellsByCondition(*s)) {
    EXPECT_LT(std::stoi(v), 60);
    total += std::stoi(v);
  }
  EXPECT_EQ(total, 240);  // exactly 4 cells per author
}

TEST(StoreTest, KeysArePrivateFilesApartFromTheDatabase) {
  TempDir dir;
  auto s = OpenStore(dir.Join("store"));
  const auto p1 = s->pseudonymizer().Pseudonym(kW2, "author", "x").value();
  EXPECT_EQ(p1, s->pseudonymizer().Pseudonym(kW2, "author", "x").value());
  EXPECT_NE(p1, s->pseudonymizer().Pseudonym(kW2, "author", "y").value());
  EXPECT_NE(p1, s->pseudonymizer().Pseudonym(kW3, "author", "x").value());  // per-window keys
  struct stat st {};
  ASSERT_EQ(::stat(dir.Join("store/keys/2026-W02.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(st.st_size, 32);
  ASSERT_EQ(::stat(dir.Join("store/keys").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  ASSERT_EQ(::stat(dir.Join("store").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  // A second process (here: a second Store) gets the same key.
  s.reset();
  auto s2 = OpenStore(dir.Join("store"));
  EXPECT_EQ(p1, s2->pseudonymizer().Pseudonym(kW2, "author", "x").value());
}

// A kill while a key is made leaves no key file or a whole one: a key is written aside and
// linked into place. What a killed process left aside is removed when the store opens; a
// key file an older version's crash cut short is made anew (no post used it).
TEST(StoreTest, KeysAppearWholeAfterAKillWhileMakingOne) {
  TempDir dir;
  { auto s = OpenStore(dir.Join("store")); }
  const std::string keys = dir.Join("store/keys");
  // A process that is gone (no pid exceeds 4194304, Linux's PID_MAX_LIMIT) left a key aside.
  const std::string aside = keys + "/2026-W02.key.new.4194305";
  { std::ofstream(aside) << "0123456789"; }
  // A key file cut short by a crash.
  { std::ofstream(keys + "/2026-W02.key") << "short"; }
  auto s = OpenStore(dir.Join("store"));
  EXPECT_FALSE(std::filesystem::exists(aside));
  const auto p1 = s->pseudonymizer().Pseudonym(kW2, "author", "x");
  ASSERT_TRUE(p1.ok()) << p1.status().ToString();
  struct stat st {};
  ASSERT_EQ(::stat((keys + "/2026-W02.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_size, 32);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  for (const auto& e : std::filesystem::directory_iterator(keys)) {
    EXPECT_EQ(e.path().filename().string().find(".new."), std::string::npos) << e.path();
  }
  // The key made is the key kept.
  s.reset();
  auto s2 = OpenStore(dir.Join("store"));
  EXPECT_EQ(p1.value(), s2->pseudonymizer().Pseudonym(kW2, "author", "x").value());
}

TEST(StoreTest, SchemaHasNoFreeTextColumn) {
  TempDir dir;
  auto s = OpenStore(dir.path());
  // Every TEXT column must be one of these: dimension codes, hashes, names and
  // fixed words — and the source cursor (design.md's one exception).
  const std::set<std::string> allowed = {"window",      "community",     "condition", "need",
                                         "experiencer", "source",        "cursor",    "table_name",
                                         "policy_hash", "taxonomy_hash", "job",       "outcome"};
  // The published side (releases, cells, marginals, ledger) has no free text at all.
  const std::set<std::string> published = {"release", "cell", "marginal", "ledger"};
  SQLite::Database db(s->db_path());
  SQLite::Statement tables(db, "SELECT name FROM sqlite_master WHERE type = 'table'");
  int columns = 0;
  while (tables.executeStep()) {
    const std::string table = tables.getColumn(0).getString();
    SQLite::Statement cols(db, "PRAGMA table_info(" + table + ")");
    while (cols.executeStep()) {
      ++columns;
      const std::string name = cols.getColumn(1).getString();
      const std::string type = cols.getColumn(2).getString();
      if (type == "TEXT") {
        EXPECT_TRUE(allowed.count(name)) << table << "." << name << " is a TEXT column not in the allowed list";
        EXPECT_TRUE(!published.count(table) || name != "cursor") << table << "." << name;
      } else {
        EXPECT_TRUE(type == "INTEGER" || type == "BLOB") << table << "." << name << " has type " << type;
      }
    }
  }
  EXPECT_GT(columns, 30);
}

TEST(StoreTest, QueryGroupsFiltersAndFormats) {
  TempDir dir;
  auto s = OpenStore(dir.path());
  std::vector<PostContribution> posts;
  std::uint64_t id = 0;
  for (const Window& w : {kW2, kW3}) {
    for (std::uint64_t a = 0; a < 20; ++a, ++id) posts.push_back(Post(w, id, a, {Cell(w, "diabetes", "information")}));
    for (std::uint64_t a = 0; a < 30; ++a, ++id)
      posts.push_back(Post(w, id, a + 100, {Cell(w, "diabetes", "financial")}));
  }
  ASSERT_TRUE(s->CommitBatch("src", "c", posts).ok());
  ASSERT_EQ(s->ReleaseClosedWindows(kLater, Loose()).value().size(), 2u);
  QueryOptions q;
  q.by = {"window", "need"};
  q.since = "2026-W03";
  auto r = s->Query(q).value();
  EXPECT_EQ(r.table, "marginals");  // no community or experiencer involved
  ASSERT_EQ(r.rows.size(), 2u);
  EXPECT_EQ(r.rows[0], (std::vector<std::string>{"2026-W03", "financial", "30", "1", "0"}));
  EXPECT_EQ(FormatQueryResult(r, OutputFormat::kCsv),
            "window,need,authors,cells,margin95\n2026-W03,financial,30,1,0\n2026-W03,information,20,1,0\n");
  EXPECT_EQ(
      FormatQueryResult(r, OutputFormat::kJson),
      "[\n {\"window\": \"2026-W03\", \"need\": \"financial\", \"authors\": 30, \"cells\": 1, \"margin95\": 0},\n"
      " {\"window\": \"2026-W03\", \"need\": \"information\", \"authors\": 20, \"cells\": 1, \"margin95\": 0}\n]\n");
  q = QueryOptions{};
  q.by = {"need"};
  q.need = "financial";
  EXPECT_EQ(s->Query(q).value().rows, (std::vector<std::vector<std::string>>{{"financial", "60", "2", "0"}}));
  q.by = {"community"};
  EXPECT_EQ(s->Query(q).value().table, "cells");
  q.table = QueryTable::kMarginals;
  EXPECT_EQ(s->Query(q).status().code(), StatusCode::kInvalidArgument);
  q.table = QueryTable::kAuto;
  q.by = {"nonsense"};
  EXPECT_EQ(s->Query(q).status().code(), StatusCode::kInvalidArgument);
  q.by = {"need; DROP TABLE cell"};
  EXPECT_EQ(s->Query(q).status().code(), StatusCode::kInvalidArgument);
  q.by = {};
  q.since = "W3";
  EXPECT_EQ(s->Query(q).status().code(), StatusCode::kInvalidArgument);
}

TEST(StoreTest, LedgerChargesEveryTableAndRefusesBeyondTheCap) {
  TempDir dir;
  auto s = OpenStore(dir.path());
  std::vector<PostContribution> posts;
  std::uint64_t id = 0;
  for (const Window& w : {kW2, kW3}) {
    for (std::uint64_t a = 0; a < 30; ++a, ++id) posts.push_back(Post(w, id, a, {Cell(w, "diabetes")}));
  }
  ASSERT_TRUE(s->CommitBatch("src", "c", posts).ok());
  ReleaseOptions o = Loose();
  o.epsilon = 50.0;
  o.epsilon_cap = 150.0;  // room for one window (2 tables x 50), not two
  const auto first = s->ReleaseClosedWindows(kLater, o);
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(first.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(first.status().message().find("privacy budget exhausted: releasing 2026-W03"), std::string::npos)
      << first.status().message();
  // 2026-W02 was released and charged before the refusal; 2026-W03 stays staged.
  EXPECT_TRUE(s->IsReleased(kW2).value());
  EXPECT_FALSE(s->IsReleased(kW3).value());
  const auto ledger = s->Ledger().value();
  ASSERT_EQ(ledger.size(), 2u);
  EXPECT_EQ(ledger[0].table, "cells");
  EXPECT_EQ(ledger[1].table, "marginals");
  EXPECT_EQ(ledger[0].epsilon_micros, 50000000);
  EXPECT_EQ(ledger[0].delta_picos, 10000000000);
  // Raising the cap lets the staged window out, once.
  o.epsilon_cap = 200.0;
  EXPECT_EQ(s->ReleaseClosedWindows(kLater, o).value().size(), 1u);
  EXPECT_EQ(s->Ledger().value().size(), 4u);
  EXPECT_EQ(FormatLedger(s->Ledger().value(), 200.0, 0.9, OutputFormat::kTable).find("spent: epsilon 200.000000"),
            FormatLedger(s->Ledger().value(), 200.0, 0.9, OutputFormat::kTable).rfind("spent: epsilon 200.000000"));
}

TEST(StoreTest, LedgerRoundsChargesUp) {
  EXPECT_EQ(EpsilonMicros(1.0), 1000000);
  EXPECT_EQ(EpsilonMicros(0.1), 100000);
  EXPECT_EQ(EpsilonMicros(0.1000001), 100001);
  EXPECT_EQ(DeltaPicos(1e-6), 1000000);
  EXPECT_EQ(DeltaPicos(1.5e-12), 2);
}

TEST(StoreTest, ConcurrentReleasesReleaseExactlyOnce) {
  TempDir dir;
  {
    auto s = OpenStore(dir.path());
    std::vector<PostContribution> posts;
    for (std::uint64_t a = 0; a < 30; ++a) posts.push_back(Post(kW2, a, a, {Cell(kW2, "diabetes")}));
    ASSERT_TRUE(s->CommitBatch("src", "c", posts).ok());
  }
  // Four independent connections (as four processes would have) race to release.
  std::vector<std::unique_ptr<Store>> stores;
  for (int i = 0; i < 4; ++i) stores.push_back(OpenStore(dir.path()));
  std::vector<std::size_t> released(4, 99);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      auto r = stores[static_cast<std::size_t>(i)]->ReleaseClosedWindows(kLater, Loose());
      released[static_cast<std::size_t>(i)] = r.ok() ? r->size() : 100;
    });
  }
  for (auto& t : threads) t.join();
  std::size_t total = 0;
  for (const std::size_t n : released) {
    EXPECT_LE(n, 1u);
    total += n;
  }
  EXPECT_EQ(total, 1u);
  EXPECT_EQ(stores[0]->Ledger().value().size(), 2u);  // charged once
}

TEST(StoreTest, MarginalsAreTheirOwnTableNotSumsOfCells) {
  TempDir dir;
  auto s = OpenStore(dir.path());
  // 30 authors, each writing about diabetes/information in two communities:
  // the cells say 30 and 30, the marginal (distinct authors) says 30, not 60.
  std::vector<PostContribution> posts;
  for (std::uint64_t a = 0; a < 30; ++a) {
    CellKey other = Cell(kW2, "diabetes");
    other.community = "other-forum";
    posts.push_back(Post(kW2, a, a, {Cell(kW2, "diabetes"), other}));
  }
  ASSERT_TRUE(s->CommitBatch("src", "c", posts).ok());
  ASSERT_EQ(s->ReleaseClosedWindows(kLater, Loose()).value().size(), 1u);
  QueryOptions q;
  q.by = {"condition"};
  q.table = QueryTable::kCells;
  EXPECT_EQ(s->Query(q).value().rows[0][1], "60");  // a sum of cells counts an author once per cell
  q.table = QueryTable::kMarginals;
  EXPECT_EQ(s->Query(q).value().rows[0][1], "30");
  SQLite::Database db(s->db_path());
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM marginal").getInt(), 1);
  EXPECT_EQ(db.execAndGet("SELECT COUNT(DISTINCT release_id) FROM ledger").getInt(), 2);
}

TEST(StoreTest, TheSameQueryAlwaysGetsTheSameNoisyAnswer) {
  TempDir dir;
  auto s = OpenStore(dir.path());
  std::vector<PostContribution> posts;
  for (std::uint64_t a = 0; a < 150; ++a) posts.push_back(Post(kW2, a, a, {Cell(kW2, "diabetes")}));
  ASSERT_TRUE(s->CommitBatch("src", "c", posts).ok());
  ReleaseOptions o = Loose();
  o.epsilon = 0.5;  // real noise (scale 4; threshold about 66)
  o.delta = 1e-6;
  ASSERT_EQ(s->ReleaseClosedWindows(kLater, o).value().size(), 1u);
  QueryOptions q;
  q.table = QueryTable::kCells;
  const auto first = s->Query(q).value().rows;
  ASSERT_EQ(first.size(), 1u);
  // Averaging attack: ask 50 times, release again, reopen: always the same value.
  for (int i = 0; i < 50; ++i) ASSERT_EQ(s->Query(q).value().rows, first);
  EXPECT_TRUE(s->ReleaseClosedWindows(kLater, o).value().empty());
  s.reset();
  auto reopened = OpenStore(dir.path());
  EXPECT_EQ(reopened->Query(q).value().rows, first);
}

// A store of schema 2 (run outcomes 'ok' and 'failed' only) is migrated on
// open: its runs stay, with their per-source rows, and 'interrupted' is taken.
TEST(StoreTest, Schema2StoreIsMigratedKeepingItsRuns) {
  TempDir dir;
  {
    SQLite::Database db(dir.Join("peerpulse.db"), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("CREATE TABLE schema_version (version INTEGER NOT NULL)");
    db.exec("INSERT INTO schema_version VALUES (2)");
    db.exec(
        "CREATE TABLE run (run_id INTEGER PRIMARY KEY, job TEXT NOT NULL, policy_hash TEXT NOT NULL,"
        " taxonomy_hash TEXT NOT NULL, started_at INTEGER NOT NULL, ended_at INTEGER NOT NULL,"
        " fetched INTEGER NOT NULL, deidentified INTEGER NOT NULL, dropped INTEGER NOT NULL,"
        " classified INTEGER NOT NULL, contributed INTEGER NOT NULL, duplicates INTEGER NOT NULL,"
        " late INTEGER NOT NULL, record_errors INTEGER NOT NULL,"
        " outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'failed')))");
    db.exec(
        "CREATE TABLE run_source (run_id INTEGER NOT NULL REFERENCES run (run_id), source TEXT NOT NULL,"
        " fetched INTEGER NOT NULL, record_errors INTEGER NOT NULL, skipped INTEGER NOT NULL,"
        " failed INTEGER NOT NULL CHECK (failed IN (0, 1)), PRIMARY KEY (run_id, source))");
    db.exec("INSERT INTO run VALUES (1, 'old', 'p', 't', 100, 200, 5, 5, 0, 4, 4, 0, 0, 0, 'failed')");
    db.exec("INSERT INTO run_source VALUES (1, 'forum', 5, 0, 0, 0)");
  }
  auto s = OpenStore(dir.path());
  RunRecord r;
  r.job = "new";
  r.policy_hash = "p";
  r.taxonomy_hash = "t";
  r.outcome = "interrupted";
  r.sources.push_back(RunSourceRecord{"forum", 2, 0, 0, false});
  ASSERT_TRUE(s->RecordRun(r).ok());
  auto runs = s->Runs(10);
  ASSERT_TRUE(runs.ok()) << runs.status().ToString();
  ASSERT_EQ(runs->size(), 2u);
  EXPECT_EQ((*runs)[0].job, "old");  // oldest first
  EXPECT_EQ((*runs)[0].outcome, "failed");
  ASSERT_EQ((*runs)[0].sources.size(), 1u);
  EXPECT_EQ((*runs)[0].sources[0].fetched, 5u);
  EXPECT_EQ((*runs)[1].outcome, "interrupted");
  s.reset();
  SQLite::Database db(dir.Join("peerpulse.db"));
  EXPECT_EQ(db.execAndGet("SELECT version FROM schema_version").getInt(), 3);
  // Opening again does nothing more.
  EXPECT_EQ(OpenStore(dir.path())->Runs(10)->size(), 2u);
}

TEST(StoreTest, NotAStoreIsReportedNotCrashed) {
  TempDir dir;
  testing::WriteFile(dir.Join("peerpulse.db"), std::string(4096, 'x'));
  StoreOptions o;
  o.dir = dir.path();
  const auto s = Store::Open(o);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kDataLoss) << s.status().ToString();
}

}  // namespace
}  // namespace peerpulse::store
