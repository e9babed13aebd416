// Telling systemd how the service is (Type=notify, sd_notify(3)). Outside systemd, with no
// NOTIFY_SOCKET, every call is a no-op.
#pragma once

#include <chrono>

namespace lmharvest::systemd {

/// READY=1: the API listens and every server has been polled once (also after a reload).
void notify_ready();
/// RELOADING=1 with MONOTONIC_USEC, as systemd 253 wants it (252 ignores the extra field).
void notify_reloading();
/// STOPPING=1.
void notify_stopping();
/// WATCHDOG=1.
void notify_watchdog();

/// How often to send WATCHDOG=1: half of WatchdogSec= (WATCHDOG_USEC), or 0 when the unit
/// has no watchdog.
std::chrono::milliseconds watchdog_ping_period();

} // namespace lmharvest::systemd
