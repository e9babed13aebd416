#include "config/system_groups.hpp"

#include <algorithm>
#include <cerrno>
#include <grp.h>
#include <pwd.h>
#include <unistd.h>

namespace lmharvest {
namespace {

// Calls a getpw*_r/getgr*_r `lookup` with a buffer that grows until the entry fits.
template <class Entry, class Lookup> bool lookup_entry(Entry& entry, Lookup lookup) {
    std::vector<char> buffer(4096);
    for (;;) {
        Entry* found = nullptr;
        const int error = lookup(&entry, buffer.data(), buffer.size(), &found);
        if (error == ERANGE && buffer.size() < (1u << 24)) {
            buffer.resize(buffer.size() * 2);
            continue;
        }
        return error == 0 && found != nullptr;
    }
}

std::optional<std::string> group_name(gid_t gid) {
    group entry{};
    std::string name;
    const bool found = lookup_entry(entry, [&](group* e, char* buffer, size_t size, group** out) {
        const int error = ::getgrgid_r(gid, e, buffer, size, out);
        if (error == 0 && *out != nullptr)
            name = e->gr_name;
        return error;
    });
    return found ? std::optional(name) : std::nullopt;
}

} // namespace

std::optional<std::vector<std::string>> system_groups_of(const std::string& user) {
    passwd account{};
    gid_t primary = 0;
    const bool known =
        lookup_entry(account, [&](passwd* e, char* buffer, size_t size, passwd** out) {
            const int error = ::getpwnam_r(user.c_str(), e, buffer, size, out);
            if (error == 0 && *out != nullptr)
                primary = e->pw_gid;
            return error;
        });
    if (!known)
        return std::nullopt;
    std::vector<gid_t> gids(64);
    int count = static_cast<int>(gids.size());
    while (::getgrouplist(user.c_str(), primary, gids.data(), &count) < 0) {
        if (count <= static_cast<int>(gids.size())) // no growth asked for: give up on more
            break;
        gids.resize(static_cast<std::size_t>(count));
    }
    gids.resize(std::min(gids.size(), static_cast<std::size_t>(std::max(count, 0))));
    std::vector<std::string> names;
    for (gid_t gid : gids)
        if (auto name = group_name(gid);
            name && std::find(names.begin(), names.end(), *name) == names.end())
            names.push_back(*name);
    return names;
}

bool system_group_exists(const std::string& name) {
    group entry{};
    return lookup_entry(entry, [&](group* e, char* buffer, size_t size, group** out) {
        return ::getgrnam_r(name.c_str(), e, buffer, size, out);
    });
}

} // namespace lmharvest
