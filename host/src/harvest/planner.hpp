// The harvester's planner: after each good poll of a server, on its own thread (never the poll
// thread), it runs the policy over that server's pools with the store's data and replaces the
// server's stored plan. With dry_run, each close decision the plan newly makes (not already
// decided by the server's previous plan) is a dry-run action in the audit log; without it, each
// close decision starts a close sequence (CloseSequences): the sessions under way and those in a
// back-off after a close without a release (close_backoff.hpp) are never decided. Then the users
// denied a license of a pool free now are told (DeniedNotifier).
#pragma once

#include "config/config.hpp"
#include "config/group_directory.hpp"
#include "harvest/close_sequences.hpp"
#include "harvest/denied_notifier.hpp"
#include "store/store.hpp"

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace lmharvest {

class Planner {
public:
    /// The config in force; a reload swaps it, so each plan asks again.
    using ConfigSource = std::function<std::shared_ptr<const Config>()>;

    /// `clock` gives epoch seconds. `store` and `closes` must outlive the planner; without
    /// `closes` it only plans (and audits dry-run decisions); without `notifier` nobody denied
    /// a license is told when one is free. Both must outlive the planner.
    Planner(Store& store, ConfigSource config, std::function<int64_t()> clock,
            CloseSequences* closes = nullptr, DeniedNotifier* notifier = nullptr);
    /// Plans the servers still queued, then stops the thread.
    ~Planner();
    Planner(const Planner&) = delete;
    Planner& operator=(const Planner&) = delete;

    /// Queues `server_id` for planning (once, however often it is woken before its turn).
    void wake(const std::string& server_id);

    /// Plans one server on the caller's thread, stores and audits the plan, and returns it.
    std::vector<PlanEntry> plan_server(const std::string& server_id);

private:
    void run();
    void act_on_closes(const std::vector<PlanEntry>& plan, const std::vector<PlanEntry>& before,
                       const Config& config);
    void start_close(const PlanEntry& entry);

    Store& store_;
    ConfigSource config_;
    std::function<int64_t()> clock_;
    GroupDirectory groups_; // [groups] and, with groups_from = "nss", the users' system groups
    std::mutex mutex_;
    std::condition_variable wakeup_;
    std::deque<std::string> queue_;
    CloseSequences* closes_;
    DeniedNotifier* notifier_;
    bool stopping_ = false;
    std::thread thread_; // last: starts after everything it uses
};

} // namespace lmharvest
