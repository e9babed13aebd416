#include "harvest/activity_index.hpp"

#include <algorithm>
#include <cctype>

namespace lmharvest {
namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

} // namespace

ActivityIndex::ActivityIndex(std::vector<AppActivity> apps) {
    for (AppActivity& app : apps) {
        std::string key = lower(app.user);
        by_user_[key].push_back(std::move(app));
    }
}

const std::vector<AppActivity>& ActivityIndex::for_user(std::string_view user) const {
    static const std::vector<AppActivity> none;
    auto found = by_user_.find(lower(user));
    return found == by_user_.end() ? none : found->second;
}

} // namespace lmharvest
