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

    def ignored_by(self, frame: Frame) -> str | None:
        normalized = normalize_function_name(frame.function)
        for rule in self.rules:
            if (any_match(rule.functions, normalized) or any_match(rule.modules, frame.module)
                    or any_match(rule.files, frame.file)):
                return rule.group
        return None


def parse_ignore_list(text: str, origin: str) -> IgnoreList:
    root = parse_toml(text, origin)
    check_keys(root, ("schema_version", "ignore"), origin)
    check_schema_version(root, 1, origin)
    out = IgnoreList()
    for t in array_of_tables(root, "ignore", origin):
        where = f"{origin}: ignore group"
        check_keys(t, ("group", "functions", "modules", "files", "description"), where)
        out.rules.append(IgnoreRule(required_string(t, "group", where), string_list(t, "functions", where),
                                    string_list(t, "modules", where), string_list(t, "files", where)))
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
        ff = FilteredFrame(f, normalize_function_name(f.function), ignore.ignored_by(f))
        if ff.ignored_by is None and blamed is None:
            blamed = len(out)
        out.append(ff)
    return out, blamed


# ---- symbol_name.cpp ----------------------------------------------------------------------------

_RUST_HASH = re.compile(r"::h[0-9a-fA-F]{16}$")


def _strip_rust_hash(s: str) -> str:
    return _RUST_HASH.sub("", s) if len(s) >= 19 else s


def _operator_at(s: str, pos: int) -> bool:
    return s.startswith("operator", pos) and (pos == 0 or not (s[pos - 1].isalnum() or s[pos - 1] == "_"))


def _strip_brackets(s: str) -> str:
    """Drops everything inside <...> and (...), keeping operator names and (anonymous namespace)."""
    out = []
    angle = paren = 0
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
        if c == "<":
            angle += 1
        elif c == ">" and angle > 0:
            angle -= 1
        elif c == "(" and angle == 0:
            paren += 1
        elif c == ")" and angle == 0 and paren > 0:
            paren -= 1
        elif angle == 0 and paren == 0:
            out.append(c)
        i += 1
    return "".join(out)


def normalize_function_name(name: str) -> str:
    s = name or ""
    for a, b in (("$LT$", "<"), ("$GT$", ">"), ("$u20$", " "), ("$C$", ","), ("..", "::")):
        s = s.replace(a, b)
    s = _strip_rust_hash(s)
    s = _strip_brackets(s)
    for q in (" const", " volatile", " &&", " &", " noexcept"):
        while s.endswith(q):
            s = s[: -len(q)]
    sp = s.rfind(" ")
    if sp != -1 and "operator" not in s and "(anonymous namespace)" not in s:
        s = s[sp + 1:]
    s = _strip_rust_hash(s)
    while s.startswith("::"):
        s = s[2:]
    return s.rstrip(" ")


__all__ = ["Frame", "IgnoreList", "IgnoreRule", "FilteredFrame", "SchemaError", "any_match", "filter_frames",
           "load_ignore_list", "normalize_function_name", "parse_ignore_list"]
