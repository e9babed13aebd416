// Who is in which group: the config's [groups], and with host.groups_from = "nss" also each
// user's system groups (system_groups.hpp), cached for host.groups_ttl so a poll of 100k
// sessions does not ask LDAP 100k times. Merged, never replacing: a user is in a group when
// [groups] or the system says so. Thread-safe: the API and the planner ask at once.
#pragma once

#include "config/config.hpp"
#include "config/system_groups.hpp"

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace lmharvest {

class GroupDirectory {
public:
    using Clock = std::function<std::chrono::steady_clock::time_point()>;
    /// A user's system groups, nullopt for an unknown user: system_groups_of() but in tests.
    using Resolver = std::function<std::optional<std::vector<std::string>>(const std::string&)>;
    explicit GroupDirectory(Clock clock = std::chrono::steady_clock::now,
                            Resolver resolver = system_groups_of);

    /// [groups], with each of `users` added to every system group of theirs when `host` says
    /// groups_from = "nss". What the harvest policy and the session filters take as Groups.
    Groups merged(const Config& config, const std::vector<std::string>& users);

    /// Whether `group` is a group of [groups] or, with groups_from = "nss", of the system.
    bool known(const Config& config, const std::string& group);

    /// `user`'s system groups, from the cache while younger than `ttl`; empty for a user the
    /// system does not know.
    std::vector<std::string> system_groups(const std::string& user, std::chrono::milliseconds ttl);

private:
    struct Entry {
        std::chrono::steady_clock::time_point resolved;
        std::vector<std::string> groups;
    };

    Clock clock_;
    Resolver resolver_;
    std::mutex mutex_; // guards cache_
    std::map<std::string, Entry, std::less<>> cache_;
};

} // namespace lmharvest
