#include "harvest/activity_index.hpp"

#include "text/ascii_lower.hpp"

#include <algorithm>
#include <cctype>

namespace lmharvest {
using text::ascii_lower;

ActivityIndex::ActivityIndex(std::vector<AppActivity> apps) {
    for (AppActivity& app : apps) {
        std::string key = ascii_lower(app.user);
        by_user_[key].push_back(std::move(app));
    }
}

const std::vector<AppActivity>& ActivityIndex::for_user(std::string_view user) const {
    static const std::vector<AppActivity> none;
    auto found = by_user_.find(ascii_lower(user));
    return found == by_user_.end() ? none : found->second;
}

} // namespace lmharvest
