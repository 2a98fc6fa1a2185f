#include <gtest/gtest.h>

#include <vector>

#include "fuzz_targets/common/action_stream.hpp"

namespace fuzz_targets {
namespace {

TEST(ActionStream, DecodesEachOpcodeWithItsOperands) {
  const std::vector<uint8_t> input{
      0x01, 0x07, 0x00, 0xec,              // write, port 7, byte, value 0xec
      0x00, 0x07, 0x01,                    // read, port 7, word
      0x02,                                // reset
      0x03, 0x10, 0x27,                    // tick 0x2710
      0x04, 0x00, 0x10, 0x78, 0x56, 0x34, 0x12,  // memory write at 0x1000
      0x06, 0x02, 0x02, 0x01, 0x02, 0x03, 0x04,  // opcode 6 % 5 = write, dword
  };
  ActionStream s(input);
  auto a = s.next();
  ASSERT_TRUE(a);
  EXPECT_EQ(a->kind, ActionKind::write);
  EXPECT_EQ(a->port_index, 7);
  EXPECT_EQ(a->width, devices::AccessWidth::byte);
  EXPECT_EQ(a->value, 0xecu);
  a = s.next();
  EXPECT_EQ(a->kind, ActionKind::read);
  EXPECT_EQ(a->width, devices::AccessWidth::word);
  EXPECT_EQ(s.next()->kind, ActionKind::reset);
  a = s.next();
  EXPECT_EQ(a->kind, ActionKind::tick);
  EXPECT_EQ(a->value, 0x2710u);
  a = s.next();
  EXPECT_EQ(a->kind, ActionKind::memory_write);
  EXPECT_EQ(a->offset, 0x1000u);
  EXPECT_EQ(a->value, 0x12345678u);
  a = s.next();
  EXPECT_EQ(a->kind, ActionKind::write);
  EXPECT_EQ(a->width, devices::AccessWidth::dword);
  EXPECT_EQ(a->value, 0x04030201u);
  EXPECT_FALSE(s.next());
}

TEST(ActionStream, TruncatedOperandsReadAsZeroAndEndTheStream) {
  const std::vector<uint8_t> input{0x01, 0x03, 0x02, 0xff};  // dword write with 1 of 4 value bytes
  ActionStream s(input);
  auto a = s.next();
  ASSERT_TRUE(a);
  EXPECT_EQ(a->value, 0xffu);
  EXPECT_FALSE(s.next());
  EXPECT_TRUE(s.empty());
}

TEST(ActionStream, EveryByteValueIsAValidOpcode) {
  for (int op = 0; op < 256; ++op) {
    const std::vector<uint8_t> input{static_cast<uint8_t>(op), 1, 2, 3, 4, 5, 6, 7};
    ActionStream s(input);
    ASSERT_TRUE(s.next()) << op;
  }
}

TEST(ActionStream, WidthFromByteCoversAllWidths) {
  EXPECT_EQ(width_from_byte(0), devices::AccessWidth::byte);
  EXPECT_EQ(width_from_byte(1), devices::AccessWidth::word);
  EXPECT_EQ(width_from_byte(2), devices::AccessWidth::dword);
  EXPECT_EQ(width_from_byte(255), devices::AccessWidth::byte);
}

}  // namespace
}  // namespace fuzz_targets
