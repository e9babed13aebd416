// The agent's side of a handler worker: HandlerInstance's calls sent as frames to a worker
// process that loaded the handler plugin, each with a deadline, and a new worker after one died
// or was killed. The agent lives through whatever the plugin does.
#pragma once

#include "agent/handler_instance.hpp"
#include "isolation/worker_process.hpp"

#include <filesystem>
#include <memory>

namespace lmharvest::isolation {

/// What a handler worker is allowed. Unlike an adapter's, the worker sets no address-space or
/// CPU limit and no no_new_privs: apps that a handler reopens are started from it and would
/// inherit them (MATLAB needs gigabytes of address space and hours of CPU).
WorkerSettings handler_worker_settings();

/// Starts a worker that loads `plugin_file` and creates the handler there. Refused as
/// HandlerInstance::create refuses, and when the worker cannot start.
Expected<std::unique_ptr<agent::HandlerInstance>>
start_handler_worker(const std::filesystem::path& plugin_file, agent::HandlerSettings settings,
                     WorkerSettings worker = handler_worker_settings());

} // namespace lmharvest::isolation
