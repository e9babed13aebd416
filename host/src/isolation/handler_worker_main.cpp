// The worker side of a handler worker: the agent's HandlerInstance calls, served by a handler
// created in this process (agent/handler_instance.cpp), so that the plugin's crash is ours.
#include "isolation/handler_wire.hpp"
#include "isolation/worker_main.hpp"
#include "plugins/loaded_plugin.hpp"

#include <chrono>
#include <spdlog/spdlog.h>

namespace lmharvest::isolation {
namespace {

std::string created_reply(const HandlerCreated& created) {
    Writer out;
    encode(created, out);
    return std::move(out.bytes());
}

std::unique_ptr<agent::HandlerInstance> create_handler(int fd, const Frame& frame) {
    Reader in(frame.payload);
    HandlerCreateRequest request;
    HandlerCreated created;
    if (!decode(in, request)) {
        created.error = "the agent sent a garbled handler create request";
        send_to_host(fd, FrameType::handler_created, created_reply(created));
        return nullptr;
    }
    spdlog::set_level(static_cast<spdlog::level::level_enum>(request.log_level));
    auto plugin = load_plugin(request.plugin_file, run_process);
    if (!plugin) {
        created.error = plugin.error();
        send_to_host(fd, FrameType::handler_created, created_reply(created));
        return nullptr;
    }
    // The agent, which knows where each key is in the file, refuses the unread ones.
    auto handler = agent::HandlerInstance::create(*plugin, std::move(request.settings), false);
    if (!handler) {
        created.error = handler.error();
        send_to_host(fd, FrameType::handler_created, created_reply(created));
        return nullptr;
    }
    created.unread_keys = (*handler)->unread_keys();
    created.can_save = (*handler)->can_save();
    created.can_reopen = (*handler)->can_reopen();
    send_to_host(fd, FrameType::handler_created, created_reply(created));
    return std::move(*handler);
}

// One call of the agent; false when the agent is gone or sent what no call is.
bool serve_call(int fd, agent::HandlerInstance& handler, const Frame& frame) {
    if (frame.type != FrameType::handler_call)
        return false;
    Reader in(frame.payload);
    Writer out;
    const auto call = static_cast<HandlerCall>(in.u8());
    agent::ProcessFacts process;
    if (call == HandlerCall::features && decode(in, process)) {
        encode(handler.features(process), out);
    } else if (call == HandlerCall::activity && decode(in, process)) {
        out.u8(static_cast<uint8_t>(handler.activity(process)));
    } else if (call == HandlerCall::save_and_close) {
        const int64_t pid = in.i64();
        const std::chrono::milliseconds deadline(in.i64());
        const std::string reason = in.text();
        if (!in.ok())
            return false;
        encode(handler.save_and_close(pid, deadline, reason), out);
    } else if (SavedProject project; call == HandlerCall::reopen && decode(in, project)) {
        const Expected<void> reopened = handler.reopen(project);
        encode(reopened ? Expected<std::vector<SavedProject>>(std::vector<SavedProject>{})
                        : unexpected(reopened.error()),
               out);
    } else {
        return false;
    }
    return send_to_host(fd, FrameType::handler_reply, out.bytes());
}

} // namespace

int serve_handler(int fd, const Frame& create, const std::function<void()>& each_call) {
    const std::unique_ptr<agent::HandlerInstance> handler = create_handler(fd, create);
    if (!handler)
        return 1;
    const auto forever = std::chrono::steady_clock::time_point::max();
    constexpr std::size_t max_request = 1u << 20;
    Frame frame;
    while (read_frame(fd, frame, forever, max_request) == ReadStatus::ok) {
        each_call();
        if (!serve_call(fd, *handler, frame))
            return 1;
    }
    return 0; // the agent closed the socket: the handler is destroyed as the agent asked
}

} // namespace lmharvest::isolation
