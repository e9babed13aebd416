#include "harvest/denied_notifier.hpp"

#include "harvest/demand.hpp"
#include "harvest/host_match.hpp"

#include <algorithm>
#include <cctype>
#include <lmharvest/records.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

namespace lmharvest {
namespace {

// Counted, limited and not full: a license a waiting user could check out now.
bool has_free_license(const FeatureUsage& usage) {
    return usage.total && !(usage.flags & (LH_FEATURE_UNCOUNTED | LH_FEATURE_UNLIMITED)) &&
           usage.used < *usage.total;
}

std::string lower(std::string name) {
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return name;
}

std::vector<std::string> agents_of(const std::vector<AgentRecord>& agents,
                                   const std::string& user) {
    std::vector<std::string> ids;
    for (const AgentRecord& a : agents)
        if (same_name(a.user, user))
            ids.push_back(a.agent);
    return ids;
}

} // namespace

DeniedNotifier::DeniedNotifier(Store& store, AgentMailbox& mailbox)
    : store_(store), mailbox_(mailbox) {}

void DeniedNotifier::after_poll(const std::string& server, const std::vector<PoolInput>& pools,
                                const std::vector<DenialRecord>& denials, int64_t now) {
    const std::vector<AgentRecord> agents = store_.agents();
    std::lock_guard lock(mutex_);
    // A pool that is full again (or gone) forgets who was told: its next free-up tells again.
    std::erase_if(told_, [&](const auto& entry) {
        const PoolKey& key = entry.first;
        return std::get<0>(key) == server &&
               std::none_of(pools.begin(), pools.end(), [&](const PoolInput& p) {
                   return has_free_license(p.usage) &&
                          key == PoolKey{server, p.usage.vendor, p.usage.name, p.usage.version};
               });
    });
    std::vector<FreeLicenseNotice> notices;
    for (const PoolInput& pool : pools) {
        if (!has_free_license(pool.usage))
            continue;
        const PoolKey key{server, pool.usage.vendor, pool.usage.name, pool.usage.version};
        for (const WaitingUser& waiting : waiting_for(denials, pool)) {
            FreeLicenseNotice notice{waiting.user,
                                     server,
                                     pool.usage.vendor,
                                     pool.usage.name,
                                     waiting.since,
                                     false,
                                     agents_of(agents, waiting.user)};
            std::set<std::string>& told = told_[key];
            notice.notified = told.contains(lower(waiting.user));
            if (!notice.notified && !notice.agents.empty()) {
                notify(notice, pool, now);
                told.insert(lower(waiting.user));
                notice.notified = true;
            }
            notices.push_back(std::move(notice));
        }
    }
    notices_[server] = std::move(notices);
}

// One command per agent of the user, and one audit entry naming them.
void DeniedNotifier::notify(const FreeLicenseNotice& notice, const PoolInput& pool, int64_t now) {
    const std::string text = "A license for " + notice.feature + " is free now";
    const std::string reason = notice.feature + " (" + notice.vendor + ") on " + notice.server +
                               ": " + std::to_string(pool.usage.used) + " of " +
                               std::to_string(*pool.usage.total) + " in use";
    for (const std::string& agent : notice.agents) {
        AgentCommand command;
        command.agent = agent;
        command.kind = "notify";
        command.features = {notice.feature};
        command.reason = reason;
        command.text = text;
        mailbox_.post(std::move(command));
    }
    spdlog::info("notify denied user={} server={} feature={} agents={}", notice.user, notice.server,
                 notice.feature, notice.agents.size());
    const nlohmann::json figures = {{"used", pool.usage.used}, {"total", *pool.usage.total},
                                    {"vendor", notice.vendor}, {"version", pool.usage.version},
                                    {"since", notice.since},   {"agents", notice.agents}};
    store_.append_action({0,
                          now,
                          "harvester",
                          "notify",
                          false,
                          notice.server,
                          std::nullopt,
                          notice.user,
                          notice.feature,
                          figures.dump(),
                          "[]",
                          "posted",
                          text + "; " + reason,
                          {}});
}

std::vector<FreeLicenseNotice> DeniedNotifier::notices() const {
    std::lock_guard lock(mutex_);
    std::vector<FreeLicenseNotice> all;
    for (const auto& [server, notices] : notices_)
        all.insert(all.end(), notices.begin(), notices.end());
    return all;
}

} // namespace lmharvest
