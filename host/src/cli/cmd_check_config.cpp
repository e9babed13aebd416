// `lmharvest check-config FILE`: for an agent config (it has an [agent] table) see
// check_agent_config; for the host's, the schema check, then, where plugins can be found, whether
// each server's adapter exists and accepts its table (unknown plugin keys are errors too); and
// warnings, which do not fail the check, on harvest rules that can never apply.
#include "agent/agent.hpp"
#include "cli/commands.hpp"
#include "cli/load_config_or_report.hpp"
#include "config/rule_warnings.hpp"
#include "service/host_assembly.hpp"

#include <iostream>

namespace lmharvest::cli {

namespace {

// agent.toml: the schema, then (unless schema_only) each handler plugin loaded and created on
// its table, which creates the agent's state and saved-projects folders (0700).
int check_agent_config(const std::string& file, bool schema_only) {
    auto config = agent::load_agent_config(file);
    if (!config) {
        for (const ConfigError& error : config.error())
            std::cerr << error.to_string() << '\n';
        return 1;
    }
    if (!schema_only) {
        auto handlers = agent::create_handlers(*config);
        if (!handlers) {
            for (const std::string& problem : handlers.error())
                std::cerr << problem << '\n';
            return 1;
        }
    }
    const std::size_t count = config->handlers.size();
    std::cout << file << ": OK (agent, " << count << " handler" << (count == 1 ? "" : "s") << ")\n";
    return 0;
}

int check_config(const std::string& file, bool schema_only) {
    if (agent::is_agent_config_file(file))
        return check_agent_config(file, schema_only);
    std::optional<Config> config = load_config_or_report(file);
    if (!config)
        return 1;
    const std::size_t server_count = config->servers.size();
    const std::vector<RuleWarning> warnings = rule_warnings(config->harvest, config->groups);
    for (const RuleWarning& warning : warnings)
        std::cerr << file << ':' << warning.line << ": warning: " << warning.message << '\n';
    if (!schema_only) {
        auto dirs = plugin_search_path(config->host);
        if (!dirs) {
            std::cerr << dirs.error() << '\n';
            return 1;
        }
        if (dirs->empty()) {
            std::cerr << file << ": note: no plugin folder found (host.plugin_dirs); "
                      << "adapters and their tables were not checked\n";
        } else {
            PluginRegistry registry = plugin_registry_for(*config);
            registry.load_directory(*dirs, enabled_plugins(*config));
            auto servers = create_servers(*config, registry);
            if (!servers) {
                for (const std::string& problem : servers.error())
                    std::cerr << problem << '\n';
                return 1;
            }
        }
    }
    std::cout << file << ": OK (" << server_count << " server" << (server_count == 1 ? "" : "s");
    if (!warnings.empty())
        std::cout << ", " << warnings.size() << " warning" << (warnings.size() == 1 ? "" : "s");
    std::cout << ")\n";
    return 0;
}

} // namespace

void add_check_config_command(CLI::App& app, int& exit_code) {
    auto* command = app.add_subcommand(
        "check-config", "Check a config file; print every error as file:line:col: what; fix");
    auto file = std::make_shared<std::string>();
    auto schema_only = std::make_shared<bool>(false);
    command->add_option("file", *file, "The config file")->required();
    command->add_flag("--schema-only", *schema_only,
                      "Do not load plugins to check the servers' adapter tables");
    command->callback(
        [&exit_code, file, schema_only] { exit_code = check_config(*file, *schema_only); });
}

} // namespace lmharvest::cli
