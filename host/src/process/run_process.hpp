// Spawning child processes for the plugins: argv only (never a shell), a timeout that kills the
// child's whole process group, output streamed as it arrives.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace lmharvest {

enum class OutputStream { out = 1, err = 2 };

struct ProcessRequest {
    std::vector<std::string> argv; // argv[0]: a path, or a name looked up in PATH
    std::chrono::milliseconds timeout{30000};
    std::string stdin_data; // written to the child's stdin, which is then closed
    std::function<void(OutputStream, std::string_view)> on_output; // may be empty
};

struct ProcessResult {
    bool started = false;   // false: spawn failed, see error
    bool timed_out = false; // killed at the timeout
    int exit_code = -1;     // when it exited
    int term_signal = 0;    // when a signal ended it
    int64_t duration_ms = 0;
    std::string error; // why it did not start
};

/// Runs one child to its end or its timeout. Blocks the calling thread; safe to call from
/// several threads at once.
ProcessResult run_process(const ProcessRequest& request);

/// How the host runs processes for plugins; `lmharvest parse` swaps in a replay of a file.
using ProcessRunner = std::function<ProcessResult(const ProcessRequest&)>;

} // namespace lmharvest
