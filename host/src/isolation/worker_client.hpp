// The host's side of an adapter worker: AdapterInstance's calls sent as frames, with a
// deadline, a reply size limit, the worker's log lines written to the host's log, and a new
// worker after one died or was killed.
#pragma once

#include "isolation/worker_process.hpp"
#include "plugins/adapter_instance.hpp"

namespace lmharvest::isolation {

/// What AdapterInstance::create calls to run an instance in a worker.
WorkerStarter worker_starter(WorkerLimits limits);

/// How long one call into a worker may take: the adapter may run its tool twice (a retry),
/// plus the worker's start.
std::chrono::milliseconds call_deadline(std::chrono::milliseconds timeout);

/// The largest reply a worker may send for a server whose tools print up to `max_output`.
std::size_t max_reply(std::size_t max_output);

} // namespace lmharvest::isolation
