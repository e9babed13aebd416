// The plugins the host has loaded, by name. Loading a directory refuses bad files one by one,
// each with one message, and goes on with the others.
#pragma once

#include "common/expected.hpp"
#include "plugins/loaded_plugin.hpp"
#include "process/run_process.hpp"

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace lmharvest {

/// A file that was not loaded, and why: "<file>: <actual vs supported>; <fix>".
struct Refusal {
    std::filesystem::path path;
    std::string message;
};

struct LoadReport {
    std::vector<std::shared_ptr<const LoadedPlugin>> loaded;
    std::vector<Refusal> refused;
};

/// Loads a plugin file somewhere else (a worker process) and returns what it says about itself.
using PluginProbe = std::function<Expected<PluginInfo>(const std::filesystem::path&)>;

/// Loading happens on the [load-thread]; find() and plugins() may then be called from any
/// thread as long as no load runs at the same time.
class PluginRegistry {
public:
    /// `runner` is what the plugins' run_process() calls; the real one unless a test or
    /// `lmharvest parse` replays output.
    explicit PluginRegistry(ProcessRunner runner = run_process);

    /// A registry whose plugins are loaded by `probe` (in a worker) instead of in this process:
    /// the same checks and refusals, but no plugin code runs here, and what it registers can
    /// only run in workers.
    static PluginRegistry reading_in_workers(PluginProbe probe);

    /// Loads every *.so of each directory, in name order. With `allowed`, only the files named
    /// after an allowed plugin (<name>.so or lib<name>.so) are opened, and each must hold the
    /// plugin of its name: no other file's constructors or entry point run. A folder or file
    /// that others than its owner and root may write, or that another ordinary user owns, is
    /// refused before it is opened. Each refusal is logged once, as a warning.
    LoadReport load_directory(const std::vector<std::filesystem::path>& dirs,
                              const std::optional<std::set<std::string>>& allowed = std::nullopt);

    /// What `file` says about itself; creates no instance and registers nothing. The file is
    /// loaded (its constructors and entry point run, here or in a worker) once it and its
    /// folder pass the owner and mode check.
    Expected<PluginInfo> inspect(const std::filesystem::path& file) const;

    /// The loaded plugin of that name, or nullptr.
    std::shared_ptr<const LoadedPlugin> find(std::string_view name) const;

    /// Every loaded plugin, by name.
    std::vector<std::shared_ptr<const LoadedPlugin>> plugins() const;

    /// Whether this registry's plugins were loaded in workers rather than here.
    bool reads_in_workers() const { return static_cast<bool>(probe_); }

private:
    Expected<std::shared_ptr<const LoadedPlugin>> open(const std::filesystem::path& file) const;
    void load_file(const std::filesystem::path& file,
                   const std::optional<std::string>& expected_name, LoadReport& report);

    ProcessRunner runner_;
    PluginProbe probe_;
    std::map<std::string, std::shared_ptr<const LoadedPlugin>, std::less<>> by_name_;
};

} // namespace lmharvest
