// Accuracy on code triage was never tuned on: every ASan finding gets its own kind, a stack overflow
// no sanitizer reported is still one, a crash in the harness alone is blamed on the harness, one
// recursion bug gets one signature however deep it went, and names lose their return type. Each test
// runs a real compiled target (accuracy_target.cpp, rust_overflow_target.rs) under triage.
#include <map>

#include "hostile_fixture.hpp"

namespace triage::testing {
namespace {

class Accuracy : public HostileInput {
 protected:
  /// One-shot JSON report of `binary` on an input holding `content`.
  nlohmann::json report(const std::string& binary, const std::string& content) {
    const auto path = m_dir / ("crash-" + std::to_string(m_next++));
    std::ofstream(path, std::ios::binary) << content;
    const auto o = triage({"-f", "json", "-t", "20", binary, path.string()});
    const auto j = json_in(o.output);
    EXPECT_FALSE(j.is_discarded()) << o.output;
    return j;
  }
  nlohmann::json accuracy(const std::string& content) { return report(k_helper_bin_dir + "/accuracy_target", content); }

  int m_next = 0;
};

struct Finding {
  std::string input;
  std::string kind;
  std::string blamed;
  std::string message_start;
};

TEST_F(Accuracy, EveryAsanFindingHasItsKind) {
  for (const auto& f : std::vector<Finding>{
           {"bad-free", "bad-free", "acc::free_it", "bad-free: attempting free on address which was not malloc()-ed"},
           {"double-free", "double-free", "acc::free_it", "double-free: attempting double-free on 0x"},
           {"alloc-dealloc", "alloc-dealloc-mismatch", "LLVMFuzzerTestOneInput",
            "alloc-dealloc-mismatch (operator new [] vs operator delete)"},
           {"new-delete", "new-delete-type-mismatch", "LLVMFuzzerTestOneInput", "new-delete-type-mismatch on 0x"},
           {"use-after-return", "stack-use-after-return", "LLVMFuzzerTestOneInput", "stack-use-after-return: READ"},
           {"use-after-scope", "stack-use-after-scope", "LLVMFuzzerTestOneInput", "stack-use-after-scope: WRITE"},
           {"global-overflow", "global-buffer-overflow", "LLVMFuzzerTestOneInput", "global-buffer-overflow: READ"},
           {"container-overflow", "container-overflow", "LLVMFuzzerTestOneInput", "container-overflow: READ"},
           {"memcpy-overlap", "param-overlap", "LLVMFuzzerTestOneInput", "memcpy-param-overlap: memory ranges"},
           {"negative-size", "negative-size-param", "LLVMFuzzerTestOneInput", "negative-size-param: (size=-1)"},
           {"calloc-overflow", "bad-alloc-params", "LLVMFuzzerTestOneInput", "calloc-overflow: calloc parameters"},
           {"too-big", "oom", "LLVMFuzzerTestOneInput",
            "requested allocation size 0x200000000000"},
           {"wild-write", "segv-write", "LLVMFuzzerTestOneInput", "SIGSEGV on address 0x10000000 (WRITE memory access)"},
       }) {
    SCOPED_TRACE(f.input);
    const auto j = accuracy(f.input);
    EXPECT_EQ(j["result"], "crash");
    EXPECT_EQ(j["kind"], f.kind);
    EXPECT_EQ(j["blamed_frame"].is_object() ? j["blamed_frame"]["function"] : nlohmann::json(), f.blamed);
    EXPECT_TRUE(j["message"].get<std::string>().starts_with(f.message_start)) << j["message"];
  }
}

TEST_F(Accuracy, StackOverflowWithoutASanitizerIsAStackOverflow) {
  // Rust, panic=abort, libFuzzer's main, no sanitizer: the SIGSEGV on the guard page is all there is.
  const auto j = report(k_helper_bin_dir + "/rust_overflow_target", "r");
  EXPECT_EQ(j["kind"], "stack-overflow");
  EXPECT_EQ(j["blamed_frame"]["function"], "rust_overflow_target::descend");
  EXPECT_EQ(j["signature"]["frames"], nlohmann::json::array({"rust_overflow_target::descend"}));
  EXPECT_TRUE(j["message"].get<std::string>().starts_with("stack overflow: SIGSEGV on address 0x")) << j["message"];
  // An input that does not recurse does not crash.
  EXPECT_EQ(report(k_helper_bin_dir + "/rust_overflow_target", "x")["result"], "no-repro");
}

TEST_F(Accuracy, AnAssertInTheHarnessAloneBlamesAndSignsWithTheHarness) {
  const auto j = accuracy("harness-assert");
  EXPECT_EQ(j["kind"], "assert");
  ASSERT_TRUE(j["blamed_frame"].is_object()) << j.dump(2);
  EXPECT_EQ(j["blamed_frame"]["function"], "LLVMFuzzerTestOneInput");
  EXPECT_EQ(j["signature"]["frames"], nlohmann::json::array({"LLVMFuzzerTestOneInput"}));
  EXPECT_EQ(j["signature"]["location"], "accuracy_target.cpp:119");
}

TEST_F(Accuracy, OneRecursionBugHasOneSignatureAtAnyDepth) {
  const auto shallow = accuracy("recurse 1");  // nest, nest, outer
  const auto deep = accuracy("recurse 5");     // nest x6, outer
  EXPECT_EQ(shallow["kind"], "null-deref");
  EXPECT_EQ(shallow["signature"]["frames"], nlohmann::json::array({"acc::nest", "acc::outer"}));
  EXPECT_EQ(shallow["signature"]["id"], deep["signature"]["id"]);
}

TEST_F(Accuracy, FunctionTemplatesLoseTheirReturnTypeEverywhere) {
  const auto j = accuracy("template x");
  EXPECT_EQ(j["kind"], "null-deref");
  EXPECT_EQ(j["blamed_frame"]["function"], "acc::parse_type");
  const std::string shown = j["blamed_frame"]["display_name"];
  EXPECT_TRUE(shown.starts_with("acc::parse_type<char>(")) << shown;
  for (const auto& f : j["frames"]) {
    EXPECT_FALSE(f["function"].get<std::string>().starts_with("char const*")) << f["function"];
  }
}

// ---- device state behind the wrappers OpenVMM-style code uses -------------------------------------

/// name -> (wrapper chain, facts, value) of the top-level state members of the first device.
struct StateMember {
  std::vector<std::string> wrappers;
  std::map<std::string, std::string> facts;
  std::string value;
  std::string first_child_value;  ///< the value of its first child's first scalar ("status"), if any
};

std::map<std::string, StateMember> state_members(const nlohmann::json& report) {
  std::map<std::string, StateMember> out;
  for (const auto& c : report["devices"][0]["state"]["children"]) {
    StateMember m;
    if (c.contains("wrappers")) {
      for (const auto& w : c["wrappers"]) {
        m.wrappers.push_back(w);
      }
    }
    if (c.contains("facts") && c["facts"].is_object()) {
      for (const auto& [k, v] : c["facts"].items()) {
        m.facts[k] = v;
      }
    }
    m.value = c.value("value", "");
    if (c.contains("children") && !c["children"].empty()) {
      m.first_child_value = c["children"][0].value("value", "");
    }
    out[c["name"]] = m;
  }
  return out;
}

std::map<std::string, uint64_t> registers_of(const nlohmann::json& report) {
  std::map<std::string, uint64_t> out;
  for (const auto& r : report["devices"][0]["registers"]) {
    out[r["name"]] = r["value"];
  }
  return out;
}

const std::string k_state_schema = std::string(TRIAGE_TEST_SOURCE_DIR) + "/tests/integration/state_targets/state_target.toml";

TEST_F(Accuracy, RustStateBehindParkingLotBoxWeakCollectionsOnceAndAtomics) {
  const auto path = m_dir / "crash-state";
  std::ofstream(path) << "p";
  const auto o = triage({"-f", "json", "--schema", k_state_schema, k_helper_bin_dir + "/rust_state_target", path.string()});
  const auto j = json_in(o.output);
  ASSERT_FALSE(j.is_discarded()) << o.output;
  ASSERT_EQ(j["devices"].size(), 1u) << o.output;
  // Registers are found and decoded under every wrapper, named by the fields (wrappers left out).
  EXPECT_EQ(registers_of(j), (std::map<std::string, uint64_t>{{"regs.status", 0x11},
                                                              {"locked.status", 0x22},
                                                              {"shared.status", 0x33},
                                                              {"boxed.status", 0x55},
                                                              {"strong.status", 0x44},
                                                              {"cell.status", 0x66},
                                                              {"lazy.status", 0x77}}));
  const auto m = state_members(j);
  // parking_lot (lock_api over parking_lot's raw locks): the lock state is a fact; the Mutex is held.
  EXPECT_EQ(m.at("locked").wrappers, std::vector<std::string>{"Mutex"});
  EXPECT_EQ(m.at("locked").facts.at("Mutex.state"), "1");
  EXPECT_EQ(m.at("shared").wrappers, std::vector<std::string>{"RwLock"});
  EXPECT_EQ(m.at("shared").facts.at("RwLock.state"), "16 (0x10)");  // one reader
  EXPECT_EQ(m.at("strong").wrappers, (std::vector<std::string>{"Arc", "Mutex"}));
  EXPECT_EQ(m.at("weak").wrappers, (std::vector<std::string>{"Weak", "Mutex"}));
  EXPECT_EQ(m.at("weak").facts.at("Weak.weak"), "2");
  // Containers: length and the first elements (a VecDeque in ring order), maps by length.
  EXPECT_EQ(m.at("queue").wrappers, std::vector<std::string>{"VecDeque"});
  EXPECT_EQ(m.at("queue").value, "len=3 {7, 8, 9}");
  EXPECT_EQ(m.at("tree").facts.at("BTreeMap.len"), "4");
  EXPECT_EQ(m.at("table").facts.at("HashMap.len"), "5");
  EXPECT_EQ(m.at("cell").wrappers, (std::vector<std::string>{"OnceCell", "Some"}));
  EXPECT_EQ(m.at("lazy").wrappers.front(), "OnceLock");
  EXPECT_EQ(m.at("counter").value, "43 (0x2b)");
  EXPECT_EQ(m.at("counter").wrappers, std::vector<std::string>{"Atomic"});
  EXPECT_EQ(m.at("flag").value, "1");
}

TEST_F(Accuracy, CxxStateBehindWeakPtrAtomicsContainersStringAndSpan) {
  const auto path = m_dir / "crash-state";
  std::ofstream(path) << "a";
  const auto o = triage({"-f", "json", "--schema", k_state_schema, k_helper_bin_dir + "/cpp_state_target", path.string()});
  const auto j = json_in(o.output);
  ASSERT_FALSE(j.is_discarded()) << o.output;
  ASSERT_EQ(j["devices"].size(), 1u) << o.output;
  const auto regs = registers_of(j);
  EXPECT_EQ(regs.at("weak.status"), 0x44u);
  EXPECT_EQ(regs.at("bank[1].status"), 0x62u);
  const auto m = state_members(j);
  EXPECT_EQ(m.at("weak").wrappers, std::vector<std::string>{"weak_ptr"});
  EXPECT_EQ(m.at("weak").facts.at("weak_ptr.use_count"), "1");
  EXPECT_EQ(m.at("counter").wrappers, std::vector<std::string>{"atomic"});
  EXPECT_EQ(m.at("counter").value, "43 (0x2b)");
  EXPECT_EQ(m.at("flag").value, "true");
  EXPECT_EQ(m.at("tree").facts.at("map.len"), "4");
  EXPECT_EQ(m.at("table").facts.at("unordered_map.len"), "5");
  EXPECT_EQ(m.at("name").facts.at("string.len"), "60 (0x3c)");
  EXPECT_EQ(m.at("window").wrappers, std::vector<std::string>{"span"});
  EXPECT_EQ(m.at("window").value, "len=2");
  EXPECT_EQ(m.at("queue").wrappers, std::vector<std::string>{"deque"});
}

// ---- the fuzz action being run --------------------------------------------------------------------

// The harness's current action, read by the [[action]] rules of wrappers.toml (data, not code), with
// its number in the input: "crash at action #22". Debug builds keep the action; -O1 may not.
TEST_F(Accuracy, TheFuzzActionBeingRunIsReportedWithItsNumber) {
  const std::string artifacts = TRIAGE_TEST_ARTIFACTS_DIR;
  const auto rust = report(k_bin_dir + "/fuzz_ide_rs_dev",
                           slurp(artifacts + "/fuzz_ide_rs/crash-20e72b5db70cf300f28193836764cc47b5acd2c6"));
  ASSERT_TRUE(rust["action"].is_object()) << rust.dump(2).substr(0, 2000);
  EXPECT_EQ(rust["action"]["index"], 22);
  EXPECT_EQ(rust["action"]["text"], "#22 Read { port_index: 0, width: Byte }");
  EXPECT_EQ(rust["action"]["function"], "fuzz_ide_rs::harness::apply");
  const auto cpp = report(k_bin_dir + "/fuzz_ide_dev",
                          slurp(artifacts + "/fuzz_ide/crash-97c0df9fca54e96354bf96883cb9c2657a48f043"));
  ASSERT_TRUE(cpp["action"].is_object()) << cpp.dump(2).substr(0, 2000);
  EXPECT_EQ(cpp["action"]["index"], 2);
  EXPECT_EQ(cpp["action"]["text"], "#2 { kind: write, port_index: 143 (0x8f), width: byte, value: 200 (0xc8), offset: 0 }");
  // The -O1 Rust build keeps the counter even where the enum's payload is gone.
  const auto optimised = report(k_bin_dir + "/fuzz_ide_rs",
                                slurp(artifacts + "/fuzz_ide_rs/crash-20e72b5db70cf300f28193836764cc47b5acd2c6"));
  EXPECT_EQ(optimised["action"]["index"], 22);
}

}  // namespace
}  // namespace triage::testing
