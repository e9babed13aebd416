#include "config/group_directory.hpp"

#include "config/system_groups.hpp"

#include <algorithm>

namespace lmharvest {

GroupDirectory::GroupDirectory(Clock clock, Resolver resolver)
    : clock_(std::move(clock)), resolver_(std::move(resolver)) {}

std::vector<std::string> GroupDirectory::system_groups(const std::string& user,
                                                       std::chrono::milliseconds ttl) {
    const auto now = clock_();
    {
        std::lock_guard lock(mutex_);
        auto cached = cache_.find(user);
        if (cached != cache_.end() && now - cached->second.resolved < ttl)
            return cached->second.groups;
    }
    // NSS may be slow (LDAP): asked without the lock, so other users' lookups go on.
    std::vector<std::string> groups = resolver_(user).value_or(std::vector<std::string>{});
    std::lock_guard lock(mutex_);
    cache_[user] = Entry{now, groups};
    return groups;
}

Groups GroupDirectory::merged(const Config& config, const std::vector<std::string>& users) {
    Groups groups = config.groups;
    if (config.host.groups_from != GroupsFrom::nss)
        return groups;
    for (const std::string& user : users)
        for (const std::string& group : system_groups(user, config.host.groups_ttl)) {
            std::vector<std::string>& members = groups[group];
            if (std::find(members.begin(), members.end(), user) == members.end())
                members.push_back(user);
        }
    return groups;
}

bool GroupDirectory::known(const Config& config, const std::string& group) {
    return config.groups.count(group) > 0 ||
           (config.host.groups_from == GroupsFrom::nss && system_group_exists(group));
}

} // namespace lmharvest
