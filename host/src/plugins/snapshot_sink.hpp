// The lh_poll_sink handed to an adapter's poll(): copies each borrowed record into the host's
// PollSnapshot while the callback runs, since the plugin's pointers die when it returns.
#pragma once

#include "model/snapshot.hpp"

#include <lmharvest/records.h>
#include <string>

namespace lmharvest {

class SnapshotSink {
public:
    /// Records go into `snapshot`, which must outlive the sink, with room made for
    /// `expected_sessions` sessions (a hint: more or fewer may come).
    explicit SnapshotSink(PollSnapshot& snapshot, std::size_t expected_sessions = 0);
    SnapshotSink(const SnapshotSink&) = delete;
    SnapshotSink& operator=(const SnapshotSink&) = delete;

    /// The C sink to pass to poll(); valid while this object lives.
    const lh_poll_sink* c_sink() const { return &sink_; }

    /// Why a record could not be kept (the host ran out of memory, say); empty when all were.
    const std::string& failure() const { return failure_; }

private:
    template <class Record, auto Copy> static void receive(void* self, const Record* record);

    PollSnapshot& snapshot_;
    lh_poll_sink sink_{};
    std::string failure_;
};

} // namespace lmharvest
