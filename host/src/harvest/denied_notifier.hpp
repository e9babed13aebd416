// Telling users who were denied a license that one is free now (issue 12): after each good poll
// of a server, each user denied or queued for a pool within notify_window that now has a free
// license gets one `notify` command on each of their agents, once per free-up: who was told is
// remembered until the pool is full again. Users without an agent are listed instead (for
// GET /api/v1/notifications, so a mail hook can be added later).
#pragma once

#include "harvest/agent_mailbox.hpp"
#include "harvest/harvest_policy.hpp"
#include "store/store.hpp"

#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace lmharvest {

/// A waiting user of a pool that has a free license now.
struct FreeLicenseNotice {
    std::string user;
    std::string server;
    std::string vendor;
    std::string feature;
    int64_t since = 0;               // the user's first denial within notify_window
    bool notified = false;           // a notify command went to their agents in this free-up
    std::vector<std::string> agents; // the agents of the user ("<host>:<uid>")
};

class DeniedNotifier {
public:
    /// `store` (agents, audit log) and `mailbox` must outlive the notifier.
    DeniedNotifier(Store& store, AgentMailbox& mailbox);

    /// After a good poll of `server`: `pools` are its pools as the planner assembled them,
    /// `denials` those within notify_window. Notifies whoever is due and replaces the server's
    /// notices.
    void after_poll(const std::string& server, const std::vector<PoolInput>& pools,
                    const std::vector<DenialRecord>& denials, int64_t now);
    /// The notices of the pools free now, every server.
    std::vector<FreeLicenseNotice> notices() const;

private:
    using PoolKey = std::tuple<std::string, std::string, std::string, std::string>;
    void notify(const FreeLicenseNotice& notice, const PoolInput& pool, int64_t now);

    Store& store_;
    AgentMailbox& mailbox_;
    mutable std::mutex mutex_;                      // guards both maps
    std::map<PoolKey, std::set<std::string>> told_; // lower-case users told, per free pool
    std::map<std::string, std::vector<FreeLicenseNotice>> notices_; // by server
};

} // namespace lmharvest
