#include <gtest/gtest.h>

#include "fake_value.hpp"
#include "triage/core/report.hpp"
#include "triage/core/value_walker.hpp"

namespace triage::core {
namespace {

using namespace triage::core::testing;

WrapperRules shipped_rules() {
  auto rules = load_wrapper_rules(std::string(TRIAGE_TEST_DATA_DIR) + "/wrappers.toml");
  EXPECT_TRUE(rules) << (rules ? "" : rules.error().message);
  return rules ? *rules : WrapperRules{};
}

SchemaSet ide_schema() {
  auto s = parse_device_schema(R"(
schema_version = 1
device = "ide"
device_types = ["devices::ide::IdeController", "fuzz_ide_rs::device::IdeDevice"]
[[registers]]
name = "status"
width = 8
types = ["devices::ide::StatusReg", "fuzz_ide_rs::regs::Status"]
fields = [{ name = "ERR", bit = 0 }, { name = "DRQ", bit = 3 }, { name = "DSC", bit = 4 }, { name = "DRDY", bit = 6 }, { name = "BSY", bit = 7 }]
)",
                               "ide.toml");
  EXPECT_TRUE(s);
  SchemaSet set;
  set.add(*s);
  return set;
}

const DumpedValue* find(const DumpedValue& v, std::string_view name) {
  for (const auto& c : v.children) {
    if (c.name == name) {
      return &c;
    }
  }
  return nullptr;
}

/// std::shared_ptr<CloseableMutex<IdeController>> with one channel holding an optional<variant<HardDrive,...>>.
NodeP cpp_ide_device(uint8_t status) {
  auto status_reg = record("status", "devices::ide::StatusReg", {scalar("bits", "uint8_t", status)});
  auto hard_drive = record("", "devices::ide::HardDrive",
                           {record("state", "devices::ide::DriveState", {record("regs", "devices::ide::DriveRegs", {status_reg})})});
  auto membuf = record("_M_storage", "__gnu_cxx::__aligned_membuf<devices::ide::HardDrive>", {});
  membuf->template_arg = hard_drive;
  auto variant = record("_M_value", "std::variant<devices::ide::HardDrive, devices::ide::OpticalDrive>",
                        {base("std::__detail::__variant::_Variant_base<devices::ide::HardDrive, devices::ide::OpticalDrive>",
                              {record("_M_u", "std::__detail::__variant::_Variadic_union<...>",
                                      {record("_M_first", "std::__detail::__variant::_Uninitialized<devices::ide::HardDrive, false>",
                                              {membuf})}),
                               scalar("_M_index", "unsigned char", 0)})});
  auto optional = record("[0]", "std::optional<std::variant<devices::ide::HardDrive, devices::ide::OpticalDrive> >",
                         {record("_M_payload", "std::_Optional_payload<...>",
                                 {record("_M_payload", "std::_Optional_payload_base<...>::_Storage", {variant}),
                                  scalar("_M_engaged", "bool", 1)})});
  auto empty_optional = record("[1]", "std::optional<std::variant<devices::ide::HardDrive, devices::ide::OpticalDrive> >",
                               {record("_M_payload", "std::_Optional_payload<...>",
                                       {record("_M_payload", "std::_Optional_payload_base<...>::_Storage", {}),
                                        scalar("_M_engaged", "bool", 0)})});
  auto drives = record("drives", "std::array<std::optional<...>, 2>",
                       {array("_M_elems", "std::optional<...>[2]", {optional, empty_optional})});
  auto channel = record("[0]", "devices::ide::Channel", {drives});
  auto controller = record("", "devices::ide::IdeController",
                           {base("devices::IoDevice", {}),
                            record("channels", "std::array<devices::ide::Channel, 2>",
                                   {array("_M_elems", "devices::ide::Channel[2]", {channel})})},
                           0x2000);
  auto mutex = record("", "devices::CloseableMutex<devices::ide::IdeController>",
                      {record("m_lock", "std::mutex", {}), scalar("m_closed", "bool", 0, "false"),
                       record("m_value", "devices::ide::IdeController", controller->children, 0x2000)});
  mutex->children[2]->type = "devices::ide::IdeController";
  return record("ide_device", "std::shared_ptr<devices::CloseableMutex<devices::ide::IdeController> >",
                {pointer("_M_ptr", "devices::CloseableMutex<devices::ide::IdeController> *", mutex, 0x1f00)});
}

TEST(ValueWalker, SeesThroughATypedefOfAWrapper) {
  // `using IdeDevice = CloseableMutex<IdeController>; std::shared_ptr<IdeDevice> g_ide_device;`: LLDB
  // names the pointee `IdeDevice`, which no wrapper rule matches; its canonical type does.
  const auto rules = shipped_rules();
  const auto schemas = ide_schema();
  ValueWalker walker(rules, schemas);
  auto node = cpp_ide_device(0x50);
  node->type = "std::shared_ptr<IdeDevice>";
  auto& mutex = node->children[0]->pointee;
  mutex->canonical = mutex->type;
  mutex->type = "IdeDevice";
  FakeValue root(node, ExpressionPath("g_ide_device"));
  const Unwrapped u = walker.unwrap(root);
  ASSERT_NE(u.value, nullptr);
  EXPECT_EQ(u.value->type_name(), "devices::ide::IdeController");
  EXPECT_EQ(u.wrappers, (std::vector<std::string>{"shared_ptr", "CloseableMutex"}));
  EXPECT_EQ(u.value->expression_path(), "g_ide_device._M_ptr->m_value");
}

TEST(ValueWalker, WalksLibstdcxxWrappersDownToDecodedRegisters) {
  const auto rules = shipped_rules();
  const auto schemas = ide_schema();
  ValueWalker walker(rules, schemas);
  FakeValue root(cpp_ide_device(0x58), ExpressionPath("ide_device"));

  const Unwrapped u = walker.unwrap(root);
  ASSERT_NE(u.value, nullptr);
  EXPECT_EQ(u.value->type_name(), "devices::ide::IdeController");
  EXPECT_EQ(u.wrappers, (std::vector<std::string>{"shared_ptr", "CloseableMutex"}));
  EXPECT_EQ(u.value->expression_path(), "ide_device._M_ptr->m_value");

  const DumpedValue dump = walker.walk(root, "ide_device");
  EXPECT_EQ(dump.lldb_path, "ide_device._M_ptr->m_value");
  ASSERT_EQ(dump.facts.size(), 1u);  // use_count and the lock owner are not in this layout: left out
  EXPECT_EQ(dump.facts[0], (std::pair<std::string, std::string>{"CloseableMutex.closed", "false"}));

  const auto regs = collect_registers(dump, schemas);
  ASSERT_EQ(regs.size(), 1u);
  EXPECT_EQ(regs[0].register_name, "status");
  EXPECT_EQ(regs[0].name, "channels[0].drives[0].state.regs.status");
  EXPECT_EQ(regs[0].lldb_path,
            "ide_device._M_ptr->m_value.channels._M_elems[0].drives._M_elems[0]._M_payload._M_payload._M_value._M_u."
            "_M_first._M_storage.state.regs.status");
  EXPECT_EQ(regs[0].decoded.text, "0x58 [DRQ|DSC|DRDY]");

  const DumpedValue* channels = find(dump, "channels");
  ASSERT_NE(channels, nullptr);
  const DumpedValue* drives = find(channels->children.at(0), "drives");
  ASSERT_NE(drives, nullptr);
  ASSERT_EQ(drives->children.size(), 2u);
  EXPECT_EQ(drives->children[0].value, "HardDrive#0");
  EXPECT_EQ(drives->children[1].value, "none");
  EXPECT_EQ(drives->children[1].wrappers, (std::vector<std::string>{"optional"}));
}

/// Arc<CloseableMutex<IdeDevice>> with drives: [Option<DiskDrive>; 2], DiskDrive::Hard(HardDrive).
NodeP rust_ide_device(uint8_t status, bool second_drive) {
  auto status_reg = record("status", "fuzz_ide_rs::regs::Status", {scalar("__0", "u8", status)});
  auto hard = record("value", "fuzz_ide_rs::drive::DiskDrive::Hard",
                     {record("__0", "fuzz_ide_rs::drive::HardDrive",
                             {record("state", "fuzz_ide_rs::drive::DriveState", {record("regs", "fuzz_ide_rs::drive::Regs", {status_reg})})})});
  auto disk_drive = record("__0", "fuzz_ide_rs::drive::DiskDrive",
                           {record("$variants$", "fuzz_ide_rs::drive::DiskDrive::$variants$",
                                   {record("$variant$0", "", {scalar("$discr$", "u64", 0), hard})})});
  // Option<DiskDrive> is niche-encoded: None has discriminant 2, Some is the untagged $variant$.
  auto some = record("[0]", "core::option::Option<fuzz_ide_rs::drive::DiskDrive>",
                     {record("$variants$", "",
                             {record("$variant$2", "", {scalar("$discr$", "u64", 0),
                                                        record("value", "core::option::Option<fuzz_ide_rs::drive::DiskDrive>::None", {})}),
                              record("$variant$", "", {record("value", "core::option::Option<fuzz_ide_rs::drive::DiskDrive>::Some",
                                                              {disk_drive})})})});
  auto none = record("[1]", "core::option::Option<fuzz_ide_rs::drive::DiskDrive>",
                     {record("$variants$", "",
                             {record("$variant$2", "", {scalar("$discr$", "u64", second_drive ? 0 : 2),
                                                        record("value", "core::option::Option<fuzz_ide_rs::drive::DiskDrive>::None", {})}),
                              record("$variant$", "", {record("value", "core::option::Option<fuzz_ide_rs::drive::DiskDrive>::Some",
                                                              {disk_drive})})})});
  auto channel = record("[0]", "fuzz_ide_rs::channel::Channel", {array("drives", "[core::option::Option<...>; 2]", {some, none})});
  auto device = record("value", "fuzz_ide_rs::device::IdeDevice",
                       {array("channels", "[fuzz_ide_rs::channel::Channel; 2]", {channel})});
  auto cell = record("value", "core::cell::UnsafeCell<fuzz_ide_rs::device::IdeDevice>", {device});
  auto cm = record("data", "fuzz_ide_rs::closeable_mutex::CloseableMutex<fuzz_ide_rs::device::IdeDevice>",
                   {record("mutex", "std::sync::poison::mutex::Mutex<bool>",
                           {record("data", "core::cell::UnsafeCell<bool>", {scalar("value", "bool", 0, "false")})}),
                    cell});
  auto inner = record("", "alloc::sync::ArcInner<...>", {cm});
  return record("ide_device", "alloc::sync::Arc<fuzz_ide_rs::closeable_mutex::CloseableMutex<fuzz_ide_rs::device::IdeDevice>, alloc::alloc::Global>",
                {record("ptr", "core::ptr::non_null::NonNull<...>", {pointer("pointer", "alloc::sync::ArcInner<...> *", inner, 0x3000)})});
}

TEST(ValueWalker, WalksRustArcCloseableMutexOptionAndEnumsLikeTheGuide) {
  const auto rules = shipped_rules();
  const auto schemas = ide_schema();
  ValueWalker walker(rules, schemas);
  FakeValue root(rust_ide_device(0x58, false), ExpressionPath("ide_device"));
  const DumpedValue dump = walker.walk(root, "ide_device");
  // The fuzzing guide's path: ide_device.ptr.pointer->data.value.value.channels[0]...
  EXPECT_EQ(dump.lldb_path, "ide_device.ptr.pointer->data.value.value");
  EXPECT_EQ(dump.wrappers, (std::vector<std::string>{"Arc", "CloseableMutex"}));
  const auto regs = collect_registers(dump, schemas);
  ASSERT_EQ(regs.size(), 1u);
  EXPECT_EQ(regs[0].lldb_path,
            "ide_device.ptr.pointer->data.value.value.channels[0].drives[0].$variants$.$variant$.value.__0."
            "$variants$.$variant$0.value.__0.state.regs.status");
  EXPECT_EQ(regs[0].decoded.text, "0x58 [DRQ|DSC|DRDY]");
  const DumpedValue& drives = dump.children.at(0).children.at(0).children.at(0);
  EXPECT_EQ(drives.name, "drives");
  EXPECT_EQ(drives.children.at(1).value, "None");
  EXPECT_EQ(drives.children.at(0).wrappers, (std::vector<std::string>{"Some", "Hard"}));
}

TEST(ValueWalker, StopsAtNullPointersAndCycles) {
  const auto rules = shipped_rules();
  const SchemaSet schemas;
  ValueWalker walker(rules, schemas);
  auto self = record("node", "Node", {}, 0x5000);
  self->children.push_back(pointer("next", "Node *", self, 0x5000));
  self->children.push_back(pointer("other", "Node *", nullptr));
  FakeValue root(self, ExpressionPath("node"));
  const DumpedValue dump = walker.walk(root, "node");
  ASSERT_EQ(dump.children.size(), 2u);
  EXPECT_EQ(dump.children[0].value, "<shown above>");
  EXPECT_EQ(dump.children[1].value, "null");
}

TEST(ValueWalker, BoundsDepth) {
  const auto rules = shipped_rules();
  const SchemaSet schemas;
  WalkLimits limits;
  limits.max_depth = 3;
  ValueWalker walker(rules, schemas, limits);
  NodeP leaf = scalar("x", "int", 1);
  NodeP n = leaf;
  for (int i = 0; i < 10; ++i) {
    n = record("level", "Level", {n}, 0x100 + static_cast<uint64_t>(i));
  }
  FakeValue root(n, ExpressionPath("root"));
  const DumpedValue dump = walker.walk(root, "root");
  const DumpedValue* cur = &dump;
  int depth = 0;
  while (!cur->children.empty()) {
    cur = &cur->children[0];
    ++depth;
  }
  EXPECT_EQ(depth, 3);
  EXPECT_NE(cur->value.find("{...}"), std::string::npos);
}

TEST(WrapperRules, RejectsMalformedUserFiles) {
  EXPECT_FALSE(parse_wrapper_rules("schema_version = 1\n[[wrapper]]\nname = \"x\"\n", "w.toml"));
  EXPECT_FALSE(parse_wrapper_rules("schema_version = 1\n[[wrapper]]\nname = \"x\"\ntypes = [\"X\"]\nstrategy = \"magic\"\n", "w.toml"));
  EXPECT_FALSE(parse_wrapper_rules("schema_version = 1\n[[wrapper]]\nname = \"x\"\ntypes = [\"X\"]\ninner = \"a.@\"\n", "w.toml"));
  const auto ok = parse_wrapper_rules("schema_version = 1\n[[wrapper]]\nname = \"Box\"\ntypes = [\"my::Box<*>\"]\ninner = \"ptr->value\"\n", "w.toml");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->rules().at(0).inner.size(), 3u);
  EXPECT_EQ(ok->candidates("my::Box<int>").size(), 1u);
}

}  // namespace
}  // namespace triage::core
