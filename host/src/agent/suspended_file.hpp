// The apps this agent suspended, kept in `<state_dir>/suspended.json` so that an agent that
// restarts (a crash, an upgrade, a new login of the user unit) still knows them: an app stopped
// with SIGSTOP must never be left stopped with nobody to offer Resume. Each entry names its
// process by pid and start time, so that a pid the kernel has since given to another process is
// never resumed.
#pragma once

#include "agent/resume_queue.hpp"
#include "common/expected.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace lmharvest::agent {

using KeptSuspensions = std::vector<std::pair<SuspendedApp, ResumeState>>;

class SuspendedFile {
public:
    /// `<state_dir>/suspended.json`.
    explicit SuspendedFile(const std::filesystem::path& state_dir);
    /// Replaces the file's content (written beside it, then renamed: never half written).
    Expected<void> save(const KeptSuspensions& apps) const;
    /// What was saved, oldest first; no file is none. A file that does not parse is an error
    /// naming the field (the agent logs it and starts with none).
    Expected<KeptSuspensions> load() const;
    const std::filesystem::path& path() const { return file_; }

private:
    std::filesystem::path file_;
};

/// The start time of `pid` (field 22 of /proc/PID/stat); nullopt when it is gone or unreadable.
std::optional<uint64_t> process_start_ticks(int64_t pid);

/// Whether the process the agent suspended still runs: its pid, with the start time it had
/// then (the kernel reuses pids). An app whose start was not known is taken by its pid.
bool same_process_runs(const SuspendedApp& app);

} // namespace lmharvest::agent
