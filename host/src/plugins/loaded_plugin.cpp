#include "plugins/loaded_plugin.hpp"

#include "plugins/descriptor_check.hpp"
#include "plugins/library_steps.hpp"

#include <map>
#include <mutex>

namespace lmharvest {
namespace {

// A plugin keeps the host API pointer its entry point received (plugin.hpp stores it in a
// static). dlopen() of a file that is already loaded returns the same library, so calling the
// entry again would swap that pointer for one that dies with the second LoadedPlugin. Keyed by
// the dlopen() handle, which is exactly "the same library".
struct LoadedLibraries {
    std::mutex mutex; // guards by_handle and serializes loading
    std::map<void*, std::weak_ptr<const LoadedPlugin>> by_handle;
};

LoadedLibraries& loaded_libraries() {
    static LoadedLibraries libraries;
    return libraries;
}

void forget_unloaded(std::map<void*, std::weak_ptr<const LoadedPlugin>>& by_handle) {
    std::erase_if(by_handle, [](const auto& entry) { return entry.second.expired(); });
}

} // namespace

Expected<std::shared_ptr<const LoadedPlugin>> load_plugin(const std::filesystem::path& file,
                                                          const ProcessRunner& runner) {
    auto library = open_library(file);
    if (!library)
        return unexpected(library.error());

    LoadedLibraries& libraries = loaded_libraries();
    std::lock_guard lock(libraries.mutex);
    forget_unloaded(libraries.by_handle);
    void* handle = library->native();
    if (auto loaded = libraries.by_handle[handle].lock())
        return std::shared_ptr<const LoadedPlugin>(loaded);

    auto entry = find_entry(*library, file);
    if (!entry)
        return unexpected(entry.error());

    auto plugin = std::make_shared<LoadedPlugin>();
    plugin->host_data = PluginHostData{file.stem().string(), runner};
    plugin->host_api = make_host_api(plugin->host_data);
    plugin->library = std::move(*library);
    auto descriptor = call_entry(*entry, plugin->host_api, file);
    if (!descriptor)
        return unexpected(descriptor.error());
    auto info = check_descriptor(**descriptor, file);
    if (!info)
        return unexpected(info.error());

    plugin->descriptor = *descriptor;
    plugin->info = std::move(*info);
    plugin->host_data.plugin_name = plugin->info.name;
    libraries.by_handle[handle] = plugin;
    return std::shared_ptr<const LoadedPlugin>(std::move(plugin));
}

} // namespace lmharvest
