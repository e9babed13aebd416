#include "isolation/worker_client.hpp"

#include "isolation/frame.hpp"
#include "isolation/wire.hpp"
#include "isolation/worker_call.hpp"

#include <cerrno>
#include <cstring>
#include <spdlog/spdlog.h>
#include <unistd.h>

namespace lmharvest::isolation {

std::chrono::milliseconds call_deadline(std::chrono::milliseconds timeout) {
    return 2 * timeout + std::chrono::seconds(5);
}

std::size_t max_reply(std::size_t max_output) {
    return 2 * max_output + (1u << 20);
}

namespace {

class WorkerClient final : public InstanceWorker {
public:
    WorkerClient(const LoadedPlugin& plugin, const InstanceSettings& settings,
                 WorkerSettings worker)
        : worker_(std::move(worker)), server_id_(settings.server_id), adapter_(settings.adapter),
          deadline_(call_deadline(settings.timeout)), max_reply_(max_reply(settings.max_output)) {
        Writer out;
        encode(plugin.info.path.string(), settings, static_cast<int>(spdlog::get_level()), out);
        create_request_ = std::move(out.bytes());
    }

    // Starts a worker and creates the instance in it: the keys its create() left unread.
    Expected<std::vector<std::string>> start() {
        auto process = WorkerProcess::start(worker_);
        polls_ = 0;
        if (!process)
            return unexpected(process.error());
        process_ = std::move(*process);
        auto reply = call(FrameType::create, create_request_, FrameType::created, "create");
        if (!reply)
            return unexpected(reply.error());
        Reader in(*reply);
        std::string error = in.text();
        std::vector<std::string> unread(in.u32());
        for (std::string& key : unread)
            key = in.text();
        if (!error.empty() || !in.ok()) {
            process_.reset();
            return unexpected(error.empty() ? "the worker's create reply is garbled" : error);
        }
        return unread;
    }

    PollSnapshot poll(int64_t poll_time, FailedPoll failed,
                      std::size_t expected_sessions) override {
        PollSnapshot snapshot;
        snapshot.server_id = server_id_;
        snapshot.poll_time = poll_time;
        Writer out;
        out.i64(poll_time);
        out.u8(failed == FailedPoll::keep ? 1 : 0);
        out.i64(static_cast<int64_t>(expected_sessions));
        auto reply = restart_and_call(FrameType::poll, out.bytes(), FrameType::polled, "poll");
        const std::string bytes = reply ? std::move(*reply) : std::string();
        Reader in(bytes);
        if (reply && !decode(in, snapshot)) {
            snapshot = {};
            reply = unexpected(garbled("poll"));
        }
        if (!reply) {
            snapshot.ok = false;
            snapshot.error = reply.error();
            snapshot.poll_time = poll_time;
        }
        ++polls_;
        recycle_if_worn();
        return snapshot;
    }

    CloseResult close(const std::string& close_token) override {
        Writer out;
        out.text(close_token);
        auto reply = restart_and_call(FrameType::close, out.bytes(), FrameType::closed, "close");
        CloseResult result;
        const std::string bytes = reply ? std::move(*reply) : std::string();
        Reader in(bytes);
        if (reply && !decode(in, result))
            reply = unexpected(garbled("close"));
        if (!reply)
            return {LH_ERR_GENERIC, reply.error(), 0};
        return result;
    }

private:
    std::string garbled(const char* call) {
        process_.reset();
        return adapter_ + " worker sent a garbled reply to " + call + ": worker restarted";
    }

    // A worker that died or was killed is replaced before the call; its instance is created
    // anew (the plugin keeps what must last in its state_dir).
    Expected<std::string> restart_and_call(FrameType type, const std::string& payload,
                                           FrameType reply, const char* what) {
        if (!process_) {
            auto started = start();
            if (!started)
                return unexpected(adapter_ + " worker could not be restarted: " + started.error());
            spdlog::info("server={} adapter={} worker restarted", server_id_, adapter_);
        }
        return call(type, payload, reply, what);
    }

    // One request and its reply. Any failure ends the worker (its process group), so that the
    // next call starts from a clean one.
    Expected<std::string> call(FrameType type, const std::string& payload, FrameType reply,
                               const char* what) {
        allow_cpu_once_more();
        auto answer = call_worker(*process_, {type, reply, what, deadline_, max_reply_}, payload,
                                  adapter_ + " worker", "server=" + server_id_);
        if (!answer)
            process_.reset();
        return answer;
    }

    // The call's CPU time: worker_cpu, or as much as its wall-clock deadline. A limit that
    // cannot be set (a worker_user host without CAP_SYS_RESOURCE) leaves the deadline alone.
    void allow_cpu_once_more() {
        const auto cpu = worker_.cpu.count() > 0
                             ? worker_.cpu
                             : std::chrono::ceil<std::chrono::seconds>(deadline_);
        if (!process_->allow_cpu(cpu) && !cpu_limit_warned_) {
            cpu_limit_warned_ = true;
            spdlog::warn("server={} adapter={} cannot limit the worker's CPU time (prlimit); "
                         "the call deadline still holds",
                         server_id_, adapter_);
        }
    }

    // A worker that served its polls, or whose address space grew past three quarters of its
    // limit (a leak), is replaced before the limit makes the plugin fail.
    void recycle_if_worn() {
        if (!process_)
            return;
        if (worker_.polls != 0 && polls_ >= worker_.polls) {
            spdlog::info("server={} adapter={} worker served {} polls: replaced", server_id_,
                         adapter_, polls_);
            process_.reset();
            return;
        }
        const std::size_t used = address_space_limited ? process_->address_space_bytes() : 0;
        if (used <= worker_.memory / 4 * 3)
            return;
        spdlog::warn("server={} adapter={} worker uses {} MB of its {} MB: restarted", server_id_,
                     adapter_, used >> 20, worker_.memory >> 20);
        process_.reset();
    }

    WorkerSettings worker_;
    std::size_t polls_ = 0; // by the current worker
    bool cpu_limit_warned_ = false;
    std::string server_id_;
    std::string adapter_;
    std::chrono::milliseconds deadline_;
    std::size_t max_reply_;
    std::string create_request_;
    std::unique_ptr<WorkerProcess> process_;
};

} // namespace

WorkerStarter worker_starter(WorkerSettings worker) {
    return [worker](const LoadedPlugin& plugin,
                    const InstanceSettings& settings) -> Expected<StartedWorker> {
        // The server's own state folder is the one place a worker of another account writes.
        if (worker.account &&
            ::chown(settings.state_dir.c_str(), worker.account->uid, worker.account->gid) != 0)
            return unexpected("cannot give " + settings.state_dir.string() +
                              " to worker_user: " + std::strerror(errno));
        auto client = std::make_unique<WorkerClient>(plugin, settings, worker);
        auto unread = client->start();
        if (!unread)
            return unexpected(unread.error());
        return StartedWorker{std::move(client), std::move(*unread)};
    };
}

Expected<PluginInfo> inspect_in_worker(const std::filesystem::path& file,
                                       const WorkerSettings& worker) {
    constexpr auto deadline_after = std::chrono::seconds(10);
    auto process = WorkerProcess::start(worker);
    if (!process)
        return unexpected(file.string() + ": " + process.error());
    const int socket = (*process)->socket();
    Writer out;
    out.text(file.string());
    ReadStatus status = ReadStatus::closed;
    Frame frame;
    if (write_frame(socket, FrameType::inspect, out.bytes()))
        status = read_past_logs(socket, frame, std::chrono::steady_clock::now() + deadline_after,
                                1u << 20, "plugin=" + file.stem().string());
    if (status == ReadStatus::ok && frame.type == FrameType::inspected) {
        Reader in(frame.payload);
        const std::string error = in.text();
        PluginInfo info;
        if (!error.empty())
            return unexpected(error);
        if (decode(in, info))
            return info;
    }
    if (status == ReadStatus::timed_out) {
        (*process)->kill();
        return unexpected(file.string() + ": loading it took more than " +
                          std::to_string(deadline_after.count()) + " s: worker killed");
    }
    if (status != ReadStatus::closed) {
        (*process)->kill();
        return unexpected(file.string() + ": the worker that loaded it sent a garbled answer");
    }
    return unexpected(file.string() + ": the worker that loaded it died: " + (*process)->reap());
}

} // namespace lmharvest::isolation
