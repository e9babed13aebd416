// The lh_poll_sink handed to an adapter's poll() by AdapterInstance::poll(): keeps every lent
// record, checked and converted by lent_records.hpp, in the host's PollSnapshot.
#pragma once

#include "model/snapshot.hpp"
#include "plugins/lent_record_sink.hpp"

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
    const lh_poll_sink& c_sink() const { return records_.c_sink(); }

    /// Why a record could not be kept (the host ran out of memory, say); empty when all were.
    const std::string& failure() const { return records_.failure(); }

    // The Keeper of LentRecordSink: each record is built in place in its vector.
    template <class T> T& slot() { return records_of<T>(snapshot_).emplace_back(); }
    template <class T> void keep(T&) {}

private:
    PollSnapshot& snapshot_;
    LentRecordSink<SnapshotSink> records_{*this};
};

} // namespace lmharvest
