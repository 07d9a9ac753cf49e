// The store's schema. Portable SQL (SQLite >= 3.24 and PostgreSQL): no
// AUTOINCREMENT, no SQLite-only types; BLOB maps to BYTEA.
//
// Portable SQL apart from WITHOUT ROWID on one staging table (noted there).
// Only `source_cursor.cursor` holds a value that came from a source (its paging
// position, design.md promise 1). Every other TEXT column holds a dimension
// code (window, community, condition, need, experiencer), a content hash, a
// job name or a fixed status word.
#ifndef PEERPULSE_STORE_SRC_SCHEMA_H_
#define PEERPULSE_STORE_SRC_SCHEMA_H_

namespace peerpulse::store {

// 3: run.outcome may be 'interrupted' (stores of schema 2 are migrated on open).
inline constexpr int kSchemaVersion = 3;

// The run ledger's columns (schema 3), shared by the table and its migration.
#define PEERPULSE_RUN_COLUMNS                                                                               \
  " run_id INTEGER PRIMARY KEY, job TEXT NOT NULL, policy_hash TEXT NOT NULL, taxonomy_hash TEXT NOT NULL," \
  " started_at INTEGER NOT NULL, ended_at INTEGER NOT NULL, fetched INTEGER NOT NULL,"                      \
  " deidentified INTEGER NOT NULL, dropped INTEGER NOT NULL, classified INTEGER NOT NULL,"                 \
  " contributed INTEGER NOT NULL, duplicates INTEGER NOT NULL, late INTEGER NOT NULL,"                     \
  " record_errors INTEGER NOT NULL,"                                                                        \
  " outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'failed', 'interrupted')))"

inline constexpr const char* kSchema[] = {
    "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)",
    // Source positions, saved in the transaction of the batch they cover.
    "CREATE TABLE IF NOT EXISTS source_cursor ("
    " source TEXT PRIMARY KEY,"
    " cursor TEXT NOT NULL)",
    // One row per window ever staged; released = 1 once published.
    "CREATE TABLE IF NOT EXISTS window_state ("
    " window TEXT PRIMARY KEY,"
    " released INTEGER NOT NULL DEFAULT 0 CHECK (released IN (0, 1)))",
    // Keyed dedup keys of staged posts (deleted at release).
    "CREATE TABLE IF NOT EXISTS staging_seen ("
    " window TEXT NOT NULL,"
    " dedup_key BLOB NOT NULL,"
    " PRIMARY KEY (window, dedup_key))",
    // The cells of the open windows, numbered per window (deleted at release).
    "CREATE TABLE IF NOT EXISTS staging_cell ("
    " window TEXT NOT NULL,"
    " cell_id INTEGER NOT NULL,"
    " community TEXT NOT NULL,"
    " condition TEXT NOT NULL,"
    " need TEXT NOT NULL,"
    " experiencer TEXT NOT NULL,"
    " PRIMARY KEY (window, cell_id),"
    " UNIQUE (window, community, condition, need, experiencer))",
    // (author pseudonym, cell) pairs of the open windows (deleted at release).
    // Key order groups an author's cells together for the release. WITHOUT
    // ROWID (SQLite-only syntax; a PostgreSQL schema drops it) keeps one
    // B-tree, which halves the cost of staging and of the secure delete.
    "CREATE TABLE IF NOT EXISTS staging_contribution ("
    " window TEXT NOT NULL,"
    " author BLOB NOT NULL,"
    " cell_id INTEGER NOT NULL,"
    " PRIMARY KEY (window, author, cell_id)) WITHOUT ROWID",
    // One release per window and table ("cells", "marginals"), with the
    // parameters that produced it.
    "CREATE TABLE IF NOT EXISTS release ("
    " release_id INTEGER PRIMARY KEY,"
    " window TEXT NOT NULL,"
    " table_name TEXT NOT NULL CHECK (table_name IN ('cells', 'marginals')),"
    " released_at INTEGER NOT NULL,"
    " policy_hash TEXT NOT NULL,"
    " taxonomy_hash TEXT NOT NULL,"
    " min_authors INTEGER NOT NULL CHECK (min_authors >= 11),"
    " max_cells_per_author INTEGER NOT NULL,"
    " epsilon_micros INTEGER NOT NULL,"
    " delta_picos INTEGER NOT NULL,"
    " min_noisy_value INTEGER NOT NULL,"
    " ci95_halfwidth INTEGER NOT NULL,"
    " cells_released INTEGER NOT NULL,"
    " cells_withheld INTEGER NOT NULL,"
    " UNIQUE (window, table_name))",
    // Released noisy cells (window x community x condition x need x experiencer).
    // A value below its release's min_authors cannot be stored.
    "CREATE TABLE IF NOT EXISTS cell ("
    " release_id INTEGER NOT NULL REFERENCES release (release_id),"
    " window TEXT NOT NULL,"
    " community TEXT NOT NULL,"
    " condition TEXT NOT NULL,"
    " need TEXT NOT NULL,"
    " experiencer TEXT NOT NULL,"
    " value INTEGER NOT NULL,"
    " ci_low INTEGER NOT NULL,"
    " ci_high INTEGER NOT NULL,"
    " min_authors INTEGER NOT NULL,"
    " CHECK (value >= min_authors AND min_authors >= 11 AND ci_low <= value AND value <= ci_high),"
    " PRIMARY KEY (release_id, community, condition, need, experiencer))",
    // Covers the common questions (by week, condition, need) without touching the table.
    "CREATE INDEX IF NOT EXISTS cell_window ON cell (window, condition, need, value, ci_high)",
    // Released noisy marginals (window x condition x need, distinct authors
    // across communities and experiencers): their own noise, not sums of cells.
    "CREATE TABLE IF NOT EXISTS marginal ("
    " release_id INTEGER NOT NULL REFERENCES release (release_id),"
    " window TEXT NOT NULL,"
    " condition TEXT NOT NULL,"
    " need TEXT NOT NULL,"
    " value INTEGER NOT NULL,"
    " ci_low INTEGER NOT NULL,"
    " ci_high INTEGER NOT NULL,"
    " min_authors INTEGER NOT NULL,"
    " CHECK (value >= min_authors AND min_authors >= 11 AND ci_low <= value AND value <= ci_high),"
    " PRIMARY KEY (release_id, condition, need))",
    "CREATE INDEX IF NOT EXISTS marginal_window ON marginal (window)",
    // The privacy ledger: one charge per release, written in its transaction.
    "CREATE TABLE IF NOT EXISTS ledger ("
    " release_id INTEGER PRIMARY KEY REFERENCES release (release_id),"
    " epsilon_micros INTEGER NOT NULL CHECK (epsilon_micros > 0),"
    " delta_picos INTEGER NOT NULL CHECK (delta_picos > 0),"
    " charged_at INTEGER NOT NULL)",
    // Run ledger: counts only.
    "CREATE TABLE IF NOT EXISTS run (" PEERPULSE_RUN_COLUMNS,
    // Per-source counts of each run (added within schema 2: stores made
    // before it simply gain the empty table).
    "CREATE TABLE IF NOT EXISTS run_source ("
    " run_id INTEGER NOT NULL REFERENCES run (run_id),"
    " source TEXT NOT NULL,"
    " fetched INTEGER NOT NULL,"
    " record_errors INTEGER NOT NULL,"
    " skipped INTEGER NOT NULL,"
    " failed INTEGER NOT NULL CHECK (failed IN (0, 1)),"
    " PRIMARY KEY (run_id, source))",
};

// Schema 2 -> 3: the run table gains 'interrupted' among its outcomes. SQLite
// cannot change a CHECK in place: the table is copied into a new one (run by
// the store with foreign keys off, in one transaction).
inline constexpr const char* kMigrate2To3[] = {
    "CREATE TABLE run_v3 (" PEERPULSE_RUN_COLUMNS,
    ("INSERT INTO run_v3 SELECT run_id, job, policy_hash, taxonomy_hash, started_at, ended_at, fetched, deidentified,"
     " dropped, classified, contributed, duplicates, late, record_errors, outcome FROM run"),
    "DROP TABLE run",
    "ALTER TABLE run_v3 RENAME TO run",
    "UPDATE schema_version SET version = 3",
};

}  // namespace peerpulse::store

#undef PEERPULSE_RUN_COLUMNS

#endif  // PEERPULSE_STORE_SRC_SCHEMA_H_
