// load_knowledge: one search path and one order of precedence for schemas, wrapper rules and ignore lists.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "triage/core/knowledge.hpp"

namespace triage::core {
namespace {

namespace fs = std::filesystem;

class Knowledge : public ::testing::Test {
 protected:
  void SetUp() override {
    m_dir = fs::temp_directory_path() / ("triage-knowledge-" + std::to_string(::getpid()));
    fs::create_directories(m_dir / "more");
  }
  void TearDown() override { fs::remove_all(m_dir); }

  /// A schema of device `device` whose one register binds `type`.
  fs::path schema(const fs::path& path, const std::string& device, const std::string& type) {
    std::ofstream(path) << "schema_version = 1\ndevice = \"" << device << "\"\n[[registers]]\nname = \"r\"\n"
                        << "width = 8\ntypes = [\"" << type << "\"]\n";
    return path;
  }

  fs::path m_dir;
};

TEST_F(Knowledge, TheUsersSchemasWinThenTheShippedThenTheExtraDirectoriesInOrder) {
  schema(m_dir / "more" / "a.toml", "from-more", "ide::protocol::Status");  // shipped has it too
  schema(m_dir / "more" / "b.toml", "only-more", "my::Reg");
  KnowledgeSources sources;
  sources.data_dir = TRIAGE_TEST_DATA_DIR;
  sources.schema_dirs = {(m_dir / "missing").string(), (m_dir / "more").string()};
  auto k = load_knowledge(sources);
  ASSERT_TRUE(k.has_value()) << k.error().message;
  ASSERT_TRUE(k->schemas.register_for_type("my::Reg").has_value());
  EXPECT_EQ(k->schemas.register_for_type("my::Reg")->device->device, "only-more");
  EXPECT_EQ(k->schemas.register_for_type("ide::protocol::Status")->device->device, "openvmm-ide");
  sources.schema_files = {schema(m_dir / "mine.toml", "mine", "ide::protocol::Status").string()};
  k = load_knowledge(sources);
  ASSERT_TRUE(k.has_value()) << k.error().message;
  EXPECT_EQ(k->schemas.register_for_type("ide::protocol::Status")->device->device, "mine");
  EXPECT_EQ(k->schemas.schemas().front().device, "mine");
  // Without the default schemas only the user's remain.
  sources.default_schemas = false;
  k = load_knowledge(sources);
  ASSERT_TRUE(k.has_value());
  EXPECT_EQ(k->schemas.schemas().size(), 1u);
  EXPECT_FALSE(k->wrappers.rules().empty());  // wrapper rules and the ignore list are always the shipped ones plus the user's
}

TEST_F(Knowledge, AMalformedFileIsAnErrorNamingIt) {
  std::ofstream(m_dir / "bad.toml") << "schema_version = 1\ndevice = \"x\"\n[[registers]\n";
  KnowledgeSources sources;
  sources.data_dir = TRIAGE_TEST_DATA_DIR;
  sources.schema_files = {(m_dir / "bad.toml").string()};
  const auto k = load_knowledge(sources);
  ASSERT_FALSE(k.has_value());
  EXPECT_EQ(k.error().code, ErrorCode::data_invalid);
  EXPECT_NE(k.error().message.find("bad.toml"), std::string::npos) << k.error().message;
  sources = {};
  sources.data_dir = (m_dir / "nowhere").string();
  EXPECT_FALSE(load_knowledge(sources).has_value());  // no shipped wrappers.toml
}

}  // namespace
}  // namespace triage::core
