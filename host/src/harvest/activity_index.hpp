// The agents' reports grouped by user, so that matching a session looks only at its user's apps
// (a server of 1,000 sessions against 10,000 reports stays linear).
#pragma once

#include "store/store_records.hpp"

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace lmharvest {

class ActivityIndex {
public:
    explicit ActivityIndex(std::vector<AppActivity> apps);

    /// The apps reported for `user` (compared ignoring case), any host.
    const std::vector<AppActivity>& for_user(std::string_view user) const;

private:
    std::map<std::string, std::vector<AppActivity>, std::less<>> by_user_;
};

} // namespace lmharvest
