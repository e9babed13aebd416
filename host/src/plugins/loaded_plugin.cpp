#include "plugins/loaded_plugin.hpp"

#include "plugins/descriptor_check.hpp"
#include "plugins/library_steps.hpp"

#include <map>
#include <mutex>
#include <sys/stat.h>

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

namespace {

std::string file_identity(const std::filesystem::path& file) {
    struct stat info {};
    if (::stat(file.c_str(), &info) != 0)
        return "";
    return std::to_string(info.st_dev) + ":" + std::to_string(info.st_ino) + ":" +
           std::to_string(info.st_size) + ":" + std::to_string(info.st_mtim.tv_sec) + "." +
           std::to_string(info.st_mtim.tv_nsec);
}

} // namespace

std::shared_ptr<const LoadedPlugin> read_in_worker(PluginInfo info) {
    auto plugin = std::make_shared<LoadedPlugin>();
    plugin->file_identity = file_identity(info.path);
    plugin->info = std::move(info);
    return plugin;
}

bool same_plugin(const LoadedPlugin& a, const LoadedPlugin& b) {
    if (&a == &b)
        return true;
    return a.descriptor == nullptr && b.descriptor == nullptr && a.info.path == b.info.path &&
           !a.file_identity.empty() && a.file_identity == b.file_identity;
}

} // namespace lmharvest
