// spdlog to stderr, one line per event, at the level the config or --log-level asks for.
#pragma once

#include <optional>
#include <string>

namespace lmharvest {

/// Sets up the default logger; returns false (and keeps "info") for an unknown level name.
bool setup_logging(const std::string& level);

} // namespace lmharvest
