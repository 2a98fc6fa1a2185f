// Each device's register bit constants (the ones its code uses) must match its TOML schema, and every
// schema must load, bind its registers to types and declare the device root type.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "devices/battery/register_constants.hpp"
#include "devices/ide/register_constants.hpp"
#include "devices/rtc/register_constants.hpp"
#include "devices/uart/register_constants.hpp"
#include "triage/core/register_schema.hpp"

namespace {

using triage::core::DeviceSchema;

struct DeviceCase {
  const char* device;
  std::span<const devices::RegisterConstant> (*constants)();
  const char* root_type;
};

void PrintTo(const DeviceCase& c, std::ostream* os) { *os << c.device << " (" << c.root_type << ")"; }

const DeviceCase k_cases[] = {
    {"ide", devices::ide::register_constants, "devices::ide::IdeController"},
    {"rtc", devices::rtc::register_constants, "devices::rtc::CmosRtc"},
    {"uart", devices::uart::register_constants, "devices::uart::Uart"},
    {"battery", devices::battery::register_constants, "devices::battery::Battery"},
};

DeviceSchema load(const std::string& device) {
  auto schema = triage::core::load_device_schema(std::string(TRIAGE_DEVICE_SCHEMA_DIR) + "/" + device + ".toml");
  EXPECT_TRUE(schema) << (schema ? "" : schema.error().message);
  return schema ? *schema : DeviceSchema{};
}

class DeviceSchemaTest : public ::testing::TestWithParam<DeviceCase> {};

TEST_P(DeviceSchemaTest, CodeConstantsMatchTheSchema) {
  const DeviceCase& c = GetParam();
  const DeviceSchema schema = load(c.device);
  ASSERT_EQ(schema.device, c.device);
  const auto constants = c.constants();
  ASSERT_FALSE(constants.empty());
  std::set<std::pair<std::string, std::string>> covered;
  for (const auto& k : constants) {
    const auto* reg = schema.find_register(k.reg);
    ASSERT_NE(reg, nullptr) << c.device << ": no register '" << k.reg << "' in the schema";
    const auto* field = reg->find_field(k.field);
    ASSERT_NE(field, nullptr) << c.device << ": register '" << k.reg << "' has no field '" << k.field << "'";
    EXPECT_EQ(field->mask(), k.mask) << c.device << " " << k.reg << "." << k.field << ": the code uses 0x" << std::hex
                                     << k.mask << ", the schema says 0x" << field->mask();
    covered.emplace(std::string(k.reg), std::string(k.field));
  }
  // The other direction: every field of every register the code exports is one the code knows.
  for (const auto& reg : schema.registers) {
    bool exported = false;
    for (const auto& k : constants) {
      exported = exported || k.reg == reg.name;
    }
    if (!exported) {
      continue;
    }
    for (const auto& f : reg.fields) {
      EXPECT_TRUE(covered.contains({reg.name, f.name}))
          << c.device << ": schema field " << reg.name << "." << f.name << " has no constant in the code";
    }
  }
}

TEST_P(DeviceSchemaTest, DeclaresTheRootTypeAndBindsEveryRegisterToATypeName) {
  const DeviceCase& c = GetParam();
  const DeviceSchema schema = load(c.device);
  triage::core::SchemaSet set;
  set.add(schema);
  EXPECT_NE(set.device_for_type(c.root_type), nullptr);
  ASSERT_FALSE(schema.registers.empty());
  // Plain value registers (data, LBA, counters) have no fields, and registers kept as raw bytes in an
  // array (CMOS time registers) have no type to bind; the status/control registers the device holds
  // as typed values must be bound, or triage could never decode them.
  size_t bound = 0;
  for (const auto& reg : schema.registers) {
    bound += (!reg.fields.empty() && !reg.type_patterns.empty()) ? 1 : 0;
  }
  EXPECT_GE(bound, 3u) << c.device << ": fewer than 3 decodable registers bound to a type";
}

INSTANTIATE_TEST_SUITE_P(Devices, DeviceSchemaTest, ::testing::ValuesIn(k_cases),
                         [](const auto& info) { return std::string(info.param.device); });

TEST(IdeSchema, UsesTheStandardStatusBitNames) {
  const DeviceSchema schema = load("ide");
  const auto* status = schema.find_register("status");
  ASSERT_NE(status, nullptr);
  const char* names[] = {"ERR", "IDX", "CORR", "DRQ", "DSC", "DF", "DRDY", "BSY"};
  for (unsigned bit = 0; bit < 8; ++bit) {
    const auto* f = status->find_field(names[bit]);
    ASSERT_NE(f, nullptr) << names[bit];
    EXPECT_EQ(f->lsb, bit);
    EXPECT_TRUE(f->is_bit());
  }
  EXPECT_EQ(triage::core::decode_register(*status, 0x58).text, "0x58 [DRQ|DSC|DRDY]");
}

}  // namespace
