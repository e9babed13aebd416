// What the agent tells the user, as desktop pop-ups where there is a notification service (a
// saved project's pop-up has Reopen: a click reopens it through its handler; a suspended app's
// has Resume: a click asks the agent to resume it), else in the log.
#pragma once

#include "agent/agent.hpp"
#include "agent/desktop/notifier.hpp"

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

namespace lmharvest::agent {

class PopUps {
public:
    /// Connects to the session bus's notification service; without one, messages go to the log.
    explicit PopUps(AgentConfig config);
    ~PopUps();
    PopUps(const PopUps&) = delete;
    PopUps& operator=(const PopUps&) = delete;

    void tell(const Message& message);
    /// Whether pop-ups take clicks (a notification service answered at start).
    bool takes_clicks() const { return notifier_ != nullptr; }
    /// What a click on a pop-up's Resume does (Agent::resume_clicked); set before any tell.
    void on_resume(std::function<void(int64_t)> resume);

private:
    void wait_for_clicks();
    void clicked(uint32_t id, const std::string& key);

    AgentConfig config_; // to load the handler that reopens
    std::unique_ptr<Notifier> notifier_;
    std::mutex mutex_;
    std::map<uint32_t, RecentProject> reopens_; // by notification id
    std::map<uint32_t, int64_t> resumes_;       // by notification id: the suspended pid
    std::function<void(int64_t)> resume_;
    std::atomic<bool> stopping_ = false;
    std::thread waiting_;
};

} // namespace lmharvest::agent
