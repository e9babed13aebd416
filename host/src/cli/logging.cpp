#include "cli/logging.hpp"

#include "text/terminal_escape.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace lmharvest {
namespace {

// Escapes control characters in every message before `next` writes it, so that no name a
// license server or a plugin printed can move the cursor or start a forged log line. Done
// here, once, rather than at each call site: the log has many writers, plugins among them.
class EscapingSink final : public spdlog::sinks::sink {
public:
    explicit EscapingSink(std::shared_ptr<spdlog::sinks::sink> next) : next_(std::move(next)) {}

    void log(const spdlog::details::log_msg& message) override {
        const std::string_view payload(message.payload.data(), message.payload.size());
        const std::string escaped = text::escape_for_terminal(payload);
        spdlog::details::log_msg copy = message;
        copy.payload = spdlog::string_view_t(escaped.data(), escaped.size());
        next_->log(copy);
    }
    void flush() override { next_->flush(); }
    void set_pattern(const std::string& pattern) override { next_->set_pattern(pattern); }
    void set_formatter(std::unique_ptr<spdlog::formatter> formatter) override {
        next_->set_formatter(std::move(formatter));
    }

private:
    std::shared_ptr<spdlog::sinks::sink> next_;
};

} // namespace

bool setup_logging(const std::string& level) {
    static bool configured = false;
    if (!configured) {
        auto stderr_sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
        auto logger = std::make_shared<spdlog::logger>(
            "lmharvest", std::make_shared<EscapingSink>(std::move(stderr_sink)));
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
