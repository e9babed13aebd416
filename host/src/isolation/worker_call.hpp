// One call into a worker, as the adapters' and the handlers' clients make it: a request frame,
// the worker's log lines on the way written to this process's log, and its reply, within a
// deadline and a size limit. Whatever goes wrong ends the worker and says why in one phrase.
#pragma once

#include "common/expected.hpp"
#include "isolation/frame.hpp"
#include "isolation/worker_process.hpp"

#include <chrono>
#include <string>
#include <string_view>

namespace lmharvest::isolation {

/// Reads the worker's frames until one that is not a log line; the log lines on the way go to
/// this process's log after `who` ("server=ID").
ReadStatus read_past_logs(int socket, Frame& frame, std::chrono::steady_clock::time_point deadline,
                          std::size_t max_size, const std::string& who);

struct WorkerCall {
    FrameType request{};
    FrameType reply{};
    const char* what = "";                 // "poll", for messages
    std::chrono::milliseconds deadline{0}; // from now
    std::size_t max_reply = 0;
};

/// Sends `payload` and returns the reply's payload. On failure the worker has been killed or
/// reaped, the error is logged after `who` and says why: "poll exceeded 25 s: worker killed",
/// "flexnet worker died: SIGSEGV in poll" (`worker` names it: "flexnet worker"); the caller
/// then drops `process`.
Expected<std::string> call_worker(WorkerProcess& process, const WorkerCall& call,
                                  std::string_view payload, const std::string& worker,
                                  const std::string& who);

} // namespace lmharvest::isolation
