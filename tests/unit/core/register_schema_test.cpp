#include <gtest/gtest.h>

#include "triage/core/register_schema.hpp"

namespace triage::core {
namespace {

constexpr const char* k_status_schema = R"(
schema_version = 1
device = "ide"
device_types = ["devices::ide::IdeController"]

[[registers]]
name = "status"
width = 8
types = ["devices::ide::StatusReg", "*::regs::Status"]
fields = [
  { name = "ERR", bit = 0 }, { name = "IDX", bit = 1 }, { name = "CORR", bit = 2 }, { name = "DRQ", bit = 3 },
  { name = "DSC", bit = 4 }, { name = "DF", bit = 5 }, { name = "DRDY", bit = 6 }, { name = "BSY", bit = 7 },
]

[[registers]]
name = "rtc_a"
width = 8
types = ["devices::rtc::RegisterA"]
  [[registers.fields]]
  name = "RS"
  bits = "3:0"
  values = { "0" = "none", "0x6" = "976.562us" }
  [[registers.fields]]
  name = "DV"
  bits = "6:4"
  [[registers.fields]]
  name = "UIP"
  bit = 7
)";

TEST(RegisterSchema, DecodesSingleBitsLikeTheFuzzingGuide) {
  auto schema = parse_device_schema(k_status_schema, "test.toml");
  ASSERT_TRUE(schema) << schema.error().message;
  const auto* status = schema->find_register("status");
  ASSERT_NE(status, nullptr);
  const DecodedRegister d = decode_register(*status, 0x58);
  EXPECT_EQ(d.text, "0x58 [DRQ|DSC|DRDY]");
  EXPECT_EQ(d.fields.size(), 8u);
  EXPECT_EQ(d.fields[3].name, "DRQ");
  EXPECT_EQ(d.fields[3].value, 1u);
  EXPECT_EQ(d.fields[7].value, 0u);
}

TEST(RegisterSchema, DecodesMultiBitFieldsWithNamedValues) {
  auto schema = parse_device_schema(k_status_schema, "test.toml");
  ASSERT_TRUE(schema);
  const auto* a = schema->find_register("rtc_a");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(decode_register(*a, 0xa6).text, "0xa6 [UIP RS=6(976.562us) DV=2]");
  EXPECT_EQ(decode_register(*a, 0x00).text, "0x00 [RS=0(none) DV=0]");
}

TEST(RegisterSchema, BindsTypesByGlob) {
  auto schema = parse_device_schema(k_status_schema, "test.toml");
  ASSERT_TRUE(schema);
  SchemaSet set;
  set.add(*schema);
  ASSERT_TRUE(set.register_for_type("const devices::ide::StatusReg &"));
  EXPECT_EQ(set.register_for_type("fuzz_ide_rs::regs::Status")->reg->name, "status");
  EXPECT_FALSE(set.register_for_type("devices::ide::ErrorReg"));
  EXPECT_NE(set.device_for_type("devices::ide::IdeController *"), nullptr);
}

struct BadSchema {
  const char* name;
  const char* text;
  const char* expected;
};

void PrintTo(const BadSchema& c, std::ostream* os) { *os << c.name << ": expects \"" << c.expected << "\""; }

class RegisterSchemaErrors : public ::testing::TestWithParam<BadSchema> {};

TEST_P(RegisterSchemaErrors, RejectsWithAClearMessage) {
  auto schema = parse_device_schema(GetParam().text, "bad.toml");
  ASSERT_FALSE(schema);
  EXPECT_EQ(schema.error().code, ErrorCode::data_invalid);
  EXPECT_NE(schema.error().message.find(GetParam().expected), std::string::npos) << schema.error().message;
  EXPECT_NE(schema.error().message.find("bad.toml"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(
    Malformed, RegisterSchemaErrors,
    ::testing::Values(
        BadSchema{"syntax", "schema_version = 1\ndevice = \"x\"\n[[registers]\n", "bad.toml:"},
        BadSchema{"version", "schema_version = 9\ndevice = \"x\"\n", "schema_version"},
        BadSchema{"unknown_key", "schema_version = 1\ndevice = \"x\"\ncolour = 1\n", "unknown key 'colour'"},
        BadSchema{"bit_outside", "schema_version = 1\ndevice = \"x\"\n[[registers]]\nname = \"r\"\nwidth = 8\n"
                                 "fields = [{ name = \"A\", bit = 8 }]\n",
                  "outside the 8-bit register"},
        BadSchema{"overlap", "schema_version = 1\ndevice = \"x\"\n[[registers]]\nname = \"r\"\nwidth = 8\n"
                             "fields = [{ name = \"A\", bits = \"3:0\" }, { name = \"B\", bit = 2 }]\n",
                  "overlaps"},
        BadSchema{"width", "schema_version = 1\ndevice = \"x\"\n[[registers]]\nname = \"r\"\nwidth = 7\n", "'width'"},
        BadSchema{"both_bit_kinds", "schema_version = 1\ndevice = \"x\"\n[[registers]]\nname = \"r\"\nwidth = 8\n"
                                    "fields = [{ name = \"A\", bit = 1, bits = \"2:1\" }]\n",
                  "exactly one of"},
        BadSchema{"value_too_big", "schema_version = 1\ndevice = \"x\"\n[[registers]]\nname = \"r\"\nwidth = 8\n"
                                   "fields = [{ name = \"A\", bits = \"1:0\", values = { \"4\" = \"four\" } }]\n",
                  "does not fit"},
        BadSchema{"duplicate", "schema_version = 1\ndevice = \"x\"\n[[registers]]\nname = \"r\"\nwidth = 8\n"
                               "[[registers]]\nname = \"r\"\nwidth = 8\n",
                  "appears twice"}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace triage::core
