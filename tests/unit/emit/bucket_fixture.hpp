#pragma once
// A fixed campaign built in code for the bucket emitters' golden files and the HTML browser test:
// four buckets (one flaky member, two similar buckets), a no-repro, an error and an unmapped artifact,
// with hostile strings where a fuzz target controls them (messages, file names, frames).
#include <string>
#include <vector>

#include "triage/core/bucket.hpp"
#include "triage/emit/bucket_emitters.hpp"

namespace triage::testing {

/// `<script>` that would retitle the page if it ever ran, plus every character the formats escape.
inline const std::string k_hostile_message =
    "<script>document.title='pwned'</script> | `rm -rf` *bold* [link](x) \"quoted\" & 'single'\n"
    "second line\x01\x1b[31mred\x7f\xff";

inline core::TriageRecord crash(std::string artifact, std::string target, uint64_t size, std::string signature,
                                std::string kind, core::Severity severity, std::string message, std::string function,
                                std::string file, uint32_t line, std::vector<std::string> frames) {
  core::TriageRecord r;
  r.artifact = std::move(artifact);
  r.target = std::move(target);
  r.sha1 = std::string(40, 'a');
  r.size = size;
  r.result = core::ResultKind::crash;
  r.kind = std::move(kind);
  r.severity = severity;
  r.message = std::move(message);
  r.blamed_function = std::move(function);
  r.blamed_file = std::move(file);
  r.blamed_line = line;
  r.signature = std::move(signature);
  r.signature_frames = std::move(frames);
  r.crashing_runs = 1;
  r.seen_at = "2024-05-01T10:00:00Z";
  return r;
}

inline std::vector<core::TriageRecord> fixture_records() {
  using core::Severity;
  std::vector<core::TriageRecord> out;
  const std::vector<std::string> uart_frames{"devices::uart::Uart::read_rbr", "devices::uart::Uart::io_read",
                                             "fuzz_targets::ChipsetBus::read"};
  for (auto [path, target, size] : {std::tuple{"artifacts/fuzz_uart/crash-71c5", "fuzz_uart", 12},
                                    std::tuple{"artifacts/fuzz_chipset/crash-0b2e", "fuzz_chipset", 30}}) {
    auto r = crash(path, target, static_cast<uint64_t>(size), "v1-65a72318f725733c", "use-after-free",
                   Severity::exploitable, "heap-use-after-free: READ of size 1 at 0x602000000011",
                   "devices::uart::Uart::read_rbr", "/src/triage/devices/uart/uart.cpp", 141, uart_frames);
    r.backtrace = {"devices::uart::Uart::read_rbr  /src/triage/devices/uart/uart.cpp:141",
                   "devices::uart::Uart::io_read  /src/triage/devices/uart/uart.cpp:60",
                   "__libc_start_main  (libc.so.6)  [ignored: libc]"};
    r.frames = {{"devices::uart::Uart::read_rbr", "/src/triage/devices/uart/uart.cpp", 141, "fuzz_uart", ""},
                {"devices::uart::Uart::io_read", "/src/triage/devices/uart/uart.cpp", 60, "fuzz_uart", ""},
                {"__libc_start_main", "", 0, "libc.so.6", "libc"}};
    r.state_facts = {"uart: m_lsr = 0x61 [DR|THRE|TEMT]", "uart: m_fcr = 0xc1 [FIFO_ENABLE RX_TRIGGER=3]"};
    r.seen_at = size == 12 ? "2024-05-01T10:00:00Z" : "2024-05-01T10:05:00Z";
    out.push_back(r);
  }
  // The hostile bucket: a Rust panic whose message, file and frame names carry markup.
  auto rs = crash("artifacts/fuzz_ide_rs/crash-<img src=x onerror=alert(1)>", "fuzz_ide_rs", 7, "v1-98ee76bb953a5826",
                  "rust-panic", Severity::not_exploitable, k_hostile_message,
                  "fuzz_ide_rs::<impl Channel<'a>>::execute_command", "src/<b>evil</b> |x.rs", 42,
                  {"fuzz_ide_rs::<impl Channel<'a>>::execute_command", "fuzz_ide_rs::channel::Channel::write",
                   "fuzz_ide_rs::harness::run"});
  rs.backtrace = {"core::panicking::panic_fmt  (fuzz_ide_rs)  [ignored: rust-std]",
                  "fuzz_ide_rs::<impl Channel<'a>>::execute_command  src/<b>evil</b> |x.rs:42"};
  rs.frames = {{"core::panicking::panic_fmt", "", 0, "fuzz_ide_rs", "rust-std"},
               {"fuzz_ide_rs::<impl Channel<'a>>::execute_command", "src/<b>evil</b> |x.rs", 42, "fuzz_ide_rs", ""}};
  rs.state_facts = {"ide: channels[0].drives[0].state.regs.status = 0x58 [DRQ|DSC|DRDY]"};
  out.push_back(rs);
  // Similar to the hostile bucket: two common frames, another blamed function.
  out.push_back(crash("artifacts/fuzz_ide_rs/crash-8ae8", "fuzz_ide_rs", 9, "v1-8ae8810e988e6f8f", "rust-panic",
                      Severity::not_exploitable, "PACKET command 0xa0 sent to ATA hard drive",
                      "fuzz_ide_rs::channel::Channel::execute_packet", "src/channel.rs", 300,
                      {"fuzz_ide_rs::channel::Channel::execute_packet", "fuzz_ide_rs::channel::Channel::write",
                       "fuzz_ide_rs::harness::run"}));
  // Three aborts, one of which reproduced only on its third run; the blamed file lies outside the source root.
  for (auto [path, size, flaky] : {std::tuple{"artifacts/fuzz_rtc/crash-8b51", 5, false},
                                   std::tuple{"artifacts/fuzz_rtc/crash-9f10", 6, true},
                                   std::tuple{"artifacts/fuzz_chipset/crash-4e96", 40, false}}) {
    auto r = crash(path, std::string(path).find("chipset") != std::string::npos ? "fuzz_chipset" : "fuzz_rtc",
                   static_cast<uint64_t>(size), "v1-a731dbab44de2e04", "abort", Severity::not_exploitable,
                   "rtc: invalid BCD value 0xff in register 0x00", "devices::rtc::CmosRtc::from_bcd",
                   "/usr/include/rtc/bcd.h", 17, {"devices::rtc::CmosRtc::from_bcd", "devices::rtc::CmosRtc::update"});
    if (flaky) {
      r.flaky = true;
      r.runs = 3;
    }
    out.push_back(r);
  }
  core::TriageRecord dead;
  dead.artifact = "artifacts/fuzz_uart/crash-dead|`x`";
  dead.target = "fuzz_uart";
  dead.result = core::ResultKind::no_repro;
  dead.runs = 3;
  dead.seen_at = "2024-05-01T10:00:00Z";
  out.push_back(dead);
  core::TriageRecord failed;
  failed.artifact = "artifacts/fuzz_battery/crash-<err>";
  failed.target = "fuzz_battery";
  failed.result = core::ResultKind::error;
  failed.error = "the worker process died while triaging this artifact <\"&\">";
  failed.seen_at = "2024-05-01T10:00:00Z";
  out.push_back(failed);
  return out;
}

inline emit::CampaignSummary fixture_summary(const std::vector<core::TriageRecord>& records) {
  auto s = emit::summarize(records);
  s.unmapped.emplace_back("artifacts/fuzz_nosuchtarget/crash-0",
                          "no fuzz binary for target 'fuzz_nosuchtarget' (looked for <bin>/fuzz_nosuchtarget)");
  return s;
}

/// The fixture's buckets as a rebuilt binary's run sees them: the use-after-free bucket is new (its
/// reproducer and lldb command file known from the store), the abort bucket still crashes (its
/// binary known, no command file stored), and `fixture_gone()` lists a bucket the build fixed.
inline std::vector<core::Bucket> fixture_compared_buckets(const std::vector<core::TriageRecord>& records) {
  auto buckets = core::make_buckets(records);
  for (auto& b : buckets) {
    if (b.kind == "use-after-free") {
      b.status = core::BucketStatus::new_bucket;
      b.is_new = true;
      b.binary = "/src/triage/build/fuzz targets/fuzz_uart";
      b.lldb_command_file =
          "# triage: lldb command file for artifacts/fuzz_uart/crash-71c5\nsettings set auto-confirm true\nrun\n"
          "bt 40\nframe select 0\nframe variable\nprocess kill\nquit\n";
    } else if (b.kind == "abort") {
      b.status = core::BucketStatus::still_crashing;
      b.binary = "/src/triage/build/bin/fuzz_rtc";
    }
  }
  return buckets;
}

inline std::vector<core::BucketComparison> fixture_gone() {
  core::BucketComparison fixed;
  fixed.bucket = "v1-00000000000f1xed";
  fixed.status = core::BucketStatus::fixed;
  fixed.kind = "null-deref";
  fixed.blamed_function = "devices::battery::Battery::<read>";
  fixed.baseline_count = 2;
  core::BucketComparison changed;
  changed.bucket = "v1-0000000000c4a9ed";
  changed.status = core::BucketStatus::changed;
  changed.kind = "abort";
  changed.blamed_function = "devices::rtc::CmosRtc::tick";
  changed.baseline_count = 1;
  changed.moved_to = {"v1-a731dbab44de2e04"};
  return {fixed, changed};
}

/// The HTML options of the fixture's page: written to /src/triage/out, links to files under /src/triage;
/// three bucket sections open, the fourth collapsed.
inline emit::HtmlOptions fixture_html_options() { return {"/src/triage", "", "/src/triage/out", 3}; }

inline emit::SarifOptions fixture_sarif_options() { return {"/src/triage", "0.1.0", "https://example.org/triage"}; }

}  // namespace triage::testing
