"""Register schemas (TOML, triage/data/schemas/FORMAT.md) for the lldb scripts.

A Python mirror of triage/core/register_schema.cpp, glob.cpp and toml_util.cpp: the same validation
rules, the same type-name matching and the same decoded text (`0x58 [DRQ|DSC|DRDY]`), so that a user's
lldb session and a `triage` report agree. Pure Python: no lldb import, unit-tested on its own.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field

SCHEMA_VERSION = 1


class SchemaError(Exception):
    """A malformed data file (schema, wrapper rules, ignore list); the message names the file."""


# ---- helpers shared by every data file (toml_util.cpp) -------------------------------------------


def parse_toml(text: str, origin: str) -> dict:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise SchemaError(f"{origin}: {e}") from None


def read_text_file(path: str) -> str:
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise SchemaError(f"cannot read {path}: {e.strerror}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise SchemaError(f"{path}: not UTF-8 text") from None


def check_keys(table: dict, allowed: tuple[str, ...], where: str) -> None:
    for key in table:
        if key not in allowed:
            raise SchemaError(f"{where}: unknown key '{key}'")


def required_string(table: dict, key: str, where: str) -> str:
    value = table.get(key)
    if not isinstance(value, str):
        raise SchemaError(f"{where}: '{key}' must be a string")
    return value


def optional_string(table: dict, key: str) -> str:
    value = table.get(key)
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return ""


def string_list(table: dict, key: str, where: str) -> list[str]:
    value = table.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SchemaError(f"{where}: '{key}' must be a list of strings")
    return list(value)


def optional_integer(table: dict, key: str, where: str) -> int | None:
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise SchemaError(f"{where}: '{key}' must be an integer")
    return value


def check_schema_version(root: dict, expected: int, origin: str) -> None:
    if optional_integer(root, "schema_version", origin) != expected:
        raise SchemaError(f"{origin}: 'schema_version' must be {expected}")


def array_of_tables(table: dict, key: str, where: str) -> list[dict]:
    value = table.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise SchemaError(f"{where}: '{key}' must be an array of tables")
    return value


def parse_unsigned(text: str) -> int | None:
    """Decimal, 0x hex or 0b binary; nothing else (no sign, no underscores), as toml_util.cpp."""
    base, digits = 10, text
    if len(text) > 2 and text[0] == "0" and text[1] in "xX":
        base, digits = 16, text[2:]
    elif len(text) > 2 and text[0] == "0" and text[1] in "bB":
        base, digits = 2, text[2:]
    allowed = "0123456789abcdefABCDEF"[: 10 if base == 10 else (22 if base == 16 else 2)]
    if not digits or any(c not in allowed for c in digits):
        return None
    value = int(digits, base)
    return value if value < (1 << 64) else None


# ---- type names (glob.cpp, register_schema.cpp: bare_type_name) ----------------------------------


def glob_match(pattern: str, text: str) -> bool:
    """`*` matches any run of characters (including `::` and `<>`); everything else is literal."""
    p = t = 0
    star = -1
    star_text = 0
    while t < len(text):
        if p < len(pattern) and pattern[p] == "*":
            star = p
            p += 1
            star_text = t
        elif p < len(pattern) and pattern[p] == text[t]:
            p += 1
            t += 1
        elif star != -1:
            p = star + 1
            star_text += 1
            t = star_text
        else:
            return False
    while p < len(pattern) and pattern[p] == "*":
        p += 1
    return p == len(pattern)


def glob_to_regex(pattern: str) -> str:
    """The same language as glob_match, as an anchored regex for `type summary add -x`."""
    def escape(part: str) -> str:  # POSIX extended regex (LLDB's llvm::Regex)
        return "".join("\\" + c if c in ".^$|()[]{}+?\\" else c for c in part)

    return "^" + ".*".join(escape(part) for part in pattern.split("*")) + "$"


def bare_type_name(type_name: str) -> str:
    """'const Foo *' -> 'Foo': no cv-qualifiers, references or pointers."""
    s = type_name or ""
    for prefix in ("const ", "volatile ", "struct ", "class "):
        while s.startswith(prefix):
            s = s[len(prefix):]
    s = s.rstrip("*& ")
    changed = True
    while changed:
        changed = False
        for suffix in (" const", " volatile"):
            while s.endswith(suffix):
                s = s[: -len(suffix)].rstrip("*& ")
                changed = True
    return s


# ---- register schemas -------------------------------------------------------------------------------


@dataclass
class RegisterField:
    name: str
    lsb: int
    msb: int
    values: dict[int, str] = field(default_factory=dict)
    description: str = ""

    @property
    def is_bit(self) -> bool:
        return self.lsb == self.msb

    @property
    def mask(self) -> int:
        return ((1 << (self.msb - self.lsb + 1)) - 1) << self.lsb

    def extract(self, raw: int) -> int:
        return (raw & self.mask) >> self.lsb


@dataclass
class RegisterSchema:
    name: str
    width_bits: int
    type_patterns: list[str]
    fields: list[RegisterField]
    port: str = ""
    description: str = ""


@dataclass
class DeviceSchema:
    device: str
    device_types: list[str]
    registers: list[RegisterSchema]
    description: str = ""
    origin: str = ""

    def find_register(self, name: str) -> RegisterSchema | None:
        return next((r for r in self.registers if r.name == name), None)


@dataclass
class DecodedField:
    name: str
    value: int
    value_name: str
    is_bit: bool


@dataclass
class DecodedRegister:
    raw: int
    fields: list[DecodedField]
    text: str


def decode_register(reg: RegisterSchema, raw: int) -> DecodedRegister:
    """`0x58 [DRQ|DSC|DRDY]`: set single-bit fields in schema order joined by '|', then multi-bit fields
    as NAME=value(name) or NAME=value, space separated; no brackets when the schema has no fields."""
    raw &= (1 << reg.width_bits) - 1
    fields: list[DecodedField] = []
    set_bits: list[str] = []
    multi: list[str] = []
    for f in reg.fields:
        value = f.extract(raw)
        d = DecodedField(f.name, value, f.values.get(value, ""), f.is_bit)
        if f.is_bit:
            if value:
                set_bits.append(f.name)
        else:
            multi.append(f"{f.name}={value}({d.value_name})" if d.value_name else f"{f.name}={value}")
        fields.append(d)
    digits = max(2, reg.width_bits // 4)
    text = f"0x{raw:0{digits}x}"
    if reg.fields:
        inside = "|".join(set_bits)
        for m in multi:
            inside += (" " if inside else "") + m
        text += f" [{inside}]"
    return DecodedRegister(raw, fields, text)


def _parse_field(t: dict, reg: RegisterSchema, origin: str) -> RegisterField:
    where = f"{origin}: register '{reg.name}'"
    check_keys(t, ("name", "bit", "bits", "values", "description"), where)
    name = required_string(t, "name", where)
    fwhere = f"{where} field '{name}'"
    bit = optional_integer(t, "bit", fwhere)
    bits = t.get("bits")
    if (bit is not None) == (bits is not None):
        raise SchemaError(f"{fwhere}: give exactly one of 'bit' or 'bits'")
    if bit is not None:
        if bit < 0:
            raise SchemaError(f"{fwhere}: 'bit' must not be negative")
        msb = lsb = bit
    else:
        if not isinstance(bits, str):
            raise SchemaError(f"{fwhere}: 'bits' must be a string \"msb:lsb\"")
        msb_s, colon, lsb_s = bits.partition(":")
        msb_v = parse_unsigned(msb_s) if colon else None
        lsb_v = parse_unsigned(lsb_s) if colon else None
        if msb_v is None or lsb_v is None or msb_v < lsb_v:
            raise SchemaError(f"{fwhere}: 'bits' must be \"msb:lsb\" with msb >= lsb")
        msb, lsb = msb_v, lsb_v
    if msb >= reg.width_bits:
        raise SchemaError(f"{fwhere}: bit {msb} is outside the {reg.width_bits}-bit register")
    values: dict[int, str] = {}
    raw_values = t.get("values")
    if raw_values is not None:
        if not isinstance(raw_values, dict):
            raise SchemaError(f"{fwhere}: 'values' must be a table")
        width = msb - lsb + 1
        for key, vname in raw_values.items():
            v = parse_unsigned(key)
            if v is None or not isinstance(vname, str):
                raise SchemaError(f"{fwhere}: value key '{key}' must be a number with a string name")
            if width < 64 and v >= (1 << width):
                raise SchemaError(f"{fwhere}: value {v} does not fit in {width} bits")
            values[v] = vname
    return RegisterField(name, lsb, msb, values, optional_string(t, "description"))


def _parse_register(t: dict, origin: str) -> RegisterSchema:
    check_keys(t, ("name", "width", "types", "port", "description", "fields"), f"{origin}: register")
    name = required_string(t, "name", f"{origin}: register")
    where = f"{origin}: register '{name}'"
    width = optional_integer(t, "width", where)
    if width not in (8, 16, 32, 64):
        raise SchemaError(f"{where}: 'width' must be 8, 16, 32 or 64")
    reg = RegisterSchema(name, width, string_list(t, "types", where), [], optional_string(t, "port"),
                         optional_string(t, "description"))
    used = 0
    for node in array_of_tables(t, "fields", where):
        f = _parse_field(node, reg, origin)
        if any(existing.name == f.name for existing in reg.fields):
            raise SchemaError(f"{where}: field '{f.name}' appears twice")
        if used & f.mask:
            raise SchemaError(f"{where}: field '{f.name}' overlaps another field")
        used |= f.mask
        reg.fields.append(f)
    return reg


def parse_device_schema(text: str, origin: str) -> DeviceSchema:
    root = parse_toml(text, origin)
    check_keys(root, ("schema_version", "device", "description", "device_types", "registers"), origin)
    check_schema_version(root, SCHEMA_VERSION, origin)
    schema = DeviceSchema(required_string(root, "device", origin), string_list(root, "device_types", origin),
                          [], optional_string(root, "description"), origin)
    for node in array_of_tables(root, "registers", origin):
        reg = _parse_register(node, origin)
        if schema.find_register(reg.name):
            raise SchemaError(f"{origin}: register '{reg.name}' appears twice")
        schema.registers.append(reg)
    return schema


def load_device_schema(path: str) -> DeviceSchema:
    return parse_device_schema(read_text_file(path), path)


def load_schema_dir(directory: str) -> list[DeviceSchema]:
    """Every `*.toml` in `directory`, sorted by name (register_schema.cpp: load_schema_dir)."""
    try:
        names = sorted(n for n in os.listdir(directory) if n.endswith(".toml"))
    except OSError as e:
        raise SchemaError(f"cannot list schema directory {directory}: {e.strerror}") from None
    return [load_device_schema(os.path.join(directory, n)) for n in names]


class SchemaSet:
    """All schemas in use. The first match wins, so files loaded by the user are put in front."""

    def __init__(self, schemas: list[DeviceSchema] | None = None):
        self.schemas: list[DeviceSchema] = list(schemas or [])

    def add(self, schema: DeviceSchema) -> None:
        self.schemas.append(schema)

    def prepend(self, schema: DeviceSchema) -> None:
        self.schemas.insert(0, schema)

    def register_for_type(self, type_name: str) -> tuple[DeviceSchema, RegisterSchema] | None:
        bare = bare_type_name(type_name)
        for d in self.schemas:
            for r in d.registers:
                if any(glob_match(p, bare) for p in r.type_patterns):
                    return d, r
        return None

    def device_for_type(self, type_name: str) -> DeviceSchema | None:
        bare = bare_type_name(type_name)
        for d in self.schemas:
            if any(glob_match(p, bare) for p in d.device_types):
                return d
        return None

    def find_device(self, device: str) -> DeviceSchema | None:
        return next((d for d in self.schemas if d.device == device), None)

    def register_type_patterns(self) -> list[str]:
        out: list[str] = []
        for d in self.schemas:
            for r in d.registers:
                out.extend(p for p in r.type_patterns if p not in out)
        return out


def repo_root() -> str:
    return os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def data_dir() -> str:
    env = os.environ.get("TRIAGE_DATA_DIR", "")
    return env if env else os.path.join(repo_root(), "triage", "data")


def default_schema_dirs() -> list[str]:
    """The directories `triage` reads, in its order: data/schemas, devices/schemas, TRIAGE_SCHEMA_PATH."""
    dirs = [os.path.join(data_dir(), "schemas"), os.path.join(repo_root(), "devices", "schemas")]
    dirs += [d for d in os.environ.get("TRIAGE_SCHEMA_PATH", "").split(":") if d]
    return dirs


def load_default_schemas() -> tuple[SchemaSet, list[str]]:
    """Loads every default directory; a malformed file is reported and skipped (not fatal in lldb)."""
    out = SchemaSet()
    errors: list[str] = []
    for d in default_schema_dirs():
        if not os.path.isdir(d):
            continue
        try:
            names = sorted(n for n in os.listdir(d) if n.endswith(".toml"))
        except OSError as e:
            errors.append(f"cannot list schema directory {d}: {e.strerror}")
            continue
        for n in names:
            try:
                out.add(load_device_schema(os.path.join(d, n)))
            except SchemaError as e:
                errors.append(str(e))
    return out, errors
