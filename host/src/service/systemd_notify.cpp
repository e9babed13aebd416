#include "service/systemd_notify.hpp"

#include <ctime>
#include <string>
#include <systemd/sd-daemon.h>

namespace lmharvest::systemd {
namespace {

void notify(const std::string& state) {
    sd_notify(0, state.c_str()); // < 0 or 0 (no systemd) change nothing for the service
}

} // namespace

void notify_ready() {
    notify("READY=1\nSTATUS=polling");
}

void notify_reloading() {
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    const long long usec = static_cast<long long>(now.tv_sec) * 1'000'000 + now.tv_nsec / 1000;
    notify("RELOADING=1\nMONOTONIC_USEC=" + std::to_string(usec) + "\nSTATUS=reloading");
}

void notify_stopping() {
    notify("STOPPING=1\nSTATUS=stopping");
}

void notify_watchdog() {
    notify("WATCHDOG=1");
}

std::chrono::milliseconds watchdog_ping_period() {
    uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0)
        return std::chrono::milliseconds(0);
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::microseconds(usec)) /
           2;
}

} // namespace lmharvest::systemd
