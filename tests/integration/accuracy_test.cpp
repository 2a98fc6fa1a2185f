// Accuracy on code triage was never tuned on: every ASan finding gets its own kind, a stack overflow
// no sanitizer reported is still one, a crash in the harness alone is blamed on the harness, one
// recursion bug gets one signature however deep it went, and names lose their return type. Each test
// runs a real compiled target (accuracy_target.cpp, rust_overflow_target.rs) under triage.
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

}  // namespace
}  // namespace triage::testing
