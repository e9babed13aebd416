#include "service/session_query.hpp"

namespace lmharvest {

Expected<SessionFilter> make_filter(const SessionQuery& query, const Groups& groups) {
    SessionFilter filter;
    auto set = [](std::optional<std::string>& field, const std::string& value) {
        if (!value.empty())
            field = value;
    };
    set(filter.user, query.user);
    set(filter.feature, query.feature);
    set(filter.server, query.server);
    if (!query.group.empty()) {
        const auto group = groups.find(query.group);
        if (group == groups.end())
            return unexpected("no group '" + query.group + "' in [groups]");
        filter.users = group->second;
    }
    return filter;
}

} // namespace lmharvest
