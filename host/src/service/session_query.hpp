// Which sessions a person asked for (CLI flags or API query parameters), checked against the
// groups: [groups], and with host.groups_from = "nss" the system's.
#pragma once

#include "common/expected.hpp"
#include "config/config.hpp"
#include "config/group_directory.hpp"
#include "store/store.hpp"

#include <string>

namespace lmharvest {

struct SessionQuery {
    std::string user;
    std::string group;
    std::string feature;
    std::string server;
};

/// The store filter for a query. A group's members are its [groups] users and, with
/// groups_from = "nss", the users with open sessions whom the system puts in it; an error when
/// neither knows the group.
Expected<SessionFilter> make_filter(const SessionQuery& query, const Config& config,
                                    GroupDirectory& directory, const Store& store);

} // namespace lmharvest
