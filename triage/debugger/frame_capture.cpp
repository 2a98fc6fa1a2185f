#include "triage/debugger/frame_capture.hpp"

#include <fmt/format.h>

#include <cxxabi.h>

#include <cstdlib>

#include <lldb/API/SBAddress.h>
#include <lldb/API/SBBlock.h>
#include <lldb/API/SBFileSpec.h>
#include <lldb/API/SBFrame.h>
#include <lldb/API/SBFunction.h>
#include <lldb/API/SBLineEntry.h>
#include <lldb/API/SBModule.h>
#include <lldb/API/SBStream.h>
#include <lldb/API/SBStructuredData.h>
#include <lldb/API/SBSymbol.h>
#include <lldb/API/SBSymbolContext.h>
#include <lldb/API/SBUnixSignals.h>
#include <lldb/API/SBValue.h>
#include <nlohmann/json.hpp>

#include "triage/core/text_match.hpp"

namespace triage::debugger {
namespace {

std::string file_path(const lldb::SBFileSpec& spec) {
  if (!spec.IsValid()) {
    return {};
  }
  const char* dir = spec.GetDirectory();
  const char* name = spec.GetFilename();
  if (name == nullptr) {
    return {};
  }
  return (dir != nullptr && *dir != '\0') ? std::string(dir) + "/" + name : std::string(name);
}

std::string nonempty(const char* a, const char* b = nullptr, const char* c = nullptr) {
  for (const char* s : {a, b, c}) {
    if (s != nullptr && *s != '\0') {
      return s;
    }
  }
  return {};
}

std::string demangle(const std::string& mangled) {
  int status = 0;
  char* out = abi::__cxa_demangle(mangled.c_str(), nullptr, nullptr, &status);
  if (status != 0 || out == nullptr) {
    return mangled;
  }
  std::string s(out);
  std::free(out);
  return s;
}

}  // namespace

std::vector<core::Frame> capture_frames(lldb::SBThread& thread, uint32_t max_frames, bool* truncated) {
  std::vector<core::Frame> frames;
  uint32_t i = 0;
  for (; i < max_frames; ++i) {
    lldb::SBFrame f = thread.GetFrameAtIndex(i);
    if (!f.IsValid()) {
      break;
    }
    core::Frame out;
    out.function = nonempty(f.GetDisplayFunctionName(), f.GetFunctionName(), f.GetSymbol().GetName());
    out.module = nonempty(f.GetModule().GetFileSpec().GetFilename());
    if (out.function.starts_with("___lldb_unnamed_symbol") && !out.module.empty()) {
      // A local symbol the module's .symtab no longer has (Debian's libc: __libc_start_call_main):
      // LLDB's made-up name means nothing to a reader; the module and offset are what ASan prints too.
      // (Looking the name up in /usr/lib/debug, symbols.enable-external-lookup, costs 0.3 s a run.)
      out.function = fmt::format("{}+{:#x}", out.module, f.GetPCAddress().GetFileAddress());
    }
    const auto le = f.GetLineEntry();
    if (le.IsValid()) {
      out.file = file_path(le.GetFileSpec());
      out.line = le.GetLine();
      out.column = le.GetColumn();
    }
    out.inlined = f.IsInlined();
    out.pc = f.GetPC();
    frames.push_back(std::move(out));
  }
  if (truncated != nullptr) {
    *truncated = i == max_frames && thread.GetFrameAtIndex(i).IsValid();
  }
  return frames;
}

std::vector<core::ThreadSnapshot> capture_threads(lldb::SBProcess& process, uint32_t max_frames) {
  std::vector<core::ThreadSnapshot> threads;
  for (uint32_t i = 0; i < process.GetNumThreads(); ++i) {
    lldb::SBThread t = process.GetThreadAtIndex(i);
    core::ThreadSnapshot ts;
    ts.id = t.GetThreadID();
    ts.name = nonempty(t.GetName());
    char desc[256] = {};
    t.GetStopDescription(desc, sizeof desc);
    ts.stop_reason = desc;
    ts.frames = capture_frames(t, max_frames, &ts.truncated);
    threads.push_back(std::move(ts));
  }
  return threads;
}

SignalInfo read_signal(lldb::SBProcess& process, lldb::SBThread& thread) {
  SignalInfo info;
  info.signo = static_cast<int>(thread.GetStopReasonDataAtIndex(0));
  const char* name = process.GetUnixSignals().GetSignalAsCString(info.signo);
  info.name = name != nullptr ? name : "signal " + std::to_string(info.signo);
  // siginfo_t._sifields._sigfault.si_addr, when the platform gives us siginfo.
  lldb::SBValue siginfo = thread.GetSiginfo();
  if (siginfo.IsValid()) {
    lldb::SBValue addr = siginfo.GetValueForExpressionPath("._sifields._sigfault.si_addr");
    if (addr.IsValid() && !addr.GetError().Fail()) {
      info.fault_address = addr.GetValueAsUnsigned(0);
    }
  }
  if (!info.fault_address) {
    char desc[256] = {};
    thread.GetStopDescription(desc, sizeof desc);
    static const core::Pattern re(R"(fault address: (0x[0-9a-fA-F]+))");
    core::Groups m;
    if (re.search(desc, m)) {
      info.fault_address = std::strtoull(m.str(1).c_str(), nullptr, 16);
    }
  }
  return info;
}

std::optional<core::SanitizerReport> read_instrumentation_report(lldb::SBThread& thread) {
  lldb::SBStream stream;
  if (!thread.GetStopReasonExtendedInfoAsJSON(stream) || stream.GetData() == nullptr) {
    return std::nullopt;
  }
  const auto j = nlohmann::json::parse(stream.GetData(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return std::nullopt;
  }
  core::SanitizerReport r;
  r.tool = j.value("instrumentation_class", "");
  r.description = j.value("description", "");
  if (j.contains("issue_type") && r.description.empty()) {
    r.description = j.value("issue_type", "");
  }
  if (j.contains("address") && j["address"].is_number()) {
    r.address = j["address"].get<uint64_t>();
  }
  if (j.contains("access_size") && j["access_size"].is_number()) {
    r.access_size = j["access_size"].get<uint64_t>();
  }
  if (j.contains("access_type") && j["access_type"].is_number()) {
    r.is_write = j["access_type"].get<int>() != 0;
  }
  r.fatal = r.tool != "UndefinedBehaviorSanitizer";
  return r;
}

std::string read_thrown_type(lldb::SBProcess& process, lldb::SBThread& thread) {
  // __cxa_throw(void* object, std::type_info* tinfo, void (*dest)(void*)): tinfo in rsi (SysV x86-64).
  lldb::SBFrame frame = thread.GetFrameAtIndex(0);
  lldb::SBValue rsi = frame.FindRegister("rsi");
  if (!rsi.IsValid()) {
    return {};
  }
  const uint64_t tinfo = rsi.GetValueAsUnsigned(0);
  if (tinfo == 0) {
    return {};
  }
  lldb::SBError err;
  // std::type_info layout: vtable pointer, then const char* __name.
  const uint64_t name_ptr = process.ReadPointerFromMemory(tinfo + sizeof(void*), err);
  if (err.Fail() || name_ptr == 0) {
    return {};
  }
  char buf[256] = {};
  process.ReadCStringFromMemory(name_ptr, buf, sizeof buf, err);
  if (err.Fail()) {
    return {};
  }
  std::string mangled(buf);
  if (!mangled.empty() && mangled[0] == '*') {
    mangled.erase(0, 1);  // local-linkage marker
  }
  return demangle(mangled);
}

std::vector<core::Frame> symbolize_report_frames(lldb::SBTarget& target, const std::vector<core::ReportFrame>& frames) {
  std::vector<core::Frame> out;
  for (const auto& rf : frames) {
    core::Frame f;
    f.pc = rf.pc;
    if (!rf.function.empty()) {
      f.function = rf.function;
      f.file = rf.location.file;
      f.line = rf.location.line;
      f.column = rf.location.column;
      out.push_back(std::move(f));
      continue;
    }
    const auto slash = rf.module.rfind('/');
    f.module = slash == std::string::npos ? rf.module : rf.module.substr(slash + 1);
    lldb::SBModule module = target.FindModule(lldb::SBFileSpec(rf.module.c_str(), false));
    if (!module.IsValid()) {
      // Same file name, other directory (the native run may see a different path).
      for (uint32_t i = 0; i < target.GetNumModules(); ++i) {
        lldb::SBModule m = target.GetModuleAtIndex(i);
        const char* name = m.GetFileSpec().GetFilename();
        if (name != nullptr && f.module == name) {
          module = m;
          break;
        }
      }
    }
    if (module.IsValid()) {
      lldb::SBAddress addr = module.ResolveFileAddress(rf.module_offset);
      lldb::SBSymbolContext sc = addr.GetSymbolContext(lldb::eSymbolContextEverything);
      lldb::SBBlock inlined = sc.GetBlock().GetContainingInlinedBlock();
      f.function = nonempty(inlined.IsValid() ? inlined.GetInlinedName() : nullptr, sc.GetFunction().GetDisplayName(),
                            sc.GetSymbol().GetName());
      const auto le = sc.GetLineEntry();
      if (le.IsValid()) {
        f.file = file_path(le.GetFileSpec());
        f.line = le.GetLine();
        f.column = le.GetColumn();
      }
      f.inlined = inlined.IsValid();
    }
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace triage::debugger
