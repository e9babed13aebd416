#include "cli/load_config_or_report.hpp"

#include <iostream>

namespace lmharvest {

std::optional<Config> load_config_or_report(const std::string& file) {
    auto config = load_config(file);
    if (config)
        return std::move(config.value());
    for (const ConfigError& error : config.error())
        std::cerr << error.to_string() << '\n';
    std::cerr << file << ": " << config.error().size() << " error"
              << (config.error().size() == 1 ? "" : "s") << "; nothing was started\n";
    return std::nullopt;
}

} // namespace lmharvest
