#include "service/host_assembly.hpp"

#include "isolation/worker_client.hpp"

#include <algorithm>
#include <boost/dll/runtime_symbol_info.hpp>
#include <spdlog/spdlog.h>

namespace lmharvest {
namespace fs = std::filesystem;

fs::path store_file(const Config& config) {
    return fs::path(config.host.state_dir) / "lmharvest.db";
}

Expected<std::vector<fs::path>> plugin_search_path(const std::vector<std::string>& dirs,
                                                   const std::string& location) {
    std::vector<fs::path> found;
    for (const std::string& dir : dirs) {
        std::error_code error;
        if (fs::is_directory(dir, error))
            found.emplace_back(dir);
        else if (!location.empty())
            return unexpected(location + ": plugin folder '" + dir + "' " +
                              (fs::exists(dir, error) ? "is not a folder" : "does not exist") +
                              "; create it, or fix or remove that entry");
    }
    if (!found.empty() || !location.empty())
        return found;
    // Not configured, and the default folder is missing: the folders next to this binary, so
    // that an installed package and a build tree both work without a plugin_dirs line.
    const fs::path binary_dir = boost::dll::program_location().parent_path().string();
    for (const fs::path& dir :
         {binary_dir / ".." / "plugins", binary_dir / ".." / "lib" / "lmharvest" / "plugins"})
        if (fs::is_directory(dir))
            found.push_back(fs::weakly_canonical(dir));
    return found;
}

Expected<std::vector<fs::path>> plugin_search_path(const HostConfig& host) {
    return plugin_search_path(host.plugin_dirs, host.plugin_dirs_location);
}

std::set<std::string> enabled_plugins(const Config& config) {
    if (config.host.plugins)
        return std::set<std::string>(config.host.plugins->begin(), config.host.plugins->end());
    std::set<std::string> adapters;
    for (const ServerConfig& server : config.servers)
        adapters.insert(server.adapter);
    return adapters;
}

Expected<LoadReport> load_plugins(const Config& config, PluginRegistry& registry) {
    auto dirs = plugin_search_path(config.host);
    if (!dirs)
        return unexpected(dirs.error());
    return registry.load_directory(*dirs, enabled_plugins(config));
}

bool same_server_settings(const ServerConfig& a, const ServerConfig& b) {
    return a.id == b.id && a.adapter == b.adapter && a.address == b.address &&
           a.interval == b.interval && a.timeout == b.timeout && a.enabled == b.enabled &&
           a.max_output == b.max_output && a.encoding == b.encoding && a.isolation == b.isolation &&
           a.plugin_table == b.plugin_table;
}

namespace {

isolation::WorkerSettings worker_settings(const HostConfig& host) {
    isolation::WorkerSettings worker;
    worker.memory = static_cast<std::size_t>(host.worker_memory);
    worker.polls = static_cast<std::size_t>(host.worker_polls);
    worker.cpu = std::chrono::ceil<std::chrono::seconds>(host.worker_cpu);
    if (!host.worker_user.empty())
        worker.account = isolation::WorkerAccount{host.worker_uid, host.worker_gid};
    return worker;
}

PluginRegistry registry_in_workers(isolation::WorkerSettings worker) {
    return PluginRegistry::reading_in_workers([worker = std::move(worker)](const fs::path& file) {
        return isolation::inspect_in_worker(file, worker);
    });
}

} // namespace

PluginRegistry plugin_registry_for(const Config& config) {
    const auto in_host = [&](const ServerConfig& server) {
        return server.enabled &&
               server.isolation.value_or(config.host.isolation) == Isolation::none;
    };
    if (config.host.isolation == Isolation::none ||
        std::any_of(config.servers.begin(), config.servers.end(), in_host))
        return PluginRegistry();
    return registry_in_workers(worker_settings(config.host));
}

PluginRegistry plugin_registry_in_workers() {
    return registry_in_workers(isolation::WorkerSettings{});
}

Expected<ServerRuntime> create_server(const ServerConfig& server, const HostConfig& host,
                                      const PluginRegistry& registry) {
    auto plugin = registry.find(server.adapter);
    if (!plugin)
        return unexpected(server.location + ": server '" + server.id + "': no plugin '" +
                          server.adapter + "' is loaded; check host.plugin_dirs (for " +
                          server.adapter + ".so or lib" + server.adapter + ".so) and " +
                          "`lmharvest plugins list --config FILE`");
    InstanceSettings settings;
    settings.server_id = server.id;
    settings.adapter = server.adapter;
    settings.address = server.address;
    settings.timeout = server.timeout;
    settings.max_output = static_cast<std::size_t>(server.max_output);
    settings.state_dir = fs::path(host.state_dir) / "servers" / server.id;
    settings.table = server.plugin_table; // a copy: each instance tracks the keys it read
    const bool isolated = server.isolation.value_or(host.isolation) == Isolation::process;
    auto instance = AdapterInstance::create(
        plugin, std::move(settings),
        isolated ? isolation::worker_starter(worker_settings(host)) : WorkerStarter());
    if (!instance)
        return unexpected(instance.error());
    return ServerRuntime{server.id,       server.adapter, server.address,
                         server.interval, server,         std::move(instance.value()),
                         server.encoding};
}

Expected<std::vector<ServerRuntime>, std::vector<std::string>>
create_servers(const Config& config, const PluginRegistry& registry,
               const std::string& only_server) {
    std::vector<ServerRuntime> servers;
    std::vector<std::string> problems;
    for (const ServerConfig& server : config.servers) {
        if (only_server.empty() ? !server.enabled : server.id != only_server)
            continue;
        auto runtime = create_server(server, config.host, registry);
        if (runtime)
            servers.push_back(std::move(*runtime));
        else
            problems.push_back(runtime.error());
    }
    if (!only_server.empty() && servers.empty() && problems.empty())
        problems.push_back("no server '" + only_server + "' in the config");
    if (!problems.empty())
        return unexpected(std::move(problems));
    return servers;
}

} // namespace lmharvest
