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
    const lh_plugin* descriptor = nullptr; // owned by the library; null when read in a worker
    PluginInfo info;
    /// For a plugin read in a worker (no library here): the file as it was read, "dev:inode:
    /// size:mtime", so that a reload can tell a replaced file from the same one.
    std::string file_identity;
};

/// Runs the whole chain on one file: open, find entry, call entry, check descriptor.
/// A file that is already loaded (by this or another registry) is returned as it is, without
/// calling its entry point again: the plugin keeps the first host API it was given, and so
/// the first `runner`.
Expected<std::shared_ptr<const LoadedPlugin>> load_plugin(const std::filesystem::path& file,
                                                          const ProcessRunner& runner);

/// A plugin that was loaded in a worker and not here: what it said about itself, and the file
/// as it was then. No code of it runs in this process; instances of it need a worker.
std::shared_ptr<const LoadedPlugin> read_in_worker(PluginInfo info);

/// Whether two loads are the same plugin code: the same library in this process, or the same
/// unchanged file read in workers.
bool same_plugin(const LoadedPlugin& a, const LoadedPlugin& b);

} // namespace lmharvest
