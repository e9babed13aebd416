// The projects the agent saved before closing an app, newest first, kept in the state folder as
// JSON lines (one project a line) so that `lmharvest agent recent` and `agent reopen N` work
// while the agent runs and after it restarts. Bounded: the oldest lines go first.
#pragma once

#include "common/expected.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace lmharvest::agent {

struct RecentProject {
    std::string handler; ///< which handler reopens it
    std::string app;     ///< "MATLAB R2024b"
    std::string path;
    int64_t saved_time = 0; ///< epoch seconds
    std::string why;        ///< the host's reason
};

inline constexpr std::size_t max_recent_projects = 100;

class RecentProjects {
public:
    /// `<state_dir>/recent.jsonl`.
    explicit RecentProjects(const std::filesystem::path& state_dir);
    /// Adds `projects` as the newest; keeps at most max_recent_projects.
    Expected<void> add(const std::vector<RecentProject>& projects) const;
    /// Newest first; lines that do not parse are skipped (a torn write loses one line only).
    std::vector<RecentProject> list() const;

private:
    std::filesystem::path file_;
};

} // namespace lmharvest::agent
