"""Walks SBValues through wrapper types down to device state, like triage's ValueWalker.

Mirrors triage/core/value_walker.cpp (unwrap, walk, limits, cycle detection) over views.View, and
triage/debugger/device_roots.cpp (which variables are device roots). Every node carries the lldb
expression path a user can paste into `frame variable` / `expr`. Works on RAW members only, so LLDB's
own formatters, rustlib's and ours never change what is walked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import lldb

from schemas import SchemaSet, bare_type_name, decode_register, glob_match
from views import ExprPath, View, follow_path
from wrappers import VECTOR_STRATEGIES, WrapperRule, WrapperRules


# ---- walking (triage/core/value_walker.cpp) ------------------------------------------------------------


@dataclass
class Limits:
    max_depth: int = 14
    max_children: int = 64
    max_scalar_elements: int = 16
    max_nodes: int = 4000
    max_wrapper_chain: int = 24


@dataclass
class Unwrapped:
    value: View | None
    wrappers: list[str] = field(default_factory=list)
    facts: list[tuple[str, str]] = field(default_factory=list)
    empty_reason: str = ""
    variant: str = ""


@dataclass
class Dumped:
    name: str
    type: str = ""
    lldb_path: str = ""
    value: str = ""
    register: str = ""  # register name from the schema, when this value is a register
    decoded: str = ""   # "0x58 [DRQ|DSC|DRDY]"
    raw: int | None = None
    wrappers: list[str] = field(default_factory=list)
    facts: list[tuple[str, str]] = field(default_factory=list)
    children: list["Dumped"] = field(default_factory=list)


def last_component(type_name: str) -> str:
    depth = 0
    out = []
    for c in bare_type_name(type_name):
        if c == "<":
            depth += 1
        elif c == ">":
            depth -= 1
        elif depth == 0:
            out.append(c)
    s = "".join(out)
    pos = s.rfind("::")
    return s if pos == -1 else s[pos + 2:]


class Walker:
    def __init__(self, rules: WrapperRules, schemas: SchemaSet, limits: Limits | None = None):
        self.rules = rules
        self.schemas = schemas
        self.limits = limits or Limits()
        self.nodes = 0
        self.visited: set[tuple[int, str]] = set()

    def register_for(self, value: View):
        for name in value.match_names():
            binding = self.schemas.register_for_type(name)
            if binding is not None:
                return binding
        return None

    def device_for(self, value: View):
        for name in value.match_names():
            device = self.schemas.device_for_type(name)
            if device is not None:
                return device
        return None

    def candidates(self, value: View) -> list[WrapperRule]:
        out: list[WrapperRule] = []
        for name in value.match_names():
            out.extend(r for r in self.rules.candidates(name) if r not in out)
        return out

    def _apply_rule(self, rule: WrapperRule, value: View) -> Unwrapped | None:
        """One wrapper step; None when a structural rule does not fit this value."""
        out = Unwrapped(None)
        if rule.strategy in ("path", "leaf"):
            for fact, path in rule.facts:
                fv = follow_path(value, path)
                if fv is not None and not fv.error():
                    out.facts.append((f"{rule.name}.{fact}", fv.scalar_text()))
            if rule.strategy == "leaf":
                return out
            if rule.present:
                present = follow_path(value, rule.present)
                if present is not None and present.unsigned_value() == 0:
                    out.empty_reason = "none"
                    return out
            inner = follow_path(value, rule.inner)
            if inner is None:
                # The layout has no such member: the glob matched a type this rule is not about (e.g.
                # `*::CloseableMutex<*>` matches `Mutex<Option<Arc<CloseableMutex<T>>>>`), so let the next
                # candidate rule try. (triage's C++ walker reports "unreadable" here instead.)
                return None
            if inner.is_pointer():
                if not inner.unsigned_value():
                    out.empty_reason = "null"
                    return out
                pointee = inner.dereference()
                if pointee is None:
                    out.empty_reason = "unreadable"
                    return out
                inner = pointee
            out.value = inner
            return out
        if rule.strategy == "libstdcxx-variant":
            index = value.member("_M_index")
            node = value.member("_M_u")
            if index is None or node is None:
                return None
            idx = index.unsigned_value()
            idx = (1 << 64) - 1 if idx is None else idx
            if idx >= 64:  # variant_npos in any index width
                out.empty_reason = "valueless"
                return out
            for _ in range(idx):
                node = node.member("_M_rest") if node else None
            node = node.member("_M_first") if node else None
            node = node.member("_M_storage") if node else None
            if node is not None and glob_match("__gnu_cxx::__aligned_membuf<*>", bare_type_name(node.type_name())):
                node = node.as_template_arg(0)
            if node is None:
                out.empty_reason = "unreadable"
                return out
            out.variant = f"{last_component(node.type_name())}#{idx}"
            out.value = node
            return out
        if rule.strategy == "rust-enum":
            variants = value.member("$variants$")
            if variants is None or variants.num_children() == 0:
                return None
            first = variants.child_at(0)
            discr = first.member("$discr$") if first else None
            chosen = None
            if discr is not None:
                d = discr.unsigned_value()
                if d is not None:
                    chosen = variants.member(f"$variant${d}")
            if chosen is None:
                chosen = variants.member("$variant$")
            if chosen is None and variants.num_children() == 1:
                chosen = variants.child_at(0)
            payload = chosen.member("value") if chosen else None
            if payload is None:
                out.empty_reason = "unknown variant"
                return out
            name = re.sub(r":\d+$", "", last_component(payload.type_name()))  # "None:64": LLDB's bit offset
            out.variant = name
            if payload.num_children() == 0:
                out.empty_reason = name
                return out
            if payload.num_children() == 1:
                only = payload.member("__0")
                if only is not None:
                    out.value = only
                    return out
            out.value = payload
            return out
        return None

    def unwrap(self, value: View, follow_pointers: bool = True) -> Unwrapped:
        u = Unwrapped(value)
        for _ in range(self.limits.max_wrapper_chain):
            if u.value is None:
                break
            if not u.value.is_pointer() and (self.register_for(u.value) or self.device_for(u.value)):
                break
            applied = is_vector = False
            for rule in self.candidates(u.value):
                if rule.strategy in VECTOR_STRATEGIES:
                    is_vector = True
                    break
                step = self._apply_rule(rule, u.value)
                if step is None:
                    continue
                named_by_variant = rule.strategy == "rust-enum" and step.variant
                u.wrappers.append(step.variant if named_by_variant else rule.name)
                u.facts.extend(step.facts)
                if step.variant:
                    u.variant = step.variant
                u.empty_reason = step.empty_reason
                u.value = step.value
                applied = True
                break
            if is_vector:
                break
            if applied:
                continue
            if follow_pointers and u.value.is_pointer():
                if not u.value.unsigned_value():
                    u.value, u.empty_reason = None, "null"
                    break
                pointee = u.value.dereference()
                if pointee is None:
                    u.value, u.empty_reason = None, "unreadable"
                    break
                u.value = pointee
                continue
            break
        return u

    def decode(self, value: View) -> tuple[str, str, int | None] | None:
        """(register name, decoded text, raw) when `value` is a register type of a schema."""
        binding = self.register_for(value)
        if binding is None:
            return None
        reg = binding[1]
        raw = value.raw_bits(reg.width_bits)
        return reg.name, (decode_register(reg, raw).text if raw is not None else "<unreadable>"), raw

    def walk(self, value: View, name: str) -> Dumped:
        self.nodes = 0
        self.visited = set()
        return self._walk_node(value, name, 0)

    def _walk_node(self, value: View, name: str, depth: int) -> Dumped:
        out = Dumped(name, value.type_name(), value.expression_path())
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            out.value = "<node limit reached>"
            return out
        u = self.unwrap(value)
        out.wrappers, out.facts = u.wrappers, u.facts
        if u.value is None:
            out.value = u.empty_reason
            return out
        v = u.value
        out.type, out.lldb_path = v.type_name(), v.expression_path()
        err = v.error()
        if err:
            out.value = f"<{err}>"
            return out
        reg = self.decode(v)
        if reg is not None:
            out.register, out.decoded, out.raw = reg
            out.value = out.decoded
            return out
        for rule in self.candidates(v):
            if rule.strategy in VECTOR_STRATEGIES and self._walk_vector(v, rule, out, depth):
                return out
        if v.is_scalar():
            out.value = v.scalar_text()
            out.raw = v.unsigned_value()
            if u.variant:
                out.value = f"{u.variant}({out.value})"
            return out
        if u.variant:
            out.value = u.variant
        if depth >= self.limits.max_depth:
            out.value += " {...}" if out.value else "{...}"
            return out
        addr = v.address()
        if addr:
            key = (addr, out.type)
            if key in self.visited:
                out.value += " <shown above>" if out.value else "<shown above>"
                return out
            self.visited.add(key)
        self._walk_members(v, out, depth + 1)
        return out

    def _walk_members(self, value: View, out: Dumped, depth: int) -> None:
        n = value.num_children()
        if value.is_array() and n > 0:
            first = value.child_at(0)
            if first is not None and first.is_scalar() and n > self.limits.max_scalar_elements:
                items = []
                for i in range(self.limits.max_scalar_elements):
                    e = value.child_at(i)
                    items.append(e.scalar_text() if e else "?")
                out.value = f"[{n}] {{" + ", ".join(items) + ", ...}"
                return
        shown = min(n, self.limits.max_children)
        for i in range(shown):
            child = value.child_at(i)
            if child is None:
                continue
            if child.base_class:
                self._walk_members(child, out, depth)
                continue
            child_name = f"[{i}]" if value.is_array() else child.name()
            if not child_name or child_name.startswith("_vptr"):
                continue
            out.children.append(self._walk_node(child, child_name, depth))
        if n > shown:
            out.children.append(Dumped(f"[+{n - shown} more]"))

    def _walk_vector(self, value: View, rule: WrapperRule, out: Dumped, depth: int) -> bool:
        data = follow_path(value, rule.data)
        if data is None:
            return False
        rust = rule.strategy in ("rust-vec", "data-len")
        template_arg = 0 if rust else None
        owner = value if rust else None
        count = 0
        if rust:
            length = follow_path(value, rule.len)
            count = (length.unsigned_value() or 0) if length else 0
        else:
            end = follow_path(value, rule.end)
            begin_addr = data.unsigned_value() or 0
            end_addr = (end.unsigned_value() or 0) if end else 0
            if begin_addr and end_addr > begin_addr:
                e0, e1 = data.pointer_element(0), data.pointer_element(1)
                size = e1.address() - e0.address() if e0 and e1 and e1.address() > e0.address() else 0
                count = (end_addr - begin_addr) // size if size else 0
        out.wrappers.append(rule.name)
        out.value = f"len={count}"
        if count == 0 or not data.unsigned_value():
            return True
        start = slots = 0
        if rule.start:  # a ring buffer: element i in slot (start + i) mod capacity
            sv, cv = follow_path(value, rule.start), follow_path(value, rule.capacity)
            start = (sv.unsigned_value() or 0) if sv else 0
            slots = (cv.unsigned_value() or 0) if cv else 0

        def slot(i: int) -> int:
            return (start + i) % slots if slots else start + i

        first = data.pointer_element(slot(0), owner, template_arg)
        scalar = first is not None and first.is_scalar()
        shown = min(count, self.limits.max_scalar_elements if scalar else self.limits.max_children)
        if scalar:
            items = []
            for i in range(shown):
                e = data.pointer_element(slot(i), owner, template_arg)
                items.append(e.scalar_text() if e else "?")
            out.value = f"len={count} {{" + ", ".join(items) + (", ...}" if count > shown else "}")
            return True
        for i in range(shown):
            e = data.pointer_element(slot(i), owner, template_arg)
            if e is not None:
                out.children.append(self._walk_node(e, f"[{i}]", depth + 1))
        return True


# ---- registers of a dumped tree (triage/core/analyze.cpp: collect_registers) ----------------------------


def collect_registers(root: Dumped) -> list[tuple[str, Dumped]]:
    out: list[tuple[str, Dumped]] = []

    def visit(v: Dumped, rel: str) -> None:
        if v.register:
            out.append((rel or v.name, v))
        for c in v.children:
            visit(c, c.name if not rel else (rel + c.name if c.name.startswith("[") else rel + "." + c.name))

    visit(root, "")
    return out


def state_lines(v: Dumped, indent: int, out: list[str], show_paths: bool) -> None:
    line = "  " * indent + v.name
    if v.wrappers:
        line += " <" + "|".join(v.wrappers) + ">"
    if v.value:
        line += " = " + printable(v.value)
    for k, val in v.facts:
        line += f"  [{k}={val}]"
    if show_paths and v.lldb_path and not v.name.startswith("[+"):
        line += f"    ({v.lldb_path})"
    out.append(line)
    for c in v.children:
        state_lines(c, indent + 1, out, show_paths)


def printable(s: str) -> str:
    return "".join(c if c in "\n\t" or (ord(c) >= 0x20 and ord(c) != 0x7F) else f"\\x{ord(c):02x}" for c in s)


# ---- device roots (triage/debugger/device_roots.cpp) -----------------------------------------------------

FRAMES_SEARCHED = 48
MAX_GLOBALS = 4096


@dataclass
class DeviceRoot:
    device: str
    origin: str
    frame_index: int | None  # None for globals
    value: Dumped
    type: str = ""  # the device type name that matched the schema


_global_names_cache: dict[str, list[str]] = {}
_RUST_HASH = re.compile(r"::h[0-9a-f]{16}$")


def _names_of(globals_: lldb.SBValueList, exe: lldb.SBModule | None) -> list[str]:
    names: list[str] = []
    for i in range(globals_.GetSize()):
        g = globals_.GetValueAtIndex(i)
        name = g.GetName()
        if not name or name in names:
            continue
        if g.GetType().GetCanonicalType().GetTypeClass() == lldb.eTypeClassBuiltin:
            continue
        if exe is not None and str(g.GetAddress().GetModule().GetFileSpec()) != str(exe.GetFileSpec()):
            continue
        names.append(name)
    return names


def global_names(target: lldb.SBTarget, debugger=None) -> list[str]:
    """Globals of the main executable with debug info and a non-builtin type (cached per executable).

    A regex search on the real target would also parse the debug info of libc and ld.so (slow, and LLDB
    prints DWARF errors about them), so the search runs on a scratch target made of the executable alone
    (its module is shared, so this costs a few ms) that is deleted again."""
    exe = target.GetModuleAtIndex(0)
    key = str(exe.GetFileSpec()) + ":" + (exe.GetUUIDString() or "")
    if key in _global_names_cache:
        return _global_names_cache[key]
    names = None
    if debugger is not None and target.GetExecutable().IsValid():
        err = lldb.SBError()
        scratch = debugger.CreateTarget(str(target.GetExecutable()), None, None, False, err)
        if scratch.IsValid():
            try:
                names = _names_of(scratch.FindGlobalVariables(".", MAX_GLOBALS, lldb.eMatchTypeRegex), None)
            finally:
                debugger.DeleteTarget(scratch)
                debugger.SetSelectedTarget(target)
    if names is None:
        names = _names_of(target.FindGlobalVariables(".", MAX_GLOBALS, lldb.eMatchTypeRegex),
                          exe if exe.IsValid() else None)
    _global_names_cache[key] = names
    return names


def find_roots(target: lldb.SBTarget, thread: lldb.SBThread, start_frame: int, extra_roots: list[str],
               walker: Walker, frames_searched: int = FRAMES_SEARCHED, debugger=None,
               skip_module=None) -> list[DeviceRoot]:
    """Device roots from `start_frame` upwards, then globals. `skip_module(name)` leaves out frames of
    runtime libraries (libc, ld.so: their locals never hold device state, and reading them makes LLDB
    parse, and complain about, their debug info)."""
    roots: list[DeviceRoot] = []
    seen: set[int] = set()

    def consider(var, path: str, origin: str, frame_index, forced: bool) -> None:
        if var is None or not var.IsValid() or var.GetError().Fail():
            return
        view = View(var, ExprPath(path))
        u = walker.unwrap(view)
        if u.value is None or u.value.error():
            return
        device = walker.device_for(u.value)
        if device is None and not forced:
            return
        addr = u.value.address()
        if addr:
            if addr in seen:
                return
            seen.add(addr)
        names = u.value.match_names()
        type_name = next((n for n in names if device and walker.schemas.device_for_type(n)), names[-1])
        roots.append(DeviceRoot(device.device if device else "", origin, frame_index, walker.walk(view, path),
                                type_name))

    for i in range(start_frame, start_frame + frames_searched):
        frame = thread.GetFrameAtIndex(i)
        if not frame.IsValid():
            break
        module_name = frame.GetModule().GetFileSpec().GetFilename() or ""
        if skip_module is not None and i != start_frame and skip_module(module_name):
            continue
        if i == start_frame:
            for expr in extra_roots:
                v = frame.GetValueForVariablePath(expr)
                if not v.IsValid() or v.GetError().Fail():
                    v = frame.EvaluateExpression(expr)
                consider(v, expr, "--root", i, True)
        variables = frame.GetVariables(True, True, False, True, lldb.eNoDynamicValues)
        origin = f"frame #{i} {frame.GetDisplayFunctionName() or '?'}"
        for k in range(variables.GetSize()):
            var = variables.GetValueAtIndex(k)
            name = var.GetName()
            if name:
                consider(var, name, origin, i, False)
    for name in global_names(target, debugger):
        var = target.FindFirstGlobalVariable(name)
        if not var.IsValid():
            # Rust statics are listed as `crate::NAME::h<hash>` but only found (and written in a
            # `target variable` path) without the hash.
            name = _RUST_HASH.sub("", name)
            var = target.FindFirstGlobalVariable(name)
        consider(var, name, "global", None, False)
    return roots
