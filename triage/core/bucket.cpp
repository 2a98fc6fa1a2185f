#include "triage/core/bucket.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "triage/core/json_value.hpp"

namespace triage::core {
namespace {

constexpr size_t k_record_backtrace_frames = 32;

size_t lcs_length(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<size_t> prev(b.size() + 1, 0);
  std::vector<size_t> cur(b.size() + 1, 0);
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] = a[i - 1] == b[j - 1] ? prev[j - 1] + 1 : std::max(prev[j], cur[j - 1]);
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

size_t edit_distance(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<size_t> prev(b.size() + 1);
  std::vector<size_t> cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) {
    prev[j] = j;
  }
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

int severity_rank(Severity s) {
  switch (s) {
    case Severity::exploitable:
      return 0;
    case Severity::probably_exploitable:
      return 1;
    case Severity::not_exploitable:
      return 2;
  }
  return 2;
}

}  // namespace

nlohmann::json frames_to_json(const std::vector<RecordFrame>& frames) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& f : frames) {
    out.push_back({{"function", f.function}, {"file", f.file}, {"line", f.line}, {"module", f.module},
                   {"ignored_by", f.ignored_by.empty() ? nlohmann::json(nullptr) : nlohmann::json(f.ignored_by)}});
  }
  return out;
}

TriageRecord record_from_report(const Report& report, const std::string& target) {
  TriageRecord r;
  r.artifact = report.artifact.path;
  r.target = target;
  r.sha1 = report.artifact.sha1;
  r.size = report.artifact.size;
  r.result = report.result;
  r.error = report.error;
  if (report.result != ResultKind::crash) {
    return r;
  }
  r.crashing_runs = 1;
  r.kind = report.classification.kind_id;
  r.severity = report.severity;
  r.message = report.classification.message;
  if (report.blamed) {
    r.blamed_function = report.blamed->normalized;
    r.blamed_file = report.blamed->frame.file;
    r.blamed_line = report.blamed->frame.line;
  }
  r.signature = report.signature.id;
  r.signature_frames = report.signature.frames;
  for (const auto& f : report.stack.frames) {
    if (r.backtrace.size() == k_record_backtrace_frames) {
      break;
    }
    std::string line = f.normalized.empty() ? f.frame.function : f.normalized;
    if (!f.frame.file.empty()) {
      line += fmt::format("  {}:{}", f.frame.file, f.frame.line);
    } else if (!f.frame.module.empty()) {
      line += fmt::format("  ({})", f.frame.module);
    }
    if (f.ignored) {
      line += fmt::format("  [ignored: {}]", f.ignored_by);
    }
    r.backtrace.push_back(std::move(line));
    r.frames.push_back({f.normalized.empty() ? f.frame.function : f.normalized, f.frame.file, f.frame.line,
                        f.frame.module, f.ignored ? f.ignored_by : ""});
  }
  for (const auto& d : report.devices) {
    for (const auto& reg : d.registers) {
      r.state_facts.push_back(fmt::format("{}: {} = {}", d.name, reg.name, reg.decoded.text));
    }
  }
  if (!report.sanitizer_region.empty()) {
    r.evidence.push_back(report.sanitizer_region);
  }
  for (const auto& st : report.sanitizer_stacks) {
    if (st.stack.blamed) {
      const auto& f = st.stack.frames[*st.stack.blamed];
      r.evidence.push_back(fmt::format("{}: {}{}", st.title, f.normalized,
                                       f.frame.file.empty() ? "" : fmt::format("  {}:{}", f.frame.file, f.frame.line)));
    }
  }
  if (report.action) {
    r.action = describe_action(*report.action);
  }
  r.state_values = state_values_of(report);
  return r;
}

nlohmann::json record_to_json(const TriageRecord& r) {
  return {{"artifact", r.artifact}, {"target", r.target}, {"sha1", r.sha1}, {"size", r.size},
          {"result", to_string(r.result)}, {"kind", r.kind}, {"severity", to_string(r.severity)},
          {"message", r.message}, {"blamed_function", r.blamed_function}, {"blamed_file", r.blamed_file},
          {"blamed_line", r.blamed_line}, {"signature", r.signature}, {"signature_frames", r.signature_frames},
          {"backtrace", r.backtrace}, {"frames", frames_to_json(r.frames)}, {"state_facts", r.state_facts}, {"evidence", r.evidence}, {"action", r.action}, {"state_values", state_values_to_json(r.state_values)},
          {"error", r.error}, {"runs", r.runs}, {"crashing_runs", r.crashing_runs}, {"flaky", r.flaky},
          {"minimized_from", r.minimized_from}};
}

TriageRecord record_from_json(const nlohmann::json& j, const std::string& seen_at) {
  TriageRecord r;
  r.artifact = j.value("artifact", "");
  r.target = j.value("target", "");
  r.sha1 = j.value("sha1", "");
  r.size = json_member_or<uint64_t>(j, "size", 0);
  const std::string result = j.value("result", "error");
  r.result = result == "crash" ? ResultKind::crash : (result == "no-repro" ? ResultKind::no_repro : ResultKind::error);
  r.kind = j.value("kind", "");
  r.severity = severity_from_string(j.value("severity", ""));
  r.message = j.value("message", "");
  r.blamed_function = j.value("blamed_function", "");
  r.blamed_file = j.value("blamed_file", "");
  r.blamed_line = json_member_or<uint32_t>(j, "blamed_line", 0);
  r.signature = j.value("signature", "");
  r.signature_frames = j.value("signature_frames", std::vector<std::string>{});
  r.backtrace = j.value("backtrace", std::vector<std::string>{});
  if (j.contains("frames") && j["frames"].is_array()) {
    for (const auto& f : j["frames"]) {
      if (f.is_object()) {
        r.frames.push_back({f.value("function", ""), f.value("file", ""), json_member_or<uint32_t>(f, "line", 0),
                            f.value("module", ""), json_member_or<std::string>(f, "ignored_by", "")});
      }
    }
  }
  r.state_facts = j.value("state_facts", std::vector<std::string>{});
  r.evidence = j.value("evidence", std::vector<std::string>{});
  r.action = j.value("action", "");
  if (j.contains("state_values")) {
    r.state_values = state_values_from_json(j["state_values"]);
  } else {
    for (const auto& fact : r.state_facts) {
      if (auto v = parse_state_fact(fact)) {
        r.state_values.push_back(std::move(*v));
      }
    }
  }
  r.error = j.value("error", "");
  // Records from before --retries: one run, which crashed when the result is a crash.
  r.runs = json_member_or<uint32_t>(j, "runs", 1);
  r.crashing_runs = json_member_or<uint32_t>(j, "crashing_runs", r.result == ResultKind::crash ? 1u : 0u);
  r.flaky = j.value("flaky", false);
  r.minimized_from = j.value("minimized_from", "");
  r.seen_at = seen_at;
  return r;
}

double frame_similarity(const std::vector<std::string>& a, const std::vector<std::string>& b, std::string* reason) {
  if (a.empty() || b.empty()) {
    return 0;
  }
  const size_t common = lcs_length(a, b);
  const double edit_ratio =
      1.0 - static_cast<double>(edit_distance(a, b)) / static_cast<double>(std::max(a.size(), b.size()));
  if (common >= 2) {
    if (reason != nullptr) {
      *reason = fmt::format("{} common frames", common);
    }
    return std::max(edit_ratio, static_cast<double>(common) / static_cast<double>(std::max(a.size(), b.size())));
  }
  if (edit_ratio > 0.8) {
    if (reason != nullptr) {
      *reason = fmt::format("frame edit similarity {:.2f}", edit_ratio);
    }
    return edit_ratio;
  }
  return 0;
}

bool same_crash_site(const Bucket& a, const Bucket& b) {
  return a.kind == b.kind && !a.blamed_function.empty() && a.blamed_function == b.blamed_function &&
         !a.blamed_location.empty() && a.blamed_location == b.blamed_location;
}

std::string flaky_note(uint32_t crashing_runs, uint32_t runs) {
  return fmt::format("flaky: reproduced {} of {} runs", crashing_runs, runs);
}

std::string bucket_key(const TriageRecord& r, const BucketOptions& options) {
  if (r.result != ResultKind::crash || r.signature.empty()) {
    return "";
  }
  const std::string label = state_key_label(r.state_values, options.key_state);
  return label.empty() ? r.signature : r.signature + "@" + label;
}

std::vector<Bucket> make_buckets(const std::vector<TriageRecord>& records, const BucketOptions& options) {
  std::map<std::string, std::vector<const TriageRecord*>> members;
  for (const auto& r : records) {
    if (const std::string key = bucket_key(r, options); !key.empty()) {
      members[key].push_back(&r);
    }
  }
  std::vector<Bucket> out;
  for (auto& [key, all] : members) {
    // A minimized input (triage minimize --store) is the bucket's representative but no member: the
    // counts are the campaign's artifacts. A bucket whose artifacts no longer crash there is gone,
    // its minimized input with it.
    std::vector<const TriageRecord*> recs, minimized;
    for (const auto* r : all) {
      (r->minimized_from.empty() ? recs : minimized).push_back(r);
    }
    if (recs.empty()) {
      continue;
    }
    const auto smallest = [](const TriageRecord* x, const TriageRecord* y) {
      return x->size != y->size ? x->size < y->size : x->artifact < y->artifact;
    };
    std::sort(recs.begin(), recs.end(), smallest);
    std::sort(minimized.begin(), minimized.end(), smallest);
    const TriageRecord& rep = minimized.empty() ? *recs.front() : *minimized.front();
    Bucket b;
    b.id = key;
    b.signature = rep.signature;
    b.state_label = key.size() > rep.signature.size() ? key.substr(rep.signature.size() + 1) : "";
    b.kind = rep.kind;
    b.severity = rep.severity;
    b.message = rep.message;
    b.blamed_function = rep.blamed_function;
    b.blamed_location = rep.blamed_file.empty() ? "" : fmt::format("{}:{}", rep.blamed_file, rep.blamed_line);
    b.blamed_file = rep.blamed_file;
    b.blamed_line = rep.blamed_line;
    b.frames = rep.signature_frames;
    b.backtrace = rep.backtrace;
    b.backtrace_frames = rep.frames;
    b.count = recs.size();
    b.representative = rep.artifact;
    b.representative_size = rep.size;
    b.representative_sha1 = rep.sha1;
    if (!minimized.empty()) {
      b.minimized_from = recs.front()->artifact;
      b.minimized_from_size = recs.front()->size;
    }
    b.state_facts = rep.state_facts;
    b.evidence = rep.evidence;
    b.action = rep.action;
    for (const auto* r : recs) {
      b.targets.insert(r->target);
      b.artifacts.push_back(r->artifact);
      b.members.push_back({r->artifact, r->target, r->size, r->sha1});
      if (r->flaky) {
        b.flaky.push_back({r->artifact, r->crashing_runs, r->runs});
      }
      if (!r->seen_at.empty()) {
        if (b.first_seen.empty() || r->seen_at < b.first_seen) {
          b.first_seen = r->seen_at;
        }
        if (r->seen_at > b.last_seen) {
          b.last_seen = r->seen_at;
        }
      }
    }
    out.push_back(std::move(b));
  }
  for (auto& b : out) {
    for (const auto& other : out) {
      if (other.id == b.id) {
        continue;
      }
      std::string reason;
      if (other.signature == b.signature) {
        // Split apart by --key-state only.
        b.similar.push_back({other.id, 1.0, "same signature, other device state"});
        continue;
      }
      // Frames alone pair different bugs of one device (every I/O path shares its dispatch frames):
      // a hint needs the same kind at the same crash site (blamed function and line), reached
      // through other callers.
      if (!same_crash_site(b, other)) {
        continue;
      }
      const double score = std::max(frame_similarity(b.frames, other.frames, &reason), 0.5);
      b.similar.push_back({other.id, score, "same kind and crash site, other callers"});
    }
  }
  std::sort(out.begin(), out.end(), [](const Bucket& x, const Bucket& y) {
    if (severity_rank(x.severity) != severity_rank(y.severity)) {
      return severity_rank(x.severity) < severity_rank(y.severity);
    }
    return x.count != y.count ? x.count > y.count : x.id < y.id;
  });
  return out;
}

}  // namespace triage::core
