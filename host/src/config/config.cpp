#include "config/config.hpp"

#include "config/config_file.hpp"
#include "config/config_sections.hpp"

namespace lmharvest {
namespace {

Expected<Config, ConfigErrors> load_text(std::string_view text, std::string source_name,
                                         const std::filesystem::path& base_dir) {
    ErrorList errors(source_name);
    std::optional<toml::table> root = parse_config_toml(text, source_name, errors);
    if (!root)
        return unexpected(errors.take());
    TableReader reader(*root, "", errors);
    Config config;
    config.host = read_host(reader, base_dir);
    config.groups = read_groups(reader);
    config.servers = read_servers(reader);
    // Resolved here, so that a reload that changes only [host] isolation re-creates the
    // instances it moves (same_server_settings compares the servers' own settings).
    for (ServerConfig& server : config.servers)
        server.isolation = server.isolation.value_or(config.host.isolation);
    config.harvest = read_harvest(reader, config.groups, config.host.groups_from, config.servers);
    config.agents = read_agents(reader);
    config.tokens = read_tokens(reader);
    reader.reject_unknown_keys();
    if (!errors.empty())
        return unexpected(errors.take());
    return config;
}

} // namespace

std::string ConfigError::to_string() const {
    if (line == 0)
        return file + ": " + message;
    return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
}

Expected<Config, ConfigErrors> load_config(const std::filesystem::path& file) {
    auto text = read_config_file(file);
    if (!text)
        return unexpected(std::move(text.error()));
    return load_text(text->text, file.string(), text->base_dir);
}

Expected<Config, ConfigErrors> load_config_string(std::string_view text, std::string source_name) {
    std::filesystem::path base_dir = std::filesystem::path(source_name).parent_path();
    return load_text(text, std::move(source_name), base_dir);
}

} // namespace lmharvest
