"""Wrapper rules (triage/data/wrappers.toml): how to see through shared_ptr, unique_ptr, optional,
variant, CloseableMutex, Arc, Mutex, Option ... down to the value they hold.

A Python mirror of triage/core/wrapper_rules.cpp (parsing, member paths, candidate lookup). Pure Python,
no lldb import; walker.py applies the rules to SBValues.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from schemas import (SchemaError, array_of_tables, bare_type_name, check_keys, check_schema_version, data_dir,
                     glob_match, optional_string, parse_toml, read_text_file, required_string, string_list)

STRATEGIES = ("path", "leaf", "libstdcxx-variant", "libstdcxx-vector", "rust-enum", "rust-vec", "data-len")
VECTOR_STRATEGIES = ("libstdcxx-vector", "rust-vec", "data-len")


@dataclass(frozen=True)
class PathStep:
    """A member name, a child index (`@N`, e.g. a base class) or a dereference (`->`, `*`)."""
    kind: str  # "member" | "child" | "deref"
    name: str = ""
    index: int = 0


def parse_member_path(text: str) -> list[PathStep]:
    """'ptr.pointer->data', '_M_t._M_t.@0.@1._M_head_impl', '*p'."""
    out: list[PathStep] = []
    i = 0
    while i < len(text):
        if text[i] == ".":
            i += 1
        elif text.startswith("->", i):
            out.append(PathStep("deref"))
            i += 2
        elif text[i] == "*":
            out.append(PathStep("deref"))
            i += 1
        elif text[i] == "@":
            j = i + 1
            while j < len(text) and text[j].isdigit():
                j += 1
            if j == i + 1:
                raise SchemaError(f'bad member path "{text}": \'@\' must be followed by a child index')
            out.append(PathStep("child", index=int(text[i + 1:j])))
            i = j
        else:
            j = i
            while j < len(text) and text[j] not in ".@*" and not text.startswith("->", j):
                j += 1
            out.append(PathStep("member", text[i:j]))
            i = j
    if not out:
        raise SchemaError(f'bad member path "{text}": empty')
    return out


@dataclass
class WrapperRule:
    name: str
    types: list[str]
    strategy: str = "path"
    language: str = ""
    inner: list[PathStep] = field(default_factory=list)
    present: list[PathStep] = field(default_factory=list)
    data: list[PathStep] = field(default_factory=list)
    end: list[PathStep] = field(default_factory=list)
    len: list[PathStep] = field(default_factory=list)
    start: list[PathStep] = field(default_factory=list)
    capacity: list[PathStep] = field(default_factory=list)
    facts: list[tuple[str, list[PathStep]]] = field(default_factory=list)


def _path_key(t: dict, key: str, where: str) -> list[PathStep]:
    text = optional_string(t, key)
    if not text:
        return []
    try:
        return parse_member_path(text)
    except SchemaError as e:
        raise SchemaError(f"{where}: '{key}': {e}") from None


def parse_wrapper_rules(text: str, origin: str) -> list[WrapperRule]:
    root = parse_toml(text, origin)
    check_keys(root, ("schema_version", "wrapper", "action"), origin)  # [[action]]: read by the tool only
    check_schema_version(root, 1, origin)
    rules: list[WrapperRule] = []
    for t in array_of_tables(root, "wrapper", origin):
        check_keys(t, ("name", "language", "types", "strategy", "inner", "present", "data", "end", "len", "start", "capacity", "facts",
                       "description"), f"{origin}: wrapper")
        name = required_string(t, "name", f"{origin}: wrapper")
        where = f"{origin}: wrapper '{name}'"
        rule = WrapperRule(name, string_list(t, "types", where), language=optional_string(t, "language"))
        if not rule.types:
            raise SchemaError(f"{where}: 'types' must list at least one type pattern")
        strategy = optional_string(t, "strategy")
        if strategy and strategy not in STRATEGIES:
            raise SchemaError(f"{where}: unknown strategy '{strategy}'")
        rule.strategy = strategy or "path"
        rule.inner = _path_key(t, "inner", where)
        rule.present = _path_key(t, "present", where)
        rule.data = _path_key(t, "data", where)
        rule.end = _path_key(t, "end", where)
        rule.len = _path_key(t, "len", where)
        rule.start = _path_key(t, "start", where)
        rule.capacity = _path_key(t, "capacity", where)
        if rule.strategy == "path" and not rule.inner:
            raise SchemaError(f"{where}: strategy 'path' needs 'inner'")
        if ((rule.strategy == "libstdcxx-vector" and (not rule.data or not rule.end))
                or (rule.strategy in ("rust-vec", "data-len") and (not rule.data or not rule.len))):
            raise SchemaError(f"{where}: vector strategies need 'data' and 'end' or 'len'")
        facts = t.get("facts")
        if facts is not None:
            if not isinstance(facts, dict) or not all(isinstance(v, str) for v in facts.values()):
                raise SchemaError(f"{where}: 'facts' must be a table of name = \"path\"")
            # toml++ tables iterate in key order; keep the C++ tool's order.
            for k in sorted(facts):
                try:
                    rule.facts.append((k, parse_member_path(facts[k])))
                except SchemaError as e:
                    raise SchemaError(f"{where}: fact '{k}': {e}") from None
        rules.append(rule)
    return rules


def load_wrapper_rules(path: str) -> list[WrapperRule]:
    return parse_wrapper_rules(read_text_file(path), path)


class WrapperRules:
    """Rules in priority order: files loaded by the user go in front of the shipped ones."""

    def __init__(self, rules: list[WrapperRule] | None = None):
        self.rules = list(rules or [])

    def prepend(self, more: list[WrapperRule]) -> None:
        self.rules[:0] = more

    def candidates(self, type_name: str) -> list[WrapperRule]:
        bare = bare_type_name(type_name)
        return [r for r in self.rules if any(glob_match(p, bare) for p in r.types)]


def default_wrapper_file() -> str:
    return os.path.join(data_dir(), "wrappers.toml")


# Types that get an lldb synthetic child provider and summary (`frame variable` shows the payload). The
# rust-enum rule matches every type ("*") structurally, so only Option is bound to it by name here.
RUST_OPTION_PATTERN = "core::option::Option<*>"


def synthetic_type_patterns(rules: list[WrapperRule]) -> list[str]:
    out: list[str] = []
    for r in rules:
        if r.strategy in ("path", "libstdcxx-variant"):
            out.extend(p for p in r.types if p != "*" and p not in out)
    if RUST_OPTION_PATTERN not in out:
        out.append(RUST_OPTION_PATTERN)
    return out
