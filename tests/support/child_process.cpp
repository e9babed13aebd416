#include "child_process.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace lmharvest::test {
namespace {

std::string describe(const std::vector<std::string>& argv) {
    std::string text;
    for (const auto& arg : argv)
        text += (text.empty() ? "" : " ") + arg;
    return "'" + text + "'";
}

} // namespace

Expected<std::unique_ptr<ChildProcess>> ChildProcess::start(const std::vector<std::string>& argv,
                                                            const ChildOptions& options) {
    if (argv.empty())
        return unexpected(std::string("start: no argv"));
    // Everything the child needs is prepared before fork: after it only async-signal-safe calls.
    std::vector<std::string> env_strings;
    for (char** entry = environ; *entry; ++entry) {
        const std::string_view text(*entry);
        const auto name = text.substr(0, text.find('='));
        if (std::none_of(options.env.begin(), options.env.end(),
                         [&](const auto& item) { return item.first == name; }))
            env_strings.emplace_back(text);
    }
    for (const auto& [name, value] : options.env)
        env_strings.push_back(name + "=" + value);
    std::vector<char*> envp;
    for (auto& entry : env_strings)
        envp.push_back(entry.data());
    envp.push_back(nullptr);
    std::vector<char*> args;
    for (const auto& arg : argv)
        args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    const auto output = options.output.empty() ? std::string("/dev/null") : options.output.string();
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid < 0)
        return unexpected("start " + describe(argv) + ": fork: " + std::strerror(errno));
    if (pid == 0) {
        ::setpgid(0, 0);
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent)
            ::_exit(127);
        const int out = ::open(output.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        const int in = ::open("/dev/null", O_RDONLY);
        ::dup2(in, 0);
        ::dup2(out, 1);
        ::dup2(out, 2);
        for (const int fd : options.inherited_fds)
            ::fcntl(fd, F_SETFD, 0);
        ::execvpe(args[0], args.data(), envp.data());
        ::_exit(127);
    }
    ::setpgid(pid, pid); // also here, so that stop() finds the group whoever runs first
    return std::unique_ptr<ChildProcess>(new ChildProcess(pid, options.output));
}

ChildProcess::~ChildProcess() {
    stop();
}

bool ChildProcess::running() {
    if (reaped_)
        return false;
    if (::waitpid(pid_, &status_, WNOHANG) == pid_)
        reaped_ = true;
    return !reaped_;
}

Expected<int> ChildProcess::wait(std::chrono::milliseconds timeout) {
    if (!wait_until([&] { return !running(); }, timeout))
        return unexpected("pid " + std::to_string(pid_) + " still runs after " +
                          std::to_string(timeout.count()) + " ms");
    return WIFEXITED(status_) ? WEXITSTATUS(status_) : 128 + WTERMSIG(status_);
}

void ChildProcess::stop(std::chrono::milliseconds grace) {
    // The group too: a child's own children (a shell's sleep, a window's helper) go with it.
    ::kill(-pid_, SIGTERM);
    if (!reaped_ && !wait_until([&] { return !running(); }, grace))
        ::kill(-pid_, SIGKILL);
    ::kill(-pid_, SIGKILL);
    if (!reaped_ && ::waitpid(pid_, &status_, 0) == pid_)
        reaped_ = true;
}

Expected<std::string> run_command(const std::vector<std::string>& argv, const Environment& env,
                                  std::chrono::milliseconds timeout) {
    char pattern[] = "/tmp/lh-command-XXXXXX";
    const int fd = ::mkstemp(pattern);
    if (fd < 0)
        return unexpected("run " + describe(argv) + ": mkstemp: " + std::strerror(errno));
    ::close(fd);
    const std::filesystem::path output = pattern;
    auto child = ChildProcess::start(argv, {env, output, {}});
    if (!child)
        return unexpected(child.error());
    const auto code = (*child)->wait(timeout);
    auto text = read_text(output);
    std::filesystem::remove(output);
    if (!code)
        return unexpected("run " + describe(argv) + ": " + code.error());
    if (*code != 0)
        return unexpected("run " + describe(argv) + ": exit " + std::to_string(*code) + ": " +
                          text);
    return text;
}

std::vector<pid_t> children_of(pid_t parent) {
    std::vector<pid_t> children;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator("/proc", error)) {
        const std::string name = entry.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos)
            continue;
        const std::string stat = read_text(entry.path() / "stat");
        const size_t close = stat.rfind(')');
        if (close == std::string::npos)
            continue;
        std::istringstream rest(stat.substr(close + 2));
        char state = 0;
        pid_t ppid = 0;
        if (rest >> state >> ppid && ppid == parent)
            children.push_back(std::stoi(name));
    }
    return children;
}

bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
        if (std::chrono::steady_clock::now() >= deadline)
            return done();
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return true;
}

std::string read_text(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

} // namespace lmharvest::test
