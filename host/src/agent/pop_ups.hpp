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
    /// Connects to the session bus's notification service; without one, messages go to the log
    /// and each later tell() or takes_clicks() tries again (the agent may start before the
    /// desktop's notification daemon, and its pop-ups must not be lost for the whole session).
    explicit PopUps(AgentConfig config);
    ~PopUps();
    PopUps(const PopUps&) = delete;
    PopUps& operator=(const PopUps&) = delete;

    void tell(const Message& message);
    /// Whether pop-ups take clicks: a notification service answered, at start or since.
    bool takes_clicks();
    /// What a click on a pop-up's Resume does (Agent::resume_clicked); set before any tell.
    void on_resume(std::function<void(int64_t)> resume);

private:
    /// With mutex_ held: notifier_ is set (connecting now if it was not), and its thread runs.
    bool connected_locked();
    void wait_for_clicks();
    void clicked(uint32_t id, const std::string& key);

    AgentConfig config_;                 // to load the handler that reopens
    std::unique_ptr<Notifier> notifier_; // set once, never replaced: the thread reads it
    std::string last_error_;             // logged when it changes, not at every try
    std::mutex mutex_;
    std::map<uint32_t, RecentProject> reopens_; // by notification id
    std::map<uint32_t, int64_t> resumes_;       // by notification id: the suspended pid
    std::function<void(int64_t)> resume_;
    std::atomic<bool> stopping_ = false;
    std::thread waiting_;
};

} // namespace lmharvest::agent
