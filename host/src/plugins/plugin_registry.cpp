#include "plugins/plugin_registry.hpp"

#include "plugins/file_safety.hpp"

#include <algorithm>
#include <spdlog/spdlog.h>
#include <system_error>

namespace lmharvest {
namespace {

// The *.so files of `dir`, sorted so that which of two same-named plugins wins does not
// depend on the file system's order.
Expected<std::vector<std::filesystem::path>> plugin_files(const std::filesystem::path& dir) {
    std::error_code error;
    std::filesystem::directory_iterator entries(dir, error);
    if (error)
        return unexpected(dir.string() + ": cannot list plugin directory (" + error.message() +
                          "); fix plugin_dirs");
    std::vector<std::filesystem::path> files;
    for (const auto& entry : entries) {
        if (entry.path().extension() == ".so" && !entry.is_directory(error))
            files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    return files;
}

void refuse(LoadReport& report, const std::filesystem::path& path, std::string message) {
    spdlog::warn("plugin refused: {}", message);
    report.refused.push_back(Refusal{path, std::move(message)});
}

// The enabled plugin `file` is named after ("sim" for sim.so or libsim.so), or nullopt.
std::optional<std::string> enabled_name(const std::filesystem::path& file,
                                        const std::set<std::string>& allowed) {
    const std::string stem = file.stem().string();
    if (allowed.count(stem))
        return stem;
    if (stem.starts_with("lib") && allowed.count(stem.substr(3)))
        return stem.substr(3);
    return std::nullopt;
}

// The folder, then the file: neither may be writable or owned by anyone but root or us.
Expected<std::filesystem::path> check_file_and_folder(const std::filesystem::path& file) {
    if (auto folder = check_owner_and_mode(file.parent_path().empty() ? "." : file.parent_path());
        !folder)
        return folder;
    return check_owner_and_mode(file);
}

} // namespace

PluginRegistry::PluginRegistry(ProcessRunner runner) : runner_(std::move(runner)) {}

PluginRegistry PluginRegistry::reading_in_workers(PluginProbe probe) {
    PluginRegistry registry;
    registry.probe_ = std::move(probe);
    return registry;
}

Expected<std::shared_ptr<const LoadedPlugin>>
PluginRegistry::open(const std::filesystem::path& file) const {
    if (!probe_)
        return load_plugin(file, runner_);
    auto info = probe_(file);
    if (!info)
        return unexpected(info.error());
    return read_in_worker(std::move(*info));
}

LoadReport PluginRegistry::load_directory(const std::vector<std::filesystem::path>& dirs,
                                          const std::optional<std::set<std::string>>& allowed) {
    LoadReport report;
    for (const auto& dir : dirs) {
        auto files = plugin_files(dir);
        if (!files) {
            refuse(report, dir, files.error());
            continue;
        }
        if (auto safe = check_owner_and_mode(dir); !safe) {
            refuse(report, dir, safe.error());
            continue;
        }
        for (const auto& file : *files) {
            if (!allowed) {
                load_file(file, std::nullopt, report);
            } else if (auto name = enabled_name(file, *allowed)) {
                load_file(file, name, report);
            } else {
                // Not opened at all: only enabled plugins' code may run in the host.
                spdlog::debug("plugin file={} not enabled; not opened", file.string());
            }
        }
    }
    return report;
}

void PluginRegistry::load_file(const std::filesystem::path& file,
                               const std::optional<std::string>& expected_name,
                               LoadReport& report) {
    if (auto safe = check_owner_and_mode(file); !safe) {
        refuse(report, file, safe.error());
        return;
    }
    auto plugin = open(file);
    if (!plugin) {
        refuse(report, file, plugin.error());
        return;
    }
    const PluginInfo& info = (*plugin)->info;
    if (expected_name && info.name != *expected_name) {
        refuse(report, file,
               file.string() + ": holds plugin '" + info.name + "', not '" + *expected_name +
                   "' as its file name says; name the file " + info.name + ".so (or lib" +
                   info.name + ".so)");
        return;
    }
    if (auto existing = find(info.name)) {
        refuse(report, file,
               file.string() + ": plugin name '" + info.name + "' already loaded from " +
                   existing->info.path.string() + "; remove one of the two from plugin_dirs");
        return;
    }
    spdlog::info("plugin={} version={} path={} loaded{}", info.name, info.version, file.string(),
                 probe_ ? " in a worker" : "");
    by_name_.emplace(info.name, *plugin);
    report.loaded.push_back(*plugin);
}

Expected<PluginInfo> PluginRegistry::inspect(const std::filesystem::path& file) const {
    if (auto safe = check_file_and_folder(file); !safe)
        return unexpected(safe.error());
    auto plugin = open(file);
    if (!plugin)
        return unexpected(plugin.error());
    return (*plugin)->info;
}

std::shared_ptr<const LoadedPlugin> PluginRegistry::find(std::string_view name) const {
    const auto found = by_name_.find(name);
    return found == by_name_.end() ? nullptr : found->second;
}

std::vector<std::shared_ptr<const LoadedPlugin>> PluginRegistry::plugins() const {
    std::vector<std::shared_ptr<const LoadedPlugin>> all;
    for (const auto& [name, plugin] : by_name_)
        all.push_back(plugin);
    return all;
}

} // namespace lmharvest
