"""triage for interactive lldb: register summaries, wrapper see-through, triage-dump and triage-bt.

    (lldb) command script import /path/to/lldb_scripts/triage_lldb.py

Uses the data files of the `triage` tool (register schemas, wrappers.toml, ignore_frames.toml), so a
session shows registers and blamed frames exactly as a triage report does. See lldb_scripts/README.md.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

import lldb  # noqa: E402

import frames  # noqa: E402
import schemas  # noqa: E402
import views  # noqa: E402
import walker  # noqa: E402
import wrappers  # noqa: E402

CATEGORY = "triage"
MODULE = __name__


class _State:
    """What the session has loaded: schemas, wrapper rules and the ignore list."""

    def __init__(self):
        self.schemas = schemas.SchemaSet()
        self.rules = wrappers.WrapperRules()
        self.ignore = frames.IgnoreList()
        self.summary_patterns: list[str] = []
        self.errors: list[str] = []

    def load(self) -> None:
        self.schemas, self.errors = schemas.load_default_schemas()
        try:
            self.rules = wrappers.WrapperRules(wrappers.load_wrapper_rules(wrappers.default_wrapper_file()))
        except schemas.SchemaError as e:
            self.errors.append(str(e))
        try:
            self.ignore = frames.load_ignore_list(os.path.join(schemas.data_dir(), "ignore_frames.toml"))
        except schemas.SchemaError as e:
            self.errors.append(str(e))


STATE = _State()


def _walker(limits: walker.Limits | None = None) -> walker.Walker:
    return walker.Walker(STATE.rules, STATE.schemas, limits)


# ---- summaries and synthetic children ----------------------------------------------------------------


def register_summary(valobj, internal_dict=None):
    """`0x58 [DRQ|DSC|DRDY]` for any register type named in a schema; never a character."""
    try:
        v = views.raw_value(valobj)
        if v.GetType().IsReferenceType():
            v = v.Dereference()
        view = views.View(v, views.ExprPath())
        decoded = _walker().decode(view)
        return decoded[1] if decoded is not None else None
    except Exception:  # never raise into lldb
        return "<error>"


def _describe(u: walker.Unwrapped, w: walker.Walker) -> str:
    """`<shared_ptr|CloseableMutex> value  [fact=...]` as the state lines of a triage report."""
    text = "<" + "|".join(u.wrappers) + ">" if u.wrappers else ""
    value = ""
    if u.value is None:
        value = u.empty_reason
    elif u.value.error():
        value = f"<{u.value.error()}>"
    else:
        reg = w.decode(u.value)
        if reg is not None:
            value = reg[1]
        elif u.value.is_scalar():
            value = u.value.scalar_text()
            value = f"{u.variant}({value})" if u.variant else value
        elif u.variant:
            value = u.variant
    if value:
        text += (" " if text else "") + walker.printable(value)
    for k, val in u.facts:
        text += f"  [{k}={val}]"
    return text


def wrapper_summary(valobj, internal_dict=None):
    try:
        w = _walker()
        return _describe(w.unwrap(views.View(valobj, views.ExprPath())), w)
    except Exception:
        return "<error>"


class WrapperProvider:
    """Synthetic children of a wrapper (shared_ptr, unique_ptr, optional, variant, CloseableMutex, Arc,
    Mutex, Option, ...): the fields of the payload, reached through the raw members of every wrapper in
    the chain by the rules of wrappers.toml. Scalars, registers and empty wrappers have no children (the
    summary shows them)."""

    MAX_CHILDREN = 100000

    def __init__(self, valobj, internal_dict=None):
        self.valobj = valobj
        self.payload = None
        self.count = 0

    def update(self):
        self.payload, self.count = None, 0
        try:
            w = _walker()
            u = w.unwrap(views.View(self.valobj, views.ExprPath()))
            p = u.value
            if p is None or p.error() or p.is_scalar() or p.is_pointer() or w.decode(p) is not None:
                return False
            self.payload = p.v
            self.count = min(self.payload.GetNumChildren(), self.MAX_CHILDREN)
        except Exception:
            self.payload, self.count = None, 0
        return False

    def has_children(self):
        return self.count > 0

    def num_children(self, max_count=None):
        return self.count

    def get_child_index(self, name):
        try:
            if self.payload is not None:
                for i in range(min(self.count, 4096)):
                    if self.payload.GetChildAtIndex(i).GetName() == name:
                        return i
            if name.startswith("[") and name.endswith("]"):
                return int(name[1:-1])
        except Exception:
            pass
        return -1

    def get_child_at_index(self, index):
        try:
            if self.payload is not None and 0 <= index < self.count:
                child = self.payload.GetChildAtIndex(index)
                return child if child.IsValid() else None
        except Exception:
            pass
        return None


class RegisterProvider:
    """No synthetic children for a register: its summary says it all, and the raw byte would otherwise be
    shown as a character (rustlib's catch-all `.*` provider, when loaded, also lists `__0`)."""

    def __init__(self, valobj, internal_dict=None):
        self.valobj = valobj

    def update(self):
        return False

    def has_children(self):
        return False

    def num_children(self, max_count=None):
        return 0

    def get_child_index(self, name):
        return -1

    def get_child_at_index(self, index):
        return None


def _run(debugger, command: str) -> str | None:
    result = lldb.SBCommandReturnObject()
    debugger.GetCommandInterpreter().HandleCommand(command, result)
    return None if result.Succeeded() else (result.GetError() or command).strip()


def _add_register_summaries(debugger) -> list[str]:
    errors = []
    for pattern in STATE.schemas.register_type_patterns():
        if pattern in STATE.summary_patterns:
            continue
        regex = schemas.glob_to_regex(pattern)
        failed = [err for err in (
            _run(debugger, f"type summary add -w {CATEGORY} -p -x -F {MODULE}.register_summary '{regex}'"),
            _run(debugger, f"type synthetic add -w {CATEGORY} -p -x -l {MODULE}.RegisterProvider '{regex}'"))
            if err]
        errors.extend(failed)
        if not failed:
            STATE.summary_patterns.append(pattern)
    return errors


def _add_wrapper_formatters(debugger) -> list[str]:
    errors = []
    for pattern in wrappers.synthetic_type_patterns(STATE.rules.rules):
        regex = schemas.glob_to_regex(pattern)
        for cmd in (f"type synthetic add -w {CATEGORY} -p -x -l {MODULE}.WrapperProvider '{regex}'",
                    f"type summary add -w {CATEGORY} -p -e -x -F {MODULE}.wrapper_summary '{regex}'"):
            err = _run(debugger, cmd)
            if err:
                errors.append(err)
    return errors


# ---- commands ------------------------------------------------------------------------------------------


class _ArgError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise _ArgError(f"{self.prog}: {message}\n{self.format_usage()}")

    def exit(self, status=0, message=None):
        raise _ArgError(message or "")


def _dump_parser() -> _Parser:
    p = _Parser(prog="triage-dump", add_help=False,
                description="Dump device state found from the selected frame (its locals and arguments, its "
                            "callers', then globals) with decoded registers and lldb paths.")
    p.add_argument("-d", "--depth", type=int, default=walker.Limits.max_depth, help="maximum nesting depth")
    p.add_argument("-p", "--paths", action="store_true", help="print the lldb path on every state line")
    p.add_argument("-R", "--registers-only", action="store_true", help="print the registers, not the state")
    p.add_argument("-h", "--help", action="store_true")
    p.add_argument("roots", nargs="*", metavar="ROOT_EXPR",
                   help="dump these variable paths / expressions (in the selected frame) instead of searching")
    return p


def _selected(debugger):
    target = debugger.GetSelectedTarget()
    process = target.GetProcess() if target.IsValid() else None
    if process is None or not process.IsValid():
        raise _ArgError("no process: run, attach or load a core first")
    thread = process.GetSelectedThread()
    if not thread.IsValid():
        raise _ArgError("no selected thread")
    return target, thread


def format_roots(roots: list[walker.DeviceRoot], selected_frame: int, show_paths: bool,
                 registers_only: bool) -> list[str]:
    lines: list[str] = []
    for root in roots:
        d = root.value
        if lines:
            lines.append("")
        lines.append(f"device {root.device or '?'} ({root.type or d.type}), found as {root.origin}")
        lines.append(f"  lldb: {'target' if root.frame_index is None else 'frame'} variable {d.lldb_path}")
        if root.frame_index is not None and root.frame_index != selected_frame:
            lines.append(f"  (paths are relative to frame #{root.frame_index}: frame select {root.frame_index})")
        regs = walker.collect_registers(d)
        if regs:
            lines.append("  registers:")
            for rel, r in regs:
                lines.append(f"    {rel} = {r.decoded}")
                lines.append(f"      expr {r.lldb_path}")
        if registers_only:
            continue
        state: list[str] = []
        for c in d.children:
            walker.state_lines(c, 2, state, show_paths)
        if not d.children and d.value:
            state.append(f"    = {walker.printable(d.value)}")
        if state:
            lines.append("  state:")
            lines.extend(state)
    return lines


def _runtime_module(module_name: str) -> bool:
    """A module the ignore list names (libc, ld.so, sanitizer runtimes, libstdc++), never the executable."""
    return any(frames.any_match(rule.modules, module_name) for rule in STATE.ignore.rules)


def triage_dump(debugger, command, exe_ctx, result, internal_dict):
    try:
        args = _dump_parser().parse_args(shlex.split(command))
        if args.help:
            result.AppendMessage(_dump_parser().format_help())
            return
        target, thread = _selected(debugger)
        start = thread.GetSelectedFrame().GetFrameID()
        w = _walker(walker.Limits(max_depth=max(0, args.depth)))
        if args.roots:
            roots = []
            frame = thread.GetFrameAtIndex(start)
            for expr in args.roots:
                v = frame.GetValueForVariablePath(expr)
                if not v.IsValid() or v.GetError().Fail():
                    v = frame.EvaluateExpression(expr)
                if not v.IsValid() or v.GetError().Fail():
                    result.AppendMessage(f"triage-dump: cannot evaluate '{expr}': "
                                         f"{v.GetError().GetCString() if v.IsValid() else 'invalid'}")
                    continue
                u = w.unwrap(views.View(v, views.ExprPath(expr)))
                dev = w.device_for(u.value) if u.value else None
                type_name = u.value.match_names()[-1] if u.value else (v.GetTypeName() or "")
                roots.append(walker.DeviceRoot(dev.device if dev else "", f"frame #{start} (argument)", start,
                                               w.walk(views.View(v, views.ExprPath(expr)), expr), type_name))
        else:
            roots = walker.find_roots(target, thread, start, [], w, debugger=debugger,
                                      skip_module=_runtime_module)
        if not roots:
            n = sum(len(d.device_types) for d in STATE.schemas.schemas)
            result.AppendMessage(f"triage-dump: no device found from frame #{start} ({n} device types in "
                                 f"{len(STATE.schemas.schemas)} schemas; give ROOT_EXPR to dump a value)")
            return
        result.AppendMessage("\n".join(format_roots(roots, start, args.paths, args.registers_only)))
    except _ArgError as e:
        result.SetError(str(e).strip())
    except Exception as e:  # never raise into lldb
        result.SetError(f"triage-dump: internal error: {type(e).__name__}: {e}")


def _capture_frames(thread, max_frames: int) -> list[frames.Frame]:
    out = []
    # Not GetNumFrames(): on a stack overflow that unwinds the whole (huge) stack first.
    for i in range(max_frames):
        f = thread.GetFrameAtIndex(i)
        if not f.IsValid():
            break
        sym = f.GetSymbol()
        function = next((s for s in (f.GetDisplayFunctionName(), f.GetFunctionName(),
                                     sym.GetName() if sym.IsValid() else None) if s), "")
        module = f.GetModule().GetFileSpec().GetFilename() or ""
        le = f.GetLineEntry()
        path, line, column = "", 0, 0
        if le.IsValid():
            spec = le.GetFileSpec()
            name, directory = spec.GetFilename(), spec.GetDirectory()
            if name:
                path = f"{directory}/{name}" if directory else name
            line, column = le.GetLine(), le.GetColumn()
        out.append(frames.Frame(function, module, path, line, column, f.IsInlined()))
    return out


def format_backtrace(filtered: list[frames.FilteredFrame], blamed: int | None, max_lines: int,
                     hide_ignored: bool) -> list[str]:
    """The backtrace section of a triage text report: `=>` blamed, `*` surviving, `(group)` ignored."""

    def location(f: frames.Frame) -> str:
        if not f.file:
            return f"({f.module})" if f.module else ""
        return f.file + (f":{f.line}" + (f":{f.column}" if f.column else "") if f.line else "")

    lines = []
    i = 0
    while i < len(filtered) and len(lines) < max_lines:
        ff = filtered[i]
        if ff.ignored_by is not None and hide_ignored:
            i += 1
            continue
        run_end = i + 1
        while (i > 0 and run_end < len(filtered) and filtered[run_end].normalized == ff.normalized
               and filtered[run_end].frame.line == ff.frame.line and filtered[i - 1].normalized == ff.normalized):
            run_end += 1
        if run_end > i + 1:
            end_note = ", the captured stack ends here" if run_end == len(filtered) else ""
            lines.append(f"     #{i}..#{run_end - 1} the same frame again ({run_end - i} times{end_note})")
            i = run_end
            continue
        mark = "=>" if blamed == i else ("  " if ff.ignored_by is not None else " *")
        lines.append(f"  {mark} #{i:<3} {ff.normalized}{' [inlined]' if ff.frame.inlined else ''}  "
                     f"{location(ff.frame)}{f'  ({ff.ignored_by})' if ff.ignored_by is not None else ''}")
        i += 1
    if i < len(filtered):
        lines.append(f"     ... {len(filtered) - i} more frames")
    return lines


def _bt_parser() -> _Parser:
    p = _Parser(prog="triage-bt", add_help=False,
                description="Backtrace of the selected thread filtered by triage's ignore list; '=>' marks the "
                            "blamed frame (the first one no ignore group matches).")
    p.add_argument("-c", "--count", type=int, default=40, help="lines to print (default 40)")
    p.add_argument("-s", "--select", action="store_true", help="select the blamed frame afterwards")
    p.add_argument("-i", "--hide-ignored", action="store_true", help="leave out ignored frames")
    p.add_argument("-h", "--help", action="store_true")
    return p


def triage_bt(debugger, command, exe_ctx, result, internal_dict):
    try:
        args = _bt_parser().parse_args(shlex.split(command))
        if args.help:
            result.AppendMessage(_bt_parser().format_help())
            return
        _, thread = _selected(debugger)
        filtered, blamed = frames.filter_frames(_capture_frames(thread, 128), STATE.ignore)
        lines = format_backtrace(filtered, blamed, max(1, args.count), args.hide_ignored)
        if blamed is None:
            lines.insert(0, "blamed: (no frame survived the ignore lists)")
        else:
            lines.insert(0, f"blamed: frame #{blamed} {filtered[blamed].normalized}")
            if args.select:
                thread.SetSelectedFrame(blamed)
        result.AppendMessage("\n".join(lines))
    except _ArgError as e:
        result.SetError(str(e).strip())
    except Exception as e:
        result.SetError(f"triage-bt: internal error: {type(e).__name__}: {e}")


def triage_schema_load(debugger, command, exe_ctx, result, internal_dict):
    """triage-schema-load FILE...: add register schemas (they win lookups over the loaded ones)."""
    try:
        paths = shlex.split(command)
        if not paths:
            result.SetError("usage: triage-schema-load FILE [FILE...]")
            return
        for path in paths:
            schema = schemas.load_device_schema(os.path.expanduser(path))
            STATE.schemas.prepend(schema)
            result.AppendMessage(f"triage: loaded schema '{schema.device}' ({len(schema.registers)} registers) "
                                 f"from {path}")
        for err in _add_register_summaries(debugger):
            result.AppendMessage(f"triage: warning: {err}")
    except schemas.SchemaError as e:
        result.SetError(str(e))
    except Exception as e:
        result.SetError(f"triage-schema-load: internal error: {type(e).__name__}: {e}")


def __lldb_init_module(debugger, internal_dict):
    STATE.__init__()
    STATE.load()
    errors = list(STATE.errors)
    errors += _add_wrapper_formatters(debugger)
    errors += _add_register_summaries(debugger)
    for name, fn, help_text in (
            ("triage-dump", "triage_dump", "Dump device state with decoded registers: triage-dump [-d DEPTH] "
                                           "[-p] [-R] [ROOT_EXPR...]"),
            ("triage-bt", "triage_bt", "Backtrace filtered by the triage ignore list, blamed frame marked: "
                                       "triage-bt [-c N] [-s] [-i]"),
            ("triage-schema-load", "triage_schema_load", "Load register schema TOML files: "
                                                         "triage-schema-load FILE...")):
        err = _run(debugger, f"command script add -o -h '{help_text}' -f {MODULE}.{fn} {name}")
        if err:
            errors.append(err)
    err = _run(debugger, f"type category enable {CATEGORY}")
    if err:
        errors.append(err)
    for e in errors:
        print(f"triage: warning: {e}")
    print(f"triage: {len(STATE.schemas.schemas)} schemas, {len(STATE.summary_patterns)} register types, "
          f"{len(STATE.rules.rules)} wrapper rules; commands: triage-dump, triage-bt, triage-schema-load")
