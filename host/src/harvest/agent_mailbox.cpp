#include "harvest/agent_mailbox.hpp"

namespace lmharvest {

int64_t AgentMailbox::post(AgentCommand command) {
    std::lock_guard lock(mutex_);
    command.id = next_id_++;
    const int64_t id = command.id;
    entries_[id].command = std::move(command);
    changed_.notify_all();
    return id;
}

std::vector<AgentCommand> AgentMailbox::take(const std::string& agent,
                                             std::chrono::milliseconds wait) {
    std::unique_lock lock(mutex_);
    std::vector<AgentCommand> due;
    changed_.wait_for(lock, wait, [&] {
        for (auto& [id, entry] : entries_)
            if (!entry.taken && entry.command.agent == agent) {
                entry.taken = true;
                due.push_back(entry.command);
            }
        return stopping_ || !due.empty();
    });
    return due;
}

Expected<bool> AgentMailbox::answer(const std::string& agent, AgentResult result) {
    std::lock_guard lock(mutex_);
    const auto found = entries_.find(result.command);
    if (found == entries_.end() || !found->second.taken || found->second.command.agent != agent)
        return unexpected("command: " + std::to_string(result.command) +
                          " is not a command handed to agent " + agent);
    if (found->second.result)
        return unexpected("command: " + std::to_string(result.command) + " is already answered");
    found->second.result = std::move(result);
    changed_.notify_all();
    return true;
}

std::optional<AgentResult> AgentMailbox::wait_result(int64_t command,
                                                     std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, timeout, [&] {
        const auto found = entries_.find(command);
        return stopping_ || (found != entries_.end() && found->second.result);
    });
    const auto found = entries_.find(command);
    if (found == entries_.end() || !found->second.result)
        return std::nullopt;
    return found->second.result;
}

void AgentMailbox::shutdown() {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    changed_.notify_all();
}

} // namespace lmharvest
