#include "service/reload_plan.hpp"

#include "service/host_assembly.hpp"

#include <algorithm>

namespace lmharvest {

ReloadPlan plan_reload(const std::vector<const ServerConfig*>& running,
                       const std::vector<ServerConfig>& next) {
    ReloadPlan plan;
    for (const ServerConfig& server : next) {
        if (!server.enabled)
            continue;
        const auto old = std::find_if(running.begin(), running.end(),
                                      [&](const ServerConfig* r) { return r->id == server.id; });
        if (old == running.end())
            plan.add.push_back(server.id);
        else if (same_server_settings(**old, server))
            plan.keep.push_back(server.id);
        else
            plan.replace.push_back(server.id);
    }
    for (const ServerConfig* old : running)
        if (std::none_of(next.begin(), next.end(), [&](const ServerConfig& server) {
                return server.enabled && server.id == old->id;
            }))
            plan.remove.push_back(old->id);
    return plan;
}

} // namespace lmharvest
