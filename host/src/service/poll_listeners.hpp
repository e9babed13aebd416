// Who hears of each finished poll (the API's live events): a small list of callbacks that a
// listener adds and removes itself from, called from the poll threads.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>

namespace lmharvest {

/// One finished poll, as the service wrote it to the store.
struct PollEvent {
    std::string server_id;
    int64_t poll_time = 0; // epoch seconds
    bool ok = true;
    std::string error; // why, when !ok
    std::size_t features = 0, sessions = 0;
    int64_t licenses = 0;
};

class PollListeners {
public:
    using Listener = std::function<void(const PollEvent&)>;

    /// Returns the id that remove() takes.
    int add(Listener listener);
    /// After it returns, `id`'s listener is not running and is not called again.
    void remove(int id);
    void notify(const PollEvent& event) const;

private:
    mutable std::mutex mutex_; // held while notifying, so that remove() waits for a call
    std::map<int, Listener> listeners_;
    int next_id_ = 1;
};

} // namespace lmharvest
