// The worker side of a plugin worker (`lmharvest plugin-worker --fd N`): loads one plugin
// with the host's loader, creates its adapter instance (or, for the agent, its handler) and
// serves the calls until the socket closes. Log lines go to the host as frames.
#pragma once

#include "isolation/frame.hpp"

#include <functional>
#include <string_view>

namespace lmharvest::isolation {

/// Serves the socket `fd`; returns the process's exit code.
int run_plugin_worker(int fd);

/// Writes one frame to the host from any thread of the worker (replies and log lines must not
/// interleave); false when the host is gone.
bool send_to_host(int fd, FrameType type, std::string_view payload);

/// A handler worker: creates the handler the `create` frame asks for and serves the agent's
/// calls; `each_call` runs before each (a new log budget). Returns the exit code.
int serve_handler(int fd, const Frame& create, const std::function<void()>& each_call);

} // namespace lmharvest::isolation
