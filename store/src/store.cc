#include "peerpulse/store/store.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
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

}  // namespace

struct Store::Impl {
  std::string dir;
  std::string db_path;
  std::mutex mu;  // guards db (the keyring's callback may come from other threads)
  std::unique_ptr<SQLite::Database> db;
  std::unique_ptr<WindowKeyring> keyring;
  // Committed staging cell ids: (window, community, condition, need,
  // experiencer) -> cell_id. An id, once committed, never changes while its
  // window is open, so the cache stays valid across transactions and processes.
  std::map<CellKey, std::int64_t> cell_ids;

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
    // Foreign keys stay off until the schema is current: a migration copies
    // tables that others reference (SQLite's documented procedure).
    db.exec("PRAGMA foreign_keys = OFF");
    {
      SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
      for (const char* sql : kSchema) db.exec(sql);
      int version = 0;
      {
        SQLite::Statement v(db, "SELECT version FROM schema_version");
        if (v.executeStep()) version = v.getColumn(0).getInt();
      }
      if (version == 0) {
        db.exec("INSERT INTO schema_version (version) VALUES (" + std::to_string(kSchemaVersion) + ")");
      } else if (version == 2) {
        for (const char* sql : kMigrate2To3) db.exec(sql);
        SQLite::Statement fk(db, "PRAGMA foreign_key_check");
        if (fk.executeStep()) return Status::DataLoss(impl->db_path + ": migration to schema 3 broke a reference");
      } else if (version != kSchemaVersion) {
        return Status::DataLoss(impl->db_path + ": made by another peerpulse version (schema " +
                                std::to_string(version) + ", this version reads " + std::to_string(kSchemaVersion) +
                                "); use a new store directory");
      }
      tx.commit();
    }
    db.exec("PRAGMA foreign_keys = ON");
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
    SQLite::Statement open_window(db,
                                  "INSERT INTO window_state (window, released) VALUES (?, 0) "
                                  "ON CONFLICT (window) DO NOTHING");
    SQLite::Statement seen(db,
                           "INSERT INTO staging_seen (window, dedup_key) VALUES (?, ?) "
                           "ON CONFLICT (window, dedup_key) DO NOTHING");
    SQLite::Statement contrib(db,
                              "INSERT INTO staging_contribution (window, author, cell_id) VALUES (?, ?, ?) "
                              "ON CONFLICT (window, author, cell_id) DO NOTHING");
    SQLite::Statement find_cell(db,
                                "SELECT cell_id FROM staging_cell WHERE window = ? AND community = ? AND "
                                "condition = ? AND need = ? AND experiencer = ?");
    SQLite::Statement add_cell(db,
                               "INSERT INTO staging_cell (window, cell_id, community, condition, need, experiencer) "
                               "SELECT ?, COALESCE(MAX(cell_id), 0) + 1, ?, ?, ?, ? FROM staging_cell WHERE window = ? "
                               "RETURNING cell_id");
    std::map<CellKey, std::int64_t> new_ids;  // joins the cache only once committed
    const auto cell_id = [&](const CellKey& c) -> std::int64_t {
      if (auto it = impl_->cell_ids.find(c); it != impl_->cell_ids.end()) return it->second;
      if (auto it = new_ids.find(c); it != new_ids.end()) return it->second;
      find_cell.reset();
      find_cell.bind(1, c.window);
      find_cell.bind(2, c.community);
      find_cell.bind(3, c.condition);
      find_cell.bind(4, c.need);
      find_cell.bind(5, c.experiencer);
      std::int64_t id = 0;
      if (find_cell.executeStep()) {
        id = find_cell.getColumn(0).getInt64();
      } else {
        add_cell.reset();
        add_cell.bind(1, c.window);
        add_cell.bind(2, c.community);
        add_cell.bind(3, c.condition);
        add_cell.bind(4, c.need);
        add_cell.bind(5, c.experiencer);
        add_cell.bind(6, c.window);
        if (!add_cell.executeStep()) throw std::runtime_error("staging_cell insert returned no id");
        id = add_cell.getColumn(0).getInt64();
        while (add_cell.executeStep()) {
        }
      }
      new_ids.emplace(c, id);
      return id;
    };
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
        const std::int64_t id = cell_id(c);
        contrib.bind(1, c.window);
        BindDigest(contrib, 2, p.author);
        contrib.bind(3, id);
        res.contributions += static_cast<std::size_t>(contrib.exec());
        contrib.reset();
      }
    }
    SQLite::Statement cur(db,
                          "INSERT INTO source_cursor (source, cursor) VALUES (?, ?) "
                          "ON CONFLICT (source) DO UPDATE SET cursor = excluded.cursor");
    cur.bind(1, std::string(source));
    cur.bind(2, std::string(cursor));
    cur.exec();
    tx.commit();
    impl_->cell_ids.merge(new_ids);
    return res;
  });
}

namespace {

// Exact distinct-author counts over dense key ids, each author bounded to at
// most `max_per_author` of its keys (chosen uniformly with the CSPRNG).
struct BoundedCounter {
  explicit BoundedCounter(std::size_t keys, std::size_t max_per_author) : counts(keys, 0), max(max_per_author) {}

  // Adds one author's keys (any order, duplicates allowed).
  void AddAuthor(std::vector<std::uint32_t>& keys) {
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    if (keys.size() > max) {
      for (std::size_t i = 0; i < max; ++i) {
        const std::size_t j = i + static_cast<std::size_t>(SecureRandomBelow(keys.size() - i));
        std::swap(keys[i], keys[j]);
      }
      keys.resize(max);
      ++authors_bounded;
    }
    for (const std::uint32_t k : keys) ++counts[k];
  }

  std::vector<std::int64_t> counts;
  std::size_t max;
  std::size_t authors_bounded = 0;
};

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
        SQLite::Statement spent(db,
                                "SELECT COALESCE(SUM(epsilon_micros), 0), COALESCE(SUM(delta_picos), 0) FROM ledger");
        spent.executeStep();
        const std::int64_t eps_spent = spent.getColumn(0).getInt64();
        const std::int64_t delta_spent = spent.getColumn(1).getInt64();
        if (eps_spent + 2 * eps_charge > eps_cap || delta_spent + 2 * delta_charge > delta_cap) {
          return Status::FailedPrecondition(
              "privacy budget exhausted: releasing " + name + " needs epsilon " + std::to_string(2 * eps_charge) +
              "e-6 and delta " + std::to_string(2 * delta_charge) + "e-12, but " + std::to_string(eps_spent) +
              "e-6 of the cap " + std::to_string(eps_cap) + "e-6 and " + std::to_string(delta_spent) +
              "e-12 of the cap " + std::to_string(delta_cap) +
              "e-12 are spent; raise the policy's caps or stop releasing");
        }
      }
      // The window's cells, and the marginal (condition, need) of each.
      std::vector<CellKey> cell_keys;
      std::unordered_map<std::int64_t, std::uint32_t> cell_index;  // staging cell_id -> dense index
      std::vector<std::pair<std::string, std::string>> marginal_keys;
      std::vector<std::uint32_t> marginal_of;  // dense cell index -> dense marginal index
      {
        std::map<std::pair<std::string, std::string>, std::uint32_t> marginal_index;
        SQLite::Statement q(db,
                            "SELECT cell_id, community, condition, need, experiencer FROM staging_cell "
                            "WHERE window = ?");
        q.bind(1, name);
        while (q.executeStep()) {
          CellKey key{name, q.getColumn(1).getString(), q.getColumn(2).getString(), q.getColumn(3).getString(),
                      q.getColumn(4).getString()};
          auto [m, added] = marginal_index.emplace(std::make_pair(key.condition, key.need),
                                                   static_cast<std::uint32_t>(marginal_keys.size()));
          if (added) marginal_keys.push_back(m->first);
          marginal_of.push_back(m->second);
          cell_index.emplace(q.getColumn(0).getInt64(), static_cast<std::uint32_t>(cell_keys.size()));
          cell_keys.push_back(std::move(key));
        }
      }
      // Exact distinct-author counts, in memory, streaming the contributions in
      // key order (an author's rows are adjacent).
      const auto l0 = static_cast<std::size_t>(options.max_cells_per_author);
      BoundedCounter cells(cell_keys.size(), l0);
      BoundedCounter marginals(marginal_keys.size(), l0);
      {
        SQLite::Statement rows(db,
                               "SELECT author, cell_id FROM staging_contribution WHERE window = ? "
                               "ORDER BY author");
        rows.bind(1, name);
        std::string author;
        std::vector<std::uint32_t> author_cells;
        std::vector<std::uint32_t> author_marginals;
        const auto flush = [&] {
          if (author_cells.empty()) return;
          author_marginals.clear();
          for (const std::uint32_t c : author_cells) author_marginals.push_back(marginal_of[c]);
          cells.AddAuthor(author_cells);
          marginals.AddAuthor(author_marginals);
          author_cells.clear();
        };
        while (rows.executeStep()) {
          const SQLite::Column a = rows.getColumn(0);
          const auto* bytes = static_cast<const char*>(a.getBlob());
          const auto n = static_cast<std::size_t>(a.getBytes());
          if (author.size() != n || author.compare(0, n, bytes, n) != 0) {
            flush();
            author.assign(bytes, n);
          }
          const auto it = cell_index.find(rows.getColumn(1).getInt64());
          if (it == cell_index.end()) throw std::runtime_error("staging_contribution names an unknown cell");
          author_cells.push_back(it->second);
        }
        flush();
      }

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
      SQLite::Statement charge(db,
                               "INSERT INTO ledger (release_id, epsilon_micros, delta_picos, charged_at) "
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
      for (std::size_t i = 0; i < cell_keys.size(); ++i) {
        const std::optional<std::int64_t> v = noise.Apply(cells.counts[i]);
        if (!v.has_value()) {
          ++rel.cells_withheld;
          continue;
        }
        const CellKey& k = cell_keys[i];
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
      for (std::size_t i = 0; i < marginal_keys.size(); ++i) {
        const std::optional<std::int64_t> v = noise.Apply(marginals.counts[i]);
        if (!v.has_value()) {
          ++rel.marginals_withheld;
          continue;
        }
        ins_m.reset();
        ins_m.bind(1, marginals_id);
        ins_m.bind(2, name);
        ins_m.bind(3, marginal_keys[i].first);
        ins_m.bind(4, marginal_keys[i].second);
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
      SQLite::Statement del_cells(db, "DELETE FROM staging_cell WHERE window = ?");
      del_cells.bind(1, name);
      del_cells.exec();
      tx.commit();
      std::erase_if(impl_->cell_ids, [&](const auto& e) { return e.first.window == name; });
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
      return Status::InvalidArgument("unknown dimension '" + b +
                                     "' (use window, community, condition, need, experiencer)");
    }
    if (std::find(res.columns.begin(), res.columns.end(), b) != res.columns.end()) {
      return Status::InvalidArgument("dimension '" + b + "' given twice");
    }
    res.columns.push_back(b);
  }
  for (const auto* w : {&options.since, &options.until}) {
    if (!w->empty() && !ParseWindow(*w).ok())
      return Status::InvalidArgument("'" + *w + "' is not a window like 2026-W03");
  }
  const bool needs_cells = std::find(res.columns.begin(), res.columns.end(), "community") != res.columns.end() ||
                           std::find(res.columns.begin(), res.columns.end(), "experiencer") != res.columns.end() ||
                           !options.community.empty() || !options.experiencer.empty();
  bool marginals = false;
  switch (options.table) {
    case QueryTable::kAuto:
      marginals = !needs_cells && !res.columns.empty();
      break;
    case QueryTable::kCells:
      marginals = false;
      break;
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
  // Group in the canonical dimension order (so the window-led covering index
  // serves it); the rows are then ordered as the caller listed the columns.
  std::string group;
  for (const std::string_view d : kDimensions) {
    if (std::find(res.columns.begin(), res.columns.end(), d) != res.columns.end()) {
      group += (group.empty() ? "" : ", ") + std::string(d);
    }
  }
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
  sql += " GROUP BY " + group + " ORDER BY " + cols;
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

Result<std::vector<RunRecord>> Store::Runs(std::size_t limit) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return Guard("run ledger", [&]() -> Result<std::vector<RunRecord>> {
    SQLite::Statement q(*impl_->db,
                        "SELECT * FROM (SELECT run_id, job, policy_hash, taxonomy_hash, started_at, ended_at, fetched, "
                        "deidentified, dropped, classified, contributed, duplicates, late, record_errors, outcome "
                        "FROM run ORDER BY run_id DESC LIMIT ?) ORDER BY run_id");
    q.bind(1, static_cast<std::int64_t>(limit));
    std::vector<RunRecord> out;
    while (q.executeStep()) {
      RunRecord r;
      int i = 0;
      r.run_id = q.getColumn(i++).getInt64();
      r.job = q.getColumn(i++).getString();
      r.policy_hash = q.getColumn(i++).getString();
      r.taxonomy_hash = q.getColumn(i++).getString();
      r.started_at = q.getColumn(i++).getInt64();
      r.ended_at = q.getColumn(i++).getInt64();
      for (std::size_t* v : {&r.fetched, &r.deidentified, &r.dropped, &r.classified, &r.contributed, &r.duplicates,
                             &r.late, &r.record_errors}) {
        *v = static_cast<std::size_t>(q.getColumn(i++).getInt64());
      }
      r.outcome = q.getColumn(i++).getString();
      out.push_back(std::move(r));
    }
    SQLite::Statement s(*impl_->db,
                        "SELECT source, fetched, record_errors, skipped, failed FROM run_source WHERE run_id = ? "
                        "ORDER BY rowid");
    for (RunRecord& r : out) {
      s.bind(1, r.run_id);
      while (s.executeStep()) {
        r.sources.push_back(
            RunSourceRecord{s.getColumn(0).getString(), static_cast<std::size_t>(s.getColumn(1).getInt64()),
                            static_cast<std::size_t>(s.getColumn(2).getInt64()),
                            static_cast<std::size_t>(s.getColumn(3).getInt64()), s.getColumn(4).getInt() == 1});
      }
      s.reset();
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
    SQLite::Transaction tx(*impl_->db, SQLite::TransactionBehavior::IMMEDIATE);
    q.exec();
    const std::int64_t run_id = impl_->db->getLastInsertRowid();
    SQLite::Statement s(*impl_->db,
                        "INSERT INTO run_source (run_id, source, fetched, record_errors, skipped, failed) "
                        "VALUES (?, ?, ?, ?, ?, ?)");
    for (const RunSourceRecord& src : run.sources) {
      s.bind(1, run_id);
      s.bind(2, src.source);
      s.bind(3, static_cast<std::int64_t>(src.fetched));
      s.bind(4, static_cast<std::int64_t>(src.record_errors));
      s.bind(5, static_cast<std::int64_t>(src.skipped));
      s.bind(6, src.failed ? 1 : 0);
      s.exec();
      s.reset();
    }
    tx.commit();
    return Status::Ok();
  });
}

}  // namespace peerpulse::store
