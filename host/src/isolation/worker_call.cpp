#include "isolation/worker_call.hpp"

#include "isolation/wire.hpp"

#include <spdlog/spdlog.h>

namespace lmharvest::isolation {
namespace {

// A log frame of the worker, written to this process's log after `who` ("server=ID").
void forward_log(const std::string& who, const std::string& payload) {
    Reader in(payload);
    const auto level = static_cast<spdlog::level::level_enum>(in.u8());
    const std::string line = in.text();
    if (in.ok() && level >= spdlog::level::trace && level < spdlog::level::off)
        spdlog::log(level, "{} {}", who, line);
}

std::string failure(WorkerProcess& process, ReadStatus status, const WorkerCall& call,
                    const std::string& worker) {
    const std::string what = call.what;
    if (status == ReadStatus::timed_out) {
        process.kill();
        const auto seconds =
            std::chrono::duration_cast<std::chrono::seconds>(call.deadline).count();
        return what + " exceeded " + std::to_string(seconds) + " s: worker killed";
    }
    if (status == ReadStatus::too_large) {
        process.kill();
        return what + " reply passed " + std::to_string(call.max_reply >> 20) +
               " MB: worker killed";
    }
    if (status == ReadStatus::ok) {
        process.kill();
        return worker + " answered " + what + " out of turn: worker killed";
    }
    return worker + " died: " + process.reap() + " in " + what;
}

} // namespace

ReadStatus read_past_logs(int socket, Frame& frame, std::chrono::steady_clock::time_point deadline,
                          std::size_t max_size, const std::string& who) {
    for (;;) {
        const ReadStatus status = read_frame(socket, frame, deadline, max_size);
        if (status != ReadStatus::ok || frame.type != FrameType::log)
            return status;
        forward_log(who, frame.payload);
    }
}

Expected<std::string> call_worker(WorkerProcess& process, const WorkerCall& call,
                                  std::string_view payload, const std::string& worker,
                                  const std::string& who) {
    const auto deadline = std::chrono::steady_clock::now() + call.deadline;
    ReadStatus status = ReadStatus::closed;
    Frame frame;
    if (write_frame(process.socket(), call.request, payload))
        status = read_past_logs(process.socket(), frame, deadline, call.max_reply, who);
    if (status == ReadStatus::ok && frame.type == call.reply)
        return std::move(frame.payload);
    std::string reason = failure(process, status, call, worker);
    spdlog::error("{} {}", who, reason);
    return unexpected(std::move(reason));
}

} // namespace lmharvest::isolation
