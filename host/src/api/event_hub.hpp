// The live events of GET /api/v1/events: each listener gets one server-sent event per finished
// poll and a heartbeat comment when nothing happened for a while.
//
// One thread writes to every listener. A request's worker sends the answer's header, hands its
// connection to the hub (connection_handoff.hpp) and is free again, so listeners hold no
// workers. Each poll's event is formatted and chunk-encoded once; the thread only copies its
// bytes into each socket as it takes them, without waiting on any.
#pragma once

#include "api/connection_handoff.hpp"
#include "service/poll_listeners.hpp"

#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace lmharvest {

/// The text of one server-sent event for a poll: `event: poll` and its JSON on one `data:` line.
std::string poll_event_frame(const PollEvent& event);

class EventHub {
public:
    /// A listener's place, held from its request to the end of its stream.
    class Seat;

    EventHub(std::size_t max_listeners, std::chrono::milliseconds heartbeat);
    ~EventHub();
    EventHub(const EventHub&) = delete;
    EventHub& operator=(const EventHub&) = delete;

    /// A place for one more listener, or nullptr when `max_listeners` listen or the hub stopped.
    std::shared_ptr<Seat> reserve();
    /// Takes over a listener's connection, whose chunked answer has begun: from now on each
    /// event goes to it as one chunk. It leaves (and frees its seat) when it closes, fails, or
    /// falls `max_queued` events behind.
    void adopt(std::unique_ptr<HandedConnection> connection, std::shared_ptr<Seat> seat);
    void publish(const PollEvent& event);
    /// Ends every stream with its last chunk and closes it (within a second for a listener
    /// that does not read); reserve() refuses from now on.
    void stop();

    std::size_t max_listeners() const { return max_listeners_; }
    /// Listeners whose stream the hub writes now.
    std::size_t listening() const;

    // A listener that stops reading must not grow the host's memory: past this many events
    // the oldest not yet begun go (the page refreshes on any event, so a lost one costs nothing).
    static constexpr std::size_t max_queued = 64;

private:
    struct Listener;
    using Frame = std::shared_ptr<const std::string>;

    void run();
    void wake() const;

    const std::size_t max_listeners_;
    const std::chrono::milliseconds heartbeat_;
    int wake_fd_ = -1;         // an eventfd: adopt(), publish() and stop() wake the thread
    mutable std::mutex mutex_; // guards everything below
    std::size_t seats_ = 0;
    bool stopped_ = false;
    std::vector<Listener> arriving_;
    std::vector<Frame> published_;
    std::size_t listening_ = 0;
    std::thread thread_;
};

} // namespace lmharvest
