#!/usr/bin/env python3
"""Unit tests of the pure-Python parts of lldb_scripts/ (no lldb): register schema loading and decoding,
wrapper rules, the frame ignore list and function-name normalization. They mirror the C++ unit tests
(tests/unit/core/register_schema_test.cpp, symbol_name_test.cpp) so the lldb scripts and `triage`
agree.

    python3 tests/lldb_scripts/test_schemas.py [--source-dir DIR]
"""

import argparse
import os
import sys
import tempfile
import unittest

SOURCE_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _setup_path(source_dir: str) -> None:
    global SOURCE_DIR
    SOURCE_DIR = os.path.abspath(source_dir)
    scripts = os.path.join(SOURCE_DIR, "lldb_scripts")
    if scripts not in sys.path:
        sys.path.insert(0, scripts)
    # The shipped data files only, whatever the caller's environment says.
    os.environ.pop("TRIAGE_SCHEMA_PATH", None)
    os.environ.pop("TRIAGE_DATA_DIR", None)


STATUS_SCHEMA = """
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

[[registers]]
name = "wide"
width = 32
types = ["w::Wide"]
fields = [{ name = "BASE", bits = "31:2" }]

[[registers]]
name = "plain"
width = 16
"""


class RegisterDecoding(unittest.TestCase):
    def setUp(self):
        import schemas
        self.schemas = schemas
        self.schema = schemas.parse_device_schema(STATUS_SCHEMA, "test.toml")

    def test_single_bits_like_the_fuzzing_guide(self):
        status = self.schema.find_register("status")
        d = self.schemas.decode_register(status, 0x58)
        self.assertEqual(d.text, "0x58 [DRQ|DSC|DRDY]")
        self.assertEqual(len(d.fields), 8)
        self.assertEqual((d.fields[3].name, d.fields[3].value), ("DRQ", 1))
        self.assertEqual(d.fields[7].value, 0)
        self.assertEqual(self.schemas.decode_register(status, 0x00).text, "0x00 []")
        self.assertEqual(self.schemas.decode_register(status, 0xFF).text,
                         "0xff [ERR|IDX|CORR|DRQ|DSC|DF|DRDY|BSY]")

    def test_multi_bit_fields_with_named_values(self):
        a = self.schema.find_register("rtc_a")
        self.assertEqual(self.schemas.decode_register(a, 0xA6).text, "0xa6 [UIP RS=6(976.562us) DV=2]")
        self.assertEqual(self.schemas.decode_register(a, 0x00).text, "0x00 [RS=0(none) DV=0]")

    def test_width_digits_and_masking(self):
        wide = self.schema.find_register("wide")
        self.assertEqual(self.schemas.decode_register(wide, 0x1000).text, "0x00001000 [BASE=1024]")
        # Bits above the width are ignored, as in the C++ decoder.
        self.assertEqual(self.schemas.decode_register(self.schema.find_register("status"), 0x158).text,
                         "0x58 [DRQ|DSC|DRDY]")
        self.assertEqual(self.schemas.decode_register(self.schema.find_register("plain"), 0x12).text, "0x0012")

    def test_shipped_rtc_schema_names_the_divider_and_rate(self):
        rtc = self.schemas.load_device_schema(os.path.join(SOURCE_DIR, "devices", "schemas", "rtc.toml"))
        reg_a = rtc.find_register("register_a")
        # What `triage` prints for fuzz_rtc/minimized-from-059a71af... (m_reg_a).
        self.assertEqual(self.schemas.decode_register(reg_a, 0x26).text, "0x26 [RS=6(976.562us) DV=2(32.768kHz)]")
        self.assertEqual(self.schemas.decode_register(reg_a, 0xF0).text, "0xf0 [UIP RS=0(none) DV=7(reset)]")

    def test_shipped_schemas_load_and_bind_cpp_and_rust_types(self):
        loaded, errors = self.schemas.load_default_schemas()
        self.assertEqual(errors, [])
        self.assertEqual(sorted(d.device for d in loaded.schemas),
                         ["battery", "ide", "openvmm-cmos-rtc", "openvmm-ide", "rtc", "uart"])
        for type_name in ("devices::ide::StatusReg", "fuzz_ide_rs::regs::Status", "const devices::ide::StatusReg &"):
            device, reg = loaded.register_for_type(type_name)
            self.assertEqual((device.device, reg.name), ("ide", "status"), type_name)
        self.assertEqual(loaded.register_for_type("devices::battery::PowerUnit")[1].name, "control")
        self.assertIsNone(loaded.register_for_type("devices::ide::IdeController"))
        self.assertEqual(loaded.device_for_type("fuzz_ide_rs::device::IdeDevice *").device, "ide")
        self.assertEqual(loaded.device_for_type("ide::drive::HardDrive").device, "openvmm-ide")

    def test_binds_types_by_glob(self):
        s = self.schemas.SchemaSet([self.schema])
        self.assertEqual(s.register_for_type("const devices::ide::StatusReg &")[1].name, "status")
        self.assertEqual(s.register_for_type("fuzz_ide_rs::regs::Status")[1].name, "status")
        self.assertIsNone(s.register_for_type("devices::ide::ErrorReg"))
        self.assertIsNotNone(s.device_for_type("devices::ide::IdeController *"))

    def test_user_schema_wins_lookups(self):
        mine = self.schemas.parse_device_schema(
            'schema_version = 1\ndevice = "mine"\n[[registers]]\nname = "s"\nwidth = 8\n'
            'types = ["devices::ide::StatusReg"]\nfields = [{ name = "LOW", bits = "3:0" }]\n', "mine.toml")
        s = self.schemas.SchemaSet([self.schema])
        s.prepend(mine)
        device, reg = s.register_for_type("devices::ide::StatusReg")
        self.assertEqual(device.device, "mine")
        self.assertEqual(self.schemas.decode_register(reg, 0x58).text, "0x58 [LOW=8]")

    def test_glob_and_bare_type_names(self):
        g = self.schemas.glob_match
        self.assertTrue(g("std::*", "std::vector::at"))
        self.assertTrue(g("*::CloseableMutex<*>",
                          "fuzz_ide_rs::closeable_mutex::CloseableMutex<fuzz_ide_rs::device::IdeDevice>"))
        self.assertTrue(g("abort", "abort"))
        self.assertFalse(g("abort", "abortx"))
        self.assertEqual(self.schemas.bare_type_name("const devices::ide::StatusReg *"), "devices::ide::StatusReg")
        self.assertEqual(self.schemas.bare_type_name("devices::ide::StatusReg const &"), "devices::ide::StatusReg")
        self.assertEqual(self.schemas.glob_to_regex("std::shared_ptr<*>"), "^std::shared_ptr<.*>$")
        self.assertEqual(self.schemas.glob_to_regex("a.b(c)"), r"^a\.b\(c\)$")


BAD_SCHEMAS = {
    "syntax": ("schema_version = 1\ndevice = \"x\"\n[[registers]\n", "bad.toml: "),
    "version": ("schema_version = 9\ndevice = \"x\"\n", "'schema_version' must be 1"),
    "unknown_key": ("schema_version = 1\ndevice = \"x\"\ncolour = 1\n", "unknown key 'colour'"),
    "bit_outside": ("schema_version = 1\ndevice = \"x\"\n[[registers]]\nname = \"r\"\nwidth = 8\n"
                    "fields = [{ name = \"A\", bit = 8 }]\n", "bit 8 is outside the 8-bit register"),
    "overlap": ("schema_version = 1\ndevice = \"x\"\n[[registers]]\nname = \"r\"\nwidth = 8\n"
                "fields = [{ name = \"A\", bits = \"3:0\" }, { name = \"B\", bit = 2 }]\n",
                "register 'r': field 'B' overlaps another field"),
    "width": ("schema_version = 1\ndevice = \"x\"\n[[registers]]\nname = \"r\"\nwidth = 7\n",
              "'width' must be 8, 16, 32 or 64"),
    "both_bit_kinds": ("schema_version = 1\ndevice = \"x\"\n[[registers]]\nname = \"r\"\nwidth = 8\n"
                       "fields = [{ name = \"A\", bit = 1, bits = \"2:1\" }]\n", "exactly one of 'bit' or 'bits'"),
    "bad_bits": ("schema_version = 1\ndevice = \"x\"\n[[registers]]\nname = \"r\"\nwidth = 8\n"
                 "fields = [{ name = \"A\", bits = \"1:3\" }]\n", "msb >= lsb"),
    "value_too_big": ("schema_version = 1\ndevice = \"x\"\n[[registers]]\nname = \"r\"\nwidth = 8\n"
                      "fields = [{ name = \"A\", bits = \"1:0\", values = { \"4\" = \"four\" } }]\n",
                      "value 4 does not fit in 2 bits"),
    "value_key": ("schema_version = 1\ndevice = \"x\"\n[[registers]]\nname = \"r\"\nwidth = 8\n"
                  "fields = [{ name = \"A\", bits = \"1:0\", values = { \"x1\" = \"one\" } }]\n",
                  "value key 'x1' must be a number"),
    "duplicate": ("schema_version = 1\ndevice = \"x\"\n[[registers]]\nname = \"r\"\nwidth = 8\n"
                  "[[registers]]\nname = \"r\"\nwidth = 8\n", "register 'r' appears twice"),
    "no_device": ("schema_version = 1\n", "'device' must be a string"),
    "types_not_strings": ("schema_version = 1\ndevice = \"x\"\n[[registers]]\nname = \"r\"\nwidth = 8\n"
                          "types = [1]\n", "'types' must be a list of strings"),
}


class MalformedSchemas(unittest.TestCase):
    def test_rejects_with_a_clear_message(self):
        import schemas
        for name, (text, expected) in BAD_SCHEMAS.items():
            with self.subTest(name):
                with self.assertRaises(schemas.SchemaError) as ctx:
                    schemas.parse_device_schema(text, "bad.toml")
                self.assertIn(expected, str(ctx.exception))
                self.assertTrue(str(ctx.exception).startswith("bad.toml"), str(ctx.exception))

    def test_file_errors_name_the_file(self):
        import schemas
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "broken.toml")
            with open(path, "w") as f:
                f.write("schema_version = 1\ndevice = \"x\"\n[[registers]]\nname = \"r\"\nwidth = 12\n")
            with self.assertRaises(schemas.SchemaError) as ctx:
                schemas.load_device_schema(path)
            self.assertEqual(str(ctx.exception), f"{path}: register 'r': 'width' must be 8, 16, 32 or 64")
            with self.assertRaises(schemas.SchemaError) as ctx:
                schemas.load_device_schema(os.path.join(d, "missing.toml"))
            self.assertIn("cannot read", str(ctx.exception))

    def test_a_broken_file_in_the_schema_path_is_reported_and_skipped(self):
        import schemas
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, "a_broken.toml"), "w") as f:
                f.write("schema_version = 1\ndevice = \n")
            with open(os.path.join(d, "b_ok.toml"), "w") as f:
                f.write('schema_version = 1\ndevice = "extra"\n[[registers]]\nname = "r"\nwidth = 8\n'
                        'types = ["x::Reg"]\nfields = [{ name = "B0", bit = 0 }]\n')
            old = os.environ.get("TRIAGE_SCHEMA_PATH")
            os.environ["TRIAGE_SCHEMA_PATH"] = d
            try:
                loaded, errors = schemas.load_default_schemas()
            finally:
                if old is None:
                    del os.environ["TRIAGE_SCHEMA_PATH"]
                else:
                    os.environ["TRIAGE_SCHEMA_PATH"] = old
            self.assertEqual(len(errors), 1)
            self.assertIn("a_broken.toml", errors[0])
            self.assertEqual(loaded.register_for_type("x::Reg")[0].device, "extra")
            self.assertEqual(loaded.schemas[-1].device, "extra")  # after the shipped ones


class WrapperRules(unittest.TestCase):
    def test_shipped_rules_load_with_the_raw_member_paths(self):
        import wrappers
        rules = wrappers.WrapperRules(wrappers.load_wrapper_rules(wrappers.default_wrapper_file()))
        by_name = {}
        for r in rules.rules:
            by_name.setdefault((r.language, r.name), r)
        unique = by_name[("c++", "unique_ptr")]
        self.assertEqual([(s.kind, s.name, s.index) for s in unique.inner],
                         [("member", "_M_t", 0), ("member", "_M_t", 0), ("child", "", 0), ("child", "", 1),
                          ("member", "_M_head_impl", 0)])
        arc = by_name[("rust", "Arc")]
        self.assertEqual([(s.kind, s.name) for s in arc.inner], [("member", "ptr"), ("member", "pointer"),
                                                                  ("deref", ""), ("member", "data")])
        self.assertEqual([k for k, _ in arc.facts], ["strong", "weak"])
        # The Rust rule's `*::CloseableMutex<*>` also matches a template argument; the walker lets a
        # rule whose member path does not exist decline, so the next candidate applies.
        self.assertEqual([(r.language, r.name) for r in rules.candidates("std::shared_ptr<devices::CloseableMutex<X> >")],
                         [("c++", "shared_ptr"), ("rust", "CloseableMutex"), ("rust", "enum")])
        self.assertEqual([r.name for r in rules.candidates("core::option::Option<u8>")], ["enum"])
        patterns = wrappers.synthetic_type_patterns(rules.rules)
        for p in ("std::shared_ptr<*>", "std::unique_ptr<*>", "std::optional<*>", "devices::CloseableMutex<*>",
                  "alloc::sync::Arc<*>", "*::CloseableMutex<*>", "core::option::Option<*>"):
            self.assertIn(p, patterns)
        self.assertNotIn("*", patterns)
        self.assertNotIn("std::mutex", patterns)  # a leaf: nothing to see through

    def test_malformed_rules(self):
        import schemas
        import wrappers
        with self.assertRaises(schemas.SchemaError) as ctx:
            wrappers.parse_wrapper_rules('schema_version = 1\n[[wrapper]]\nname = "w"\ntypes = ["x"]\n', "w.toml")
        self.assertEqual(str(ctx.exception), "w.toml: wrapper 'w': strategy 'path' needs 'inner'")
        with self.assertRaises(schemas.SchemaError) as ctx:
            wrappers.parse_wrapper_rules('schema_version = 1\n[[wrapper]]\nname = "w"\ntypes = ["x"]\n'
                                         'inner = "a.@"\n', "w.toml")
        self.assertIn("'@' must be followed by a child index", str(ctx.exception))


class FrameFilter(unittest.TestCase):
    def setUp(self):
        import frames
        import schemas
        self.frames = frames
        self.ignore = frames.load_ignore_list(os.path.join(schemas.data_dir(), "ignore_frames.toml"))

    def test_normalizes_like_the_tool(self):
        n = self.frames.normalize_function_name
        self.assertEqual(n("devices::ide::Channel::write_data_port(unsigned short, unsigned int)"),
                         "devices::ide::Channel::write_data_port")
        self.assertEqual(n("devices::uart::Uart::lsr() const"), "devices::uart::Uart::lsr")
        self.assertEqual(n("::LLVMFuzzerTestOneInput(const uint8_t *, size_t)"), "LLVMFuzzerTestOneInput")
        self.assertEqual(n("std::vector<unsigned char, std::allocator<unsigned char> >::at(unsigned long)"),
                         "std::vector::at")
        self.assertEqual(n("void devices::copy<4ul>(unsigned char*)"), "devices::copy")
        self.assertEqual(n("devices::Fifo::operator[](unsigned long)"), "devices::Fifo::operator[]")
        self.assertEqual(n("std::function<void ()>::operator()() const"), "std::function::operator()")
        self.assertEqual(n("operator new(unsigned long)"), "operator new")
        self.assertEqual(n("foo::operator<<(int)"), "foo::operator<<")
        self.assertEqual(n("fuzz_ide_rs::channel::Channel::read_data::h5d5b2a6e0c1e8f3a"),
                         "fuzz_ide_rs::channel::Channel::read_data")
        self.assertEqual(n("core::option::Option$LT$T$GT$::unwrap"), "core::option::Option::unwrap")
        self.assertEqual(n("(anonymous namespace)::helper(int)"), "(anonymous namespace)::helper")

    def test_blames_the_first_frame_no_group_ignores(self):
        F = self.frames.Frame
        stack = [
            F("__asan::AsanDie()", "fuzz_ide_dev"),
            F("__asan_report_store1", "fuzz_ide_dev"),
            F("devices::ide::Channel::write_data_port(unsigned int, unsigned int)", "fuzz_ide_dev",
              "/work/main/devices/ide/channel.cpp", 194, 25),
            F("devices::ide::IdeController::io_write(unsigned short, devices::AccessWidth, unsigned int)",
              "fuzz_ide_dev", "/work/main/devices/ide/ide_controller.cpp", 109, 30),
            F("LLVMFuzzerTestOneInput", "fuzz_ide_dev", "/work/main/fuzz_targets/cpp/fuzz_ide.cpp", 53, 18),
            F("__libc_start_main_impl", "libc.so.6", "csu/libc-start.c", 360, 3),
        ]
        filtered, blamed = self.frames.filter_frames(stack, self.ignore)
        self.assertEqual(blamed, 2)
        self.assertEqual([f.ignored_by for f in filtered],
                         ["sanitizers", "sanitizers", None, None, "harness", "libc"])
        rust = [F("new", "fuzz_ide_rs", "/rustc/59807616/library/core/src/panic/panic_info.rs", 40, 9, True),
                F("core::panicking::panic_fmt", "fuzz_ide_rs"),
                F("fuzz_ide_rs::channel::Channel::execute_command::h436b4f9b572ca7be", "fuzz_ide_rs")]
        filtered, blamed = self.frames.filter_frames(rust, self.ignore)
        self.assertEqual(blamed, 2)
        self.assertEqual(filtered[2].normalized, "fuzz_ide_rs::channel::Channel::execute_command")
        self.assertEqual(self.frames.filter_frames(rust[:2], self.ignore)[1], None)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--source-dir", default=SOURCE_DIR)
    known, rest = parser.parse_known_args()
    _setup_path(known.source_dir)
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
