// Spawning child processes for the plugins: argv only (never a shell), a timeout and an output
// limit that kill the child's whole process group, output streamed as it arrives, and a child
// that dies with the host.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace lmharvest {

enum class OutputStream { out = 1, err = 2 };

/// Default of a server's `max_output`: far above any real lmstat (10 MB for 69k sessions), far
/// below what an endless tool fills memory with.
inline constexpr std::size_t default_max_output = 64u << 20;

struct ProcessRequest {
    std::vector<std::string> argv; // argv[0]: a path, or a name looked up in PATH
    std::chrono::milliseconds timeout{30000};
    std::string stdin_data; // written to the child's stdin, which is then closed
    std::function<void(OutputStream, std::string_view)> on_output; // may be empty
    /// Bytes of stdout and stderr together; past it the child is killed (output_limited).
    std::size_t max_output = default_max_output;
};

struct ProcessResult {
    bool started = false;        // false: spawn failed, see error
    bool timed_out = false;      // killed at the timeout
    bool output_limited = false; // killed when its output passed max_output
    int exit_code = -1;          // when it exited
    int term_signal = 0;         // when a signal ended it
    int64_t duration_ms = 0;
    std::string error; // why it did not start
};

/// Runs one child to its end, its timeout or its output limit. Blocks the calling thread;
/// safe to call from several threads at once. The child gets SIGKILL when the calling thread
/// ends, so when the host dies (even by kill -9) the tool does not outlive it.
ProcessResult run_process(const ProcessRequest& request);

/// How the host runs processes for plugins; `lmharvest parse` swaps in a replay of a file.
using ProcessRunner = std::function<ProcessResult(const ProcessRequest&)>;

} // namespace lmharvest
