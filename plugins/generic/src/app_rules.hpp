// Which applications the generic handler knows: each app's executable names and the license
// features it holds, read from its [handlers.generic] table, and the match of one process.
#pragma once

#include <lmharvest/plugin.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace lmharvest::generic {

struct AppRule {
    std::string app;                      // "xclock": names the table [handlers.generic.xclock]
    std::vector<std::string> executables; // file names (no folder); default: the app's name
    std::vector<std::string> features;    // what a running one holds
};

/// The rules of `apps = [...]` and each `<app>.features` / `<app>.executables`. Throws
/// sdk::Error(LH_ERR_INVALID_ARGUMENT) naming the key when the table is wrong.
std::vector<AppRule> read_app_rules(const sdk::ConfigView& config);

/// The last path component ("/usr/bin/xclock" -> "xclock").
std::string_view file_name(std::string_view path);

/// The rule whose executables name the process, by the file name of its executable
/// (/proc/PID/exe) or of its argv[0] (the command line up to the first space); nullptr if none.
const AppRule* find_app(const std::vector<AppRule>& rules, std::string_view executable,
                        std::string_view command_line);

} // namespace lmharvest::generic
