// The apps this agent suspended and where each stands on the way back (issue 14): suspended
// (its pop-up offers Resume), waiting (the user asked and no license was free: the host is
// asked again at each report), offered (a license was free at a report and the user was told
// so, with Resume). Plain data, no clock and no I/O: the Resumer does the asking and telling.
#pragma once

#include "protocol/agent_messages.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace lmharvest::agent {

struct SuspendedApp {
    int64_t pid = 0;
    std::string app; // "matlab"
    std::vector<std::string> features;
    int64_t command = 0;      // the suspend command's id; 0: none known
    uint64_t start_ticks = 0; // its start (process/proc_stat.hpp): with the pid, one process
    bool operator==(const SuspendedApp&) const = default;
};

enum class ResumeState { suspended, waiting, offered };

class ResumeQueue {
public:
    /// A newly suspended app (again suspended: starts over).
    void add(SuspendedApp app);
    std::optional<SuspendedApp> find(int64_t pid) const;
    std::optional<ResumeState> state(int64_t pid) const;
    /// Resumed (or given up): forgotten.
    void remove(int64_t pid);
    /// The user (or the host) asked and no license was free: asked about at each report.
    void wait(int64_t pid);
    /// The user was told a license is free; not asked about again unless a click finds none.
    void offer(int64_t pid);
    /// The apps to ask the host about at a report: the waiting ones, oldest first.
    std::vector<SuspendedApp> to_ask() const;
    /// The oldest suspended app (in any state) that uses `feature`.
    std::optional<SuspendedApp> using_feature(const std::string& feature) const;
    /// Forgets the apps whose process has ended (`runs` false) and returns them.
    std::vector<SuspendedApp> drop_ended(const std::function<bool(const SuspendedApp&)>& runs);
    /// Every app with its state, oldest first (what the agent keeps across a restart).
    std::vector<std::pair<SuspendedApp, ResumeState>> entries() const;

private:
    struct Entry {
        SuspendedApp app;
        ResumeState state = ResumeState::suspended;
        int64_t order = 0; // when it was suspended, as a count
    };
    std::vector<const Entry*> oldest_first() const;
    std::map<int64_t, Entry> entries_; // by pid
    int64_t next_order_ = 0;
};

/// The features of `wanted` that have no free license in the host's `answer` (a feature the
/// answer lacks, or no server lists, counts as none free).
std::vector<std::string> features_without_license(const LicensesAnswer& answer,
                                                  const std::vector<std::string>& wanted);

/// "MATLAB", "MATLAB and Signal_Toolbox", "A, B and C".
std::string feature_list(const std::vector<std::string>& features);

} // namespace lmharvest::agent
