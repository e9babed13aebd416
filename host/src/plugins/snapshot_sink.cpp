#include "plugins/snapshot_sink.hpp"

namespace lmharvest {

SnapshotSink::SnapshotSink(PollSnapshot& snapshot, std::size_t expected_sessions)
    : snapshot_(snapshot) {
    try {
        snapshot_.sessions.reserve(expected_sessions);
    } catch (const std::exception&) {
        // Only a hint: the vector grows as the records come.
    }
}

} // namespace lmharvest
