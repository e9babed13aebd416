#include "isolation/worker_process.hpp"

#include "process/proc_stat.hpp"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <grp.h>
#include <linux/capability.h>
#include <linux/limits.h>
#include <string>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace lmharvest::isolation {
namespace {

constexpr int worker_fd = 3; // `plugin-worker --fd 3`
constexpr int worker_could_not_switch = 126;

// Empties the permitted, effective, inheritable and ambient capability sets (raw syscalls:
// async-signal-safe, and no libcap).
bool drop_capabilities() {
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct none[_LINUX_CAPABILITY_U32S_3] = {};
    return ::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) == 0 &&
           ::syscall(SYS_capset, &header, none) == 0;
}

// In the forked child: only async-signal-safe calls until execv. The host blocks SIGTERM and
// SIGHUP in its threads (sigwait) and ignores SIGPIPE: the worker starts with the defaults.
[[noreturn]] void exec_worker(const char* program, char* const* argv, pid_t parent, int null_fd,
                              int socket, const WorkerSettings& settings) {
    const std::optional<WorkerAccount>& account = settings.account;
    ::setpgid(0, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) // the host died before prctl took effect
        ::_exit(127);
    // Groups first, the uid last (after it, nothing else may change). A worker that cannot
    // switch never runs the plugin as the host's user: it ends, and the host says so.
    if (account && (::setgroups(0, nullptr) != 0 || ::setgid(account->gid) != 0 ||
                    ::setuid(account->uid) != 0))
        ::_exit(worker_could_not_switch);
    // A host that is not root switches through CAP_SETUID/CAP_SETGID (systemd's
    // AmbientCapabilities), which setuid() to another non-root user keeps: drop every
    // capability, so that the plugin cannot switch back.
    if (account && !drop_capabilities())
        ::_exit(worker_could_not_switch);
    // setuid clears the death signal of a process whose credentials changed: set it again.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent)
        ::_exit(127);
    if (settings.no_new_privileges)
        ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    const rlimit memory{static_cast<rlim_t>(settings.memory), static_cast<rlim_t>(settings.memory)};
    if (address_space_limited && settings.memory != 0)
        ::setrlimit(RLIMIT_AS, &memory);
    std::signal(SIGPIPE, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::dup2(null_fd, STDIN_FILENO);
    ::dup2(STDERR_FILENO, STDOUT_FILENO); // a plugin's printf must not reach the host's stdout
    if (socket == worker_fd)
        ::fcntl(socket, F_SETFD, 0);
    else
        ::dup2(socket, worker_fd);
    ::close_range(worker_fd + 1, ~0u, 0);
    ::execv(program, argv);
    ::_exit(127);
}

std::string describe(int status) {
    if (WIFEXITED(status) && WEXITSTATUS(status) == worker_could_not_switch)
        return "cannot switch to worker_user (the host must run as root)";
    if (WIFSIGNALED(status)) {
        const char* name = sigabbrev_np(WTERMSIG(status));
        return name ? std::string("SIG") + name : "signal " + std::to_string(WTERMSIG(status));
    }
    return "exit status " + std::to_string(WEXITSTATUS(status));
}

} // namespace

Expected<std::unique_ptr<WorkerProcess>> WorkerProcess::start(const WorkerSettings& settings) {
    char program[PATH_MAX] = {};
    if (::readlink("/proc/self/exe", program, sizeof program - 1) < 0)
        return unexpected(std::string("cannot find the host binary: ") + std::strerror(errno));
    std::string mode = "plugin-worker", fd_option = "--fd", fd_value = std::to_string(worker_fd);
    char* argv[] = {program, mode.data(), fd_option.data(), fd_value.data(), nullptr};
    int pair[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0)
        return unexpected(std::string("cannot make the worker's socket: ") + std::strerror(errno));
    const int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid == 0)
        exec_worker(program, argv, parent, null_fd, pair[1], settings);
    const int error = errno;
    ::close(pair[1]);
    if (null_fd >= 0)
        ::close(null_fd);
    if (pid < 0) {
        ::close(pair[0]);
        return unexpected(std::string("cannot start a worker: ") + std::strerror(error));
    }
    ::setpgid(pid, pid); // as the child does: no kill(-pid) may miss the group
    return std::unique_ptr<WorkerProcess>(new WorkerProcess(pid, pair[0]));
}

WorkerProcess::~WorkerProcess() {
    ::close(socket_);
    reap();
}

void WorkerProcess::kill() {
    if (reaped_)
        return;
    ::kill(-pid_, SIGKILL);
    ::kill(pid_, SIGKILL);
    while (::waitpid(pid_, &status_, 0) < 0 && errno == EINTR) {
    }
    reaped_ = true;
}

std::string WorkerProcess::reap() {
    using namespace std::chrono;
    const auto deadline = steady_clock::now() + seconds(1);
    while (!reaped_ && steady_clock::now() < deadline) {
        const pid_t done = ::waitpid(pid_, &status_, WNOHANG);
        if (done == pid_ || (done < 0 && errno != EINTR))
            reaped_ = true;
        else
            std::this_thread::sleep_for(milliseconds(5));
    }
    if (!reaped_)
        kill();
    return describe(status_);
}

bool WorkerProcess::allow_cpu(std::chrono::seconds seconds) const {
    std::ifstream file("/proc/" + std::to_string(pid_) + "/stat");
    std::string line;
    std::getline(file, line);
    const Expected<ProcStat> stat = parse_proc_stat(line);
    if (!stat)
        return false;
    const auto ticks = static_cast<unsigned long long>(::sysconf(_SC_CLK_TCK));
    rlimit cpu{};
    if (::prlimit(pid_, RLIMIT_CPU, nullptr, &cpu) != 0)
        return false;
    // Only the soft limit: raising it again for the next call needs no privilege.
    cpu.rlim_cur = static_cast<rlim_t>(stat->cpu_ticks / ticks + 1 +
                                       static_cast<unsigned long long>(seconds.count()));
    if (cpu.rlim_max != RLIM_INFINITY && cpu.rlim_cur > cpu.rlim_max)
        cpu.rlim_cur = cpu.rlim_max;
    return ::prlimit(pid_, RLIMIT_CPU, &cpu, nullptr) == 0;
}

std::size_t WorkerProcess::address_space_bytes() const {
    std::ifstream statm("/proc/" + std::to_string(pid_) + "/statm");
    std::size_t pages = 0;
    if (!(statm >> pages))
        return 0;
    return pages * static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
}

} // namespace lmharvest::isolation
