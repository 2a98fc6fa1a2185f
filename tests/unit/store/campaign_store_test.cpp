// The campaign store's schema version: a new store records it, an older store is migrated in place,
// a newer one is refused with a clear message; merging stores (also an older one) copies results once.
#include <gtest/gtest.h>

#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "triage/store/campaign_store.hpp"

namespace triage::store {
namespace {

namespace fs = std::filesystem;

// The version-1 schema, as triage wrote it before --retries.
constexpr const char* k_v1_schema = R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE binaries(id INTEGER PRIMARY KEY, path TEXT NOT NULL, hash TEXT NOT NULL, UNIQUE(path, hash));
CREATE TABLE artifacts(
  id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, sha1 TEXT NOT NULL, size INTEGER NOT NULL, target TEXT NOT NULL);
CREATE TABLE results(
  artifact_sha1 TEXT NOT NULL, binary_id INTEGER NOT NULL REFERENCES binaries(id),
  artifact_path TEXT NOT NULL, target TEXT NOT NULL, size INTEGER NOT NULL,
  result TEXT NOT NULL, kind TEXT, severity TEXT, message TEXT, signature TEXT,
  record_json TEXT NOT NULL, report_json TEXT NOT NULL, seen_at TEXT NOT NULL,
  PRIMARY KEY(artifact_sha1, binary_id, artifact_path));
CREATE VIEW buckets AS SELECT signature, COUNT(*) AS count FROM results GROUP BY signature;
INSERT INTO meta VALUES('schema_version', '1');
INSERT INTO binaries VALUES(1, '/bin/fuzz_rtc', 'h1');
INSERT INTO artifacts VALUES(1, 'in/fuzz_rtc/crash-1', 's1', 5, 'fuzz_rtc');
INSERT INTO results VALUES('s1', 1, 'in/fuzz_rtc/crash-1', 'fuzz_rtc', 5, 'crash', 'abort', 'not-exploitable', 'm',
  'v1-a731dbab44de2e04',
  '{"artifact":"in/fuzz_rtc/crash-1","target":"fuzz_rtc","sha1":"s1","size":5,"result":"crash","kind":"abort","severity":"not-exploitable","message":"m","signature":"v1-a731dbab44de2e04","state_facts":["rtc: status_a = 0x26 [DV=2]"]}',
  '{}', '2024-05-01T10:00:00Z');
)sql";

class CampaignStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    m_dir = fs::temp_directory_path() / ("triage-store-" + std::to_string(::getpid()));
    fs::remove_all(m_dir);
    fs::create_directories(m_dir);
  }
  void TearDown() override { fs::remove_all(m_dir); }

  std::string path(const char* name) const { return (m_dir / name).string(); }

  static void run_sql(const std::string& db_path, const char* sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(db_path.c_str(), &db), SQLITE_OK);
    char* err = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
    sqlite3_free(err);
    sqlite3_close(db);
  }

  static std::string query(const std::string& db_path, const char* sql) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(db_path.c_str(), &db), SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    std::string out;
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW) {
      const auto* text = sqlite3_column_text(stmt, 0);
      out = text != nullptr ? reinterpret_cast<const char*>(text) : "";
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return out;
  }

  static core::TriageRecord crash(const std::string& artifact, const std::string& sha1) {
    core::TriageRecord r;
    r.artifact = artifact;
    r.target = "fuzz_rtc";
    r.sha1 = sha1;
    r.size = 7;
    r.result = core::ResultKind::crash;
    r.kind = "abort";
    r.signature = "v1-a731dbab44de2e04";
    r.crashing_runs = 1;
    return r;
  }

  fs::path m_dir;
};

TEST_F(CampaignStoreTest, NewStoreRecordsTheSchemaVersion) {
  ASSERT_TRUE(CampaignStore::open(path("new.db")).has_value());
  EXPECT_EQ(query(path("new.db"), "SELECT value FROM meta WHERE key = 'schema_version'"),
            std::to_string(k_store_schema_version));
  EXPECT_EQ(k_store_schema_version, 4);
}

TEST_F(CampaignStoreTest, OlderStoreIsMigratedAndKeepsItsResults) {
  run_sql(path("v1.db"), k_v1_schema);
  auto store = CampaignStore::open(path("v1.db"));
  ASSERT_TRUE(store.has_value()) << store.error().message;
  EXPECT_EQ(query(path("v1.db"), "SELECT value FROM meta WHERE key = 'schema_version'"), "4");
  EXPECT_EQ(query(path("v1.db"), "SELECT COUNT(*) FROM sqlite_master WHERE name = 'buckets'"), "0");
  EXPECT_EQ(query(path("v1.db"), "SELECT COUNT(*) FROM sqlite_master WHERE name = 'results_path'"), "1");
  auto records = store->records();
  ASSERT_TRUE(records.has_value());
  ASSERT_EQ(records->size(), 1u);
  EXPECT_EQ((*records)[0].signature, "v1-a731dbab44de2e04");
  EXPECT_EQ((*records)[0].runs, 1u);
  EXPECT_EQ((*records)[0].crashing_runs, 1u);
  EXPECT_FALSE((*records)[0].flaky);
  EXPECT_EQ((*records)[0].state_values.size(), 1u);  // from the stored fact
  // The new columns work on the migrated store.
  auto r = crash("in/fuzz_rtc/crash-2", "s2");
  r.flaky = true;
  r.runs = 3;
  ASSERT_TRUE(store->put_result(*store->binary_id("/bin/fuzz_rtc", "h1"), r, "{}").has_value());
  EXPECT_EQ(query(path("v1.db"), "SELECT flaky || '/' || runs FROM results WHERE artifact_sha1 = 's2'"), "1/3");
  EXPECT_EQ(query(path("v1.db"), "SELECT flaky || '/' || runs FROM results WHERE artifact_sha1 = 's1'"), "0/1");
  records = store->records();
  ASSERT_EQ(records->size(), 2u);
  EXPECT_TRUE((*records)[1].flaky);
  EXPECT_EQ((*records)[1].runs, 3u);
}

TEST_F(CampaignStoreTest, ReproducerIsTheLatestBuildsBinaryAndCommandFile) {
  auto store = CampaignStore::open(path("r.db"));
  ASSERT_TRUE(store.has_value());
  const auto r = crash("in/fuzz_rtc/crash-1", "s1");
  ASSERT_TRUE(store->put_result(*store->binary_id("/old/fuzz_rtc", "h1"), r, R"({"lldb_command_file":"run\n"})"));
  ASSERT_TRUE(store->put_result(*store->binary_id("/new/fuzz_rtc", "h2"), r, R"({"lldb_command_file":"bt 40\nquit\n"})"));
  auto found = store->reproducer_of("s1", "in/fuzz_rtc/crash-1");
  ASSERT_TRUE(found.has_value() && found->has_value());
  EXPECT_EQ((*found)->binary, "/new/fuzz_rtc");
  EXPECT_EQ((*found)->lldb_command_file, "bt 40\nquit\n");
  // A report stored before reports carried a command file: the binary alone.
  ASSERT_TRUE(store->put_result(*store->binary_id("/bin/fuzz_uart", "h3"), crash("in/fuzz_uart/crash-2", "s2"), "{}"));
  found = store->reproducer_of("s2", "in/fuzz_uart/crash-2");
  ASSERT_TRUE(found.has_value() && found->has_value());
  EXPECT_EQ((*found)->binary, "/bin/fuzz_uart");
  EXPECT_EQ((*found)->lldb_command_file, "");
  found = store->reproducer_of("s2", "in/fuzz_uart/other");
  ASSERT_TRUE(found.has_value());
  EXPECT_FALSE(found->has_value());
}

TEST_F(CampaignStoreTest, NewerStoreIsRefusedUntouched) {
  ASSERT_TRUE(CampaignStore::open(path("newer.db")).has_value());
  run_sql(path("newer.db"), "UPDATE meta SET value = '5' WHERE key = 'schema_version'");
  auto store = CampaignStore::open(path("newer.db"));
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code, core::ErrorCode::data_invalid);
  EXPECT_NE(store.error().message.find("has schema version 5, newer than this triage's 4"), std::string::npos)
      << store.error().message;
  EXPECT_EQ(query(path("newer.db"), "SELECT value FROM meta WHERE key = 'schema_version'"), "5");
}

TEST_F(CampaignStoreTest, OtherSqliteDatabaseIsRefused) {
  run_sql(path("other.db"), "CREATE TABLE notes(x)");
  auto store = CampaignStore::open(path("other.db"));
  ASSERT_FALSE(store.has_value());
  EXPECT_NE(store.error().message.find("not a triage campaign store"), std::string::npos) << store.error().message;
}

TEST_F(CampaignStoreTest, MergeCopiesResultsOnceAcrossBinaryIds) {
  {
    auto a = CampaignStore::open(path("a.db"));
    ASSERT_TRUE(a.has_value());
    // Another binary first, so fuzz_rtc's id differs from store b's.
    (void)a->binary_id("/bin/fuzz_uart", "hu");
    ASSERT_TRUE(a->put_result(*a->binary_id("/bin/fuzz_rtc", "h1"), crash("in/fuzz_rtc/crash-a", "sa"), "{}"));
  }
  run_sql(path("v1.db"), k_v1_schema);  // an older shard store, merged without being migrated
  auto merged = CampaignStore::open(path("merged.db"));
  ASSERT_TRUE(merged.has_value());
  ASSERT_TRUE(merged->put_result(*merged->binary_id("/bin/fuzz_rtc", "h1"), crash("in/fuzz_rtc/crash-m", "sm"), "{}"));
  auto added = merged->merge_from(path("a.db"));
  ASSERT_TRUE(added.has_value()) << added.error().message;
  EXPECT_EQ(*added, 1u);
  added = merged->merge_from(path("v1.db"));
  ASSERT_TRUE(added.has_value()) << added.error().message;
  EXPECT_EQ(*added, 1u);
  EXPECT_EQ(query(path("v1.db"), "SELECT value FROM meta WHERE key = 'schema_version'"), "1");
  // Again: nothing new.
  added = merged->merge_from(path("a.db"));
  ASSERT_TRUE(added.has_value());
  EXPECT_EQ(*added, 0u);
  auto records = merged->records();
  ASSERT_TRUE(records.has_value());
  ASSERT_EQ(records->size(), 3u);
  EXPECT_EQ((*records)[0].artifact, "in/fuzz_rtc/crash-1");
  EXPECT_EQ((*records)[1].artifact, "in/fuzz_rtc/crash-a");
  EXPECT_EQ((*records)[2].artifact, "in/fuzz_rtc/crash-m");
  EXPECT_EQ(query(path("merged.db"), "SELECT COUNT(*) FROM binaries"), "2");  // fuzz_rtc once, fuzz_uart
}

TEST_F(CampaignStoreTest, MergeRefusesMissingNewerAndItself) {
  auto merged = CampaignStore::open(path("merged.db"));
  ASSERT_TRUE(merged.has_value());
  auto missing = merged->merge_from(path("missing.db"));
  ASSERT_FALSE(missing.has_value());
  EXPECT_NE(missing.error().message.find("no campaign store at"), std::string::npos);
  EXPECT_FALSE(fs::exists(path("missing.db")));
  auto self = merged->merge_from(path("merged.db"));
  ASSERT_FALSE(self.has_value());
  EXPECT_NE(self.error().message.find("into itself"), std::string::npos);
  ASSERT_TRUE(CampaignStore::open(path("newer.db")).has_value());
  run_sql(path("newer.db"), "UPDATE meta SET value = '9' WHERE key = 'schema_version'");
  auto newer = merged->merge_from(path("newer.db"));
  ASSERT_FALSE(newer.has_value());
  EXPECT_NE(newer.error().message.find("schema version 9, newer"), std::string::npos) << newer.error().message;
  // The failed merges left no transaction or attachment behind.
  EXPECT_TRUE(merged->put_result(*merged->binary_id("/bin/fuzz_rtc", "h1"), crash("x", "sx"), "{}").has_value());
  EXPECT_TRUE(merged->merge_from(path("newer.db")).error().message.find("newer") != std::string::npos);
}

}  // namespace
}  // namespace triage::store
