// The sessions whose close runs now, shared by operator closes and harvest close sequences, so
// that one session never gets two releases and the planner skips it while its sequence waits.
#pragma once

#include <cstdint>
#include <mutex>
#include <set>

namespace lmharvest {

class ClosesUnderWay {
public:
    /// Marks `session_id` as being closed; false when it already was.
    bool begin(int64_t session_id);
    void end(int64_t session_id);
    /// The sessions marked now, for the planner ("close already under way").
    std::set<int64_t> ids() const;

private:
    mutable std::mutex mutex_; // guards ids_
    std::set<int64_t> ids_;
};

} // namespace lmharvest
