"""Frame ignore lists (triage/data/ignore_frames.toml) and function-name normalization.

A Python mirror of triage/core/frame_filter.cpp and symbol_name.cpp: the blamed frame is the first frame
that no ignore group matches. Pure Python, no lldb import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from schemas import (SchemaError, array_of_tables, check_keys, check_schema_version, glob_match,
                     parse_toml, read_text_file, required_string, string_list)


@dataclass
class IgnoreRule:
    group: str
    functions: list[str] = field(default_factory=list)
    modules: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    blame_when_alone: bool = False


@dataclass
class Frame:
    function: str
    module: str = ""
    file: str = ""
    line: int = 0
    column: int = 0
    inlined: bool = False


def any_match(patterns: list[str], text: str) -> bool:
    return bool(text) and any(glob_match(p, text) for p in patterns)


class IgnoreList:
    def __init__(self, rules: list[IgnoreRule] | None = None):
        self.rules = list(rules or [])

    def rule_for(self, frame: Frame) -> IgnoreRule | None:
        normalized = normalize_function_name(frame.function)
        for rule in self.rules:
            if (any_match(rule.functions, normalized) or any_match(rule.modules, frame.module)
                    or any_match(rule.files, frame.file)):
                return rule
        return None

    def ignored_by(self, frame: Frame) -> str | None:
        rule = self.rule_for(frame)
        return rule.group if rule else None


def parse_ignore_list(text: str, origin: str) -> IgnoreList:
    root = parse_toml(text, origin)
    check_keys(root, ("schema_version", "ignore"), origin)
    check_schema_version(root, 1, origin)
    out = IgnoreList()
    for t in array_of_tables(root, "ignore", origin):
        where = f"{origin}: ignore group"
        check_keys(t, ("group", "functions", "modules", "files", "description", "blame_when_alone"), where)
        alone = t.get("blame_when_alone", False)
        if not isinstance(alone, bool):
            raise SchemaError(f"{where}: 'blame_when_alone' must be true or false")
        out.rules.append(IgnoreRule(required_string(t, "group", where), string_list(t, "functions", where),
                                    string_list(t, "modules", where), string_list(t, "files", where), alone))
    return out


def load_ignore_list(path: str) -> IgnoreList:
    return parse_ignore_list(read_text_file(path), path)


@dataclass
class FilteredFrame:
    frame: Frame
    normalized: str
    ignored_by: str | None


def filter_frames(frames: list[Frame], ignore: IgnoreList) -> tuple[list[FilteredFrame], int | None]:
    """Returns the frames with their ignore group, and the index of the blamed (first surviving) frame."""
    out: list[FilteredFrame] = []
    blamed = None
    for f in frames:
        rule = ignore.rule_for(f)
        ff = FilteredFrame(f, normalize_function_name(f.function), rule.group if rule else None)
        if ff.ignored_by is None and blamed is None:
            blamed = len(out)
        out.append(ff)
    if blamed is None:
        # Nothing survived: a frame of a blame_when_alone group (the harness) is blamed.
        for i, ff in enumerate(out):
            rule = ignore.rule_for(ff.frame)
            if rule and rule.blame_when_alone and ff.normalized:
                blamed = i
                break
    return out, blamed


# ---- symbol_name.cpp ----------------------------------------------------------------------------

_RUST_HASH = re.compile(r"::h[0-9a-fA-F]{16}$")


def _strip_rust_hash(s: str) -> str:
    return _RUST_HASH.sub("", s) if len(s) >= 19 else s


def _operator_at(s: str, pos: int) -> bool:
    return s.startswith("operator", pos) and (pos == 0 or not (s[pos - 1].isalnum() or s[pos - 1] == "_"))


_LEGACY_ESCAPES = (("$SP$", "@"), ("$BP$", "*"), ("$RF$", "&"), ("$LT$", "<"), ("$GT$", ">"), ("$LP$", "("),
                   ("$RP$", ")"), ("$C$", ","))
_CODE_POINT = re.compile(r"\$u([0-9a-fA-F]{1,6})\$")


def _decode_rust_legacy_escapes(s: str) -> str:
    """Rust's legacy mangling escapes LLDB leaves in inlined frames' names ("_$LT$usize$u20$as$u20$...")."""
    if "$" not in s and ".." not in s:
        return s
    out = ""
    i = 0
    while i < len(s):
        if s[i] == "_" and s.startswith("$", i + 1) and (i == 0 or out.endswith("::")):
            i += 1
            continue
        if s[i] == "$":
            hit = next(((e, c) for e, c in _LEGACY_ESCAPES if s.startswith(e, i)), None)
            if hit:
                out += hit[1]
                i += len(hit[0])
                continue
            m = _CODE_POINT.match(s, i)
            if m and 0 < int(m.group(1), 16) < 0x80:
                out += chr(int(m.group(1), 16))
                i = m.end()
                continue
        if s.startswith("..", i):
            out += "::"
            i += 2
            continue
        out += s[i]
        i += 1
    return out


def _starts_qualified_self(s: str, pos: int) -> bool:
    if not (pos == 0 or s.startswith("::", pos - 2)):
        return False
    if s.startswith("impl ", pos + 1):
        return True
    depth = 0
    for i in range(pos, len(s)):
        if s[i] == "<":
            depth += 1
        elif s[i] == ">":
            depth -= 1
            if depth == 0:
                return False
        elif depth == 1 and s.startswith(" as ", i):
            return True
    return False


def _strip_brackets(s: str) -> str:
    """Drops everything inside <...> and (...), keeping operator names and (anonymous namespace)."""
    out = []
    angle = paren = 0
    qualified = False
    i = 0
    while i < len(s):
        if angle == 0 and paren == 0 and _operator_at(s, i):
            j = i + 8
            while j < len(s) and s[j] == " ":
                j += 1
            end = j
            if s.startswith("()", j) or s.startswith("[]", j):
                end = j + 2
            else:
                while end < len(s) and s[end] in "<>=!+-*/%^&|~,":
                    end += 1
                if end == j:
                    while end < len(s) and s[end] not in "(<":
                        end += 1
            out.append(s[i:end])
            i = end
            continue
        if angle == 0 and paren == 0 and s.startswith("(anonymous namespace)", i):
            out.append("(anonymous namespace)")
            i += 21
            continue
        c = s[i]
        if c == "<" and angle == 0 and paren == 0 and _starts_qualified_self(s, i):
            qualified = True
            out.append(c)
            angle += 1
        elif c == "<":
            angle += 1
        elif c == ">" and angle > 0:
            angle -= 1
            if angle == 0 and qualified:
                out.append(c)
                qualified = False
        elif qualified and angle == 1 and paren == 0:
            out.append(c)
        elif c == "(" and angle == 0:
            paren += 1
        elif c == ")" and angle == 0 and paren > 0:
            paren -= 1
        elif angle == 0 and paren == 0:
            out.append(c)
        i += 1
    return "".join(out)


def _name_start(s: str) -> int:
    """After the last space before an operator keyword, outside "(anonymous namespace)": the return type
    function templates demangle with goes."""
    end = next((i for i in range(len(s)) if _operator_at(s, i)), len(s))
    start = 0
    angle = 0
    i = 0
    while i < end:
        if s.startswith("(anonymous namespace)", i):
            i += 21
            continue
        if s[i] == "<":
            angle += 1
        elif s[i] == ">" and angle > 0:
            angle -= 1
        elif s[i] == " " and angle == 0:
            start = i + 1
        i += 1
    return start


def normalize_function_name(name: str) -> str:
    s = _decode_rust_legacy_escapes(name or "")
    s = _strip_rust_hash(s)
    s = _strip_brackets(s)
    for q in (" const", " volatile", " &&", " &", " noexcept"):
        while s.endswith(q):
            s = s[: -len(q)]
    s = s[_name_start(s):]
    s = _strip_rust_hash(s)
    while s.startswith("::"):
        s = s[2:]
    while s.endswith("::"):
        s = s[:-2]
    return s.rstrip(" ")


__all__ = ["Frame", "IgnoreList", "IgnoreRule", "FilteredFrame", "SchemaError", "any_match", "filter_frames",
           "load_ignore_list", "normalize_function_name", "parse_ignore_list"]
