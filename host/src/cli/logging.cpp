#include "cli/logging.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace lmharvest {

bool setup_logging(const std::string& level) {
    static bool configured = false;
    if (!configured) {
        auto logger = spdlog::stderr_color_mt("lmharvest");
        logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v");
        spdlog::set_default_logger(logger);
        configured = true;
    }
    const auto parsed = spdlog::level::from_str(level);
    // from_str answers "off" for any name it does not know.
    if (parsed == spdlog::level::off && level != "off") {
        spdlog::set_level(spdlog::level::info);
        return false;
    }
    spdlog::set_level(parsed);
    return true;
}

} // namespace lmharvest
