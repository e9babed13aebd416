// `lmharvest plugins list|inspect`: what the host finds in its plugin folders, and what one
// plugin file says about itself (without enabling it).
#include "cli/commands.hpp"
#include "cli/load_config_or_report.hpp"
#include "cli/plugin_text.hpp"
#include "service/host_assembly.hpp"
#include "text/terminal_escape.hpp"

#include <iostream>

namespace lmharvest::cli {

namespace {

// Where a plugin's code ran when it was opened: in a worker process, or in this one.
std::string where_code_ran(const PluginRegistry& registry) {
    return registry.reads_in_workers() ? "in a worker process, not in this one" : "in this process";
}

// Which files were opened, since opening a plugin runs its code.
std::string what_was_loaded(const std::optional<std::set<std::string>>& enabled,
                            const PluginRegistry& registry) {
    if (!enabled)
        return "loaded every *.so in these folders (each one's code ran " +
               where_code_ran(registry) + ")";
    std::string names;
    for (const std::string& name : *enabled)
        names += (names.empty() ? "" : ", ") + name;
    return "loaded only the files of the plugins the config enables (" +
           (names.empty() ? std::string("none") : names) +
           ": <name>.so or lib<name>.so); no other file was opened";
}

int list_plugins(const std::string& config_file, const std::vector<std::string>& dirs) {
    Expected<std::vector<std::filesystem::path>> search = std::vector<std::filesystem::path>{};
    std::optional<std::set<std::string>> enabled;
    PluginRegistry registry = plugin_registry_in_workers();
    if (!config_file.empty()) {
        std::optional<Config> config = load_config_or_report(config_file);
        if (!config)
            return 1;
        search = plugin_search_path(config->host);
        enabled = enabled_plugins(*config);
        registry = plugin_registry_for(*config);
    } else {
        search = plugin_search_path(dirs, dirs.empty() ? "" : "--plugin-dir");
    }
    if (!search) {
        std::cerr << search.error() << '\n';
        return 1;
    }
    const LoadReport report = registry.load_directory(*search, enabled);
    std::cout << "searched:";
    for (const auto& dir : *search)
        std::cout << ' ' << text::escape_for_terminal(dir.string());
    std::cout << '\n' << what_was_loaded(enabled, registry) << '\n';
    std::cout << "loaded (" << report.loaded.size() << "):\n";
    for (const auto& plugin : report.loaded)
        std::cout << "  " << one_line(plugin->info) << '\n';
    std::cout << "refused (" << report.refused.size() << "):\n";
    for (const Refusal& refusal : report.refused)
        std::cout << "  " << text::escape_for_terminal(refusal.message) << '\n';
    return 0;
}

int inspect_plugin(const std::string& file) {
    const PluginRegistry registry = plugin_registry_in_workers();
    auto info = registry.inspect(file);
    if (!info) {
        std::cerr << text::escape_for_terminal(info.error()) << '\n';
        return 1;
    }
    std::cout << "loaded " << file << " to read it (its code ran " << where_code_ran(registry)
              << "); nothing was enabled\n"
              << describe(*info);
    return 0;
}

} // namespace

void add_plugins_command(CLI::App& app, int& exit_code) {
    auto* plugins = app.add_subcommand("plugins", "List or inspect plugins");
    plugins->require_subcommand(1);

    auto* list = plugins->add_subcommand(
        "list", "Loads the plugins of the plugin folders (with --config: only the "
                "enabled ones) and shows the loaded and the refused ones, with the reason");
    auto config = std::make_shared<std::string>();
    auto dirs = std::make_shared<std::vector<std::string>>();
    list->add_option("--config", *config, "Use the config's host.plugin_dirs and host.plugins");
    list->add_option("--plugin-dir", *dirs, "A folder to search (repeatable)")
        ->excludes("--config");
    list->callback([&exit_code, config, dirs] { exit_code = list_plugins(*config, *dirs); });

    auto* inspect = plugins->add_subcommand(
        "inspect", "Loads one plugin file and shows what it says about itself: name, version, "
                   "ABI, kinds, capabilities (nothing is enabled)");
    auto file = std::make_shared<std::string>();
    inspect->add_option("file", *file, "The plugin's .so file")->required();
    inspect->callback([&exit_code, file] { exit_code = inspect_plugin(*file); });
}

} // namespace lmharvest::cli
