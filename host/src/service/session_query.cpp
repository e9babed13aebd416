#include "service/session_query.hpp"

namespace lmharvest {

Expected<SessionFilter> make_filter(const SessionQuery& query, const Config& config,
                                    GroupDirectory& directory, const Store& store) {
    SessionFilter filter;
    auto set = [](std::optional<std::string>& field, const std::string& value) {
        if (!value.empty())
            field = value;
    };
    set(filter.user, query.user);
    set(filter.feature, query.feature);
    set(filter.server, query.server);
    if (query.group.empty())
        return filter;
    if (!directory.known(config, query.group))
        return unexpected(
            "no group '" + query.group + "' in [groups]" +
            (config.host.groups_from == GroupsFrom::nss ? " nor among the system's groups" : ""));
    const bool system = config.host.groups_from == GroupsFrom::nss;
    const Groups groups =
        directory.merged(config, system ? store.open_session_users() : std::vector<std::string>{});
    const auto group = groups.find(query.group);
    filter.users = group != groups.end() ? group->second : std::vector<std::string>{};
    return filter;
}

} // namespace lmharvest
