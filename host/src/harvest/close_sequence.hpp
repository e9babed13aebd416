// One close, step by step (DESIGN §4, issue 12): a command to the agent of the session's app
// (save_and_close, suspend, notify), its answer within agent_timeout, the release through the
// adapter (one retry when the server says "too soon"). Each step is an audit row as it happens.
// The confirmation (the next polls no longer show the session) is CloseSequences' part.
#pragma once

#include "config/config.hpp"
#include "harvest/agent_mailbox.hpp"
#include "plugins/adapter_instance.hpp"
#include "store/store.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace lmharvest {

/// How a close goes for the session's apps: the app whose handler does the method (its agent
/// gets the command), whether the license is released, or why nothing is done.
struct CloseRoute {
    std::optional<AppActivity> app; ///< nullopt: no agent command
    bool release = false;
    std::string skip_reason; ///< set: nothing is done ("no handler for save_and_close")
};

/// `apps` are the session's matching apps (apps_of_session()). release needs no app; the other
/// methods need an app whose handler lists the method, else `on_no_handler` decides (skip:
/// nothing; release: release only). notify releases nothing.
CloseRoute route_close(const std::string& method, OnNoHandler on_no_handler,
                       const std::vector<AppActivity>& apps);

/// What one sequence works on: the plan decision (the session and the figures at that time).
struct CloseJob {
    int64_t action_id = 0; ///< the audit row the steps belong to
    PlanEntry entry;       ///< method in entry.method
    CloseRoute route;
};

/// What a sequence needs of the host, as functions: the harvester knows no adapter, no HTTP.
struct CloseSequenceEnv {
    Store& store;
    AgentMailbox& mailbox;
    /// Releases the session's license through its server's live adapter instance.
    std::function<CloseResult(int64_t session_id)> release;
    std::chrono::milliseconds agent_timeout{std::chrono::minutes(2)};
    /// Waits `delay` (a "too soon" retry); false when the service stops meanwhile.
    std::function<bool(std::chrono::milliseconds delay)> wait;
    std::function<int64_t()> clock;
};

struct SequenceEnd {
    bool released = false; ///< the license was released: the confirmation comes next
    std::string outcome;   ///< the last step's outcome: released, agent_timeout, notified, ...
};

/// Runs the steps of `job` on the caller's thread; every step is appended to the action.
SequenceEnd run_close_sequence(const CloseJob& job, const CloseSequenceEnv& env);

/// Appends one step with the job's figures and logs it.
void record_step(Store& store, const CloseJob& job, int64_t time, const std::string& step,
                 const std::string& outcome, const std::string& message);

/// "idle 47 min, MATLAB 10 of 10 in use": why the agent is asked.
std::string close_reason_text(const PlanEntry& entry);

} // namespace lmharvest
