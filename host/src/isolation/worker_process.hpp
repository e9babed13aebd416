// One adapter worker process: this binary in `plugin-worker` mode, with one end of a
// socketpair as fd 3 and nothing else of the host's (no store, no API socket, no token file).
#pragma once

#include "common/expected.hpp"

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <sys/types.h>

namespace lmharvest::isolation {

/// AddressSanitizer reserves terabytes of shadow address space when a program starts, so a
/// sanitized build cannot limit a worker's address space: it sets no RLIMIT_AS and never
/// recycles a worker for its size (the tests of that limit run in the plain build).
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool address_space_limited = false;
#else
inline constexpr bool address_space_limited = true;
#endif

/// The account a worker switches to before exec (the host must be root to switch).
struct WorkerAccount {
    uid_t uid = 0;
    gid_t gid = 0;
};

struct WorkerSettings {
    std::size_t memory = 512u << 20;      // RLIMIT_AS of the worker; 0: none
    std::size_t polls = 0;                // replaced after this many polls; 0: never
    std::chrono::seconds cpu{0};          // CPU time per call; 0: the call's deadline
    std::optional<WorkerAccount> account; // unset: the host's own user
    bool no_new_privileges = true;        // PR_SET_NO_NEW_PRIVS
};

class WorkerProcess {
public:
    /// Forks and execs the worker: its own process group, SIGKILL when the host thread that
    /// started it ends (PR_SET_PDEATHSIG), the settings' account (no supplementary groups), no
    /// new privileges and RLIMIT_AS = settings.memory unless the settings say otherwise.
    static Expected<std::unique_ptr<WorkerProcess>> start(const WorkerSettings& settings);

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
    /// Lets the worker use `seconds` more CPU time from now (the soft RLIMIT_CPU: past it the
    /// kernel sends SIGXCPU, which ends it); false when the limit could not be set.
    bool allow_cpu(std::chrono::seconds seconds) const;
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
