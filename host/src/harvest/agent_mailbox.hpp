// Commands from the host to workstation agents and their answers (DESIGN §4a), in memory: a
// restart loses commands in flight, so their close sequences end as agent_timeout, which is safe
// (nothing is released on a silent agent).
#pragma once

#include "common/expected.hpp"
#include "protocol/agent_messages.hpp"
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

struct AgentResult { // POST /api/v1/agents/{agent}/results
    int64_t command = 0;
    // saved_and_closed | suspended | resumed | notified | failed | app_gone | refused
    std::string outcome;
    std::vector<ClosedProject> projects; // user/host filled by the host
    std::string message;
};

class AgentMailbox {
public:
    /// Records older than `keep_for` are forgotten at the next post(), answered or not, so an
    /// agent that never polls cannot grow the mailbox without end. Longer than any deadline.
    explicit AgentMailbox(std::chrono::milliseconds keep_for = std::chrono::hours(1));

    /// Queues a command for command.agent and wakes its long poll; returns the id.
    int64_t post(AgentCommand command);
    /// The agent's due commands, each handed out once; waits up to `wait` while there is none
    /// (returns empty then). Also wakes at shutdown().
    std::vector<AgentCommand> take(const std::string& agent, std::chrono::milliseconds wait);
    /// Records the answer to a command handed to `agent`; an error (text names the problem)
    /// when the command is unknown, another agent's, or already answered.
    Expected<void> answer(const std::string& agent, AgentResult result);
    /// Waits up to `timeout` for the command's answer; nullopt: none came (agent_timeout).
    std::optional<AgentResult> wait_result(int64_t command, std::chrono::milliseconds timeout);
    /// Ends every wait at once (service stop).
    void shutdown();

private:
    using Clock = std::chrono::steady_clock;
    struct Record {
        AgentCommand command;
        Clock::time_point posted;
        bool handed_out = false;
        std::optional<AgentResult> result;
    };
    void forget_old(Clock::time_point now);

    const std::chrono::milliseconds keep_for_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::map<int64_t, Record> records_; // by id, so oldest first
    int64_t last_id_ = 0;
    bool stopping_ = false;
};

} // namespace lmharvest
