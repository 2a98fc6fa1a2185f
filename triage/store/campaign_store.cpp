#include "triage/store/campaign_store.hpp"

#include <sqlite3.h>

#include <chrono>
#include <utility>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace triage::store {
namespace {

using core::ErrorCode;

constexpr const char* k_schema = R"sql(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS binaries(
  id INTEGER PRIMARY KEY, path TEXT NOT NULL, hash TEXT NOT NULL, UNIQUE(path, hash));
CREATE TABLE IF NOT EXISTS artifacts(
  id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, sha1 TEXT NOT NULL, size INTEGER NOT NULL, target TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS results(
  artifact_sha1 TEXT NOT NULL, binary_id INTEGER NOT NULL REFERENCES binaries(id),
  artifact_path TEXT NOT NULL, target TEXT NOT NULL, size INTEGER NOT NULL,
  result TEXT NOT NULL, kind TEXT, severity TEXT, message TEXT, signature TEXT,
  record_json TEXT NOT NULL, report_json TEXT NOT NULL, seen_at TEXT NOT NULL,
  PRIMARY KEY(artifact_sha1, binary_id, artifact_path));
CREATE INDEX IF NOT EXISTS results_signature ON results(signature);
CREATE VIEW IF NOT EXISTS buckets AS
  SELECT signature, kind, COUNT(*) AS count, MIN(size) AS smallest, MIN(seen_at) AS first_seen,
         MAX(seen_at) AS last_seen, GROUP_CONCAT(DISTINCT target) AS targets
  FROM results WHERE result = 'crash' GROUP BY signature;
)sql";

core::Error db_error(sqlite3* db, std::string_view what) {
  return core::Error{ErrorCode::io_failed, fmt::format("campaign store: {}: {}", what, sqlite3_errmsg(db))};
}

/// RAII prepared statement.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) : m_db(db) { m_ok = sqlite3_prepare_v2(db, sql, -1, &m_stmt, nullptr) == SQLITE_OK; }
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
  sqlite3* m_db;
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
  TRIAGE_TRY(store.exec(k_schema));
  {
    Statement get(db, "SELECT value FROM meta WHERE key = 'schema_version'");
    if (get.step() == SQLITE_ROW) {
      const std::string v = get.text(0);
      if (v != std::to_string(k_store_schema_version)) {
        return core::make_error(ErrorCode::data_invalid,
                                fmt::format("campaign store {} has schema version {}, this triage reads version {}",
                                            path, v, k_store_schema_version));
      }
    } else {
      TRIAGE_TRY(store.exec(fmt::format("INSERT INTO meta(key, value) VALUES('schema_version', '{}')",
                                        k_store_schema_version)));
    }
  }
  return store;
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

core::Result<bool> CampaignStore::has_result(const std::string& artifact_sha1, int64_t binary_id) {
  Statement q(m_db, "SELECT 1 FROM results WHERE artifact_sha1 = ? AND binary_id = ? LIMIT 1");
  q.bind(1, artifact_sha1);
  q.bind(2, binary_id);
  const int rc = q.step();
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
    return std::unexpected(db_error(m_db, "query results"));
  }
  return rc == SQLITE_ROW;
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
                      "severity, message, signature, record_json, report_json, seen_at) "
                      "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
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
    q.bind(11, core::record_to_json(r).dump());
    q.bind(12, report_json);
    q.bind(13, r.seen_at.empty() ? now_iso() : r.seen_at);
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
      out.push_back(core::record_from_json(j, q.text(1)));
    }
  }
  if (rc != SQLITE_DONE) {
    return std::unexpected(db_error(m_db, "read results"));
  }
  return out;
}

core::Result<size_t> CampaignStore::merge_from(const std::string& other_path) {
  Statement attach(m_db, "ATTACH DATABASE ? AS other");
  attach.bind(1, other_path);
  if (attach.step() != SQLITE_DONE) {
    return std::unexpected(db_error(m_db, "attach " + other_path));
  }
  const int64_t before = sqlite3_total_changes64(m_db);
  auto merged = exec(R"sql(
    BEGIN IMMEDIATE;
    INSERT OR IGNORE INTO binaries(path, hash) SELECT path, hash FROM other.binaries;
    INSERT OR IGNORE INTO artifacts(path, sha1, size, target) SELECT path, sha1, size, target FROM other.artifacts;
    INSERT OR IGNORE INTO results(artifact_sha1, binary_id, artifact_path, target, size, result, kind, severity, message,
                                  signature, record_json, report_json, seen_at)
      SELECT r.artifact_sha1, b.id, r.artifact_path, r.target, r.size, r.result, r.kind, r.severity, r.message,
             r.signature, r.record_json, r.report_json, r.seen_at
      FROM other.results r JOIN other.binaries ob ON ob.id = r.binary_id
      JOIN binaries b ON b.path = ob.path AND b.hash = ob.hash;
    COMMIT;)sql");
  const int64_t changed = sqlite3_total_changes64(m_db) - before;
  (void)exec("DETACH DATABASE other");
  if (!merged) {
    return std::unexpected(merged.error());
  }
  return static_cast<size_t>(changed);
}

}  // namespace triage::store
