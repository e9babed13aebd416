#include "service/poll_listeners.hpp"

namespace lmharvest {

int PollListeners::add(Listener listener) {
    std::lock_guard lock(mutex_);
    listeners_.emplace(next_id_, std::move(listener));
    return next_id_++;
}

void PollListeners::remove(int id) {
    std::lock_guard lock(mutex_);
    listeners_.erase(id);
}

void PollListeners::notify(const PollEvent& event) const {
    std::lock_guard lock(mutex_);
    for (const auto& [id, listener] : listeners_)
        listener(event);
}

} // namespace lmharvest
