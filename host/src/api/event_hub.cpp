#include "api/event_hub.hpp"

#include "json/iso_time.hpp"
#include "json/safe_dump.hpp"
#include <algorithm>
#include <nlohmann/json.hpp>

namespace lmharvest {

std::string poll_event_frame(const PollEvent& event) {
    const nlohmann::json data = {{"server", event.server_id},
                                 {"time", iso8601_local(event.poll_time)},
                                 {"ok", event.ok},
                                 {"error", event.error},
                                 {"features", event.features},
                                 {"sessions", event.sessions},
                                 {"licenses", event.licenses}};
    return "event: poll\ndata: " + safe_dump(data) + "\n\n";
}

EventHub::EventHub(std::size_t max_subscribers, std::chrono::milliseconds heartbeat)
    : max_subscribers_(max_subscribers), heartbeat_(heartbeat) {}

std::shared_ptr<EventHub::Subscription> EventHub::subscribe() {
    std::lock_guard lock(mutex_);
    if (stopped_ || subscribers_ >= max_subscribers_)
        return nullptr;
    auto subscription = std::make_shared<Subscription>(*this);
    ++subscribers_;
    listening_.push_back(subscription.get());
    return subscription;
}

void EventHub::publish(const PollEvent& event) {
    const std::string frame = poll_event_frame(event);
    std::lock_guard lock(mutex_);
    for (Subscription* subscription : listening_) {
        if (subscription->queued_.size() == Subscription::max_queued)
            subscription->queued_.pop_front();
        subscription->queued_.push_back(frame);
    }
    changed_.notify_all();
}

void EventHub::stop() {
    std::lock_guard lock(mutex_);
    stopped_ = true;
    changed_.notify_all();
}

EventHub::Subscription::~Subscription() {
    std::lock_guard lock(hub_.mutex_);
    std::erase(hub_.listening_, this);
    --hub_.subscribers_;
}

std::optional<std::string> EventHub::Subscription::next() {
    std::unique_lock lock(hub_.mutex_);
    hub_.changed_.wait_for(lock, hub_.heartbeat_,
                           [this] { return hub_.stopped_ || !queued_.empty(); });
    if (hub_.stopped_)
        return std::nullopt;
    if (queued_.empty())
        return std::string(": heartbeat\n\n");
    std::string frames;
    for (const std::string& frame : queued_)
        frames += frame;
    queued_.clear();
    return frames;
}

} // namespace lmharvest
