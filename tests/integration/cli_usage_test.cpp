// The command line as a newcomer uses it: repeatable options before the positionals, help, JSON
// errors, and a cargo-fuzz tree found as it is laid out.
#include "hostile_fixture.hpp"

namespace triage::testing {
namespace {

TEST_F(HostileInput, RepeatableOptionsTakeOneValueAndLeaveThePositionals) {
  const auto art = artifact("crash-abort", "echo-abort plain\n");
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"--env", "TRIAGE_FIXED_BUGS=RS-01", target(), art, "-f", "json"},
           {"--env=TRIAGE_FIXED_BUGS=RS-01", target(), art, "-f", "json"},
           {"--root", "data", "--ignore", TRIAGE_TEST_SOURCE_DIR "/triage/data/ignore_frames.toml", target(), art, "-f",
            "json"},
           {"--schema", TRIAGE_TEST_SOURCE_DIR "/devices/schemas/ide.toml", target(), art, "-f", "json"}}) {
    const auto o = triage(args);
    EXPECT_EQ(o.exit_status, 0) << args.front() << ": " << o.output;
    const auto j = json_in(o.output);
    ASSERT_FALSE(j.is_discarded()) << o.output;
    EXPECT_EQ(j["kind"], "abort") << args.front();
  }
}

TEST_F(HostileInput, HelpIsACommandAndShowsDefaultsAndPlainValueNames) {
  const auto top = triage({"help"});
  EXPECT_EQ(top.exit_status, 0);
  EXPECT_NE(top.output.find("Subcommands:"), std::string::npos) << top.output;
  EXPECT_NE(top.output.find("-t,--timeout UINT (1-86400) [default: 10]"), std::string::npos) << top.output;
  EXPECT_NE(top.output.find("-f,--format {text,json} [default: text]"), std::string::npos) << top.output;
  EXPECT_NE(top.output.find("--env NAME=VALUE (repeatable)"), std::string::npos) << top.output;
  EXPECT_NE(top.output.find("-o,--output FILE"), std::string::npos) << top.output;
  const auto bulk = triage({"help", "bulk"});
  EXPECT_EQ(bulk.exit_status, 0);
  EXPECT_NE(bulk.output.find("triage bulk [OPTIONS] roots..."), std::string::npos) << bulk.output;
  EXPECT_NE(bulk.output.find("-o,--out-dir,--out DIR [default: triage-out]"), std::string::npos) << bulk.output;
  for (const auto* o : {&top, &bulk}) {
    EXPECT_EQ(o->output.find("UINT:"), std::string::npos) << o->output;
    EXPECT_EQ(o->output.find("TEXT:"), std::string::npos) << o->output;
  }
}

TEST_F(HostileInput, JsonFormatErrorsAreJsonReports) {
  const auto o = triage({"-f", "json", (m_dir / "no-such-binary").string(), artifact("crash-x", "x")});
  EXPECT_EQ(o.exit_status, 10) << o.output;
  EXPECT_NE(o.output.find("triage: error: binary not found: "), std::string::npos) << o.output;
  const auto j = json_in(o.output);
  ASSERT_FALSE(j.is_discarded()) << o.output;
  EXPECT_EQ(j["result"], "error");
  EXPECT_EQ(j["tool"], "triage");
  EXPECT_NE(j["error"].get<std::string>().find("binary not found"), std::string::npos);
  const auto replay = triage({"replay", "-f", "json", target(), (m_dir / "gone").string()});
  EXPECT_EQ(replay.exit_status, 20) << replay.output;
  EXPECT_EQ(json_in(replay.output)["result"], "error") << replay.output;
}

TEST_F(HostileInput, CargoFuzzLayoutIsFoundAndOnlyArtifactsAreRun) {
  // <crate>/fuzz/{artifacts,corpus}/<target>/ and the binary where `cargo fuzz build` puts it.
  const auto crate = m_dir / "devices" / "ide";
  const auto bin = crate / "fuzz/target/x86_64-unknown-linux-gnu/release/hostile_target";
  fs::create_directories(bin.parent_path());
  fs::copy_file(target(), bin);
  std::ofstream(crate / "fuzz/target/CACHEDIR.TAG") << "Signature: 8a477f597d28d172789f06886806bc55\n";  // as cargo
  const auto arts = crate / "fuzz/artifacts/hostile_target";
  const auto corpus = crate / "fuzz/corpus/hostile_target";
  fs::create_directories(arts);
  fs::create_directories(corpus);
  std::ofstream(arts / "crash-3f786850e387550fdab836ed7e6dc881de23001b") << "echo-abort one";
  std::ofstream(arts / "fuzz-crash-89e6c98d92887913cadf06b2adb97f26cde4849b") << "echo-abort two";
  std::ofstream(arts / "notes.txt") << "echo-abort three";
  std::ofstream(corpus / "2b66fd261ee5c6cfc8de7fa466bab600bcfe4f69") << "echo-abort four";
  std::ofstream(crate / "fuzz/hostile_target.dict") << "\"abort\"";
  const auto o = triage({"bulk", "-o", (m_dir / "out").string(), "-j", "1", "-f", "json", (crate / "fuzz").string()});
  EXPECT_EQ(o.exit_status, 3) << o.output;  // new buckets
  EXPECT_NE(o.output.find("triage bulk: cargo-fuzz: " + arts.string() + " is run by " + bin.string()),
            std::string::npos) << o.output;
  EXPECT_NE(o.output.find("2 artifacts (2 to triage, 0 already in the store, 0 unmapped); 3 other files"),
            std::string::npos) << o.output;
  EXPECT_EQ(stored_results(m_dir / "out"), 2);
  // --include takes a file of another name; --exclude leaves one out.
  const auto more = triage({"bulk", "-o", (m_dir / "out2").string(), "-j", "1", "--include", "notes.*", "--exclude",
                            "fuzz-*", (crate / "fuzz/artifacts").string()});
  EXPECT_NE(more.output.find("2 artifacts (2 to triage, 0 already in the store, 0 unmapped); 1 other files"),
            std::string::npos) << more.output;
  // --dev on a cargo release build reruns on the debug profile's build of the same target.
  const auto debug = crate / "fuzz/target/x86_64-unknown-linux-gnu/debug/hostile_target";
  fs::create_directories(debug.parent_path());
  fs::copy_file(target(), debug);
  const auto dev = triage({"--dev", "-f", "json", bin.string(),
                           (arts / "crash-3f786850e387550fdab836ed7e6dc881de23001b").string()});
  EXPECT_EQ(dev.exit_status, 0) << dev.output;
  const auto j = json_in(dev.output);
  ASSERT_FALSE(j.is_discarded()) << dev.output;
  EXPECT_EQ(j["dev"]["binary"], debug.string());
  EXPECT_EQ(j["dev"]["kind"], "abort");
}

}  // namespace
}  // namespace triage::testing
