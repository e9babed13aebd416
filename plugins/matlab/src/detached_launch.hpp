// Starts a program that outlives its caller: its own session (setsid), reparented to init,
// output appended to a log, no shell.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace lmharvest::matlab {

struct Launch {
    std::vector<std::string> argv; // argv[0]: a path, or a name looked up in PATH
    std::filesystem::path folder;  // its current folder
    std::filesystem::path log;     // standard output and error, appended
    std::vector<std::string> env;  // "NAME=value" added to (or replacing in) this environment
};

/// Throws sdk::Error(LH_ERR_SPAWN) when the program cannot be found or started.
void launch_detached(const Launch& launch);

} // namespace lmharvest::matlab
