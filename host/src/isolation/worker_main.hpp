// The worker side of an adapter worker (`lmharvest plugin-worker --fd N`): loads one plugin
// with the host's loader, creates its instance and serves the host's calls until the socket
// closes. Log lines go to the host as frames.
#pragma once

namespace lmharvest::isolation {

/// Serves the socket `fd`; returns the process's exit code.
int run_plugin_worker(int fd);

} // namespace lmharvest::isolation
