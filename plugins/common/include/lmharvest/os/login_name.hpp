// The login of the user a plugin runs as (the host's or the agent's user): whose sessions and
// apps are "mine". Its uid in digits when the passwd database has no entry for it.
#pragma once

#include <pwd.h>
#include <string>
#include <unistd.h>

namespace lmharvest::os {

inline std::string login_name() {
    passwd entry{}, *found = nullptr;
    char buffer[4096];
    if (::getpwuid_r(::geteuid(), &entry, buffer, sizeof buffer, &found) == 0 && found)
        return found->pw_name;
    return std::to_string(::geteuid());
}

} // namespace lmharvest::os
