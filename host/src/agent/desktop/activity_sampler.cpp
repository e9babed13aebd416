#include "agent/desktop/activity_sampler.hpp"

#include "agent/desktop/x11_desktop.hpp"

#include <spdlog/spdlog.h>

namespace lmharvest::agent {
namespace {

constexpr std::chrono::seconds reconnect_every{30};

} // namespace

ActivitySampler::ActivitySampler(const std::string& display) : display_name_(display) {
    if (display_name_.empty())
        spdlog::info("agent desktop=none input_idle=unknown reason=\"no X display given\"");
    else
        connect();
}

ActivitySampler::~ActivitySampler() = default;

void ActivitySampler::connect() {
    last_attempt_ = ActivityClock::now();
    auto desktop = X11Desktop::open(display_name_);
    if (!desktop) {
        spdlog::warn("agent desktop={} input_idle=unknown reason=\"{}\"", display_name_,
                     desktop.error());
        return;
    }
    desktop_ = std::move(*desktop);
    spdlog::info("agent desktop={} input_idle=known", display_name_);
}

bool ActivitySampler::has_display() const {
    return desktop_ && desktop_->connected();
}

void ActivitySampler::sample(const std::vector<ProcessEntry>& table) {
    if (desktop_ && !desktop_->connected()) {
        spdlog::warn("agent desktop={} input_idle=unknown reason=\"connection lost\"",
                     display_name_);
        desktop_.reset();
    }
    const auto now = ActivityClock::now();
    if (!desktop_ && !display_name_.empty() && now - *last_attempt_ >= reconnect_every)
        connect();
    DesktopSample desktop{now, std::nullopt, std::nullopt};
    if (desktop_) {
        desktop.input_idle_ms = desktop_->input_idle_ms();
        desktop.focused_pid = desktop_->focused_pid();
        if (!desktop_->connected())
            desktop = DesktopSample{now, std::nullopt, std::nullopt};
    }
    ledger_.record(desktop, table);
}

std::optional<int64_t> ActivitySampler::input_idle_s() const {
    return ledger_.input_idle_s();
}

AppActivity ActivitySampler::app(int64_t pid, std::chrono::seconds window) const {
    return ledger_.app(pid, window);
}

} // namespace lmharvest::agent
