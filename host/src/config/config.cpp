#include "config/config.hpp"

#include "config/config_sections.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace lmharvest {
namespace {

Expected<Config, ConfigErrors> load_text(std::string_view text, std::string source_name,
                                         const std::filesystem::path& base_dir) {
    ErrorList errors(source_name);
    toml::table root;
    try {
        root = toml::parse(text, source_name);
    } catch (const toml::parse_error& error) {
        errors.add(error.source(), "invalid TOML: " + std::string(error.description()) +
                                       "; fix the syntax at this place");
        return unexpected(errors.take());
    }
    TableReader reader(root, "", errors);
    Config config;
    config.host = read_host(reader, base_dir);
    config.groups = read_groups(reader);
    config.servers = read_servers(reader);
    config.harvest = read_harvest(reader, config.groups, config.host.groups_from, config.servers);
    config.tokens = read_tokens(reader);
    reader.reject_unknown_keys();
    if (!errors.empty())
        return unexpected(errors.take());
    return config;
}

ConfigErrors file_error(const std::filesystem::path& file, std::string message) {
    return {ConfigError{file.string(), 0, 0, std::move(message)}};
}

} // namespace

std::string ConfigError::to_string() const {
    if (line == 0)
        return file + ": " + message;
    return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
}

Expected<Config, ConfigErrors> load_config(const std::filesystem::path& file) {
    std::error_code error;
    if (std::filesystem::is_directory(file, error))
        return unexpected(file_error(file, "is a folder; give the path of the .toml file"));
    std::ifstream in(file, std::ios::binary);
    if (!in)
        return unexpected(file_error(file, std::string("cannot open: ") + std::strerror(errno) +
                                               "; check the path, or pass another file"));
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad())
        return unexpected(file_error(file, "cannot read: " + std::string(std::strerror(errno))));
    // Relative paths in the file mean "next to the file", wherever the host is started from.
    std::filesystem::path base_dir = std::filesystem::absolute(file, error).parent_path();
    return load_text(text.view(), file.string(), base_dir);
}

Expected<Config, ConfigErrors> load_config_string(std::string_view text, std::string source_name) {
    std::filesystem::path base_dir = std::filesystem::path(source_name).parent_path();
    return load_text(text, std::move(source_name), base_dir);
}

} // namespace lmharvest
