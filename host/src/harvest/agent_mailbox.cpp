#include "harvest/agent_mailbox.hpp"

#include <string>
#include <utility>

namespace lmharvest {

AgentMailbox::AgentMailbox(std::chrono::milliseconds keep_for) : keep_for_(keep_for) {}

int64_t AgentMailbox::post(AgentCommand command) {
    int64_t id = 0;
    {
        const std::lock_guard lock(mutex_);
        const auto now = Clock::now();
        forget_old(now);
        id = ++last_id_;
        command.id = id;
        records_.emplace(id, Record{std::move(command), now, false, std::nullopt});
    }
    changed_.notify_all();
    return id;
}

std::vector<AgentCommand> AgentMailbox::take(const std::string& agent,
                                             std::chrono::milliseconds wait) {
    std::unique_lock lock(mutex_);
    std::vector<AgentCommand> due;
    const auto collect = [&] {
        for (auto& [id, record] : records_) {
            if (!record.handed_out && record.command.agent == agent) {
                record.handed_out = true;
                due.push_back(record.command);
            }
        }
        return !due.empty() || stopping_;
    };
    changed_.wait_for(lock, wait, collect);
    return due;
}

Expected<void> AgentMailbox::answer(const std::string& agent, AgentResult result) {
    {
        const std::lock_guard lock(mutex_);
        const auto found = records_.find(result.command);
        const std::string name = "command " + std::to_string(result.command);
        if (found == records_.end())
            return unexpected(name + " is unknown (never posted, or forgotten)");
        Record& record = found->second;
        if (record.command.agent != agent)
            return unexpected(name + " is not for agent " + agent);
        if (!record.handed_out)
            return unexpected(name + " was not handed out yet");
        if (record.result)
            return unexpected(name + " is already answered");
        record.result = std::move(result);
    }
    changed_.notify_all();
    return {};
}

std::optional<AgentResult> AgentMailbox::wait_result(int64_t command,
                                                     std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    const auto answered = [&] {
        const auto found = records_.find(command);
        return found == records_.end() || found->second.result.has_value() || stopping_;
    };
    changed_.wait_for(lock, timeout, answered);
    const auto found = records_.find(command);
    if (found == records_.end())
        return std::nullopt;
    return found->second.result;
}

void AgentMailbox::shutdown() {
    {
        const std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    changed_.notify_all();
}

void AgentMailbox::forget_old(Clock::time_point now) {
    while (!records_.empty() && now - records_.begin()->second.posted > keep_for_)
        records_.erase(records_.begin());
}

} // namespace lmharvest
