// The live events of GET /api/v1/events: each subscriber gets one server-sent event per
// finished poll and a heartbeat comment when nothing happened for a while. Each subscriber holds
// one of the API's HTTP workers for as long as it listens, so their number is bounded.
#pragma once

#include "service/poll_listeners.hpp"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace lmharvest {

/// The text of one server-sent event for a poll: `event: poll` and its JSON on one `data:` line.
std::string poll_event_frame(const PollEvent& event);

class EventHub {
public:
    class Subscription;

    EventHub(std::size_t max_subscribers, std::chrono::milliseconds heartbeat);

    /// A new subscriber, or nullptr when `max_subscribers` already listen or the hub stopped.
    std::shared_ptr<Subscription> subscribe();
    void publish(const PollEvent& event);
    /// Wakes every subscriber to end its stream; subscribe() refuses from now on.
    void stop();

    std::size_t max_subscribers() const { return max_subscribers_; }
    std::chrono::milliseconds heartbeat() const { return heartbeat_; }

private:
    friend class Subscription;

    const std::size_t max_subscribers_;
    const std::chrono::milliseconds heartbeat_;
    std::mutex mutex_; // guards everything below and every subscription's queue
    std::condition_variable changed_;
    std::size_t subscribers_ = 0;
    bool stopped_ = false;
    std::vector<Subscription*> listening_;
};

class EventHub::Subscription {
public:
    explicit Subscription(EventHub& hub) : hub_(hub) {}
    ~Subscription();
    Subscription(const Subscription&) = delete;
    Subscription& operator=(const Subscription&) = delete;

    /// Waits up to the heartbeat period: the next frames, a heartbeat comment when none came,
    /// or nullopt once the hub stopped.
    std::optional<std::string> next();

private:
    friend class EventHub;
    // A subscriber that stops reading must not grow the host's memory: past this many frames
    // the oldest go (the page refreshes on any event, so a lost one costs nothing).
    static constexpr std::size_t max_queued = 64;
    EventHub& hub_;
    std::deque<std::string> queued_;
};

} // namespace lmharvest
