// A plugin that passed every check: its library, the host API it was given, its descriptor.
// Whoever holds a shared_ptr to it keeps the library loaded, so that no code or static of the
// plugin disappears while an instance of it lives.
#pragma once

#include "common/expected.hpp"
#include "plugins/host_api.hpp"
#include "plugins/plugin_info.hpp"

#include <boost/dll/shared_library.hpp>
#include <filesystem>
#include <lmharvest/plugin.h>
#include <memory>

namespace lmharvest {

struct LoadedPlugin {
    LoadedPlugin() = default;
    LoadedPlugin(const LoadedPlugin&) = delete;
    LoadedPlugin& operator=(const LoadedPlugin&) = delete;

    // Declared before the library so that they are destroyed after it: the plugin's static
    // destructors, run by dlclose(), may still log through the host API.
    PluginHostData host_data;
    lh_host_api host_api{};
    boost::dll::shared_library library;
    const lh_plugin* descriptor = nullptr; // owned by the library
    PluginInfo info;
};

/// Runs the whole chain on one file: open, find entry, call entry, check descriptor.
/// A file that is already loaded (by this or another registry) is returned as it is, without
/// calling its entry point again: the plugin keeps the first host API it was given, and so
/// the first `runner`.
Expected<std::shared_ptr<const LoadedPlugin>> load_plugin(const std::filesystem::path& file,
                                                          const ProcessRunner& runner);

} // namespace lmharvest
