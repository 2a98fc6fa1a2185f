#include "triage/store/campaign_store.hpp"

#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iterator>
#include <utility>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace triage::store {
namespace {

using core::ErrorCode;

// The current schema (k_store_schema_version). Version 1 lacked results.flaky and results.runs.
constexpr const char* k_schema = R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE binaries(
  id INTEGER PRIMARY KEY, path TEXT NOT NULL, hash TEXT NOT NULL, UNIQUE(path, hash));
CREATE TABLE artifacts(
  id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, sha1 TEXT NOT NULL, size INTEGER NOT NULL, target TEXT NOT NULL);
CREATE TABLE results(
  artifact_sha1 TEXT NOT NULL, binary_id INTEGER NOT NULL REFERENCES binaries(id),
  artifact_path TEXT NOT NULL, target TEXT NOT NULL, size INTEGER NOT NULL,
  result TEXT NOT NULL, kind TEXT, severity TEXT, message TEXT, signature TEXT,
  record_json TEXT NOT NULL, report_json TEXT NOT NULL, seen_at TEXT NOT NULL,
  flaky INTEGER NOT NULL DEFAULT 0, runs INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY(artifact_sha1, binary_id, artifact_path));
CREATE INDEX results_signature ON results(signature);
CREATE INDEX results_path ON results(artifact_path, binary_id);
)sql";

/// Migrations: k_migrations[v - 1] takes a version-v store to version v + 1.
constexpr const char* k_migrations[] = {
    // 1 -> 2: --retries (flaky crashes, runs per artifact).
    "ALTER TABLE results ADD COLUMN flaky INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE results ADD COLUMN runs INTEGER NOT NULL DEFAULT 1;",
    // 2 -> 3: the `buckets` view goes: it grouped by signature alone, unlike make_buckets (--key-state,
    // latest build per path), and nothing read it.
    "DROP VIEW IF EXISTS buckets;",
    // 3 -> 4: the latest build of a path is an index seek, not a scan of every result (records() was
    // quadratic: 28 s for 20,000 results).
    "CREATE INDEX IF NOT EXISTS results_path ON results(artifact_path, binary_id);",
};
static_assert(std::size(k_migrations) == k_store_schema_version - 1, "one migration per schema version step");

core::Error db_error(sqlite3* db, std::string_view what) {
  return core::Error{ErrorCode::io_failed, fmt::format("campaign store: {}: {}", what, sqlite3_errmsg(db))};
}

/// RAII prepared statement.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) { m_ok = sqlite3_prepare_v2(db, sql, -1, &m_stmt, nullptr) == SQLITE_OK; }
  ~Statement() { sqlite3_finalize(m_stmt); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  bool ok() const { return m_ok; }
  void bind(int i, const std::string& s) { sqlite3_bind_text(m_stmt, i, s.c_str(), -1, SQLITE_TRANSIENT); }
  void bind(int i, int64_t v) { sqlite3_bind_int64(m_stmt, i, v); }
  int step() { return sqlite3_step(m_stmt); }
  std::string text(int col) {
    const auto* p = sqlite3_column_text(m_stmt, col);
    return p != nullptr ? reinterpret_cast<const char*>(p) : "";
  }
  int64_t integer(int col) { return sqlite3_column_int64(m_stmt, col); }

 private:
  sqlite3_stmt* m_stmt = nullptr;
  bool m_ok = false;
};

std::string now_iso() {
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
}

}  // namespace

core::Result<CampaignStore> CampaignStore::open(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
    core::Error e = db_error(db, "cannot open " + path);
    sqlite3_close(db);
    return std::unexpected(e);
  }
  sqlite3_busy_timeout(db, 10000);
  CampaignStore store(db);
  TRIAGE_TRY(store.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"));
  // Version check and creation or migration in one write transaction: two triage processes opening
  // one new store do not both create it.
  TRIAGE_TRY(store.exec("BEGIN IMMEDIATE"));
  auto prepared = store.prepare_schema(path);
  if (!prepared) {
    (void)store.exec("ROLLBACK");
    return std::unexpected(prepared.error());
  }
  TRIAGE_TRY(store.exec("COMMIT"));
  return store;
}

core::Result<int> CampaignStore::schema_version(const std::string& schema_name) {
  Statement has_meta(m_db, fmt::format("SELECT 1 FROM {}.sqlite_master WHERE type = 'table' AND name = 'meta'",
                                       schema_name).c_str());
  if (!has_meta.ok()) {
    return std::unexpected(db_error(m_db, "read schema"));
  }
  if (has_meta.step() != SQLITE_ROW) {
    return 0;
  }
  Statement get(m_db, fmt::format("SELECT value FROM {}.meta WHERE key = 'schema_version'", schema_name).c_str());
  if (!get.ok() || get.step() != SQLITE_ROW) {
    return 0;
  }
  const std::string v = get.text(0);
  int version = 0;
  if (std::sscanf(v.c_str(), "%d", &version) != 1 || version < 1) {
    return core::make_error(ErrorCode::data_invalid, fmt::format("campaign store: unreadable schema version '{}'", v));
  }
  return version;
}

core::Result<void> CampaignStore::prepare_schema(const std::string& path) {
  const int version = TRIAGE_TRY(schema_version("main"));
  if (version == 0) {
    Statement tables(m_db, "SELECT 1 FROM sqlite_master LIMIT 1");
    if (tables.step() == SQLITE_ROW) {
      return core::make_error(ErrorCode::data_invalid,
                              fmt::format("{} is an SQLite database but not a triage campaign store", path));
    }
    TRIAGE_TRY(exec(k_schema));
    return exec(fmt::format("INSERT INTO meta(key, value) VALUES('schema_version', '{}')", k_store_schema_version));
  }
  if (version > k_store_schema_version) {
    return core::make_error(
        ErrorCode::data_invalid,
        fmt::format("campaign store {} has schema version {}, newer than this triage's {}: it was written by a newer "
                    "triage; use that version, or another output directory",
                    path, version, k_store_schema_version));
  }
  for (int v = version; v < k_store_schema_version; ++v) {
    TRIAGE_TRY(exec(k_migrations[v - 1]));
  }
  if (version < k_store_schema_version) {
    TRIAGE_TRY(exec(fmt::format("UPDATE meta SET value = '{}' WHERE key = 'schema_version'", k_store_schema_version)));
  }
  return {};
}

CampaignStore::CampaignStore(CampaignStore&& other) noexcept : m_db(std::exchange(other.m_db, nullptr)) {}

CampaignStore& CampaignStore::operator=(CampaignStore&& other) noexcept {
  if (this != &other) {
    sqlite3_close(m_db);
    m_db = std::exchange(other.m_db, nullptr);
  }
  return *this;
}

CampaignStore::~CampaignStore() { sqlite3_close(m_db); }

core::Result<void> CampaignStore::exec(const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    core::Error e{ErrorCode::io_failed, fmt::format("campaign store: {}", err != nullptr ? err : "error")};
    sqlite3_free(err);
    return std::unexpected(e);
  }
  return {};
}

core::Result<int64_t> CampaignStore::binary_id(const std::string& path, const std::string& hash) {
  Statement ins(m_db, "INSERT OR IGNORE INTO binaries(path, hash) VALUES(?, ?)");
  ins.bind(1, path);
  ins.bind(2, hash);
  if (!ins.ok() || ins.step() != SQLITE_DONE) {
    return std::unexpected(db_error(m_db, "insert binary"));
  }
  Statement get(m_db, "SELECT id FROM binaries WHERE path = ? AND hash = ?");
  get.bind(1, path);
  get.bind(2, hash);
  if (get.step() != SQLITE_ROW) {
    return std::unexpected(db_error(m_db, "find binary"));
  }
  return get.integer(0);
}

core::Result<bool> CampaignStore::has_result(const std::string& artifact_sha1, int64_t binary_id,
                                             const std::string& artifact_path) {
  Statement q(m_db, "SELECT 1 FROM results WHERE artifact_sha1 = ? AND binary_id = ? AND artifact_path = ? LIMIT 1");
  q.bind(1, artifact_sha1);
  q.bind(2, binary_id);
  q.bind(3, artifact_path);
  const int rc = q.step();
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
    return std::unexpected(db_error(m_db, "query results"));
  }
  return rc == SQLITE_ROW;
}

core::Result<std::optional<CampaignStore::StoredResult>> CampaignStore::result_for_content(const std::string& artifact_sha1,
                                                                                         int64_t binary_id) {
  Statement q(m_db, "SELECT record_json, seen_at, report_json FROM results WHERE artifact_sha1 = ? AND binary_id = ? "
                    "ORDER BY artifact_path LIMIT 1");
  q.bind(1, artifact_sha1);
  q.bind(2, binary_id);
  const int rc = q.step();
  if (rc == SQLITE_DONE) {
    return std::optional<StoredResult>{};
  }
  if (rc != SQLITE_ROW) {
    return std::unexpected(db_error(m_db, "query results"));
  }
  const auto j = nlohmann::json::parse(q.text(0), nullptr, false);
  if (j.is_discarded()) {
    return std::optional<StoredResult>{};  // unreadable row: the artifact is simply run again
  }
  try {
    return std::optional<StoredResult>{StoredResult{core::record_from_json(j, q.text(1)), q.text(2)}};
  } catch (const nlohmann::json::exception&) {
    return std::optional<StoredResult>{};
  }
}

core::Result<void> CampaignStore::put_result(int64_t binary_id, const core::TriageRecord& r, const std::string& report_json) {
  TRIAGE_TRY(exec("BEGIN IMMEDIATE"));
  auto rollback = [this](core::Error e) -> core::Result<void> {
    (void)exec("ROLLBACK");
    return std::unexpected(std::move(e));
  };
  {
    Statement a(m_db, "INSERT INTO artifacts(path, sha1, size, target) VALUES(?, ?, ?, ?) "
                      "ON CONFLICT(path) DO UPDATE SET sha1 = excluded.sha1, size = excluded.size, target = excluded.target");
    a.bind(1, r.artifact);
    a.bind(2, r.sha1);
    a.bind(3, static_cast<int64_t>(r.size));
    a.bind(4, r.target);
    if (a.step() != SQLITE_DONE) {
      return rollback(db_error(m_db, "insert artifact"));
    }
  }
  {
    Statement q(m_db, "INSERT OR REPLACE INTO results(artifact_sha1, binary_id, artifact_path, target, size, result, kind, "
                      "severity, message, signature, record_json, report_json, seen_at, flaky, runs) "
                      "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    q.bind(1, r.sha1);
    q.bind(2, binary_id);
    q.bind(3, r.artifact);
    q.bind(4, r.target);
    q.bind(5, static_cast<int64_t>(r.size));
    q.bind(6, std::string(core::to_string(r.result)));
    q.bind(7, r.kind);
    q.bind(8, std::string(core::to_string(r.severity)));
    q.bind(9, r.message);
    q.bind(10, r.signature);
    q.bind(11, core::record_to_json(r).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    q.bind(12, report_json);
    q.bind(13, r.seen_at.empty() ? now_iso() : r.seen_at);
    q.bind(14, int64_t{r.flaky ? 1 : 0});
    q.bind(15, static_cast<int64_t>(r.runs));
    if (q.step() != SQLITE_DONE) {
      return rollback(db_error(m_db, "insert result"));
    }
  }
  return exec("COMMIT");
}

core::Result<std::vector<core::TriageRecord>> CampaignStore::records() {
  // The newest binary build (highest id) per artifact path.
  Statement q(m_db, "SELECT r.record_json, r.seen_at FROM results r "
                    "WHERE r.binary_id = (SELECT MAX(binary_id) FROM results r2 WHERE r2.artifact_path = r.artifact_path) "
                    "ORDER BY r.artifact_path");
  if (!q.ok()) {
    return std::unexpected(db_error(m_db, "read results"));
  }
  std::vector<core::TriageRecord> out;
  int rc = 0;
  while ((rc = q.step()) == SQLITE_ROW) {
    const auto j = nlohmann::json::parse(q.text(0), nullptr, false);
    if (!j.is_discarded()) {
      try {
        out.push_back(core::record_from_json(j, q.text(1)));
      } catch (const nlohmann::json::exception&) {
        // a row damaged outside triage: left out, as unparsable JSON is
      }
    }
  }
  if (rc != SQLITE_DONE) {
    return std::unexpected(db_error(m_db, "read results"));
  }
  return out;
}

core::Result<CampaignStore::LatestTwo> CampaignStore::latest_two_builds() {
  Statement q(m_db, "SELECT r.artifact_path, r.binary_id, r.record_json, r.seen_at FROM results r "
                    "ORDER BY r.artifact_path, r.binary_id DESC");
  if (!q.ok()) {
    return std::unexpected(db_error(m_db, "read results"));
  }
  LatestTwo out;
  std::string path;
  int taken = 0;
  int64_t current_build = -1;
  int rc = 0;
  while ((rc = q.step()) == SQLITE_ROW) {
    if (q.text(0) != path) {
      path = q.text(0);
      taken = 0;
    }
    // Two builds: an older content of the path on the same build (a file rewritten) is no baseline.
    if (taken >= 2 || (taken == 1 && q.integer(1) == current_build)) {
      continue;
    }
    current_build = taken == 0 ? q.integer(1) : current_build;
    const auto j = nlohmann::json::parse(q.text(2), nullptr, false);
    if (j.is_discarded()) {
      continue;
    }
    try {
      (taken == 0 ? out.current : out.baseline).push_back(core::record_from_json(j, q.text(3)));
      ++taken;
    } catch (const nlohmann::json::exception&) {
      // a row damaged outside triage: left out
    }
  }
  if (rc != SQLITE_DONE) {
    return std::unexpected(db_error(m_db, "read results"));
  }
  return out;
}

core::Result<std::optional<CampaignStore::BinaryBuild>> CampaignStore::binary_of(const std::string& artifact_path) {
  Statement q(m_db, "SELECT b.path, b.hash FROM results r JOIN binaries b ON b.id = r.binary_id "
                    "WHERE r.artifact_path = ? ORDER BY r.binary_id DESC LIMIT 1");
  if (!q.ok()) {
    return std::unexpected(db_error(m_db, "read binaries"));
  }
  q.bind(1, artifact_path);
  const int rc = q.step();
  if (rc == SQLITE_DONE) {
    return std::optional<BinaryBuild>{};
  }
  if (rc != SQLITE_ROW) {
    return std::unexpected(db_error(m_db, "read binaries"));
  }
  return std::optional(BinaryBuild{q.text(0), q.text(1)});
}

core::Result<std::optional<CampaignStore::Reproducer>> CampaignStore::reproducer_of(const std::string& artifact_sha1,
                                                                                   const std::string& artifact_path) {
  Statement q(m_db, "SELECT b.path, COALESCE(json_extract(r.report_json, '$.lldb_command_file'), '') "
                    "FROM results r JOIN binaries b ON b.id = r.binary_id "
                    "WHERE r.artifact_sha1 = ? AND r.artifact_path = ? AND json_valid(r.report_json) "
                    "ORDER BY r.binary_id DESC LIMIT 1");
  if (!q.ok()) {
    return std::unexpected(db_error(m_db, "read results"));
  }
  q.bind(1, artifact_sha1);
  q.bind(2, artifact_path);
  const int rc = q.step();
  if (rc == SQLITE_DONE) {
    return std::optional<Reproducer>{};
  }
  if (rc != SQLITE_ROW) {
    return std::unexpected(db_error(m_db, "read results"));
  }
  return std::optional(Reproducer{q.text(0), q.text(1)});
}

core::Result<int64_t> CampaignStore::count_results() {
  Statement q(m_db, "SELECT COUNT(*) FROM results");
  if (!q.ok() || q.step() != SQLITE_ROW) {
    return std::unexpected(db_error(m_db, "count results"));
  }
  return q.integer(0);
}

core::Result<size_t> CampaignStore::merge_from(const std::string& other_path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_regular_file(other_path, ec)) {
    return core::make_error(ErrorCode::data_invalid, "no campaign store at " + other_path);
  }
  if (const char* own = sqlite3_db_filename(m_db, "main"); own != nullptr && fs::equivalent(own, other_path, ec)) {
    return core::make_error(ErrorCode::usage, "cannot merge the campaign store " + other_path + " into itself");
  }
  {
    Statement attach(m_db, "ATTACH DATABASE ? AS other");
    attach.bind(1, other_path);
    if (attach.step() != SQLITE_DONE) {
      return std::unexpected(db_error(m_db, "attach " + other_path));
    }
  }
  auto merged = merge_attached(other_path);
  if (!merged) {
    (void)exec("ROLLBACK");
  }
  (void)exec("DETACH DATABASE other");
  return merged;
}

core::Result<size_t> CampaignStore::merge_attached(const std::string& other_path) {
  const int version = TRIAGE_TRY(schema_version("other"));
  if (version == 0) {
    return core::make_error(ErrorCode::data_invalid, other_path + " is not a triage campaign store");
  }
  if (version > k_store_schema_version) {
    return core::make_error(ErrorCode::data_invalid,
                            fmt::format("campaign store {} has schema version {}, newer than this triage's {}",
                                        other_path, version, k_store_schema_version));
  }
  const int64_t before = TRIAGE_TRY(count_results());
  // Results point at binaries by id, which differs between stores: join on (path, hash). Rows this
  // store already has (same artifact content, binary build and path) are kept as they are.
  TRIAGE_TRY(exec(fmt::format(R"sql(
    BEGIN IMMEDIATE;
    INSERT OR IGNORE INTO binaries(path, hash) SELECT path, hash FROM other.binaries;
    INSERT OR IGNORE INTO artifacts(path, sha1, size, target) SELECT path, sha1, size, target FROM other.artifacts;
    INSERT OR IGNORE INTO results(artifact_sha1, binary_id, artifact_path, target, size, result, kind, severity, message,
                                  signature, record_json, report_json, seen_at, flaky, runs)
      SELECT r.artifact_sha1, b.id, r.artifact_path, r.target, r.size, r.result, r.kind, r.severity, r.message,
             r.signature, r.record_json, r.report_json, r.seen_at, {}
      FROM other.results r JOIN other.binaries ob ON ob.id = r.binary_id
      JOIN binaries b ON b.path = ob.path AND b.hash = ob.hash;
    COMMIT;)sql",
                              version >= 2 ? "r.flaky, r.runs" : "0, 1")));
  const int64_t after = TRIAGE_TRY(count_results());
  return static_cast<size_t>(after - before);
}

}  // namespace triage::store
