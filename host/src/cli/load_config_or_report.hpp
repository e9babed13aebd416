// Loading the config for a subcommand: every error goes to stderr, as check-config prints it.
#pragma once

#include "config/config.hpp"

#include <optional>
#include <string>

namespace lmharvest {

/// The checked config, or nullopt after printing each error on its own line to stderr.
std::optional<Config> load_config_or_report(const std::string& file);

} // namespace lmharvest
