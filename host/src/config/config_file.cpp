#include "config/config_file.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace lmharvest {
namespace {

ConfigErrors file_error(const std::filesystem::path& file, std::string message) {
    return {ConfigError{file.string(), 0, 0, std::move(message)}};
}

} // namespace

Expected<ConfigText, ConfigErrors> read_config_file(const std::filesystem::path& file) {
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
    // Relative paths in the file mean "next to the file", wherever the program is started from.
    return ConfigText{std::move(text).str(), std::filesystem::absolute(file, error).parent_path()};
}

std::string resolve_config_path(const std::filesystem::path& base_dir, const std::string& path) {
    std::filesystem::path value(path);
    if (value.is_absolute() || base_dir.empty())
        return value.lexically_normal().string();
    return (base_dir / value).lexically_normal().string();
}

std::optional<toml::table> parse_config_toml(std::string_view text, const std::string& source_name,
                                             ErrorList& errors) {
    try {
        return toml::parse(text, source_name);
    } catch (const toml::parse_error& error) {
        errors.add(error.source(), "invalid TOML: " + std::string(error.description()) +
                                       "; fix the syntax at this place");
        return std::nullopt;
    }
}

} // namespace lmharvest
