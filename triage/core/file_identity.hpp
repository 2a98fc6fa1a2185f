#pragma once
// Which build of a file this is, without reading it: device, inode, size and modification time.
// Changes when the file is rebuilt or replaced; used to drop warm state that describes an old build.
#include <string>

namespace triage::core {

/// "dev:ino:size:mtime_ns"; empty when the file cannot be stat'ed.
std::string file_identity(const std::string& path);

}  // namespace triage::core
