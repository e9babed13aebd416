#include "service/host_assembly.hpp"

#include <boost/dll/runtime_symbol_info.hpp>
#include <spdlog/spdlog.h>

namespace lmharvest {
namespace fs = std::filesystem;

fs::path store_file(const Config& config) {
    return fs::path(config.host.state_dir) / "lmharvest.db";
}

std::vector<fs::path> plugin_search_path(const std::vector<std::string>& configured) {
    std::vector<fs::path> dirs;
    for (const std::string& dir : configured)
        if (fs::is_directory(dir))
            dirs.emplace_back(dir);
    if (!dirs.empty())
        return dirs;
    // Fallbacks, so that a build tree and an installed package both work without configuring.
    const fs::path binary_dir = boost::dll::program_location().parent_path().string();
    for (const fs::path& dir :
         {binary_dir / ".." / "plugins", binary_dir / ".." / "lib" / "lmharvest" / "plugins"})
        if (fs::is_directory(dir))
            dirs.push_back(fs::weakly_canonical(dir));
    return dirs;
}

std::optional<std::set<std::string>> allowed_plugins(const Config& config) {
    if (!config.host.plugins)
        return std::nullopt;
    return std::set<std::string>(config.host.plugins->begin(), config.host.plugins->end());
}

LoadReport load_plugins(const Config& config, PluginRegistry& registry) {
    return registry.load_directory(plugin_search_path(config.host.plugin_dirs),
                                   allowed_plugins(config));
}

bool same_server_settings(const ServerConfig& a, const ServerConfig& b) {
    return a.id == b.id && a.adapter == b.adapter && a.address == b.address &&
           a.interval == b.interval && a.timeout == b.timeout && a.enabled == b.enabled &&
           a.plugin_table == b.plugin_table;
}

Expected<ServerRuntime> create_server(const ServerConfig& server, const HostConfig& host,
                                      const PluginRegistry& registry) {
    auto plugin = registry.find(server.adapter);
    if (!plugin)
        return unexpected(server.location + ": server '" + server.id + "': no plugin '" +
                          server.adapter + "' is loaded; check host.plugin_dirs and " +
                          "`lmharvest plugins list`");
    InstanceSettings settings;
    settings.server_id = server.id;
    settings.adapter = server.adapter;
    settings.address = server.address;
    settings.timeout = server.timeout;
    settings.state_dir = fs::path(host.state_dir) / "servers" / server.id;
    settings.table = server.plugin_table; // a copy: each instance tracks the keys it read
    auto instance = AdapterInstance::create(plugin, std::move(settings));
    if (!instance)
        return unexpected(instance.error());
    return ServerRuntime{server.id,       server.adapter, server.address,
                         server.interval, server,         std::move(instance.value())};
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
