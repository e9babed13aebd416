// What a reload changes: which running servers stay as they are, which are re-created, added
// or removed. Pure, so that each case is tested without plugins.
#pragma once

#include "config/config.hpp"

#include <string>
#include <vector>

namespace lmharvest {

struct ReloadPlan {
    std::vector<std::string> keep;    // same settings: the running instance stays
    std::vector<std::string> replace; // changed: the old instance stops, then a new one starts
    std::vector<std::string> add;     // new or newly enabled
    std::vector<std::string> remove;  // gone from the file, or disabled
};

/// Compares the running servers' settings with the enabled servers of the new config.
ReloadPlan plan_reload(const std::vector<const ServerConfig*>& running,
                       const std::vector<ServerConfig>& next);

} // namespace lmharvest
