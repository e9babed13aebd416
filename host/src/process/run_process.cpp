#include "process/run_process.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace lmharvest {
namespace {

using Clock = std::chrono::steady_clock;

// Closes a file descriptor once, when its owner goes out of scope.
class Fd {
public:
    Fd() = default;
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() { reset(); }
    int get() const { return fd_; }
    void reset(int fd = -1) {
        if (fd_ >= 0)
            ::close(fd_);
        fd_ = fd;
    }

private:
    int fd_ = -1;
};

struct Pipe {
    Fd read_end;
    Fd write_end;
};

bool make_pipe(Pipe& p) {
    int fds[2];
    // CLOEXEC so that a child spawned by another thread does not inherit our ends.
    if (::pipe2(fds, O_CLOEXEC) != 0)
        return false;
    p.read_end.reset(fds[0]);
    p.write_end.reset(fds[1]);
    return true;
}

// A child that exits while we still write its stdin must give EPIPE, not kill the host.
void ignore_sigpipe_once() {
    static std::once_flag once;
    std::call_once(once, [] { std::signal(SIGPIPE, SIG_IGN); });
}

// Spawns argv in its own process group with the three pipes as stdin/stdout/stderr.
int spawn(const ProcessRequest& request, Pipe& in, Pipe& out, Pipe& err, pid_t& pid) {
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attributes);
    posix_spawn_file_actions_adddup2(&actions, in.read_end.get(), STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&actions, out.write_end.get(), STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, err.write_end.get(), STDERR_FILENO);
    // Own process group, so that a timeout kills whatever the tool started too; default
    // signal dispositions, since the host ignores SIGPIPE.
    sigset_t default_signals;
    sigemptyset(&default_signals);
    sigaddset(&default_signals, SIGPIPE);
    posix_spawnattr_setsigdefault(&attributes, &default_signals);
    posix_spawnattr_setpgroup(&attributes, 0);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF);

    std::vector<char*> argv;
    argv.reserve(request.argv.size() + 1);
    for (const std::string& arg : request.argv)
        argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);

    const int rc = posix_spawnp(&pid, argv[0], &actions, &attributes, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    return rc;
}

void deliver(const ProcessRequest& request, OutputStream stream, const char* data, ssize_t n) {
    if (request.on_output && n > 0)
        request.on_output(stream, std::string_view(data, static_cast<std::size_t>(n)));
}

// Moves data between the host and the child until both output pipes close or time runs out.
// Returns false on timeout.
bool pump(const ProcessRequest& request, Fd& stdin_fd, Fd& stdout_fd, Fd& stderr_fd,
          Clock::time_point deadline) {
    std::size_t written = 0;
    if (request.stdin_data.empty())
        stdin_fd.reset();
    else
        ::fcntl(stdin_fd.get(), F_SETFL, O_NONBLOCK);
    char buffer[65536];
    while (stdout_fd.get() >= 0 || stderr_fd.get() >= 0) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0)
            return false;
        pollfd fds[3] = {{stdout_fd.get(), POLLIN, 0},
                         {stderr_fd.get(), POLLIN, 0},
                         {stdin_fd.get(), POLLOUT, 0}};
        const int ready = ::poll(fds, 3, static_cast<int>(std::min<int64_t>(left.count(), 1000)));
        if (ready < 0 && errno != EINTR)
            return true; // cannot wait any more; the caller reaps the child
        if (ready <= 0)
            continue;
        Fd* outputs[2] = {&stdout_fd, &stderr_fd};
        for (int i = 0; i < 2; ++i) {
            if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            const ssize_t n = ::read(outputs[i]->get(), buffer, sizeof buffer);
            if (n > 0)
                deliver(request, i == 0 ? OutputStream::out : OutputStream::err, buffer, n);
            else if (n == 0 || errno != EINTR)
                outputs[i]->reset();
        }
        if (fds[2].revents & (POLLOUT | POLLERR | POLLHUP)) {
            const ssize_t n = ::write(stdin_fd.get(), request.stdin_data.data() + written,
                                      request.stdin_data.size() - written);
            if (n > 0)
                written += static_cast<std::size_t>(n);
            if ((n < 0 && errno != EAGAIN && errno != EINTR) ||
                written == request.stdin_data.size())
                stdin_fd.reset(); // done, or the child closed its end: give it EOF
        }
    }
    return true;
}

// Waits for the child to end; kills its group at the deadline. Returns the wait status.
int reap(pid_t pid, Clock::time_point deadline, bool& timed_out) {
    int status = 0;
    for (;;) {
        const pid_t done = ::waitpid(pid, &status, timed_out ? 0 : WNOHANG);
        if (done == pid || (done < 0 && errno != EINTR))
            return status;
        if (!timed_out && Clock::now() >= deadline) {
            timed_out = true;
            ::kill(-pid, SIGKILL);
            continue;
        }
        if (!timed_out)
            ::usleep(2000);
    }
}

} // namespace

ProcessResult run_process(const ProcessRequest& request) {
    ProcessResult result;
    const Clock::time_point start = Clock::now();
    if (request.argv.empty() || request.argv[0].empty()) {
        result.error = "no program given";
        return result;
    }
    ignore_sigpipe_once();
    Pipe in, out, err;
    if (!make_pipe(in) || !make_pipe(out) || !make_pipe(err)) {
        result.error = std::string("cannot create pipes: ") + std::strerror(errno);
        return result;
    }
    pid_t pid = 0;
    if (const int rc = spawn(request, in, out, err, pid); rc != 0) {
        result.error = "cannot start '" + request.argv[0] + "': " + std::strerror(rc);
        return result;
    }
    result.started = true;
    // The child has its copies; close ours so that EOF arrives when the child is done.
    in.read_end.reset();
    out.write_end.reset();
    err.write_end.reset();

    const auto timeout = request.timeout.count() > 0 ? request.timeout : std::chrono::seconds(30);
    const Clock::time_point deadline = start + timeout;
    result.timed_out = !pump(request, in.write_end, out.read_end, err.read_end, deadline);
    if (result.timed_out)
        ::kill(-pid, SIGKILL); // the whole group: the tool and anything it started
    const int status = reap(pid, deadline, result.timed_out);
    if (WIFEXITED(status))
        result.exit_code = WEXITSTATUS(status);
    else if (WIFSIGNALED(status))
        result.term_signal = WTERMSIG(status);
    result.duration_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
    return result;
}

} // namespace lmharvest
