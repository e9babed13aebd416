// The running host: the store, the loaded plugins, one adapter instance per server, and the
// realtime loop that polls them and writes each poll to the store. A reload changes only the
// servers whose settings changed; the store and the unchanged instances stay.
#pragma once

#include "config/group_directory.hpp"
#include "harvest/agent_mailbox.hpp"
#include "harvest/close_sequences.hpp"
#include "harvest/denied_notifier.hpp"
#include "harvest/planner.hpp"
#include "poll/poll_scheduler.hpp"
#include "service/history_keeper.hpp"
#include "service/host_assembly.hpp"
#include "service/poll_listeners.hpp"
#include "service/session_close.hpp"
#include "store/store.hpp"

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace lmharvest {

/// What the service tells its runner while it runs; every callback may come from any thread.
struct ServiceHooks {
    /// Once, when every server has been polled once (at start() when there is none).
    std::function<void()> first_cycle_done;
    /// Every `heartbeat_period` while the poll loop is healthy (none when the period is 0).
    std::chrono::milliseconds heartbeat_period{0};
    std::function<void()> heartbeat;
};

/// How many servers a reload kept, re-created, added and removed.
struct ReloadSummary {
    std::size_t kept = 0, replaced = 0, added = 0, removed = 0;
};

class Service {
public:
    /// Opens the store, loads the plugins and creates every enabled server's instance; each
    /// problem is one message.
    static Expected<std::unique_ptr<Service>, std::vector<std::string>> create(Config config);

    ~Service();

    /// Polls every server once, concurrently; false when any poll failed.
    bool poll_all_once();
    void start(ServiceHooks hooks = {});
    /// Stops polling (and ends every agent long poll and result wait), waiting at most `grace` for
    /// polls in flight. Returns the servers whose poll is still inside its plugin then: their
    /// threads still use this service, so the process must end without destroying it (see
    /// docs/operations.md).
    std::vector<std::string>
    stop(std::chrono::milliseconds grace = std::chrono::milliseconds::max());

    /// Applies a new config while polling goes on: unchanged servers keep their instance, a
    /// changed server's old instance stops (after its poll in flight) before its new one is
    /// created, added and removed servers come and go. A config that cannot be applied (a
    /// plugin missing, an instance refusing its settings, another state_dir) is refused whole,
    /// each problem one message, and the running servers stay as they were.
    Expected<ReloadSummary, std::vector<std::string>> reload(Config config);

    /// Closes one session through the live instance of its server (the one the poller uses,
    /// so calls stay serialized) and audits it; with a method, starts its close sequence.
    CloseReport close(const CloseRequest& request);

    /// The close sequences' outcomes since start, for /metrics.
    CloseCounts close_counts() const { return sequences_->counts(); }

    Store& store() { return *store_; }
    /// Commands to workstation agents and their answers (DESIGN §4a).
    AgentMailbox& mailbox() { return mailbox_; }
    /// Who is in which group, for the API's and the CLI's group filters.
    GroupDirectory& groups() { return groups_; }
    /// Who was denied a license of a pool that is free now, told or not.
    std::vector<FreeLicenseNotice> free_license_notices() const { return notifier_->notices(); }
    /// The config in force; a reload replaces it, so hold the pointer, not a reference into it.
    std::shared_ptr<const Config> config() const;
    std::vector<PollStats> poll_stats() const { return scheduler_->stats(); }
    /// Told of every poll after the store has it (the API's live events).
    PollListeners& poll_listeners() { return poll_listeners_; }
    /// Whether server `id` runs now with an adapter that can close sessions.
    bool can_close(const std::string& id) const;

private:
    Service() = default;
    std::shared_ptr<ServerRuntime> find_server(const std::string& id) const;
    CloseResult release_license(int64_t session_id);
    CloseReport start_sequence(const CloseRequest& request, const SessionRecord& record);
    void install(std::shared_ptr<ServerRuntime> server);
    void retire(const std::string& id);
    std::vector<const ServerConfig*> running_settings() const;
    void on_snapshot(const PollSnapshot& snapshot);
    void note_first_poll(const std::string& id);
    void check_store_file();
    void log_session_changes(const PollSnapshot& snapshot, const PollChanges& changes);

    mutable std::mutex config_mutex_; // guards config_ (the pointer; a Config never changes)
    std::shared_ptr<const Config> config_;
    std::unique_ptr<Store> store_;
    GroupDirectory groups_;
    std::unique_ptr<PluginRegistry> registry_;
    mutable std::mutex servers_mutex_; // guards servers_ (the map; each runtime is immutable)
    std::map<std::string, std::shared_ptr<ServerRuntime>, std::less<>> servers_;
    std::unique_ptr<PollScheduler> scheduler_;
    ClosesUnderWay closes_under_way_;
    AgentMailbox mailbox_;
    PollListeners poll_listeners_;
    std::unique_ptr<CloseSequences> sequences_; // after the servers: its releases use them
    std::unique_ptr<DeniedNotifier> notifier_;  // before the planner, which tells it
    std::unique_ptr<Planner> planner_; // after the store: plans what it queued before it goes
    std::unique_ptr<HistoryKeeper> history_keeper_; // after the store, like the planner
    std::atomic<bool> all_ok_{true}; // every poll since poll_all_once() began succeeded
    std::atomic<Store::FileState> store_file_state_{Store::FileState::same};
    std::mutex first_cycle_mutex_; // guards first_cycle_pending_ and first_cycle_done_
    std::set<std::string> first_cycle_pending_;
    std::function<void()> first_cycle_done_;
};

} // namespace lmharvest
