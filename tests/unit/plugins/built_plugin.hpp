// A plugin of this build (plugins/<name>/ -> build/plugins/<name>.so) loaded as the host and the
// agent load it: load_plugin with the host's API and process runner.
#pragma once

#include "plugins/loaded_plugin.hpp"
#include "process/run_process.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <memory>
#include <string>

namespace lmharvest::test {

/// `stem`.so of this build; fails the test when the loader refuses it.
inline std::shared_ptr<const LoadedPlugin> load_built_plugin(const std::string& stem) {
    auto plugin =
        load_plugin(std::filesystem::path(LH_PLUGIN_BUILD_DIR) / (stem + ".so"), run_process);
    if (!plugin)
        FAIL(plugin.error());
    return *plugin;
}

} // namespace lmharvest::test
