#include "harvest/pool_assembly.hpp"

#include "harvest/demand.hpp"

#include <iterator>
#include <map>
#include <tuple>

namespace lmharvest {
namespace {

using PoolKey = std::tuple<std::string, std::string, std::string>; // vendor, feature, version

PoolInput* pool_of(std::map<PoolKey, PoolInput>& pools, const Session& session) {
    auto exact = pools.find({session.vendor, session.feature, session.version});
    if (exact != pools.end())
        return &exact->second;
    auto first = pools.lower_bound({session.vendor, session.feature, ""});
    auto end = first;
    while (end != pools.end() && std::get<0>(end->first) == session.vendor &&
           std::get<1>(end->first) == session.feature)
        ++end;
    return std::distance(first, end) == 1 ? &first->second : nullptr;
}

} // namespace

std::vector<PoolInput> assemble_pools(const std::string& server_id,
                                      const std::vector<FeatureRecord>& features,
                                      std::vector<SessionRecord> open_sessions,
                                      const std::vector<DenialRecord>& denials) {
    std::map<PoolKey, PoolInput> pools;
    for (const FeatureRecord& feature : features)
        pools[{feature.usage.vendor, feature.usage.name, feature.usage.version}] = {
            server_id, feature.usage, {}};
    for (SessionRecord& record : open_sessions)
        if (PoolInput* pool = pool_of(pools, record.session))
            pool->sessions.push_back(std::move(record));
    std::vector<PoolInput> assembled;
    assembled.reserve(pools.size());
    for (auto& [key, pool] : pools) {
        pool.waiting = waiting_users(denials, pool);
        assembled.push_back(std::move(pool));
    }
    return assembled;
}

} // namespace lmharvest
