#include "process/run_process.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <poll.h>
#include <string_view>
#include <sys/prctl.h>
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

// argv[0] as execve needs it: a name without '/' is looked up in PATH here, before the fork,
// because the child may only make async-signal-safe calls.
std::string resolve_program(const std::string& name) {
    if (name.find('/') != std::string::npos)
        return name;
    const char* path = std::getenv("PATH");
    std::string_view dirs = path && *path ? path : "/usr/local/bin:/usr/bin:/bin";
    while (!dirs.empty()) {
        const size_t colon = dirs.find(':');
        std::string dir(dirs.substr(0, colon));
        dirs = colon == std::string_view::npos ? std::string_view() : dirs.substr(colon + 1);
        const std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
        if (::access(candidate.c_str(), X_OK) == 0)
            return candidate;
    }
    return name; // execve fails with ENOENT, which the caller reports
}

// Makes `fd` the child's descriptor `target`, without the CLOEXEC its pipe was made with.
void move_fd(int fd, int target) {
    if (fd == target)
        ::fcntl(fd, F_SETFD, 0);
    else
        ::dup2(fd, target);
}

// In the forked child: only async-signal-safe calls until execve. Own process group, so that
// a timeout kills whatever the tool started too; SIGKILL when the host's thread that forked
// it ends (PR_SET_PDEATHSIG; run_process blocks that thread for the child's whole life, so
// that is when the host dies); default signal handling, since the host ignores SIGPIPE and
// may block signals in its threads.
[[noreturn]] void exec_child(const char* program, char* const* argv, pid_t parent, int in, int out,
                             int err, int report) {
    ::setpgid(0, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) // the host died before prctl took effect
        ::_exit(127);
    std::signal(SIGPIPE, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    move_fd(in, STDIN_FILENO);
    move_fd(out, STDOUT_FILENO);
    move_fd(err, STDERR_FILENO);
    ::execve(program, argv, environ);
    const int error = errno;
    [[maybe_unused]] const ssize_t n = ::write(report, &error, sizeof error);
    ::_exit(127);
}

// Starts argv with the three pipes as stdin/stdout/stderr. Returns 0 or the errno of why the
// child could not start (told by the child through a CLOEXEC pipe that closes at execve).
int spawn(const ProcessRequest& request, Pipe& in, Pipe& out, Pipe& err, pid_t& pid) {
    const std::string program = resolve_program(request.argv[0]);
    std::vector<char*> argv;
    argv.reserve(request.argv.size() + 1);
    for (const std::string& arg : request.argv)
        argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    Pipe report;
    if (!make_pipe(report))
        return errno;
    const pid_t parent = ::getpid();
    pid = ::fork();
    if (pid < 0)
        return errno;
    if (pid == 0)
        exec_child(program.c_str(), argv.data(), parent, in.read_end.get(), out.write_end.get(),
                   err.write_end.get(), report.write_end.get());
    ::setpgid(pid, pid); // as the child does: no kill(-pid) may miss the group
    report.write_end.reset();
    int error = 0;
    ssize_t n;
    do
        n = ::read(report.read_end.get(), &error, sizeof error);
    while (n < 0 && errno == EINTR);
    if (n == sizeof error) {
        int status = 0;
        ::waitpid(pid, &status, 0);
        return error;
    }
    return 0;
}

enum class Stop { done, timeout, output_limit };

// Moves data between the host and the child until both output pipes close, time runs out or
// the output passes its limit. The deadline is checked between reads, so an endless stream
// cannot hold the host past it.
Stop pump(const ProcessRequest& request, Fd& stdin_fd, Fd& stdout_fd, Fd& stderr_fd,
          Clock::time_point deadline) {
    std::size_t written = 0;
    std::size_t delivered = 0;
    if (request.stdin_data.empty())
        stdin_fd.reset();
    else
        ::fcntl(stdin_fd.get(), F_SETFL, O_NONBLOCK);
    char buffer[65536];
    while (stdout_fd.get() >= 0 || stderr_fd.get() >= 0) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0)
            return Stop::timeout;
        pollfd fds[3] = {{stdout_fd.get(), POLLIN, 0},
                         {stderr_fd.get(), POLLIN, 0},
                         {stdin_fd.get(), POLLOUT, 0}};
        const int ready = ::poll(fds, 3, static_cast<int>(std::min<int64_t>(left.count(), 1000)));
        if (ready < 0 && errno != EINTR)
            return Stop::done; // cannot wait any more; the caller reaps the child
        if (ready <= 0)
            continue;
        Fd* outputs[2] = {&stdout_fd, &stderr_fd};
        for (int i = 0; i < 2; ++i) {
            if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            const ssize_t n = ::read(outputs[i]->get(), buffer, sizeof buffer);
            if (n > 0) {
                const std::size_t room = request.max_output - delivered;
                const std::size_t size = std::min(static_cast<std::size_t>(n), room);
                if (request.on_output && size > 0)
                    request.on_output(i == 0 ? OutputStream::out : OutputStream::err,
                                      std::string_view(buffer, size));
                delivered += size;
                if (size < static_cast<std::size_t>(n))
                    return Stop::output_limit;
            } else if (n == 0 || errno != EINTR) {
                outputs[i]->reset();
            }
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
    return Stop::done;
}

// Waits for the child to end; kills its group at the deadline. Returns the wait status.
int reap(pid_t pid, Clock::time_point deadline, bool killed, bool& timed_out) {
    int status = 0;
    for (;;) {
        const pid_t done = ::waitpid(pid, &status, killed ? 0 : WNOHANG);
        if (done == pid || (done < 0 && errno != EINTR))
            return status;
        if (!killed && Clock::now() >= deadline) {
            timed_out = killed = true;
            ::kill(-pid, SIGKILL);
            continue;
        }
        if (!killed)
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
    const Stop stop = pump(request, in.write_end, out.read_end, err.read_end, deadline);
    result.timed_out = stop == Stop::timeout;
    result.output_limited = stop == Stop::output_limit;
    if (stop != Stop::done)
        ::kill(-pid, SIGKILL); // the whole group: the tool and anything it started
    const int status = reap(pid, deadline, stop != Stop::done, result.timed_out);
    if (WIFEXITED(status))
        result.exit_code = WEXITSTATUS(status);
    else if (WIFSIGNALED(status))
        result.term_signal = WTERMSIG(status);
    result.duration_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
    return result;
}

} // namespace lmharvest
