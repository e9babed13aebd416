// Length-prefixed frames on a stream socket: `u32 length, u8 type, payload`, where length
// counts the type and the payload. Reads take a deadline and a size limit, so that a worker
// that hangs or floods the host costs one call, never the host.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace lmharvest::isolation {

enum class FrameType : uint8_t {
    create = 1,      // host -> worker: plugin file, settings, plugin table (TOML)
    poll,            // host -> worker: poll time, expected sessions
    close,           // host -> worker: close token
    created,         // worker -> host: error ("" when created), unread keys
    polled,          // worker -> host: a PollSnapshot
    closed,          // worker -> host: a CloseResult
    log,             // worker -> host, at any time: level, line
    inspect,         // host -> worker, instead of create: plugin file
    inspected,       // worker -> host: error ("" when loaded), the plugin's PluginInfo
    handler_create,  // agent -> worker, instead of create: plugin file, handler settings
    handler_created, // worker -> agent: a HandlerCreated
    handler_call,    // agent -> worker: a HandlerCall and its arguments
    handler_reply,   // worker -> agent: that call's answer
};

struct Frame {
    FrameType type{};
    std::string payload;
};

enum class ReadStatus { ok, closed, timed_out, too_large, error };

/// Writes one whole frame; false when the peer is gone. Never raises SIGPIPE.
bool write_frame(int fd, FrameType type, std::string_view payload);

/// Reads one frame, waiting until `deadline`; a frame longer than `max_size` is not read.
ReadStatus read_frame(int fd, Frame& frame, std::chrono::steady_clock::time_point deadline,
                      std::size_t max_size);

} // namespace lmharvest::isolation
