#include "peerpulse/store/store.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "keyring.h"
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
        return Status::DataLoss(impl->db_path + ": schema version " + std::to_string(v.getColumn(0).getInt()) +
                                " is not " + std::to_string(kSchemaVersion));
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

Result<std::vector<WindowRelease>> Store::ReleaseClosedWindows(std::int64_t now_unix, const ReleaseOptions& options) {
  if (options.min_authors < 1 || options.max_cells_per_author < 1) {
    return Status::InvalidArgument("min_authors and max_cells_per_author must be at least 1");
  }
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
      // Exact distinct-author counts, in memory, with contribution bounding.
      std::vector<CellKey> cells;
      std::map<CellKey, std::size_t> cell_index;
      std::unordered_map<std::string, std::vector<std::size_t>> by_author;
      SQLite::Statement rows(db,
                             "SELECT community, condition, need, experiencer, author FROM staging_contribution "
                             "WHERE window = ?");
      rows.bind(1, name);
      while (rows.executeStep()) {
        CellKey key{name, rows.getColumn(0).getString(), rows.getColumn(1).getString(),
                    rows.getColumn(2).getString(), rows.getColumn(3).getString()};
        auto [it, inserted] = cell_index.emplace(key, cells.size());
        if (inserted) cells.push_back(std::move(key));
        const SQLite::Column author = rows.getColumn(4);
        by_author[DigestKey(author.getBlob(), author.getBytes())].push_back(it->second);
      }
      WindowRelease rel;
      rel.window = name;
      std::vector<std::int64_t> counts(cells.size(), 0);
      const auto k = static_cast<std::size_t>(options.max_cells_per_author);
      for (auto& [author, idx] : by_author) {
        if (idx.size() > k) {
          // Keep k cells chosen uniformly at random (partial Fisher-Yates, CSPRNG).
          for (std::size_t i = 0; i < k; ++i) {
            const std::size_t j = i + static_cast<std::size_t>(SecureRandomBelow(idx.size() - i));
            std::swap(idx[i], idx[j]);
          }
          idx.resize(k);
          ++rel.authors_bounded;
        }
        for (const std::size_t c : idx) ++counts[c];
      }
      SQLite::Statement ins_rel(db,
                                "INSERT INTO release (window, table_name, released_at, policy_hash, taxonomy_hash, "
                                "min_authors, max_cells_per_author, cells_released, cells_suppressed) "
                                "VALUES (?, 'cells', ?, ?, ?, ?, ?, 0, 0)");
      ins_rel.bind(1, name);
      ins_rel.bind(2, static_cast<std::int64_t>(now_unix));
      ins_rel.bind(3, options.policy_hash);
      ins_rel.bind(4, options.taxonomy_hash);
      ins_rel.bind(5, options.min_authors);
      ins_rel.bind(6, options.max_cells_per_author);
      ins_rel.exec();
      const std::int64_t release_id = db.getLastInsertRowid();
      SQLite::Statement ins_cell(db,
                                 "INSERT INTO cell (release_id, window, community, condition, need, experiencer, "
                                 "value, min_authors) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
      for (std::size_t i = 0; i < cells.size(); ++i) {
        // The hard rule: below min_authors distinct authors, never released.
        if (counts[i] < options.min_authors) {
          ++rel.cells_suppressed;
          continue;
        }
        ins_cell.bind(1, release_id);
        ins_cell.bind(2, name);
        ins_cell.bind(3, cells[i].community);
        ins_cell.bind(4, cells[i].condition);
        ins_cell.bind(5, cells[i].need);
        ins_cell.bind(6, cells[i].experiencer);
        ins_cell.bind(7, static_cast<std::int64_t>(counts[i]));
        ins_cell.bind(8, options.min_authors);
        ins_cell.exec();
        ins_cell.reset();
        ++rel.cells_released;
      }
      SQLite::Statement upd(db, "UPDATE release SET cells_released = ?, cells_suppressed = ? WHERE release_id = ?");
      upd.bind(1, static_cast<std::int64_t>(rel.cells_released));
      upd.bind(2, static_cast<std::int64_t>(rel.cells_suppressed));
      upd.bind(3, release_id);
      upd.exec();
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
  if (res.columns.empty()) res.columns.assign(std::begin(kDimensions), std::end(kDimensions));
  for (const auto* w : {&options.since, &options.until}) {
    if (!w->empty() && !ParseWindow(*w).ok()) return Status::InvalidArgument("'" + *w + "' is not a window like 2026-W03");
  }
  std::string cols;
  for (const auto& c : res.columns) cols += (cols.empty() ? "" : ", ") + c;
  std::string sql = "SELECT " + cols + ", SUM(value) FROM cell WHERE 1 = 1";
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
  res.columns.emplace_back("authors");

  std::lock_guard<std::mutex> lock(impl_->mu);
  PEERPULSE_RETURN_IF_ERROR(Guard("query", [&]() -> Status {
    SQLite::Statement q(*impl_->db, sql);
    for (std::size_t i = 0; i < args.size(); ++i) q.bind(static_cast<int>(i + 1), args[i]);
    const int n = q.getColumnCount();
    while (q.executeStep()) {
      std::vector<std::string> row;
      for (int i = 0; i < n; ++i) row.push_back(q.getColumn(i).getString());
      res.rows.push_back(std::move(row));
    }
    return Status::Ok();
  }));
  return res;
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
