// The running host: the store, the loaded plugins, one adapter instance per server, and the
// realtime loop that polls them and writes each poll to the store.
#pragma once

#include "harvest/planner.hpp"
#include "poll/poll_scheduler.hpp"
#include "service/host_assembly.hpp"
#include "service/session_close.hpp"
#include "store/store.hpp"

#include <atomic>
#include <memory>
#include <string>
#include <vector>

namespace lmharvest {

class Service {
public:
    /// Opens the store, loads the plugins and creates every enabled server's instance; each
    /// problem is one message.
    static Expected<std::unique_ptr<Service>, std::vector<std::string>> create(Config config);

    ~Service();

    /// Polls every server once, concurrently; false when any poll failed.
    bool poll_all_once();
    void start();
    void stop();

    /// Closes one session through the live instance of its server (the one the poller uses,
    /// so calls stay serialized) and audits it.
    CloseReport close(const CloseRequest& request);

    Store& store() { return *store_; }
    const Config& config() const { return config_; }
    std::vector<PollStats> poll_stats() const { return scheduler_->stats(); }

private:
    Service() = default;
    std::vector<PollTarget> poll_targets();
    const ServerRuntime* find_server(const std::string& id) const;
    void on_snapshot(const PollSnapshot& snapshot);
    void log_session_changes(const PollSnapshot& snapshot, const PollChanges& changes);

    Config config_;
    std::unique_ptr<Store> store_;
    PluginRegistry registry_;
    std::vector<ServerRuntime> servers_;
    std::unique_ptr<PollScheduler> scheduler_;
    std::unique_ptr<Planner> planner_; // after the store: plans what it queued before it goes
    std::atomic<bool> all_ok_{true};   // every poll since poll_all_once() began succeeded
};

} // namespace lmharvest
