// Turning a checked Config into running parts: where the plugins and the state file are, and
// one adapter instance per enabled server. Shared by `run`, `close` and `check-config`.
#pragma once

#include "common/expected.hpp"
#include "config/config.hpp"
#include "plugins/adapter_instance.hpp"
#include "plugins/plugin_registry.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace lmharvest {

/// One configured server with its live adapter instance.
struct ServerRuntime {
    std::string id;
    std::string adapter;
    std::string address;
    std::chrono::milliseconds interval{};
    ServerConfig config; // as it was created from, so that a reload can tell what changed
    std::unique_ptr<AdapterInstance> instance;
    text::Encoding encoding = text::Encoding::utf8; ///< decode_names() after each poll
};

/// Whether two entries configure the same instance: every setting but the place in the file.
bool same_server_settings(const ServerConfig& a, const ServerConfig& b);

/// Creates the instance of one server from the registry's plugin of its adapter.
Expected<ServerRuntime> create_server(const ServerConfig& server, const HostConfig& host,
                                      const PluginRegistry& registry);

/// The SQLite file of a config: <state_dir>/lmharvest.db.
std::filesystem::path store_file(const Config& config);

/// The plugin folders to search. When `location` is given (where the folders were configured:
/// `file:line:col`, or a command-line option), each of `dirs` must be a folder: the error names
/// the entry at that location. Without it, those of `dirs` that exist, or when none does, the
/// folders next to this binary (../plugins: the build tree; ../lib/lmharvest/plugins).
Expected<std::vector<std::filesystem::path>>
plugin_search_path(const std::vector<std::string>& dirs, const std::string& location);
/// The config's host.plugin_dirs, as above.
Expected<std::vector<std::filesystem::path>> plugin_search_path(const HostConfig& host);

/// The plugins a config enables: host.plugins when set, else the adapters its servers name.
std::set<std::string> enabled_plugins(const Config& config);

/// The registry a config's plugins load into: in workers (no plugin code runs in this process)
/// unless a server of the config, or [host], runs its adapter in the host (isolation "none").
PluginRegistry plugin_registry_for(const Config& config);

/// A registry that loads every plugin in a worker of default settings (`plugins inspect`).
PluginRegistry plugin_registry_in_workers();

/// Loads the config's enabled plugins (no other file is opened) into `registry`; logs each
/// refusal once. Fails when a configured plugin folder does not exist.
Expected<LoadReport> load_plugins(const Config& config, PluginRegistry& registry);

/// Creates an instance for each enabled server (or only `only_server` when given). Every
/// server that cannot be set up is one message.
Expected<std::vector<ServerRuntime>, std::vector<std::string>>
create_servers(const Config& config, const PluginRegistry& registry,
               const std::string& only_server = {});

} // namespace lmharvest
