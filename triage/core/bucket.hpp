#pragma once
// Buckets: one per root cause. Results are grouped by their versioned signature (the fuzz target is
// not part of the key, so one bug found by two harnesses is one bucket), optionally split further by
// device-state values (`--key-state`); each bucket's representative is its smallest artifact. Similar
// buckets are pointed out, never merged.
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "triage/core/crash_kind.hpp"
#include "triage/core/report.hpp"
#include "triage/core/state_key.hpp"

namespace triage::core {

/// One frame of a record's backtrace, structured (the display line is `backtrace`).
struct RecordFrame {
  std::string function;  ///< normalized
  std::string file;
  uint32_t line = 0;
  std::string module;
  std::string ignored_by;  ///< the ignore group, empty when the frame survives
};

/// What bulk mode keeps of one triaged artifact (one row of the store's results).
struct TriageRecord {
  std::string artifact;  ///< path
  std::string target;
  std::string sha1;
  uint64_t size = 0;
  ResultKind result = ResultKind::no_repro;
  std::string kind;
  Severity severity = Severity::not_exploitable;
  std::string message;
  std::string blamed_function;
  std::string blamed_file;
  uint32_t blamed_line = 0;
  std::string signature;
  std::vector<std::string> signature_frames;
  std::vector<std::string> backtrace;    ///< "fn  file:line", "fn  (module)  [ignored: libc]"; at most 32 frames
  std::vector<RecordFrame> frames;       ///< the same frames, structured
  std::vector<std::string> state_facts;  ///< decoded registers, "ide: channels[0]...status = 0x58 [DRQ|DSC|DRDY]"
  /// The sanitizer report beyond its headline: "0x.. is located 4 bytes inside of 16-byte region [..)",
  /// "freed by thread T0 here: acc::free_it  a.cpp:56"
  std::vector<std::string> evidence;
  std::string action;  ///< the fuzz action being run: "#7 Write { port_index: 3, ... }"
  std::vector<StateValue> state_values;  ///< the same registers and their fields, for --key-state
  std::string error;
  std::string seen_at;  ///< ISO time the result was recorded
  uint32_t runs = 1;           ///< runs spent on the artifact (more than 1 with --retries)
  uint32_t crashing_runs = 0;  ///< of those, the runs that crashed
  bool flaky = false;          ///< crashed, but only on a retry after a run that did not
  /// Set for an input `triage minimize --store` made: the artifact it was minimized from. Such a
  /// record represents its bucket but is not one of its members.
  std::string minimized_from;
};

TriageRecord record_from_report(const Report& report, const std::string& target);
/// [{function, file, line, module, ignored_by}] (buckets.json's backtrace_frames, the store's records).
nlohmann::json frames_to_json(const std::vector<RecordFrame>& frames);
nlohmann::json record_to_json(const TriageRecord& record);
TriageRecord record_from_json(const nlohmann::json& json, const std::string& seen_at);

/// A member artifact of a bucket.
struct BucketMember {
  std::string path;
  std::string target;
  uint64_t size = 0;
  std::string sha1;
};

struct SimilarBucket {
  std::string bucket;
  double score = 0;
  std::string reason;  ///< "3 common frames", "frame edit similarity 0.86"
};

/// An artifact of a bucket that crashed only on a retry.
struct FlakyArtifact {
  std::string artifact;
  uint32_t crashing_runs = 0;
  uint32_t runs = 0;
};

/// A bucket on a new build against the build before (build_compare.hpp).
enum class BucketStatus { new_bucket, still_crashing, fixed, changed, flaky };

struct Bucket {
  std::string id;         ///< the bucket key: the signature id, then "@" and the state label if any
  std::string signature;  ///< the signature id alone
  std::string state_label;  ///< "status=0x58" with --key-state, else empty
  std::string kind;
  Severity severity = Severity::not_exploitable;
  std::string message;
  std::string blamed_function;
  std::string blamed_location;  ///< "file:line", empty when unknown
  std::string blamed_file;
  uint32_t blamed_line = 0;
  std::vector<std::string> frames;     ///< the signature's frames
  std::vector<std::string> backtrace;  ///< of the representative
  std::vector<RecordFrame> backtrace_frames;  ///< of the representative, structured
  size_t count = 0;
  std::set<std::string> targets;
  std::string representative;
  uint64_t representative_size = 0;
  std::string representative_sha1;
  /// With a minimized input: the representative is it, minimized from this member (and its size).
  std::string minimized_from;
  uint64_t minimized_from_size = 0;
  std::vector<std::string> state_facts;  ///< of the representative
  std::vector<std::string> evidence;     ///< of the representative (TriageRecord::evidence)
  std::string action;                    ///< of the representative (TriageRecord::action)
  std::vector<std::string> artifacts;    ///< smallest first
  std::vector<BucketMember> members;     ///< the same artifacts with their target, size and sha1
  std::vector<FlakyArtifact> flaky;      ///< the members that crashed only on a retry, smallest first
  std::string first_seen;
  std::string last_seen;
  std::vector<SimilarBucket> similar;
  std::string binary;             ///< the representative's fuzz binary (from the store; empty when unknown)
  std::string lldb_command_file;  ///< the representative's lldb command file (emit/lldb_script.hpp), if stored
  std::optional<BucketStatus> status;  ///< set when the store holds a build before this one
  bool is_new = false;                 ///< not in the store before this run (or new on this build)
};

struct BucketOptions {
  /// --key-state: registers or fields whose values split a signature's bucket (see state_key.hpp).
  std::vector<std::string> key_state;
};

/// The bucket a record lands in: its signature, then "@<state label>" with --key-state; empty for a
/// record that is no crash.
std::string bucket_key(const TriageRecord& record, const BucketOptions& options = {});

/// Groups crash records into buckets (severity, then count, descending). Non-crash records are ignored.
std::vector<Bucket> make_buckets(const std::vector<TriageRecord>& records, const BucketOptions& options = {});

/// Two buckets that crash with the same kind in the same blamed function at the same line: the same
/// bug reached through other callers ("possibly the same bug as"). Shared frames alone are no evidence:
/// the bugs of one device share their dispatch frames.
bool same_crash_site(const Bucket& a, const Bucket& b);

/// "flaky: reproduced 1 of 3 runs"
std::string flaky_note(uint32_t crashing_runs, uint32_t runs);

/// Similarity of two normalized frame lists, ClusterFuzz's rule: similar when they share a longest
/// common subsequence of at least 2 frames, or when the edit-distance similarity of the frame lists
/// is above 0.8. Returns the score in [0, 1] and fills `reason` when similar (score 0 otherwise).
double frame_similarity(const std::vector<std::string>& a, const std::vector<std::string>& b, std::string* reason);

}  // namespace triage::core
