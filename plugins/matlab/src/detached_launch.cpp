#include "detached_launch.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <lmharvest/plugin.hpp>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace lmharvest::matlab {
namespace {

// The program's path: argv[0] as is when it names a folder, else the first match in PATH.
std::string resolve(const std::string& program) {
    if (program.find('/') != std::string::npos)
        return program;
    const char* path = std::getenv("PATH");
    std::string_view rest = path ? path : "/usr/local/bin:/usr/bin:/bin";
    while (!rest.empty()) {
        const size_t colon = rest.find(':');
        const std::string candidate = std::string(rest.substr(0, colon)) + "/" + program;
        if (::access(candidate.c_str(), X_OK) == 0)
            return candidate;
        rest = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
    }
    throw sdk::Error(LH_ERR_SPAWN, "matlab: " + program + " is not in PATH");
}

std::vector<std::string> environment_with(const std::vector<std::string>& extra) {
    std::vector<std::string> result;
    for (char** entry = environ; *entry; ++entry) {
        const std::string_view text = *entry;
        bool replaced = false;
        for (const std::string& added : extra)
            replaced |= text.substr(0, text.find('=') + 1) == added.substr(0, added.find('=') + 1);
        if (!replaced)
            result.emplace_back(text);
    }
    result.insert(result.end(), extra.begin(), extra.end());
    return result;
}

std::vector<char*> c_array(std::vector<std::string>& strings) {
    std::vector<char*> array;
    for (std::string& text : strings)
        array.push_back(text.data());
    array.push_back(nullptr);
    return array;
}

} // namespace

void launch_detached(const Launch& launch) {
    if (launch.argv.empty())
        throw sdk::Error(LH_ERR_INVALID_ARGUMENT, "matlab: no program to start");
    // Everything is prepared before fork: between fork and exec only async-signal-safe calls.
    const std::string program = resolve(launch.argv.front());
    std::vector<std::string> argv = launch.argv;
    std::vector<std::string> env = environment_with(launch.env);
    std::vector<char*> c_argv = c_array(argv), c_env = c_array(env);
    const int log = ::open(launch.log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    const int null = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    int report[2];
    if (log < 0 || null < 0 || ::pipe2(report, O_CLOEXEC) != 0) {
        const std::string why = std::strerror(errno);
        if (log >= 0)
            ::close(log);
        if (null >= 0)
            ::close(null);
        throw sdk::Error(LH_ERR_SPAWN, "matlab: cannot open " + launch.log.string() + ": " + why);
    }
    const pid_t middle = ::fork();
    if (middle == 0) {
        // A second fork: the app is not our child, so the agent never has to reap it.
        ::setsid();
        if (::fork() != 0)
            ::_exit(0);
        ::dup2(null, 0);
        ::dup2(log, 1);
        ::dup2(log, 2);
        int error = 0;
        if (::chdir(launch.folder.c_str()) != 0)
            error = errno;
        else
            ::execve(program.c_str(), c_argv.data(), c_env.data());
        if (!error)
            error = errno;
        [[maybe_unused]] const ssize_t ignored = ::write(report[1], &error, sizeof error);
        ::_exit(127);
    }
    ::close(report[1]);
    ::close(log);
    ::close(null);
    int error = middle < 0 ? errno : 0;
    if (middle > 0) {
        while (::waitpid(middle, nullptr, 0) < 0 && errno == EINTR) {
        }
        // EOF (exec closed the pipe) means the program started; four bytes are its errno.
        while (::read(report[0], &error, sizeof error) < 0 && errno == EINTR) {
        }
    }
    ::close(report[0]);
    if (error)
        throw sdk::Error(LH_ERR_SPAWN, "matlab: cannot start " + program + " in " +
                                           launch.folder.string() + ": " + std::strerror(error));
}

} // namespace lmharvest::matlab
