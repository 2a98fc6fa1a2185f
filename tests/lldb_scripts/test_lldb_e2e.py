#!/usr/bin/env python3
"""End-to-end tests of lldb_scripts/triage_lldb.py: real fuzz targets, real crash artifacts, `lldb -b`.

Each test class runs one lldb batch (a command file, `process kill` at the end, 60 s timeout) on a crash
from artifacts/README.md and asserts on concrete output: register summaries (`0x58 [DRQ|DSC|DRDY]`),
wrapper see-through (`frame variable ide_device.channels[1]...`), triage-dump trees and paths, triage-bt's
blamed frame. The CrossCheck tests run `triage --format json` on the same artifact and require every
register the tool reports (name, decoded text, lldb path) in triage-dump's output, and each path to
paste into `frame variable` with the same decoded text.

    python3 tests/lldb_scripts/test_lldb_e2e.py --bin-dir build/bin [--source-dir .] [--lldb PATH]
        [--lldb-server PATH]
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import unittest

TIMEOUT = 60
HERE = os.path.dirname(os.path.abspath(__file__))


class Config:
    source_dir = os.path.dirname(os.path.dirname(HERE))
    bin_dir = ""
    lldb = ""
    lldb_server = ""

    @classmethod
    def script(cls) -> str:
        return os.path.join(cls.source_dir, "lldb_scripts", "triage_lldb.py")

    @classmethod
    def binary(cls, name: str) -> str:
        return os.path.join(cls.bin_dir, name)

    @classmethod
    def artifact(cls, rel: str) -> str:
        return os.path.join(cls.source_dir, "artifacts", rel)


def run(argv, env=None, cwd=None) -> subprocess.CompletedProcess:
    """Runs with a timeout; on timeout the whole process group (lldb, lldb-server, inferior) is killed."""
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, cwd=cwd,
                            start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        raise AssertionError(f"timed out after {TIMEOUT}s: {' '.join(argv)}\n{out.decode(errors='replace')[-3000:]}")
    return subprocess.CompletedProcess(argv, proc.returncode, out.decode(errors="replace"), "")


def base_env(extra=None) -> dict:
    env = dict(os.environ)
    env.pop("TRIAGE_SCHEMA_PATH", None)
    env.pop("TRIAGE_DATA_DIR", None)
    env["LLDB_DEBUGSERVER_PATH"] = Config.lldb_server
    env["ASAN_OPTIONS"] = "detect_leaks=0:symbolize=0:color=never"
    env.update(extra or {})
    return env


class Batch:
    """One lldb batch run: the outputs of its commands, in order."""

    def __init__(self, binary, artifact, commands, env_extra=None, pre_commands=(), workdir=None):
        for path in (binary, artifact):
            if not os.path.exists(path):
                raise AssertionError(f"{path} does not exist (build the project / check artifacts/)")
        self.commands = list(commands)
        lines = ["settings set auto-confirm true", *pre_commands,
                 f"command script import {Config.script()}",
                 f"command script import {os.path.join(HERE, 'lldb_paste_check.py')}",
                 *self.commands, "process kill"]
        fd, path = tempfile.mkstemp(suffix=".lldb", dir=workdir)
        with os.fdopen(fd, "w") as f:
            f.write("\n".join(lines) + "\n")
        try:
            result = run([Config.lldb, "-b", "-x", "-O", "settings set interpreter.stop-command-source-on-error false",
                          "-s", path, "--", binary, artifact], env=base_env(env_extra), cwd=workdir or HERE)
        finally:
            os.unlink(path)
        self.output = result.stdout
        self.pairs = []  # (command, output) for every echoed "(lldb) command"
        current = None
        for line in self.output.splitlines():
            if line.startswith("(lldb) "):
                current = [line[len("(lldb) "):], []]
                self.pairs.append(current)
            elif current is not None:
                current[1].append(line)

    def of(self, command: str, nth: int = 0) -> str:
        found = [o for c, o in self.pairs if c == command]
        if len(found) <= nth:
            raise AssertionError(f"command '{command}' not in the lldb output:\n{self.output[-4000:]}")
        return "\n".join(found[nth])


def parse_dump(text: str) -> list[dict]:
    """triage-dump output -> [{device, type, origin, lldb, registers: [(name, text, path)]}]."""
    devices = []
    lines = text.splitlines()
    for i, line in enumerate(lines):
        m = re.match(r"^device (\S+) \((.*)\), found as (.*)$", line)
        if m:
            devices.append({"device": m.group(1), "type": m.group(2), "origin": m.group(3), "lldb": "",
                            "registers": []})
            continue
        if not devices:
            continue
        if line.startswith("  lldb: "):
            devices[-1]["lldb"] = line[len("  lldb: "):]
        m = re.match(r"^    (\S+) = (.*)$", line)
        if m and i + 1 < len(lines) and lines[i + 1].startswith("      expr "):
            devices[-1]["registers"].append((m.group(1), m.group(2), lines[i + 1][len("      expr "):]))
    return devices


def triage_json(binary: str, artifact: str) -> dict:
    result = run([Config.binary("triage"), "--format", "json", binary, artifact], env=base_env())
    try:
        return json.loads(result.stdout[result.stdout.index("{"):])
    except ValueError:
        raise AssertionError(f"triage printed no JSON (exit {result.returncode}):\n{result.stdout[-3000:]}")


class CrossCheckMixin:
    """Every register triage reports for its first device: same name, text and path in triage-dump's
    output (run from frame 0, where triage starts its search), and the path pastes into `frame variable`
    with the same decoded text."""

    def cross_check(self, report: dict, batch: Batch, dump_command: str = "triage-dump -R") -> None:
        self.assertEqual(report["result"], "crash", report.get("error"))
        self.assertTrue(report["devices"], "triage found no device")
        tool = report["devices"][0]
        expected = [(r["name"], r["text"], r["lldb_path"]) for r in tool["registers"]]
        self.assertTrue(expected)
        mine = parse_dump(batch.of(dump_command))
        self.assertTrue(mine, batch.of(dump_command))
        same = [d for d in mine if d["device"] == tool["name"] and d["registers"] == expected]
        self.assertEqual(len(same), 1, f"tool: {tool['name']} {expected}\nlldb: {mine}")
        pasted = {}
        for line in batch.of("triage-test-paste").splitlines():
            m = re.match(r"^PASTE (.*?) -> (.*)$", line)
            if m:
                pasted[m.group(1)] = m.group(2)
        for name, text, path in expected:
            self.assertIn(path, pasted, f"{name} was not pasted")
            self.assertTrue(pasted[path].endswith(f"{path} = {text}"), f"{path}: {pasted[path]}")


# ---- C++: fuzz_ide_dev, IDE-02 (heap-buffer-overflow WRITE in Channel::write_data_port) ----------------

IDE_ARTIFACT = "fuzz_ide/minimized-from-7fde1841b9bba726baf1282d05f43ac1bdc6dc20"
DRIVE0 = "drives._M_elems[0]._M_payload._M_payload._M_value._M_u._M_first._M_storage"
CH1_STATUS = f"this->channels._M_elems[1].{DRIVE0}.state.regs.status"
CH1_MODE = f"this->channels._M_elems[1].{DRIVE0}.state.transfer_mode"

TRANSFER_MODE_SCHEMA = """schema_version = 1
device = "test-transfer-mode"
[[registers]]
name = "transfer_mode"
width = 16
types = ["devices::ide::TransferMode"]
fields = [{ name = "KIND", bits = "7:0", values = { "0" = "pio_default" } }, { name = "LEVEL", bits = "15:8" }]
"""
STATUS_OVERRIDE_SCHEMA = """schema_version = 1
device = "test-status-nibbles"
[[registers]]
name = "status_nibbles"
width = 8
types = ["devices::ide::StatusReg"]
fields = [{ name = "LOW", bits = "3:0" }, { name = "HIGH", bits = "7:4" }]
"""
BROKEN_SCHEMA = 'schema_version = 1\ndevice = "x"\n[[registers]]\nname = "r"\nwidth = 12\n'


class CppIde(unittest.TestCase, CrossCheckMixin):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="triage_lldb_test_")
        extra = os.path.join(cls.tmp, "extra")
        os.mkdir(extra)
        with open(os.path.join(extra, "transfer_mode.toml"), "w") as f:
            f.write(TRANSFER_MODE_SCHEMA)
        cls.override = os.path.join(cls.tmp, "status_nibbles.toml")
        with open(cls.override, "w") as f:
            f.write(STATUS_OVERRIDE_SCHEMA)
        cls.broken = os.path.join(cls.tmp, "broken.toml")
        with open(cls.broken, "w") as f:
            f.write(BROKEN_SCHEMA)
        binary, artifact = Config.binary("fuzz_ide_dev"), Config.artifact(IDE_ARTIFACT)
        cls.batch = Batch(binary, artifact, [
            "run",
            "triage-bt",
            "frame select 6",
            f"frame variable {CH1_STATUS}",
            f"frame variable {CH1_MODE}",
            "triage-dump",
            "frame select 7",
            "frame variable ide_device.channels[1].drives[0].state.regs",
            "frame variable --depth 1 ide_device",
            "frame variable ide_device.channels[0].drives[1]",
            "triage-dump -R",
            "frame select 6",
            f"triage-schema-load {cls.override}",
            f"frame variable {CH1_STATUS}",
            f"triage-schema-load {cls.broken}",
        ], env_extra={"TRIAGE_SCHEMA_PATH": extra}, workdir=cls.tmp)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_loads(self):
        shipped = sum(len([n for n in os.listdir(os.path.join(Config.source_dir, d)) if n.endswith(".toml")])
                      for d in ("devices/schemas", "triage/data/schemas"))
        self.assertRegex(self.batch.of(f"command script import {Config.script()}"),
                         rf"triage: {shipped + 1} schemas, \d+ register types, \d+ wrapper rules; "
                         r"commands: triage-dump, triage-bt, triage-schema-load")
        self.assertNotIn("triage: warning", self.batch.output)

    def test_backtrace_blames_write_data_port(self):
        bt = self.batch.of("triage-bt")
        self.assertIn("blamed: frame #5 devices::ide::Channel::write_data_port", bt)
        self.assertIn("  => #5   devices::ide::Channel::write_data_port  /", bt)
        self.assertIn("devices/ide/channel.cpp:194:25", bt)
        self.assertIn("     #0   __asan::AsanDie  (fuzz_ide_dev)  (sanitizers)", bt)
        self.assertIn("   * #6   devices::ide::IdeController::io_write  ", bt)
        self.assertRegex(bt, r"#7 +LLVMFuzzerTestOneInput .*\(harness\)")

    def test_register_summary_decodes_status(self):
        out = self.batch.of(f"frame variable {CH1_STATUS}")
        self.assertEqual(out.strip(), f"(devices::ide::StatusReg) {CH1_STATUS} = 0x58 [DRQ|DSC|DRDY]")
        self.assertNotIn("'X'", out)

    def test_schema_from_triage_schema_path(self):
        out = self.batch.of(f"frame variable {CH1_MODE}")
        self.assertEqual(out.strip(), f"(devices::ide::TransferMode) {CH1_MODE} = 0x0000 [KIND=0(pio_default) LEVEL=0]")

    def test_triage_schema_load_wins_and_rejects_broken_files(self):
        self.assertIn("triage: loaded schema 'test-status-nibbles' (1 registers)",
                      self.batch.of(f"triage-schema-load {self.override}"))
        self.assertTrue(self.batch.of(f"frame variable {CH1_STATUS}", 1).strip().endswith(
            f"{CH1_STATUS} = 0x58 [LOW=8 HIGH=5]"))
        self.assertIn(f"error: {self.broken}: register 'r': 'width' must be 8, 16, 32 or 64",
                      self.batch.of(f"triage-schema-load {self.broken}"))

    def test_dump_tree_with_decoded_registers_and_paths(self):
        dump = self.batch.of("triage-dump")
        self.assertIn("device ide (devices::ide::IdeController), found as frame #6 "
                      "devices::ide::IdeController::io_write(unsigned short, devices::AccessWidth, unsigned int)", dump)
        self.assertIn("  lldb: frame variable *this", dump)
        self.assertIn("    channels[1].drives[0].state.regs.status = 0x58 [DRQ|DSC|DRDY]\n"
                      f"      expr {CH1_STATUS}\n", dump)
        self.assertIn("    channels[0].drives[0].state.regs.error = 0x01 [AMNF]", dump)
        self.assertIn("\n  state:\n    channels <array>\n      [0]\n        drives <array>\n"
                      "          [0] <optional|variant> = HardDrive#0\n", dump)
        self.assertIn("                status = 0x58 [DRQ|DSC|DRDY]", dump)
        self.assertIn("          [1] <optional> = none", dump)
        self.assertIn("            disk <vector> = len=32768 {0, 0, 0, 0", dump)
        self.assertIn("          phase = data_out", dump)
        self.assertIn("        sector_count = 1", dump)  # a byte as a number, never '\x01'
        self.assertNotIn("'\\x", dump)

    def test_wrappers_show_the_payload(self):
        regs = self.batch.of("frame variable ide_device.channels[1].drives[0].state.regs")
        self.assertEqual(regs.strip(), "(devices::ide::HardDriveRegs) ide_device.channels[1].drives[0].state.regs = "
                                       "{\n  status = 0x58 [DRQ|DSC|DRDY]\n  error = 0x00 []\n}")
        top = self.batch.of("frame variable --depth 1 ide_device")
        self.assertRegex(top, r"ide_device = <shared_ptr\|CloseableMutex>  \[shared_ptr.use_count=2\]  "
                              r"\[CloseableMutex.closed=false\]")
        self.assertIn("\n  channels = <array>{...}\n  guest_memory = <unique_ptr>{...}\n  bus_masters = <array>{...}\n}",
                      top)
        self.assertNotIn("m_value", top)
        self.assertNotIn("_M_ptr", top)
        empty = self.batch.of("frame variable ide_device.channels[0].drives[1]")
        self.assertIn("ide_device.channels[0].drives[1] = <optional> none", empty)

    def test_dump_sees_through_shared_ptr_and_closeable_mutex(self):
        devices = parse_dump(self.batch.of("triage-dump -R"))
        self.assertEqual(devices[0]["origin"], "frame #7 ::LLVMFuzzerTestOneInput(const uint8_t *, size_t)")
        self.assertEqual(devices[0]["lldb"], "frame variable ide_device._M_ptr->m_value")
        self.assertIn(("channels[1].drives[0].state.regs.status", "0x58 [DRQ|DSC|DRDY]",
                       f"ide_device._M_ptr->m_value.channels._M_elems[1].{DRIVE0}.state.regs.status"),
                      devices[0]["registers"])



# ---- Rust: fuzz_ide_rs, RS-02 (unwrap on None in Channel::execute_command) -----------------------------

RS_ARTIFACT = "fuzz_ide_rs/crash-2a0218a82de2f1564b492b5ee823d9cf4b4598f0"
RS_DRIVE = "drives[1].$variants$.$variant$.value.__0.$variants$.$variant$0.value.__0"
RS_STATUS = f"self->channels[0].{RS_DRIVE}.state.regs.status"
RS_COMMANDS = [
    "breakpoint set -n core::panicking::panic_fmt",
    "run",
    "triage-bt",
    "triage-dump -R",
    "triage-test-paste",
    "frame select 6",
    f"frame variable {RS_STATUS}",
    "frame variable self->channels[0].drives",
    "frame variable self->bus_master",
    "triage-dump",
    "frame select 8",
    "frame variable ide_device.channels[0].regs",
    "frame variable --depth 1 ide_device",
    "frame select 9",
    "triage-dump -R",
]


def rustlib_etc():
    rustc = shutil.which("rustc") or os.path.expanduser("~/.cargo/bin/rustc")
    try:
        sysroot = subprocess.run([rustc, "--print", "sysroot"], capture_output=True, text=True,
                                 timeout=TIMEOUT).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return None
    etc = os.path.join(sysroot, "lib", "rustlib", "etc")
    return etc if os.path.exists(os.path.join(etc, "lldb_lookup.py")) else None


class RustIde(unittest.TestCase, CrossCheckMixin):
    pre_commands: tuple = ()

    @classmethod
    def setUpClass(cls):
        binary, artifact = Config.binary("fuzz_ide_rs"), Config.artifact(RS_ARTIFACT)
        if not os.path.exists(binary):
            raise unittest.SkipTest(f"{binary} not built (no rustc)")
        cls.report = triage_json(binary, artifact)
        cls.batch = Batch(binary, artifact, RS_COMMANDS, pre_commands=cls.pre_commands)

    def test_backtrace_blames_execute_command(self):
        bt = self.batch.of("triage-bt")
        self.assertIn("blamed: frame #5 fuzz_ide_rs::channel::Channel::execute_command", bt)
        self.assertIn("  => #5   fuzz_ide_rs::channel::Channel::execute_command  ", bt)
        self.assertIn("fuzz_targets/rust/src/channel.rs:110:47", bt)
        self.assertRegex(bt, r"#1 +core::panicking::panic_fmt  /rustc/.*\(rust-std\)")
        self.assertIn("   * #6   fuzz_ide_rs::device::IdeDevice::io_write  ", bt)

    def test_register_summary_decodes_a_rust_newtype(self):
        out = self.batch.of(f"frame variable {RS_STATUS}")
        self.assertEqual(out.strip(), f"(fuzz_ide_rs::regs::Status) {RS_STATUS} = 0x50 [DSC|DRDY]")
        self.assertNotIn("'P'", out)
        bus = self.batch.of("frame variable self->bus_master")
        self.assertIn("command = 0x00 []", bus)
        self.assertIn("status = 0x00 []", bus)
        self.assertNotIn("[]{...}", bus)
        self.assertNotIn("__0", bus)

    def test_option_shows_the_variant_payload(self):
        drives = self.batch.of("frame variable self->channels[0].drives")
        self.assertRegex(drives, r"\[0\] = <None[^>]*> None")
        self.assertRegex(drives, r"\[1\] = <Some\|Hard[^>]*> Hard")
        self.assertIn("status = 0x50 [DSC|DRDY]", drives)
        self.assertNotIn("$variants$", drives)

    def test_arc_and_closeable_mutex_show_the_payload(self):
        regs = self.batch.of("frame variable ide_device.channels[0].regs")
        self.assertIn("device_head = 0x00 [HEAD=0]", regs)
        self.assertIn("device_control = 0x00 []", regs)
        top = self.batch.of("frame variable --depth 1 ide_device")
        self.assertIn("ide_device = <Arc|CloseableMutex>  [Arc.strong=2]  [Arc.weak=1]  [CloseableMutex.closed=false]",
                      top)
        self.assertRegex(top, r"\n  channels =")
        self.assertRegex(top, r"\n  bus_master =")
        self.assertNotIn("ptr =", top)

    def test_dump_from_the_panic(self):
        dump = self.batch.of("triage-dump")
        self.assertIn("device ide (fuzz_ide_rs::device::IdeDevice), found as frame #6 "
                      "fuzz_ide_rs::device::IdeDevice::io_write::h", dump)
        self.assertIn("  lldb: frame variable *self", dump)
        self.assertIn(f"    channels[0].drives[1].state.regs.status = 0x50 [DSC|DRDY]\n      expr {RS_STATUS}\n", dump)
        self.assertRegex(dump, r"\n          \[1\] <Some\|Hard[^>]*> = Hard")
        self.assertIn("                status = 0x50 [DSC|DRDY]", dump)
        self.assertIn("    guest_memory <Vec> = len=65536 {0, 0,", dump)

    def test_dump_finds_the_static_through_mutex_option_arc(self):
        devices = parse_dump(self.batch.of("triage-dump -R", 1))
        self.assertEqual(devices[0]["origin"], "global")
        prefix = "fuzz_ide_rs::IDE_DEVICE.data.value.$variants$.$variant$.value.__0.ptr.pointer->data.value.value"
        self.assertEqual(devices[0]["lldb"], f"target variable {prefix}")
        self.assertIn(("channels[0].drives[1].state.regs.status", "0x50 [DSC|DRDY]",
                       f"{prefix}.channels[0].{RS_DRIVE}.state.regs.status"), devices[0]["registers"])

    def test_agrees_with_the_triage_tool(self):
        self.cross_check(self.report, self.batch)


class RustIdeWithRustlibFormatters(RustIde):
    """rust-lldb style: rustlib's formatters (catch-all `.*` synthetic included) loaded first."""

    @classmethod
    def setUpClass(cls):
        etc = rustlib_etc()
        if etc is None:
            raise unittest.SkipTest("rustlib's lldb_lookup.py not found")
        cls.pre_commands = (f"command script import {etc}/lldb_lookup.py",
                            f"command source -s 0 {etc}/lldb_commands")
        super().setUpClass()


# ---- more artifacts, cross-checked against the tool only ---------------------------------------------------


class CrossCheck(unittest.TestCase, CrossCheckMixin):
    def check(self, binary_name: str, rel: str, commands=("run",)):
        binary, artifact = Config.binary(binary_name), Config.artifact(rel)
        report = triage_json(binary, artifact)
        batch = Batch(binary, artifact, [*commands, "triage-dump -R", "triage-test-paste"])
        self.cross_check(report, batch)
        return batch

    def test_ide_heap_overflow(self):
        batch = self.check("fuzz_ide_dev", IDE_ARTIFACT)
        self.assertIn(f"    channels[1].drives[0].state.regs.status = 0x58 [DRQ|DSC|DRDY]\n      expr {CH1_STATUS}",
                      batch.of("triage-dump -R"))

    def test_ide_o1_build(self):
        self.check("fuzz_ide", IDE_ARTIFACT)

    def test_rtc_abort_decodes_named_multi_bit_fields(self):
        batch = self.check("fuzz_rtc", "fuzz_rtc/minimized-from-059a71af5f67ea049cbd2390a8e8a03aa2b7811e")
        self.assertIn("    m_reg_a = 0x26 [RS=6(976.562us) DV=2(32.768kHz)]\n      expr this->m_reg_a",
                      batch.of("triage-dump -R"))

    def test_chipset_battery_fpe(self):
        batch = self.check("fuzz_chipset", "fuzz_chipset/crash-04f5df7942140df20d1bea35e1c9d83690015a46")
        self.assertIn("    m_control = 0x09 [UNIT_MA|SAMPLING]\n      expr this->m_control", batch.of("triage-dump -R"))


def main() -> None:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--bin-dir", default=os.path.join(Config.source_dir, "build", "bin"))
    parser.add_argument("--source-dir", default=Config.source_dir)
    parser.add_argument("--lldb", default="")
    parser.add_argument("--lldb-server", default="")
    known, rest = parser.parse_known_args()
    Config.source_dir = os.path.abspath(known.source_dir)
    Config.bin_dir = os.path.abspath(known.bin_dir)
    Config.lldb = known.lldb or shutil.which("lldb-19") or "/usr/lib/llvm-19/bin/lldb"
    Config.lldb_server = (known.lldb_server or os.environ.get("LLDB_DEBUGSERVER_PATH")
                          or "/usr/lib/llvm-19/bin/lldb-server")
    for what, path in (("lldb", Config.lldb), ("lldb-server", Config.lldb_server),
                       ("triage", Config.binary("triage"))):
        if not os.access(path, os.X_OK):
            sys.exit(f"test_lldb_e2e: {what} not found at {path}")
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)


if __name__ == "__main__":
    main()
