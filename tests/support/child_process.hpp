// A child process for tests: started with argv in its own process group, its output in a file,
// and stopped with the whole group (also when the test fails, and when the test program dies).
#pragma once

#include "common/expected.hpp"

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <sys/types.h>
#include <utility>
#include <vector>

namespace lmharvest::test {

using Environment = std::vector<std::pair<std::string, std::string>>;

struct ChildOptions {
    Environment env;                // added to (or replacing in) the test's environment
    std::filesystem::path output;   // stdout and stderr go here; "" = /dev/null
    std::vector<int> inherited_fds; // kept open in the child (Xvfb -displayfd, ...)
};

class ChildProcess {
public:
    /// Starts argv[0] (looked up in PATH). The child gets SIGKILL when the thread that started
    /// it ends, so even a crashed test program leaves nothing behind.
    static Expected<std::unique_ptr<ChildProcess>> start(const std::vector<std::string>& argv,
                                                         const ChildOptions& options = {});
    ~ChildProcess(); // stop()
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    pid_t pid() const { return pid_; }
    const std::filesystem::path& output() const { return output_; }
    /// False once it has exited (it is then reaped).
    bool running();
    /// Waits up to `timeout` for it to exit by itself; its exit code, or an error.
    Expected<int> wait(std::chrono::milliseconds timeout);
    /// SIGTERM to its process group, SIGKILL after `grace`, then reaped. Safe to call twice.
    void stop(std::chrono::milliseconds grace = std::chrono::seconds(3));

private:
    ChildProcess(pid_t pid, std::filesystem::path output) : pid_(pid), output_(std::move(output)) {}
    pid_t pid_;
    bool reaped_ = false;
    int status_ = 0;
    std::filesystem::path output_;
};

/// Runs argv to its end (at most `timeout`) and returns its stdout and stderr, or an error
/// naming the command when it fails to start, times out, or exits non-zero.
Expected<std::string> run_command(const std::vector<std::string>& argv, const Environment& env,
                                  std::chrono::milliseconds timeout = std::chrono::seconds(20));

/// The pids whose parent is `parent` (a terminal's app, a launcher's child).
std::vector<pid_t> children_of(pid_t parent);

/// Polls `done` every 50 ms until it holds or `timeout` passes; its last answer.
bool wait_until(const std::function<bool()>& done,
                std::chrono::milliseconds timeout = std::chrono::seconds(10));

/// The whole text of a file ("" when absent).
std::string read_text(const std::filesystem::path& path);

} // namespace lmharvest::test
