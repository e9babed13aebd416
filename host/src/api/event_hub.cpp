#include "api/event_hub.hpp"

#include "json/iso_time.hpp"
#include "json/safe_dump.hpp"
#include <algorithm>
#include <cerrno>
#include <deque>
#include <nlohmann/json.hpp>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace lmharvest {
namespace {

using Clock = std::chrono::steady_clock;

// One HTTP chunk of `text` (the answer is chunked: its header was sent that way).
std::string chunk_of(const std::string& text) {
    char size[20];
    const int length = std::snprintf(size, sizeof size, "%zx\r\n", text.size());
    return std::string(size, static_cast<std::size_t>(length)) + text + "\r\n";
}

// How long a stopping hub waits for listeners to take their last chunk.
constexpr auto last_chunk_wait = std::chrono::seconds(1);

} // namespace

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

class EventHub::Seat {
public:
    explicit Seat(EventHub& hub) : hub_(hub) {}
    ~Seat() {
        std::lock_guard lock(hub_.mutex_);
        --hub_.seats_;
    }
    Seat(const Seat&) = delete;
    Seat& operator=(const Seat&) = delete;

private:
    EventHub& hub_;
};

struct EventHub::Listener {
    std::unique_ptr<HandedConnection> connection;
    std::shared_ptr<Seat> seat;
    std::deque<Frame> frames;
    std::size_t sent = 0; // bytes of frames.front() sent

    void queue(const Frame& frame) {
        if (frames.size() >= max_queued) // drop the oldest not begun
            frames.erase(frames.begin() + (sent > 0 ? 1 : 0));
        frames.push_back(frame);
    }
    // Sends what the socket takes; false when the connection is gone.
    bool flush() {
        while (!frames.empty()) {
            const std::string& text = *frames.front();
            const ssize_t n = connection->send_now(text.data() + sent, text.size() - sent);
            if (n < 0)
                return false;
            if (n == 0)
                return true;
            sent += static_cast<std::size_t>(n);
            if (sent == text.size()) {
                frames.pop_front();
                sent = 0;
            }
        }
        return true;
    }
};

EventHub::EventHub(std::size_t max_listeners, std::chrono::milliseconds heartbeat)
    : max_listeners_(max_listeners), heartbeat_(heartbeat),
      wake_fd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
    thread_ = std::thread([this] { run(); });
}

EventHub::~EventHub() {
    stop();
    thread_.join();
    ::close(wake_fd_);
}

std::shared_ptr<EventHub::Seat> EventHub::reserve() {
    std::lock_guard lock(mutex_);
    if (stopped_ || seats_ >= max_listeners_)
        return nullptr;
    ++seats_;
    return std::make_shared<Seat>(*this);
}

void EventHub::adopt(std::unique_ptr<HandedConnection> connection, std::shared_ptr<Seat> seat) {
    {
        std::lock_guard lock(mutex_);
        if (stopped_)
            return; // the connection closes here
        arriving_.push_back({std::move(connection), std::move(seat), {}, 0});
    }
    wake();
}

void EventHub::publish(const PollEvent& event) {
    auto frame = std::make_shared<const std::string>(chunk_of(poll_event_frame(event)));
    {
        std::lock_guard lock(mutex_);
        published_.push_back(std::move(frame));
    }
    wake();
}

void EventHub::stop() {
    {
        std::lock_guard lock(mutex_);
        stopped_ = true;
    }
    wake();
}

std::size_t EventHub::listening() const {
    std::lock_guard lock(mutex_);
    return listening_;
}

void EventHub::wake() const {
    const uint64_t one = 1;
    [[maybe_unused]] const ssize_t written = ::write(wake_fd_, &one, sizeof one);
}

void EventHub::run() {
    const Frame heartbeat = std::make_shared<const std::string>(chunk_of(": heartbeat\n\n"));
    std::vector<Listener> listeners;
    std::vector<pollfd> ready;
    auto next_beat = Clock::now() + heartbeat_;
    bool stopping = false;
    while (!stopping) {
        std::vector<Frame> frames;
        {
            std::lock_guard lock(mutex_);
            for (Listener& arrived : arriving_)
                listeners.push_back(std::move(arrived));
            arriving_.clear();
            frames.swap(published_);
            stopping = stopped_;
        }
        if (Clock::now() >= next_beat) {
            frames.push_back(heartbeat);
            next_beat = Clock::now() + heartbeat_;
        }
        for (Listener& listener : listeners)
            for (const Frame& frame : frames)
                listener.queue(frame);
        std::erase_if(listeners, [](Listener& listener) { return !listener.flush(); });
        {
            std::lock_guard lock(mutex_);
            listening_ = listeners.size();
        }
        if (stopping)
            break;

        ready.assign(1, pollfd{wake_fd_, POLLIN, 0});
        for (const Listener& listener : listeners)
            ready.push_back(
                {listener.connection->fd(),
                 static_cast<short>(POLLIN |
                                    (listener.frames.empty() ? 0 : listener.connection->wants())),
                 0});
        const auto wait =
            std::chrono::duration_cast<std::chrono::milliseconds>(next_beat - Clock::now());
        if (::poll(ready.data(), ready.size(),
                   static_cast<int>(std::max<int64_t>(0, wait.count()))) < 0 &&
            errno != EINTR)
            continue;
        uint64_t count = 0;
        [[maybe_unused]] const ssize_t drained = ::read(wake_fd_, &count, sizeof count);
        // A listener whose client closed, or that sends what it should not, leaves.
        for (std::size_t i = 0; i < listeners.size(); ++i) {
            const short events = ready[i + 1].revents;
            if ((events & (POLLERR | POLLHUP | POLLNVAL)) != 0 ||
                ((events & POLLIN) != 0 && !listeners[i].connection->drain()))
                listeners[i].connection.reset();
        }
        std::erase_if(listeners, [](const Listener& listener) { return !listener.connection; });
    }

    // The end of every stream: its last chunk, for a while, then the close.
    const Frame last = std::make_shared<const std::string>("0\r\n\r\n");
    for (Listener& listener : listeners)
        listener.queue(last);
    const auto until = Clock::now() + last_chunk_wait;
    while (!listeners.empty() && Clock::now() < until) {
        std::erase_if(listeners, [](Listener& listener) {
            return !listener.flush() || listener.frames.empty();
        });
        if (!listeners.empty())
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    listeners.clear(); // their seats take the lock
    std::vector<Listener> late;
    {
        std::lock_guard lock(mutex_);
        listening_ = 0;
        late.swap(arriving_);
    }
}

} // namespace lmharvest
