"""Raw SBValue access for the walker: the lldb expression path of a value and a raw-member view.

Mirrors triage/core/expression_path.cpp and triage/debugger/sb_value_view.cpp: raw members only
(GetNonSyntheticValue), scalars as numbers (never a byte as a character), registers as raw bits.
"""

from __future__ import annotations

import lldb

from wrappers import PathStep


# ---- expression paths (triage/core/expression_path.cpp) ----------------------------------------------


class ExprPath:
    def __init__(self, text: str = "", is_deref: bool = False):
        self.text = text
        self.is_deref = is_deref  # text is "*p": the next member access is written p->name

    def member(self, name: str) -> "ExprPath":
        if self.is_deref:
            return ExprPath(self.text[1:] + "->" + name)
        return ExprPath(name if not self.text else self.text + "." + name)

    def element(self, index: int) -> "ExprPath":
        return ExprPath((f"({self.text})" if self.is_deref else self.text) + f"[{index}]")

    def dereferenced(self) -> "ExprPath":
        return ExprPath("*" + (f"({self.text})" if self.is_deref else self.text), True)


# ---- one raw value (triage/debugger/sb_value_view.cpp) -----------------------------------------------

_SIGNED = {lldb.eBasicTypeSignedChar, lldb.eBasicTypeChar, lldb.eBasicTypeShort, lldb.eBasicTypeInt,
           lldb.eBasicTypeLong, lldb.eBasicTypeLongLong, lldb.eBasicTypeInt128, lldb.eBasicTypeSignedWChar}
_FLOAT = {lldb.eBasicTypeFloat, lldb.eBasicTypeDouble, lldb.eBasicTypeLongDouble, lldb.eBasicTypeHalf}


def raw_value(v: lldb.SBValue) -> lldb.SBValue:
    if v is not None and v.IsValid():
        nv = v.GetNonSyntheticValue()
        if nv.IsValid():
            return nv
    return v


class View:
    def __init__(self, value: lldb.SBValue, path: ExprPath, base_class: bool = False):
        self.v = raw_value(value)
        self.path = path
        self.base_class = base_class

    def name(self) -> str:
        return self.v.GetName() or ""

    def type_name(self) -> str:
        return self.v.GetTypeName() or ""

    def match_names(self) -> list[str]:
        """The type name, then its canonical name when that differs: a typedef such as libstdc++'s
        `std::__shared_ptr<T>::element_type` would otherwise hide `T` from the schema and rule globs."""
        name = self.type_name()
        canonical = self.v.GetType().GetCanonicalType().GetName() or ""
        return [name] if not canonical or canonical == name else [name, canonical]

    def expression_path(self) -> str:
        return self.path.text

    def is_pointer(self) -> bool:
        t = self.v.GetType()
        return t.IsPointerType() or t.IsReferenceType()

    def is_array(self) -> bool:
        return self.v.GetType().GetCanonicalType().IsArrayType()

    def is_scalar(self) -> bool:
        t = self.v.GetType().GetCanonicalType()
        tc = t.GetTypeClass()
        if tc in (lldb.eTypeClassBuiltin, lldb.eTypeClassEnumeration):
            return True
        if tc == lldb.eTypeClassPointer:
            p = t.GetPointeeType().GetCanonicalType()
            return p.GetBasicType() == lldb.eBasicTypeVoid or p.GetTypeClass() == lldb.eTypeClassFunction
        return False

    def num_children(self) -> int:
        return self.v.GetNumChildren()

    def child_at(self, index: int) -> "View | None":
        c = self.v.GetChildAtIndex(index)
        if not c.IsValid():
            return None
        array = self.is_array()
        base = False
        if not array:
            t = self.v.GetType().GetCanonicalType()
            ct = c.GetType().GetCanonicalType().GetName()
            base = any(t.GetDirectBaseClassAtIndex(b).GetType().GetCanonicalType().GetName() == ct
                       for b in range(t.GetNumberOfDirectBaseClasses()))
            base = base or any(t.GetVirtualBaseClassAtIndex(b).GetType().GetCanonicalType().GetName() == ct
                               for b in range(t.GetNumberOfVirtualBaseClasses()))
        if base:
            p = self.path
        elif array:
            p = self.path.element(index)
        else:
            p = self.path.member(c.GetName() or "")
        return View(c, p, base)

    def member(self, name: str) -> "View | None":
        c = self.v.GetChildMemberWithName(name)
        return View(c, self.path.member(name)) if c.IsValid() else None

    def dereference(self) -> "View | None":
        d = self.v.Dereference()
        if not d.IsValid() or d.GetError().Fail():
            return None
        return View(d, self.path.dereferenced())

    def pointer_element(self, index: int, owner: "View | None" = None, template_arg: int | None = None):
        if template_arg is not None:
            if owner is None:
                return None
            elem = owner.v.GetType().GetCanonicalType().GetTemplateArgumentType(template_arg)
            if not elem.IsValid() or elem.GetByteSize() == 0:
                return None
            addr = self.v.GetValueAsUnsigned(0) + index * elem.GetByteSize()
            e = self.v.CreateValueFromAddress(f"[{index}]", addr, elem)
            return View(e, self.path.element(index)) if e.IsValid() else None
        c = self.v.GetChildAtIndex(index, lldb.eNoDynamicValues, True)
        return View(c, self.path.element(index)) if c.IsValid() else None

    def as_template_arg(self, index: int) -> "View | None":
        t = self.v.GetType().GetCanonicalType().GetTemplateArgumentType(index)
        addr = self.v.GetLoadAddress()
        if not t.IsValid() or addr == lldb.LLDB_INVALID_ADDRESS:
            return None
        v = self.v.CreateValueFromAddress(self.v.GetName() or "", addr, t)
        return View(v, self.path) if v.IsValid() else None

    def unsigned_value(self) -> int | None:
        err = lldb.SBError()
        value = self.v.GetValueAsUnsigned(err, 0)
        return None if err.Fail() else value

    def raw_bits(self, width_bits: int) -> int | None:
        """The first `width_bits` bits of the value's bytes, little endian."""
        data = self.v.GetData()
        if not data.IsValid():
            return None
        count = min(width_bits // 8, data.GetByteSize())
        if count == 0:
            return None
        value = 0
        for i in range(count):
            err = lldb.SBError()
            b = data.GetUnsignedInt8(err, i)
            if err.Fail():
                return None
            value |= b << (8 * i)
        return value

    def scalar_text(self) -> str:
        t = self.v.GetType().GetCanonicalType()
        tc = t.GetTypeClass()
        if tc == lldb.eTypeClassEnumeration:
            return self.v.GetValue() or "?"
        if tc in (lldb.eTypeClassPointer, lldb.eTypeClassReference):
            return f"{self.v.GetValueAsUnsigned(0):#x}"
        basic = t.GetBasicType()
        if basic == lldb.eBasicTypeBool:
            return "true" if self.v.GetValueAsUnsigned(0) else "false"
        if basic in _FLOAT:
            return self.v.GetValue() or "?"
        err = lldb.SBError()
        if basic in _SIGNED:
            value = self.v.GetValueAsSigned(err, 0)
            return "?" if err.Fail() else str(value)
        value = self.v.GetValueAsUnsigned(err, 0)
        if err.Fail():
            return self.v.GetValue() or "?"
        # Never a character: bytes print as numbers, larger values also in hex.
        return f"{value} ({value:#x})" if value > 9 else str(value)

    def address(self) -> int:
        a = self.v.GetLoadAddress()
        return 0 if a == lldb.LLDB_INVALID_ADDRESS else a

    def error(self) -> str:
        if not self.v.IsValid():
            return "invalid value"
        e = self.v.GetError()
        return (e.GetCString() or "unreadable") if e.Fail() else ""


def follow_path(value: View, path: list[PathStep]) -> View | None:
    at = value
    for step in path:
        if step.kind == "member":
            at = at.member(step.name)
        elif step.kind == "child":
            at = at.child_at(step.index) if step.index < at.num_children() else None
        else:
            at = at.dereference()
        if at is None:
            return None
    return at
