#include "isolation/worker_main.hpp"

#include "isolation/frame.hpp"
#include "isolation/wire.hpp"
#include "plugins/loaded_plugin.hpp"

#include <chrono>
#include <mutex>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

namespace lmharvest::isolation {

bool send_to_host(int fd, FrameType type, std::string_view payload) {
    // Frames leave from the serving thread (replies) and from any thread of the plugin (logs).
    static std::mutex write_mutex;
    std::lock_guard lock(write_mutex);
    return write_frame(fd, type, payload);
}

namespace {

// Bytes of log one call may send to the host; past it one line says so and the rest is dropped.
constexpr std::size_t log_budget = 1u << 20;

class FrameLogSink final : public spdlog::sinks::base_sink<std::mutex> {
public:
    explicit FrameLogSink(int fd) : fd_(fd) {}
    void new_call() {
        std::lock_guard lock(mutex_);
        used_ = 0;
    }

protected:
    void sink_it_(const spdlog::details::log_msg& msg) override {
        if (used_ > log_budget)
            return;
        used_ += msg.payload.size();
        Writer out;
        if (used_ > log_budget) {
            out.u8(static_cast<uint8_t>(spdlog::level::warn));
            out.text("log truncated: the plugin wrote more than 1 MB of log in one call");
        } else {
            out.u8(static_cast<uint8_t>(msg.level));
            out.text(std::string_view(msg.payload.data(), msg.payload.size()));
        }
        send_to_host(fd_, FrameType::log, out.bytes());
    }
    void flush_() override {}

private:
    int fd_;
    std::size_t used_ = 0;
};

std::string created_reply(const std::string& error, const std::vector<std::string>& unread) {
    Writer out;
    out.text(error);
    out.u32(static_cast<uint32_t>(unread.size()));
    for (const std::string& key : unread)
        out.text(key);
    return std::move(out.bytes());
}

// Loads the plugin and creates the instance the first frame asks for; the reply says why not.
std::unique_ptr<AdapterInstance> create_instance(int fd, const Frame& frame) {
    Reader in(frame.payload);
    CreateRequest request;
    if (frame.type != FrameType::create || !decode(in, request)) {
        send_to_host(fd, FrameType::created, created_reply("the host sent no create request", {}));
        return nullptr;
    }
    auto plugin = load_plugin(request.plugin_file, run_process);
    if (!plugin) {
        send_to_host(fd, FrameType::created, created_reply(plugin.error(), {}));
        return nullptr;
    }
    spdlog::set_level(static_cast<spdlog::level::level_enum>(request.log_level));
    request.settings.refuse_unread_keys = false;
    auto instance = AdapterInstance::create(*plugin, std::move(request.settings));
    if (!instance) {
        send_to_host(fd, FrameType::created, created_reply(instance.error(), {}));
        return nullptr;
    }
    send_to_host(fd, FrameType::created, created_reply("", (*instance)->unread_keys()));
    return std::move(*instance);
}

// `plugins inspect`, `plugins list` and the host's loading: the plugin is loaded here and
// what it says about itself goes back, so that its constructors and entry point never run in
// the host. The worker ends after the reply.
int inspect_plugin(int fd, const Frame& frame) {
    Reader in(frame.payload);
    const std::string file = in.text();
    Writer out;
    if (!in.ok()) {
        out.text("the host sent a garbled inspect request");
    } else if (auto plugin = load_plugin(file, run_process); !plugin) {
        out.text(plugin.error());
    } else {
        out.text("");
        encode((*plugin)->info, out);
    }
    return send_to_host(fd, FrameType::inspected, out.bytes()) ? 0 : 1;
}

// One call of the host; false when the host is gone or sent what no call is.
bool serve(int fd, AdapterInstance& instance, const Frame& frame) {
    Reader in(frame.payload);
    Writer out;
    if (frame.type == FrameType::poll) {
        const int64_t poll_time = in.i64();
        const auto failed = in.u8() ? FailedPoll::keep : FailedPoll::drop;
        const auto expected = static_cast<std::size_t>(in.i64());
        if (!in.ok())
            return false;
        encode(instance.poll(poll_time, failed, expected), out);
        return send_to_host(fd, FrameType::polled, out.bytes());
    }
    if (frame.type == FrameType::close) {
        const std::string token = in.text();
        if (!in.ok())
            return false;
        encode(instance.close(token), out);
        return send_to_host(fd, FrameType::closed, out.bytes());
    }
    return false;
}

} // namespace

int run_plugin_worker(int fd) {
    auto sink = std::make_shared<FrameLogSink>(fd);
    auto logger = std::make_shared<spdlog::logger>("worker", sink);
    spdlog::set_default_logger(logger); // at the host's level once the create request says it
    const auto forever = std::chrono::steady_clock::time_point::max();
    constexpr std::size_t max_request = 64u << 20;
    Frame frame;
    if (read_frame(fd, frame, forever, max_request) != ReadStatus::ok)
        return 1;
    if (frame.type == FrameType::inspect)
        return inspect_plugin(fd, frame);
    if (frame.type == FrameType::handler_create)
        return serve_handler(fd, frame, [&sink] { sink->new_call(); });
    const std::unique_ptr<AdapterInstance> instance = create_instance(fd, frame);
    if (!instance)
        return 1;
    while (read_frame(fd, frame, forever, max_request) == ReadStatus::ok) {
        sink->new_call();
        if (!serve(fd, *instance, frame))
            return 1;
    }
    return 0; // the host closed the socket: the instance is destroyed as the host asked
}

} // namespace lmharvest::isolation
