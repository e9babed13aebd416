// The host's side of an adapter worker: AdapterInstance's calls sent as frames, with a
// deadline, a reply size limit, the worker's log lines written to the host's log, and a new
// worker after one died or was killed.
#pragma once

#include "isolation/worker_process.hpp"
#include "plugins/adapter_instance.hpp"
#include "plugins/plugin_info.hpp"

#include <filesystem>

namespace lmharvest::isolation {

/// What AdapterInstance::create calls to run an instance in a worker.
WorkerStarter worker_starter(WorkerSettings worker);

/// Loads `file` in a new worker and returns what the plugin says about itself, so that none
/// of its code (constructors, entry point) runs in this process. The worker ends after it.
Expected<PluginInfo> inspect_in_worker(const std::filesystem::path& file,
                                       const WorkerSettings& worker);

/// How long one call into a worker may take: the adapter may run its tool twice (a retry),
/// plus the worker's start.
std::chrono::milliseconds call_deadline(std::chrono::milliseconds timeout);

/// The largest reply a worker may send for a server whose tools print up to `max_output`.
std::size_t max_reply(std::size_t max_output);

} // namespace lmharvest::isolation
