// make_buckets on records built in code: grouping by signature, the representative, flaky members,
// and --key-state splitting one signature by device-state values.
#include <gtest/gtest.h>

#include <map>

#include <nlohmann/json.hpp>

#include "triage/core/bucket.hpp"
#include "triage/core/state_key.hpp"

namespace triage::core {
namespace {

TriageRecord panic_record(std::string artifact, uint64_t size, std::vector<StateValue> state) {
  TriageRecord r;
  r.artifact = std::move(artifact);
  r.target = "fuzz_ide";
  r.size = size;
  r.result = ResultKind::crash;
  r.kind = "rust-panic";
  r.message = "called `Option::unwrap()` on a `None` value";
  r.blamed_function = "fuzz_ide_rs::channel::Channel::execute_command";
  r.signature = "v1-98ee76bb953a5826";
  r.signature_frames = {"fuzz_ide_rs::channel::Channel::execute_command", "fuzz_ide_rs::channel::Channel::write"};
  r.state_values = std::move(state);
  r.crashing_runs = 1;
  return r;
}

std::vector<StateValue> ide_state(std::string status, std::string bsy) {
  return {{"ide.channels[0].drives[0].state.regs.status", "status", status},
          {"ide.channels[0].drives[0].state.regs.status.BSY", "status.BSY", bsy},
          {"ide.channels[0].drives[0].state.regs.command", "command", "0xa0"}};
}

TEST(Bucket, OneBucketPerSignatureWithoutKeyState) {
  const std::vector<TriageRecord> records{panic_record("a", 30, ide_state("0x58", "0")),
                                          panic_record("b", 10, ide_state("0xd0", "1"))};
  const auto buckets = make_buckets(records);
  ASSERT_EQ(buckets.size(), 1u);
  EXPECT_EQ(buckets[0].id, "v1-98ee76bb953a5826");
  EXPECT_EQ(buckets[0].signature, "v1-98ee76bb953a5826");
  EXPECT_EQ(buckets[0].state_label, "");
  EXPECT_EQ(buckets[0].count, 2u);
  EXPECT_EQ(buckets[0].representative, "b");
  EXPECT_EQ(buckets[0].artifacts, (std::vector<std::string>{"b", "a"}));
}

TEST(Bucket, KeyStateSplitsIdenticalFramesByRegisterValue) {
  const std::vector<TriageRecord> records{panic_record("a", 30, ide_state("0x58", "0")),
                                          panic_record("b", 10, ide_state("0xd0", "1")),
                                          panic_record("c", 20, ide_state("0x58", "0"))};
  const auto buckets = make_buckets(records, {{"status"}});
  ASSERT_EQ(buckets.size(), 2u);
  EXPECT_EQ(buckets[0].id, "v1-98ee76bb953a5826@status=0x58");
  EXPECT_EQ(buckets[0].count, 2u);
  EXPECT_EQ(buckets[0].representative, "c");
  EXPECT_EQ(buckets[0].state_label, "status=0x58");
  EXPECT_EQ(buckets[0].signature, "v1-98ee76bb953a5826");
  EXPECT_EQ(buckets[1].id, "v1-98ee76bb953a5826@status=0xd0");
  EXPECT_EQ(buckets[1].count, 1u);
  // Split only by state: pointed at each other.
  ASSERT_EQ(buckets[0].similar.size(), 1u);
  EXPECT_EQ(buckets[0].similar[0].bucket, "v1-98ee76bb953a5826@status=0xd0");
  EXPECT_EQ(buckets[0].similar[0].reason, "same signature, other device state");
}

TEST(Bucket, KeyStateMatchesFieldsPathSuffixesAndRegisterNames) {
  const std::vector<TriageRecord> records{panic_record("a", 30, ide_state("0x58", "0")),
                                          panic_record("b", 10, ide_state("0xd0", "1"))};
  // A field by its name, a register by a path suffix, both keys in the label in option order.
  auto buckets = make_buckets(records, {{"BSY", "regs.command"}});
  ASSERT_EQ(buckets.size(), 2u);
  EXPECT_EQ(buckets[0].id, "v1-98ee76bb953a5826@BSY=0,regs.command=0xa0");
  EXPECT_EQ(buckets[1].id, "v1-98ee76bb953a5826@BSY=1,regs.command=0xa0");
  // A register name that is no path suffix ("control" of member m_control) matches by schema name.
  StateValue control{"battery.m_control", "control", "0x09"};
  EXPECT_TRUE(state_key_matches(control, "control"));
  EXPECT_TRUE(state_key_matches(control, "m_control"));
  EXPECT_TRUE(state_key_matches(control, "battery.m_control"));
  EXPECT_FALSE(state_key_matches(control, "trol"));
  EXPECT_FALSE(state_key_matches({"ide.regs.alt_status", "alt_status", "0x50"}, "status"));
  // A key no record has leaves the buckets alone.
  buckets = make_buckets(records, {{"no_such_register"}});
  ASSERT_EQ(buckets.size(), 1u);
  EXPECT_EQ(buckets[0].id, "v1-98ee76bb953a5826");
}

TEST(Bucket, KeyStateOnRecordsWithoutTheRegisterKeepsThePlainKey) {
  std::vector<TriageRecord> records{panic_record("a", 30, ide_state("0x58", "0")), panic_record("b", 10, {})};
  const auto buckets = make_buckets(records, {{"status"}});
  ASSERT_EQ(buckets.size(), 2u);
  EXPECT_EQ(buckets[0].id, "v1-98ee76bb953a5826");
  EXPECT_EQ(buckets[1].id, "v1-98ee76bb953a5826@status=0x58");
}

TEST(Bucket, StoredRecordsWithoutStateValuesFallBackToTheFacts) {
  nlohmann::json j = record_to_json(panic_record("a", 30, {}));
  j.erase("state_values");
  j["state_facts"] = {"battery: m_status = 0x01 [DISCHARGING]"};
  j.erase("runs");
  j.erase("crashing_runs");
  j.erase("flaky");
  const TriageRecord r = record_from_json(j, "2024-05-01T10:00:00Z");
  ASSERT_EQ(r.state_values.size(), 1u);
  EXPECT_EQ(r.state_values[0], (StateValue{"battery.m_status", "", "0x01"}));
  EXPECT_EQ(r.runs, 1u);
  EXPECT_EQ(r.crashing_runs, 1u);
  EXPECT_FALSE(r.flaky);
  const auto buckets = make_buckets({r}, {{"m_status"}});
  ASSERT_EQ(buckets.size(), 1u);
  EXPECT_EQ(buckets[0].id, "v1-98ee76bb953a5826@m_status=0x01");
}

TEST(Bucket, StructuredFramesAndMembersSurviveTheStore) {
  TriageRecord rec = panic_record("a", 30, {});
  rec.sha1 = std::string(40, 'c');
  rec.frames = {{"core::panicking::panic_fmt", "", 0, "fuzz_ide_rs", "rust-std"},
                {"fuzz_ide_rs::Channel::execute", "src/channel.rs", 42, "fuzz_ide_rs", ""}};
  const nlohmann::json j = record_to_json(rec);
  ASSERT_EQ(j["frames"].size(), 2u);
  EXPECT_EQ(j["frames"][0]["ignored_by"], "rust-std");
  EXPECT_TRUE(j["frames"][1]["ignored_by"].is_null());  // a surviving frame
  EXPECT_EQ(j["frames"][1]["line"], 42);
  const TriageRecord back = record_from_json(j, "2024-05-01T10:00:00Z");
  ASSERT_EQ(back.frames.size(), 2u);
  EXPECT_EQ(back.frames[0].ignored_by, "rust-std");
  EXPECT_EQ(back.frames[1].ignored_by, "");
  EXPECT_EQ(back.frames[1].file, "src/channel.rs");
  const auto buckets = make_buckets({back}, {});
  ASSERT_EQ(buckets.size(), 1u);
  ASSERT_EQ(buckets[0].members.size(), 1u);
  EXPECT_EQ(buckets[0].members[0].target, back.target);
  EXPECT_EQ(buckets[0].members[0].size, 30u);
  EXPECT_EQ(buckets[0].members[0].sha1, std::string(40, 'c'));
  EXPECT_EQ(buckets[0].backtrace_frames.size(), 2u);
  // A record stored before frames existed reads with none.
  nlohmann::json old = j;
  old.erase("frames");
  EXPECT_TRUE(record_from_json(old, "").frames.empty());
}

TEST(Bucket, StateValuesOfAReportNameRegistersAndFields) {
  Report report;
  DeviceReport d;
  d.name = "battery";
  RegisterReport reg;
  reg.name = "m_control";
  reg.register_name = "control";
  reg.decoded.raw = 9;
  reg.decoded.text = "0x09 [UNIT_MA|SAMPLING]";
  reg.decoded.fields = {{"UNIT_MA", 1, "", true}, {"MODE", 2, "fast", false}, {"LEVEL", 3, "", false}};
  d.registers.push_back(reg);
  report.devices.push_back(d);
  EXPECT_EQ(state_values_of(report), (std::vector<StateValue>{{"battery.m_control", "control", "0x09"},
                                                              {"battery.m_control.UNIT_MA", "control.UNIT_MA", "1"},
                                                              {"battery.m_control.MODE", "control.MODE", "fast"},
                                                              {"battery.m_control.LEVEL", "control.LEVEL", "3"}}));
  EXPECT_EQ(state_key_label(state_values_of(report), {"control", "MODE", "control.LEVEL"}),
            "control=0x09,MODE=fast,control.LEVEL=3");
}

TEST(Bucket, AMinimizedInputRepresentsItsBucketWithoutBeingAMember) {
  auto minimized = panic_record("out/minimized/v1-98ee76bb953a5826", 4, {});
  minimized.minimized_from = "b";
  minimized.sha1 = "m1";
  minimized.backtrace = {"fuzz_ide_rs::channel::Channel::execute_command  src/channel.rs:157"};
  // A minimized input of a bucket no artifact of which crashes any more (fixed): no bucket.
  auto orphan = panic_record("out/minimized/v1-0000000000000000", 3, {});
  orphan.signature = "v1-0000000000000000";
  orphan.minimized_from = "gone";
  const std::vector<TriageRecord> records{panic_record("a", 30, {}), panic_record("b", 10, {}), minimized, orphan};
  const auto buckets = make_buckets(records);
  ASSERT_EQ(buckets.size(), 1u);
  const auto& b = buckets[0];
  EXPECT_EQ(b.count, 2u);
  EXPECT_EQ(b.artifacts, (std::vector<std::string>{"b", "a"}));
  EXPECT_EQ(b.representative, "out/minimized/v1-98ee76bb953a5826");
  EXPECT_EQ(b.representative_size, 4u);
  EXPECT_EQ(b.representative_sha1, "m1");
  EXPECT_EQ(b.minimized_from, "b");
  EXPECT_EQ(b.minimized_from_size, 10u);
  EXPECT_EQ(b.backtrace, minimized.backtrace);  // the representative's own
  // The mark survives the store.
  EXPECT_EQ(record_from_json(record_to_json(minimized), "").minimized_from, "b");
  EXPECT_EQ(record_from_json(record_to_json(panic_record("a", 30, {})), "").minimized_from, "");
}

TEST(Bucket, FlakyMembersAreListed) {
  auto flaky = panic_record("f", 5, {});
  flaky.flaky = true;
  flaky.runs = 2;
  const auto buckets = make_buckets({panic_record("a", 30, {}), flaky});
  ASSERT_EQ(buckets.size(), 1u);
  ASSERT_EQ(buckets[0].flaky.size(), 1u);
  EXPECT_EQ(buckets[0].flaky[0].artifact, "f");
  EXPECT_EQ(buckets[0].flaky[0].runs, 2u);
  EXPECT_EQ(flaky_note(buckets[0].flaky[0].crashing_runs, buckets[0].flaky[0].runs), "flaky: reproduced 1 of 2 runs");
}

TEST(Buckets, HintsOnlyPairTheSameKindAtTheSameCrashSite) {
  // Two bugs of one device: other blamed functions behind the same dispatch frames. Sharing frames is
  // no evidence (the shipped set had four such hints, all wrong).
  auto a = panic_record("a", 10, {});
  a.kind = "heap-buffer-overflow-write";
  a.blamed_function = "devices::ide::Channel::write_data_port";
  a.blamed_file = "channel.cpp";
  a.blamed_line = 40;
  a.signature = "v1-a";
  a.signature_frames = {"devices::ide::Channel::write_data_port", "devices::ide::Channel::io_write", "bus::write"};
  auto b = a;
  b.artifact = "b";
  b.kind = "use-after-free";  // IDE-05: same function, another bug
  b.signature = "v1-b";
  auto c = a;
  c.artifact = "c";
  c.blamed_function = "devices::ide::BusMaster::copy_to_guest";
  c.signature = "v1-c";
  c.signature_frames = {"devices::ide::BusMaster::copy_to_guest", "devices::ide::Channel::io_write", "bus::write"};
  auto d = a;  // the same crash site as a, reached through another caller: a true hint
  d.artifact = "d";
  d.signature = "v1-d";
  d.signature_frames = {"devices::ide::Channel::write_data_port", "devices::ide::Channel::dma_write", "bus::write"};
  const auto buckets = make_buckets({a, b, c, d});
  std::map<std::string, std::vector<std::string>> hints;
  for (const auto& bucket : buckets) {
    for (const auto& sim : bucket.similar) {
      hints[bucket.id].push_back(sim.bucket);
      EXPECT_EQ(sim.reason, "same kind and crash site, other callers");
    }
  }
  EXPECT_EQ(hints, (std::map<std::string, std::vector<std::string>>{{"v1-a", {"v1-d"}}, {"v1-d", {"v1-a"}}}));
}

TEST(FuzzAction, OneLineTextAndAKindToKeyBucketsBy) {
  DumpedValue port{"port_index", "u8", "", "3", 3, "", "", {}, {}, {}};
  DumpedValue value{"value", "u32", "", "160 (0xa0)", 160, "", "", {}, {}, {}};
  DumpedValue write{"action", "fuzz_ide_rs::actions::Action", "", "", std::nullopt, "", "", {"Write"}, {}, {port, value}};
  FuzzAction action{"rule", 8, "fuzz_ide_rs::harness::apply", write, 7};
  EXPECT_EQ(describe_action(action), "#7 Write { port_index: 3, value: 160 (0xa0) }");
  EXPECT_EQ(action_kind(action), "Write");
  Report r;
  r.action = action;
  const auto values = state_values_of(r);
  ASSERT_FALSE(values.empty());
  EXPECT_EQ(values.back().path, "action");
  EXPECT_EQ(values.back().value, "Write");
  // A C++ struct names its kind in a member.
  DumpedValue kind{"kind", "fuzz_targets::ActionKind", "", "write", 1, "", "", {}, {}, {}};
  FuzzAction cpp{"rule", 3, "LLVMFuzzerTestOneInput", DumpedValue{"action", "fuzz_targets::Action", "", "", std::nullopt,
                                                                   "", "", {"optional"}, {}, {kind, port}},
                 std::nullopt};
  EXPECT_EQ(describe_action(cpp), "{ kind: write, port_index: 3 }");
  EXPECT_EQ(action_kind(cpp), "write");
}

}  // namespace
}  // namespace triage::core
