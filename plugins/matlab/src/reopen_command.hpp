// How to start MATLAB or Octave again on a saved workspace, with the extension loaded.
#pragma once

#include "app_kind.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace lmharvest::matlab {

struct ReopenPlan {
    std::vector<std::string> argv;
    std::filesystem::path folder; // the folder the user was in, when it still exists
};

/// The app of a saved project from its application text ("Octave 7.3.0", "MATLAB R2024b").
/// Throws sdk::Error(LH_ERR_INVALID_ARGUMENT) for another app's project.
App app_of_project(const std::string& application);

/// `command` (the app's argv from the handler's table) plus the M code that adds
/// `extension_dir` to the path, loads `workspace` and starts the extension. The folder is the
/// one saved beside the workspace (<name>.folder) or, when that is gone, the workspace's own.
ReopenPlan reopen_plan(App app, std::vector<std::string> command,
                       const std::filesystem::path& extension_dir,
                       const std::filesystem::path& workspace);

} // namespace lmharvest::matlab
