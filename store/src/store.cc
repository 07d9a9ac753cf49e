#include "peerpulse/store/store.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "keyring.h"
#include "peerpulse/store/noise.h"
#include "schema.h"

namespace peerpulse::store {
namespace {

// Converts a dependency exception into a Status at the stage boundary.
template <typename F>
auto Guard(std::string_view what, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const SQLite::Exception& e) {
    const int code = e.getErrorCode();
    std::string m = std::string(what) + ": " + e.what();
    if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB) return Status::DataLoss(std::move(m));
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED) return Status::Unavailable(std::move(m));
    if (code == SQLITE_CONSTRAINT) return Status::Internal(std::move(m));
    return Status::IoError(std::move(m));
  } catch (const std::exception& e) {
    return Status::Internal(std::string(what) + ": " + e.what());
  }
}

void BindDigest(SQLite::Statement& st, int index, const Digest& d) {
  st.bind(index, d.data(), static_cast<int>(d.size()));
}

std::string DigestKey(const void* data, int size) {
  return std::string(static_cast<const char*>(data), static_cast<std::size_t>(size));
}

}  // namespace

struct Store::Impl {
  std::string dir;
  std::string db_path;
  std::mutex mu;  // guards db (the keyring's callback may come from other threads)
  std::unique_ptr<SQLite::Database> db;
  std::unique_ptr<WindowKeyring> keyring;

  Result<bool> IsReleasedLocked(const std::string& window) {
    return Guard("window state", [&]() -> Result<bool> {
      SQLite::Statement q(*db, "SELECT released FROM window_state WHERE window = ?");
      q.bind(1, window);
      return q.executeStep() && q.getColumn(0).getInt() == 1;
    });
  }
};

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::~Store() = default;

const std::string& Store::db_path() const { return impl_->db_path; }
Pseudonymizer& Store::pseudonymizer() { return *impl_->keyring; }

Result<std::unique_ptr<Store>> Store::Open(const StoreOptions& options) {
  if (options.dir.empty()) return Status::InvalidArgument("store directory is empty");
  {
    // Parents as the umask says; the store directory itself is private (0700).
    std::error_code ec;
    const std::filesystem::path dir(options.dir);
    if (dir.has_parent_path()) std::filesystem::create_directories(dir.parent_path(), ec);
    if (::mkdir(options.dir.c_str(), 0700) != 0 && errno != EEXIST) {
      return Status::IoError(options.dir + ": " + std::strerror(errno));
    }
  }
  auto impl = std::make_unique<Impl>();
  impl->dir = options.dir;
  impl->db_path = options.dir + "/peerpulse.db";
  PEERPULSE_RETURN_IF_ERROR(Guard(impl->db_path, [&]() -> Status {
    // Create the file 0600 before SQLite does (it would use the umask).
    const int fd = ::open(impl->db_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return Status::IoError(impl->db_path + ": " + std::strerror(errno));
    ::close(fd);
    impl->db = std::make_unique<SQLite::Database>(impl->db_path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE,
                                                  options.busy_timeout_ms);
    SQLite::Database& db = *impl->db;
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA synchronous = FULL");
    db.exec("PRAGMA secure_delete = ON");   // deleted staging rows are overwritten, not left in free pages
    db.exec("PRAGMA temp_store = MEMORY");  // no temporary files beside the database
    db.exec("PRAGMA foreign_keys = ON");
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    for (const char* sql : kSchema) db.exec(sql);
    SQLite::Statement v(db, "SELECT version FROM schema_version");
    if (v.executeStep()) {
      if (v.getColumn(0).getInt() != kSchemaVersion) {
        return Status::DataLoss(impl->db_path + ": made by another peerpulse version (schema " +
                                std::to_string(v.getColumn(0).getInt()) + ", this version reads " +
                                std::to_string(kSchemaVersion) + "); use a new store directory");
      }
    } else {
      db.exec("INSERT INTO schema_version (version) VALUES (" + std::to_string(kSchemaVersion) + ")");
    }
    tx.commit();
    return Status::Ok();
  }));
  Impl* raw = impl.get();
  impl->keyring = std::make_unique<WindowKeyring>(options.dir + "/keys", [raw](const Window& w) -> Result<bool> {
    std::lock_guard<std::mutex> lock(raw->mu);
    return raw->IsReleasedLocked(w.Name());
  });
  PEERPULSE_RETURN_IF_ERROR(impl->keyring->Init());
  // A crash between a release's commit and its key's destruction leaves a key
  // behind: destroy keys of released windows now.
  std::vector<std::string> released;
  PEERPULSE_RETURN_IF_ERROR(Guard("open", [&]() -> Status {
    SQLite::Statement q(*impl->db, "SELECT window FROM window_state WHERE released = 1");
    while (q.executeStep()) released.push_back(q.getColumn(0).getString());
    return Status::Ok();
  }));
  for (const auto& w : released) PEERPULSE_RETURN_IF_ERROR(impl->keyring->Destroy(w));
  return std::unique_ptr<Store>(new Store(std::move(impl)));
}

Result<bool> Store::IsReleased(const Window& window) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->IsReleasedLocked(window.Name());
}

Result<std::string> Store::Cursor(std::string_view source) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return Guard("cursor", [&]() -> Result<std::string> {
    SQLite::Statement q(*impl_->db, "SELECT cursor FROM source_cursor WHERE source = ?");
    q.bind(1, std::string(source));
    if (q.executeStep()) return q.getColumn(0).getString();
    return std::string();
  });
}

Result<BatchResult> Store::CommitBatch(std::string_view source, std::string_view cursor,
                                       std::span<const PostContribution> posts) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return Guard("commit batch", [&]() -> Result<BatchResult> {
    SQLite::Database& db = *impl_->db;
    BatchResult res;
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement released(db, "SELECT released FROM window_state WHERE window = ?");
    SQLite::Statement open_window(db, "INSERT INTO window_state (window, released) VALUES (?, 0) "
                                      "ON CONFLICT (window) DO NOTHING");
    SQLite::Statement seen(db, "INSERT INTO staging_seen (window, dedup_key) VALUES (?, ?) "
                               "ON CONFLICT (window, dedup_key) DO NOTHING");
    SQLite::Statement contrib(db,
                              "INSERT INTO staging_contribution "
                              "(window, community, condition, need, experiencer, author) VALUES (?, ?, ?, ?, ?, ?) "
                              "ON CONFLICT (window, author, community, condition, need, experiencer) DO NOTHING");
    std::map<std::string, bool> window_released;
    for (const PostContribution& p : posts) {
      const std::string win = p.window.Name();
      auto it = window_released.find(win);
      if (it == window_released.end()) {
        released.bind(1, win);
        const bool r = released.executeStep() && released.getColumn(0).getInt() == 1;
        released.reset();
        if (!r) {
          open_window.bind(1, win);
          open_window.exec();
          open_window.reset();
        }
        it = window_released.emplace(win, r).first;
      }
      if (it->second) {
        ++res.late;
        continue;
      }
      seen.bind(1, win);
      BindDigest(seen, 2, p.dedup_key);
      const int added = seen.exec();
      seen.reset();
      if (added == 0) {
        ++res.duplicates;
        continue;
      }
      ++res.accepted;
      for (const CellKey& c : p.cells) {
        contrib.bind(1, c.window);
        contrib.bind(2, c.community);
        contrib.bind(3, c.condition);
        contrib.bind(4, c.need);
        contrib.bind(5, c.experiencer);
        BindDigest(contrib, 6, p.author);
        res.contributions += static_cast<std::size_t>(contrib.exec());
        contrib.reset();
      }
    }
    SQLite::Statement cur(db, "INSERT INTO source_cursor (source, cursor) VALUES (?, ?) "
                              "ON CONFLICT (source) DO UPDATE SET cursor = excluded.cursor");
    cur.bind(1, std::string(source));
    cur.bind(2, std::string(cursor));
    cur.exec();
    tx.commit();
    return res;
  });
}

namespace {

// Exact distinct-author counts of one table, each author bounded to at most
// `max_per_author` of its keys (chosen uniformly with the CSPRNG).
template <typename Key>
struct BoundedCounts {
  std::vector<Key> keys;
  std::vector<std::int64_t> counts;
  std::size_t authors_bounded = 0;
};

template <typename Key>
BoundedCounts<Key> CountBounded(std::unordered_map<std::string, std::vector<Key>>& by_author,
                                std::size_t max_per_author) {
  BoundedCounts<Key> out;
  std::map<Key, std::size_t> index;
  for (auto& [author, keys] : by_author) {
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    if (keys.size() > max_per_author) {
      for (std::size_t i = 0; i < max_per_author; ++i) {
        const std::size_t j = i + static_cast<std::size_t>(SecureRandomBelow(keys.size() - i));
        std::swap(keys[i], keys[j]);
      }
      keys.resize(max_per_author);
      ++out.authors_bounded;
    }
    for (const Key& k : keys) {
      auto [it, inserted] = index.emplace(k, out.keys.size());
      if (inserted) {
        out.keys.push_back(k);
        out.counts.push_back(0);
      }
      ++out.counts[it->second];
    }
  }
  return out;
}

using MarginalKey = std::pair<std::string, std::string>;  // condition, need

}  // namespace

Result<std::vector<WindowRelease>> Store::ReleaseClosedWindows(std::int64_t now_unix, const ReleaseOptions& options) {
  if (options.min_authors < 11) return Status::InvalidArgument("min_authors must be at least 11");
  DpParams dp;
  dp.min_authors = options.min_authors;
  dp.max_cells_per_author = options.max_cells_per_author;
  dp.epsilon = options.epsilon;
  dp.delta = options.delta;
  PEERPULSE_ASSIGN_OR_RETURN(const NoisyThreshold noise, NoisyThreshold::Create(dp));
  const std::int64_t eps_charge = EpsilonMicros(options.epsilon);
  const std::int64_t delta_charge = DeltaPicos(options.delta);
  const std::int64_t eps_cap = static_cast<std::int64_t>(std::floor(options.epsilon_cap * 1e6 + 1e-9));
  const std::int64_t delta_cap = static_cast<std::int64_t>(std::floor(options.delta_cap * 1e12 + 1e-9));

  std::vector<std::string> candidates;
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    PEERPULSE_RETURN_IF_ERROR(Guard("release", [&]() -> Status {
      SQLite::Statement q(*impl_->db, "SELECT window FROM window_state WHERE released = 0 ORDER BY window");
      while (q.executeStep()) candidates.push_back(q.getColumn(0).getString());
      return Status::Ok();
    }));
  }
  std::vector<WindowRelease> out;
  for (const std::string& name : candidates) {
    auto w = ParseWindow(name);
    if (!w.ok()) return Status::DataLoss(impl_->db_path + ": bad window name in window_state");
    if (w->EndUnix() + options.grace_seconds > now_unix) continue;

    std::unique_lock<std::mutex> lock(impl_->mu);
    auto released = Guard("release " + name, [&]() -> Result<std::optional<WindowRelease>> {
      SQLite::Database& db = *impl_->db;
      SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
      {
        // Another process may have released it since we looked.
        SQLite::Statement again(db, "SELECT released FROM window_state WHERE window = ?");
        again.bind(1, name);
        if (!again.executeStep() || again.getColumn(0).getInt() == 1) return std::optional<WindowRelease>();
      }
      {
        // The budget: both tables of this window must fit under the caps.
        SQLite::Statement spent(db, "SELECT COALESCE(SUM(epsilon_micros), 0), COALESCE(SUM(delta_picos), 0) FROM ledger");
        spent.executeStep();
        const std::int64_t eps_spent = spent.getColumn(0).getInt64();
        const std::int64_t delta_spent = spent.getColumn(1).getInt64();
        if (eps_spent + 2 * eps_charge > eps_cap || delta_spent + 2 * delta_charge > delta_cap) {
          return Status::FailedPrecondition(
              "privacy budget exhausted: releasing " + name + " needs epsilon " + std::to_string(2 * eps_charge) +
              "e-6 and delta " + std::to_string(2 * delta_charge) + "e-12, but " + std::to_string(eps_spent) +
              "e-6 of the cap " + std::to_string(eps_cap) + "e-6 and " + std::to_string(delta_spent) +
              "e-12 of the cap " + std::to_string(delta_cap) + "e-12 are spent; raise the policy's caps or stop releasing");
        }
      }
      // Exact distinct-author counts, in memory, per table.
      std::unordered_map<std::string, std::vector<CellKey>> cells_by_author;
      std::unordered_map<std::string, std::vector<MarginalKey>> marginals_by_author;
      SQLite::Statement rows(db,
                             "SELECT community, condition, need, experiencer, author FROM staging_contribution "
                             "WHERE window = ?");
      rows.bind(1, name);
      while (rows.executeStep()) {
        const SQLite::Column author = rows.getColumn(4);
        const std::string a = DigestKey(author.getBlob(), author.getBytes());
        CellKey key{name, rows.getColumn(0).getString(), rows.getColumn(1).getString(),
                    rows.getColumn(2).getString(), rows.getColumn(3).getString()};
        marginals_by_author[a].emplace_back(key.condition, key.need);
        cells_by_author[a].push_back(std::move(key));
      }
      const auto l0 = static_cast<std::size_t>(options.max_cells_per_author);
      const BoundedCounts<CellKey> cells = CountBounded(cells_by_author, l0);
      const BoundedCounts<MarginalKey> marginals = CountBounded(marginals_by_author, l0);

      WindowRelease rel;
      rel.window = name;
      rel.authors_bounded = cells.authors_bounded;
      rel.min_noisy_value = noise.min_noisy_value();
      const std::int64_t h = noise.ci95_halfwidth();
      SQLite::Statement ins_rel(db,
                                "INSERT INTO release (window, table_name, released_at, policy_hash, taxonomy_hash, "
                                "min_authors, max_cells_per_author, epsilon_micros, delta_picos, min_noisy_value, "
                                "ci95_halfwidth, cells_released, cells_withheld) "
                                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0)");
      SQLite::Statement charge(db, "INSERT INTO ledger (release_id, epsilon_micros, delta_picos, charged_at) "
                                   "VALUES (?, ?, ?, ?)");
      SQLite::Statement counts(db, "UPDATE release SET cells_released = ?, cells_withheld = ? WHERE release_id = ?");
      const auto open_release = [&](const char* table) {
        ins_rel.reset();
        ins_rel.bind(1, name);
        ins_rel.bind(2, table);
        ins_rel.bind(3, static_cast<std::int64_t>(now_unix));
        ins_rel.bind(4, options.policy_hash);
        ins_rel.bind(5, options.taxonomy_hash);
        ins_rel.bind(6, options.min_authors);
        ins_rel.bind(7, options.max_cells_per_author);
        ins_rel.bind(8, eps_charge);
        ins_rel.bind(9, delta_charge);
        ins_rel.bind(10, noise.min_noisy_value());
        ins_rel.bind(11, h);
        ins_rel.exec();
        const std::int64_t id = db.getLastInsertRowid();
        charge.reset();
        charge.bind(1, id);
        charge.bind(2, eps_charge);
        charge.bind(3, delta_charge);
        charge.bind(4, static_cast<std::int64_t>(now_unix));
        charge.exec();
        return id;
      };
      const auto close_release = [&](std::int64_t id, std::size_t released_n, std::size_t withheld_n) {
        counts.reset();
        counts.bind(1, static_cast<std::int64_t>(released_n));
        counts.bind(2, static_cast<std::int64_t>(withheld_n));
        counts.bind(3, id);
        counts.exec();
      };

      const std::int64_t cells_id = open_release("cells");
      SQLite::Statement ins_cell(db,
                                 "INSERT INTO cell (release_id, window, community, condition, need, experiencer, "
                                 "value, ci_low, ci_high, min_authors) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
      for (std::size_t i = 0; i < cells.keys.size(); ++i) {
        const std::optional<std::int64_t> v = noise.Apply(cells.counts[i]);
        if (!v.has_value()) {
          ++rel.cells_withheld;
          continue;
        }
        const CellKey& k = cells.keys[i];
        ins_cell.reset();
        ins_cell.bind(1, cells_id);
        ins_cell.bind(2, name);
        ins_cell.bind(3, k.community);
        ins_cell.bind(4, k.condition);
        ins_cell.bind(5, k.need);
        ins_cell.bind(6, k.experiencer);
        ins_cell.bind(7, *v);
        ins_cell.bind(8, *v - h);
        ins_cell.bind(9, *v + h);
        ins_cell.bind(10, options.min_authors);
        ins_cell.exec();
        ++rel.cells_released;
      }
      close_release(cells_id, rel.cells_released, rel.cells_withheld);

      const std::int64_t marginals_id = open_release("marginals");
      SQLite::Statement ins_m(db,
                              "INSERT INTO marginal (release_id, window, condition, need, value, ci_low, ci_high, "
                              "min_authors) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
      for (std::size_t i = 0; i < marginals.keys.size(); ++i) {
        const std::optional<std::int64_t> v = noise.Apply(marginals.counts[i]);
        if (!v.has_value()) {
          ++rel.marginals_withheld;
          continue;
        }
        ins_m.reset();
        ins_m.bind(1, marginals_id);
        ins_m.bind(2, name);
        ins_m.bind(3, marginals.keys[i].first);
        ins_m.bind(4, marginals.keys[i].second);
        ins_m.bind(5, *v);
        ins_m.bind(6, *v - h);
        ins_m.bind(7, *v + h);
        ins_m.bind(8, options.min_authors);
        ins_m.exec();
        ++rel.marginals_released;
      }
      close_release(marginals_id, rel.marginals_released, rel.marginals_withheld);

      SQLite::Statement mark(db, "UPDATE window_state SET released = 1 WHERE window = ?");
      mark.bind(1, name);
      mark.exec();
      SQLite::Statement del_c(db, "DELETE FROM staging_contribution WHERE window = ?");
      del_c.bind(1, name);
      del_c.exec();
      SQLite::Statement del_s(db, "DELETE FROM staging_seen WHERE window = ?");
      del_s.bind(1, name);
      del_s.exec();
      tx.commit();
      return std::optional<WindowRelease>(std::move(rel));
    });
    if (!released.ok()) return released.status();
    if (!released->has_value()) continue;
    // Push the deleted pages out of the WAL into the (secure-deleted) main file.
    PEERPULSE_RETURN_IF_ERROR(Guard("checkpoint", [&]() -> Status {
      impl_->db->exec("PRAGMA wal_checkpoint(TRUNCATE)");
      return Status::Ok();
    }));
    lock.unlock();
    PEERPULSE_RETURN_IF_ERROR(impl_->keyring->Destroy(name));
    out.push_back(std::move(**released));
  }
  return out;
}

Result<QueryResult> Store::Query(const QueryOptions& options) {
  QueryResult res;
  for (const auto& b : options.by) {
    if (std::find(std::begin(kDimensions), std::end(kDimensions), b) == std::end(kDimensions)) {
      return Status::InvalidArgument("unknown dimension '" + b + "' (use window, community, condition, need, experiencer)");
    }
    if (std::find(res.columns.begin(), res.columns.end(), b) != res.columns.end()) {
      return Status::InvalidArgument("dimension '" + b + "' given twice");
    }
    res.columns.push_back(b);
  }
  for (const auto* w : {&options.since, &options.until}) {
    if (!w->empty() && !ParseWindow(*w).ok()) return Status::InvalidArgument("'" + *w + "' is not a window like 2026-W03");
  }
  const bool needs_cells = std::find(res.columns.begin(), res.columns.end(), "community") != res.columns.end() ||
                           std::find(res.columns.begin(), res.columns.end(), "experiencer") != res.columns.end() ||
                           !options.community.empty() || !options.experiencer.empty();
  bool marginals = false;
  switch (options.table) {
    case QueryTable::kAuto: marginals = !needs_cells && !res.columns.empty(); break;
    case QueryTable::kCells: marginals = false; break;
    case QueryTable::kMarginals:
      if (needs_cells) return Status::InvalidArgument("marginals have no community or experiencer dimension");
      marginals = true;
      break;
  }
  if (res.columns.empty()) {
    if (marginals) {
      res.columns = {"window", "condition", "need"};
    } else {
      res.columns.assign(std::begin(kDimensions), std::end(kDimensions));
    }
  }
  res.table = marginals ? "marginals" : "cells";
  std::string cols;
  for (const auto& c : res.columns) cols += (cols.empty() ? "" : ", ") + c;
  std::string sql = "SELECT " + cols + ", SUM(value), COUNT(*), SUM((ci_high - value) * (ci_high - value)) FROM " +
                    (marginals ? std::string("marginal") : std::string("cell")) + " WHERE 1 = 1";
  std::vector<std::string> args;
  const auto filter = [&](const char* clause, const std::string& v) {
    if (v.empty()) return;
    sql += clause;
    args.push_back(v);
  };
  filter(" AND window >= ?", options.since);
  filter(" AND window <= ?", options.until);
  filter(" AND community = ?", options.community);
  filter(" AND condition = ?", options.condition);
  filter(" AND need = ?", options.need);
  filter(" AND experiencer = ?", options.experiencer);
  sql += " GROUP BY " + cols + " ORDER BY " + cols;
  const std::size_t dims = res.columns.size();
  res.columns.emplace_back("authors");
  res.columns.emplace_back("cells");
  res.columns.emplace_back("margin95");

  std::lock_guard<std::mutex> lock(impl_->mu);
  PEERPULSE_RETURN_IF_ERROR(Guard("query", [&]() -> Status {
    SQLite::Statement q(*impl_->db, sql);
    for (std::size_t i = 0; i < args.size(); ++i) q.bind(static_cast<int>(i + 1), args[i]);
    while (q.executeStep()) {
      std::vector<std::string> row;
      row.reserve(dims + 3);
      for (std::size_t i = 0; i < dims; ++i) row.push_back(q.getColumn(static_cast<int>(i)).getString());
      row.push_back(std::to_string(q.getColumn(static_cast<int>(dims)).getInt64()));
      const std::int64_t n = q.getColumn(static_cast<int>(dims + 1)).getInt64();
      row.push_back(std::to_string(n));
      const double sq = static_cast<double>(q.getColumn(static_cast<int>(dims + 2)).getInt64());
      row.push_back(std::to_string(static_cast<std::int64_t>(std::ceil(std::sqrt(sq) - 1e-9))));
      res.rows.push_back(std::move(row));
    }
    return Status::Ok();
  }));
  return res;
}

Result<std::vector<LedgerEntry>> Store::Ledger() {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return Guard("ledger", [&]() -> Result<std::vector<LedgerEntry>> {
    SQLite::Statement q(*impl_->db,
                        "SELECT r.release_id, r.window, r.table_name, r.released_at, l.epsilon_micros, "
                        "l.delta_picos, r.cells_released, r.cells_withheld, r.policy_hash "
                        "FROM release r JOIN ledger l ON l.release_id = r.release_id ORDER BY r.release_id");
    std::vector<LedgerEntry> out;
    while (q.executeStep()) {
      LedgerEntry e;
      e.release_id = q.getColumn(0).getInt64();
      e.window = q.getColumn(1).getString();
      e.table = q.getColumn(2).getString();
      e.released_at = q.getColumn(3).getInt64();
      e.epsilon_micros = q.getColumn(4).getInt64();
      e.delta_picos = q.getColumn(5).getInt64();
      e.released = static_cast<std::size_t>(q.getColumn(6).getInt64());
      e.withheld = static_cast<std::size_t>(q.getColumn(7).getInt64());
      e.policy_hash = q.getColumn(8).getString();
      out.push_back(std::move(e));
    }
    return out;
  });
}

Status Store::RecordRun(const RunRecord& run) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return Guard("run ledger", [&]() -> Status {
    SQLite::Statement q(*impl_->db,
                        "INSERT INTO run (job, policy_hash, taxonomy_hash, started_at, ended_at, fetched, "
                        "deidentified, dropped, classified, contributed, duplicates, late, record_errors, outcome) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    int i = 0;
    q.bind(++i, run.job);
    q.bind(++i, run.policy_hash);
    q.bind(++i, run.taxonomy_hash);
    q.bind(++i, static_cast<std::int64_t>(run.started_at));
    q.bind(++i, static_cast<std::int64_t>(run.ended_at));
    for (const std::size_t v : {run.fetched, run.deidentified, run.dropped, run.classified, run.contributed,
                                run.duplicates, run.late, run.record_errors}) {
      q.bind(++i, static_cast<std::int64_t>(v));
    }
    q.bind(++i, run.outcome);
    q.exec();
    return Status::Ok();
  });
}

}  // namespace peerpulse::store
