#pragma once
// Checks of user-supplied files before anything is launched: one clear error each.
#include <cstdint>
#include <string>

#include "triage/core/error.hpp"
#include "triage/core/snapshot.hpp"

namespace triage::cli {

inline constexpr uint64_t k_default_max_artifact_bytes = 64ull * 1024 * 1024;

/// The binary exists, is a readable regular file and an ELF executable.
core::Result<void> check_binary(const std::string& path);
/// The artifact exists, is readable, non-empty and not larger than `max_bytes`; returns size and sha1.
core::Result<core::ArtifactInfo> check_artifact(const std::string& path, uint64_t max_bytes);

/// Both checks, binary first, for the commands that run one artifact.
core::Result<core::ArtifactInfo> check_binary_and_artifact(const std::string& binary, const std::string& artifact,
                                                           uint64_t max_bytes = k_default_max_artifact_bytes);

}  // namespace triage::cli
