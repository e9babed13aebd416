#include "harvest/demand.hpp"

#include "harvest/host_match.hpp"

#include <algorithm>
#include <lmharvest/records.h>

namespace lmharvest {

std::vector<WaitingUser> waiting_for(const std::vector<DenialRecord>& denials,
                                     const PoolInput& pool) {
    std::vector<WaitingUser> waiting;
    auto served = [&](const std::string& user) {
        return std::any_of(pool.sessions.begin(), pool.sessions.end(),
                           [&](const SessionRecord& r) { return same_name(r.session.user, user); });
    };
    for (const DenialRecord& record : denials) {
        const Denial& d = record.denial;
        if (record.server != pool.server || d.feature != pool.usage.name ||
            (!d.vendor.empty() && d.vendor != pool.usage.vendor) ||
            (d.kind != LH_DENIAL_DENIED && d.kind != LH_DENIAL_QUEUED) || d.user.empty() ||
            served(d.user))
            continue;
        const auto listed = std::find_if(waiting.begin(), waiting.end(), [&](const WaitingUser& w) {
            return same_name(w.user, d.user);
        });
        if (listed == waiting.end())
            waiting.push_back({d.user, d.time});
        else
            listed->since = std::min(listed->since, d.time);
    }
    return waiting;
}

int64_t waiting_users(const std::vector<DenialRecord>& denials, const PoolInput& pool) {
    return static_cast<int64_t>(waiting_for(denials, pool).size());
}

} // namespace lmharvest
