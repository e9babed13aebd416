// Reading a TOML config file's text, shared by the host's config and the agent's: the same
// messages for a folder, a missing file or a read error.
#pragma once

#include "config/config.hpp"
#include "config/error_list.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <toml++/toml.h>

namespace lmharvest {

struct ConfigText {
    std::string text;
    std::filesystem::path base_dir; ///< the file's folder: relative paths mean "next to the file"
};

/// The file's text, or one error without position.
Expected<ConfigText, ConfigErrors> read_config_file(const std::filesystem::path& file);

/// The text as a TOML table, or nullopt with its syntax error added to `errors` at its place.
std::optional<toml::table> parse_config_toml(std::string_view text, const std::string& source_name,
                                             ErrorList& errors);

/// `path` as written in a config file: relative paths are taken against `base_dir` (when set).
std::string resolve_config_path(const std::filesystem::path& base_dir, const std::string& path);

} // namespace lmharvest
