// Commands for workstation agents and their answers (DESIGN §4a), in memory: a restart loses
// the commands in flight, and their close sequences end as agent_timeout (nothing released).
#pragma once

#include "common/expected.hpp"
#include "store/store_records.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace lmharvest {

struct AgentCommand {  // DESIGN §4a, GET /api/v1/agents/{agent}/commands
    int64_t id = 0;    // assigned by post(), increasing, never reused in a process
    std::string agent; // "<host>:<uid>"
    std::string kind;  // save_and_close | suspend | resume | notify
    std::string app;   // "matlab"
    int64_t pid = 0;
    std::vector<std::string> features;
    std::vector<int64_t> session_ids;
    std::string reason; // "idle 47 min, MATLAB 10 of 10 in use"
    int64_t deadline_s = 120;
    std::string text; // for notify: what the pop-up says
};

struct AgentResult { // POST /api/v1/agents/{agent}/results
    int64_t command = 0;
    std::string outcome; // saved_and_closed | suspended | resumed | notified | failed | app_gone
                         // | refused
    std::vector<ClosedProject> projects; // user/host filled by the host
    std::string message;
};

class AgentMailbox {
public:
    /// Queues a command for command.agent and wakes its long poll; returns the id.
    int64_t post(AgentCommand command);
    /// The agent's due commands, each handed out once; waits up to `wait` while there is none
    /// (returns empty then). Also wakes at shutdown().
    std::vector<AgentCommand> take(const std::string& agent, std::chrono::milliseconds wait);
    /// Records the answer to a command handed to `agent`; an error (text names the problem)
    /// when the command is unknown, another agent's, or already answered.
    Expected<bool> answer(const std::string& agent, AgentResult result);
    /// Waits up to `timeout` for the command's answer; nullopt: none came (agent_timeout).
    std::optional<AgentResult> wait_result(int64_t command, std::chrono::milliseconds timeout);
    /// Ends every wait at once (service stop).
    void shutdown();

private:
    struct Entry {
        AgentCommand command;
        bool taken = false;
        std::optional<AgentResult> result;
    };
    std::mutex mutex_; // guards everything below
    std::condition_variable changed_;
    int64_t next_id_ = 1;
    std::map<int64_t, Entry> entries_;
    bool stopping_ = false;
};

} // namespace lmharvest
