// The agent's configuration (agent.toml): where the host is, how to prove who it is, how often to
// report, where projects and state go, and the handler plugins with their tables. Read with the
// host config's machinery, so every problem comes as `file:line:col: what; fix`, all in one pass.
#pragma once

#include "config/config.hpp"
#include "config/plugin_table.hpp"

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace lmharvest::agent {

/// One [[handlers]] entry: a handler plugin and its own table [handlers.<name>].
struct HandlerConfig {
    std::string name;   ///< the plugin's name; also names its table and its state folder
    std::string plugin; ///< path of the .so, resolved against the config file's folder
    PluginTable table;
    std::string location; ///< `file:line:col` of the entry
    /// Where the handler runs; [agent] isolation unless the entry says otherwise.
    Isolation isolation = Isolation::process;
};

struct AgentConfig {
    std::string host_url;   ///< "https://lmharvest.corp:8940"
    std::string token_file; ///< holds the agent token's secret
    std::chrono::milliseconds report_every{std::chrono::seconds(60)};
    std::string saved_dir; ///< default $XDG_DATA_HOME/lmharvest/saved
    std::string state_dir; ///< default $XDG_STATE_HOME/lmharvest
    bool insecure = false; ///< plain HTTP to a non-loopback host allowed (logged as a warning)
    std::string ca_file;   ///< PEM of the CA that signed the host's certificate; "": system store
    /// Where handlers run unless one says otherwise: a worker process each (docs/isolation.md).
    Isolation isolation = Isolation::process;
    std::vector<HandlerConfig> handlers;
};

/// Reads and checks agent.toml. A missing or unreadable file is one error without position.
Expected<AgentConfig, ConfigErrors> load_agent_config(const std::filesystem::path& file);
/// Checks agent config text; `source_name` names it in errors, its folder anchors relative paths.
Expected<AgentConfig, ConfigErrors> load_agent_config_string(std::string_view text,
                                                             std::string source_name);
/// Whether `file` is an agent config (it has an [agent] table) rather than a host config.
bool is_agent_config_file(const std::filesystem::path& file);

/// $XDG_DATA_HOME (else ~/.local/share) and $XDG_STATE_HOME (else ~/.local/state), joined with
/// "lmharvest/saved" and "lmharvest".
std::string default_saved_dir();
std::string default_state_dir();

} // namespace lmharvest::agent
