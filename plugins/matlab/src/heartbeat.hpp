// What the extension's heartbeat says about the app: it is written only while the app waits at
// its prompt (Octave's input event hook, MATLAB's timer), so a stale one means code is running.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <lmharvest/plugin.hpp>
#include <optional>

namespace lmharvest::matlab {

/// Whether `pid` is a live process (not gone, not a zombie).
bool process_running(int64_t pid);

/// How long ago the status file in `mailbox` (process `pid`'s) was written; nullopt when there
/// is none, or when it predates the process (left by an earlier process with that pid).
std::optional<std::chrono::milliseconds> heartbeat_age(const std::filesystem::path& mailbox,
                                                       int64_t pid);

/// WAITING with a fresh heartbeat, BUSY with a stale one from a running process, UNKNOWN when
/// no extension answers or the process is gone.
sdk::Activity activity_of(std::optional<std::chrono::milliseconds> age, bool running,
                          std::chrono::milliseconds stale_after);

} // namespace lmharvest::matlab
