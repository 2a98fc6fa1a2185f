"""Test helper loaded into lldb after triage_lldb.py: `triage-test-paste` finds the device roots from the
selected frame as triage-dump does, selects the frame of the first one and runs `frame variable PATH`
(`target variable` for a global) on every register path it printed, one `PASTE <path> -> <output>` line
each, so a test can check that the paths paste and decode to the same text."""

import lldb

import triage_lldb
import walker


def paste(debugger, command, exe_ctx, result, internal_dict):
    try:
        target = debugger.GetSelectedTarget()
        thread = target.GetProcess().GetSelectedThread()
        start = thread.GetSelectedFrame().GetFrameID()
        roots = walker.find_roots(target, thread, start, [], triage_lldb._walker(), debugger=debugger,
                                  skip_module=triage_lldb._runtime_module)
        if not roots:
            result.AppendMessage("PASTE none")
            return
        root = roots[0]
        verb = "target" if root.frame_index is None else "frame"
        frame = thread.GetFrameAtIndex(root.frame_index if root.frame_index is not None else start)
        # The frame the root was found in, as after `frame select N` (inside a command, selecting a
        # frame does not change the context later HandleCommand calls run in).
        context = lldb.SBExecutionContext(frame)
        lines = []
        for _, reg in walker.collect_registers(root.value):
            out = lldb.SBCommandReturnObject()
            debugger.GetCommandInterpreter().HandleCommand(f"{verb} variable {reg.lldb_path}", context, out)
            text = (out.GetOutput() or "") + (out.GetError() or "")
            lines.append(f"PASTE {reg.lldb_path} -> {' '.join(text.split())}")
        result.AppendMessage("\n".join(lines))
    except Exception as e:
        result.SetError(f"triage-test-paste: {type(e).__name__}: {e}")


def __lldb_init_module(debugger, internal_dict):
    debugger.HandleCommand(f"command script add -o -f {__name__}.paste triage-test-paste")
