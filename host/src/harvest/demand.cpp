#include "harvest/demand.hpp"

#include "harvest/host_match.hpp"

#include <algorithm>
#include <lmharvest/records.h>

namespace lmharvest {

int64_t waiting_users(const std::vector<DenialRecord>& denials, const PoolInput& pool) {
    std::vector<std::string> waiting;
    auto listed = [](const std::vector<std::string>& users, const std::string& user) {
        return std::any_of(users.begin(), users.end(),
                           [&](const std::string& u) { return same_name(u, user); });
    };
    auto served = [&](const std::string& user) {
        return std::any_of(pool.sessions.begin(), pool.sessions.end(),
                           [&](const SessionRecord& r) { return same_name(r.session.user, user); });
    };
    for (const DenialRecord& record : denials) {
        const Denial& d = record.denial;
        if (record.server != pool.server || d.feature != pool.usage.name ||
            (!d.vendor.empty() && d.vendor != pool.usage.vendor) ||
            (d.kind != LH_DENIAL_DENIED && d.kind != LH_DENIAL_QUEUED) || d.user.empty() ||
            listed(waiting, d.user) || served(d.user))
            continue;
        waiting.push_back(d.user);
    }
    return static_cast<int64_t>(waiting.size());
}

} // namespace lmharvest
