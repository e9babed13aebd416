// Which sessions a person asked for (CLI flags or API query parameters), checked against the
// config's groups.
#pragma once

#include "common/expected.hpp"
#include "config/config.hpp"
#include "store/store_records.hpp"

#include <string>

namespace lmharvest {

struct SessionQuery {
    std::string user;
    std::string group;
    std::string feature;
    std::string server;
};

/// The store filter for a query; an error when the group is not in [groups].
Expected<SessionFilter> make_filter(const SessionQuery& query, const Groups& groups);

} // namespace lmharvest
