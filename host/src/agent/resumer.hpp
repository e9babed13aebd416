// Suspend → release → Resume (issue 14): a suspended app comes back only when the host says a
// license of its features is free (GET /api/v1/agents/{agent}/licenses), or it would take the
// license straight back from whoever got it. A click on Resume (or the host's resume) asks;
// none free: the user is told and the app is queued; at each report the host is asked again
// for the queued apps, and when one is free the user is told so, with Resume. A resume the
// user started goes back to the host as a result without a command (DESIGN §4a).
#pragma once

#include "agent/agent_client.hpp"
#include "agent/resume_queue.hpp"
#include "agent/suspended_file.hpp"
#include "agent/user_message.hpp"

#include <mutex>

namespace lmharvest::agent {

class Resumer {
public:
    /// `clicks`: whether the user can click a pop-up's action now; without (no notification
    /// service), a queued app is resumed at the first report that finds a license free.
    /// The queue is kept in `<state_dir>/suspended.json`: the apps an earlier run of the agent
    /// suspended and that still run (same pid, same start) are queued again, waiting for a
    /// license, and the user is told; the others are dropped from it.
    Resumer(const ClientSettings& settings, std::string agent_id, Tell tell, TakesClicks clicks,
            const std::filesystem::path& state_dir);

    /// The app was stopped by `command`: the user is told, with Resume.
    void suspended(const AgentCommand& command, const std::string& app);
    /// The user asked (a click on Resume).
    void user_asks(int64_t pid);
    /// The host's resume command; the result answers it.
    ResultMessage host_asks(const AgentCommand& command);
    /// At each report: asks the host about the queued apps; tells of those whose license is
    /// free now (with Resume), or resumes them without clicks.
    void at_report();
    /// The suspended app that uses `feature`, if any: a "license free" notice offers to resume it.
    std::optional<int64_t> suspended_using(const std::string& feature) const;

private:
    /// The features of `app` without a free license now; an error when the host cannot say.
    Expected<std::vector<std::string>> short_of(const SuspendedApp& app);
    /// SIGCONT, the pop-up, and (without a command) the result to the host.
    Expected<void> resume(const SuspendedApp& app, int64_t command, const std::string& why);
    void tell_queued(const SuspendedApp& app, const Expected<std::vector<std::string>>& short_of);
    void restore();
    /// With mutex_ held: the file follows the queue (written only when it changed).
    void keep_locked();
    /// Declared after the lock: at every return the file follows the queue, lock still held.
    struct KeepOnReturn {
        Resumer& resumer;
        ~KeepOnReturn() { resumer.keep_locked(); }
    };

    AgentClient client_;
    std::string agent_id_;
    Tell tell_;
    TakesClicks clicks_;
    mutable std::mutex mutex_; // guards queue_ and client_; one resume at a time
    ResumeQueue queue_;
    SuspendedFile file_;
    KeptSuspensions kept_; // what the file holds, as last written or read
};

} // namespace lmharvest::agent
