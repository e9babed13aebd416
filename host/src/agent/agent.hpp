// `lmharvest agent`: every report interval it lists the user's processes, asks each handler
// which are its apps, and reports them with their features, idle figures and methods (DESIGN
// §4a); a second thread long-polls the host's commands and carries them out: save_and_close
// through the app's handler, suspend/resume by SIGSTOP/SIGCONT of the app's process tree,
// notify. Every result goes back to the host. Nothing is closed on a guess: a handler that fails
// or times out leaves the app running, and the result says why.
#pragma once

#include "agent/activity_source.hpp"
#include "agent/agent_client.hpp"
#include "agent/agent_config.hpp"
#include "agent/ended_apps.hpp"
#include "agent/handler_instance.hpp"
#include "agent/recent_projects.hpp"
#include "agent/resumer.hpp"
#include "agent/user_message.hpp"

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <set>

namespace lmharvest::agent {

/// The handlers of `config`, loaded and created; every problem, one per handler.
Expected<std::vector<std::unique_ptr<HandlerInstance>>, std::vector<std::string>>
create_handlers(const AgentConfig& config);

class Agent {
public:
    /// `clicks`: whether `tell`'s pop-ups take clicks now (a notification service), so that a
    /// suspended app waits for the user's Resume instead of coming back by itself.
    Agent(
        AgentConfig config, std::string token,
        std::vector<std::unique_ptr<HandlerInstance>> handlers,
        std::unique_ptr<ActivitySource> activity, Tell tell,
        TakesClicks clicks = [] { return false; });
    /// Reports and answers commands until `stop` turns true (checked at least every second).
    void run(const std::atomic<bool>& stop);
    /// A click on Resume for the suspended app `pid`.
    void resume_clicked(int64_t pid);

private:
    struct SeenApp {
        ReportedApp app;
        HandlerInstance* handler = nullptr;
    };
    void report_once();
    void poll_commands(const std::atomic<bool>& stop);
    ResultMessage execute(const AgentCommand& command);
    ResultMessage save_and_close(const AgentCommand& command, const SeenApp& seen);
    ResultMessage suspend(const AgentCommand& command, const SeenApp& seen);
    /// A notify: a "license free" notice offers to resume or reopen what used the feature.
    ResultMessage notify(const AgentCommand& command);

    AgentConfig config_;
    AgentClient reports_; // one connection per thread
    AgentClient commands_;
    std::vector<std::unique_ptr<HandlerInstance>> handlers_;
    std::unique_ptr<ActivitySource> activity_;
    Tell tell_;
    RecentProjects recent_;
    std::string agent_id_, host_, user_, display_;
    std::unique_ptr<Resumer> resumer_;
    std::mutex mutex_;                             // guards what both threads read:
    std::map<int64_t, SeenApp> apps_;              // by pid, of the last report
    std::map<std::string, RecentProject> reopens_; // by feature: the latest saved, reopenable
    int64_t configured_every_s_;
    std::atomic<int64_t> report_every_s_;
    std::atomic<bool> reported_ = false; // once the host has taken a report
    // A report and a result are posted one at a time, so that a report listed before a save
    // and posted after its result cannot bring the closed app back (ended_apps.hpp).
    std::mutex posting_;
    EndedApps ended_; // guarded by posting_
};

} // namespace lmharvest::agent
