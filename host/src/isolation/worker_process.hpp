// One adapter worker process: this binary in `plugin-worker` mode, with one end of a
// socketpair as fd 3 and nothing else of the host's (no store, no API socket, no token file).
#pragma once

#include "common/expected.hpp"

#include <cstddef>
#include <memory>
#include <string>
#include <sys/types.h>

namespace lmharvest::isolation {

struct WorkerLimits {
    std::size_t memory = 512u << 20; // RLIMIT_AS of the worker
};

class WorkerProcess {
public:
    /// Forks and execs the worker: its own process group, SIGKILL when the host thread that
    /// started it ends (PR_SET_PDEATHSIG), no new privileges, RLIMIT_AS = limits.memory.
    static Expected<std::unique_ptr<WorkerProcess>> start(const WorkerLimits& limits);

    /// Closes the socket (the worker destroys its instance and exits) and reaps it, killing
    /// its process group when it has not ended within a second.
    ~WorkerProcess();
    WorkerProcess(const WorkerProcess&) = delete;
    WorkerProcess& operator=(const WorkerProcess&) = delete;

    int socket() const { return socket_; }

    /// Kills the process group now and reaps the worker.
    void kill();
    /// After its socket closed: waits up to a second for the worker to end (then kills it);
    /// how it ended, "SIGSEGV" or "exit status 3".
    std::string reap();
    /// The worker's address space (what RLIMIT_AS limits), 0 when unknown.
    std::size_t address_space_bytes() const;

private:
    WorkerProcess(pid_t pid, int socket) : pid_(pid), socket_(socket) {}
    pid_t pid_;
    int socket_;
    int status_ = 0;
    bool reaped_ = false;
};

} // namespace lmharvest::isolation
