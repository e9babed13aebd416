// The name of the machine this process runs on, as gethostname(2) gives it ("ws-031" or
// "ws-031.corp"); empty when it cannot be read. The host, the agent and the plugins compare it
// with the hosts a license server names.
#pragma once

#include <string>
#include <unistd.h>

namespace lmharvest::os {

inline std::string machine_name() {
    char name[256] = {};
    return ::gethostname(name, sizeof name - 1) == 0 ? std::string(name) : std::string();
}

} // namespace lmharvest::os
