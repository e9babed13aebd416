#include "harvest/closes_under_way.hpp"

namespace lmharvest {

bool ClosesUnderWay::begin(int64_t session_id) {
    const std::lock_guard lock(mutex_);
    return ids_.insert(session_id).second;
}

void ClosesUnderWay::end(int64_t session_id) {
    const std::lock_guard lock(mutex_);
    ids_.erase(session_id);
}

std::set<int64_t> ClosesUnderWay::ids() const {
    const std::lock_guard lock(mutex_);
    return ids_;
}

} // namespace lmharvest
