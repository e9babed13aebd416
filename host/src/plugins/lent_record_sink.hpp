// The lh_poll_sink handed to an adapter's poll(), over a Keeper that says where each record
// goes: SnapshotSink keeps them all in a PollSnapshot, `lmharvest parse --json` writes each
// session to the JSON at once. The checks and conversions (lent_records.hpp) are the same.
#pragma once

#include "plugins/abi_sizes.hpp"
#include "plugins/lent_records.hpp"

#include <exception>
#include <string>
#include <type_traits>
#include <vector>

namespace lmharvest {

/// A Keeper has, for each model type T of lent_records.hpp:
///   T& slot<T>()      a record to convert the next lent one into (a new element or a reused one);
///   void keep(T& t)   called once t holds it.
template <class Keeper> class LentRecordSink {
public:
    /// `keeper` must outlive the sink.
    explicit LentRecordSink(Keeper& keeper) : keeper_(keeper) {
        sink_.struct_size = sizeof sink_;
        sink_.user_data = this;
        sink_.server = &receive<lh_server_status>;
        sink_.vendor = &receive<lh_vendor_status>;
        sink_.feature = &receive<lh_feature>;
        sink_.session = &receive<lh_session>;
        sink_.denial = &receive<lh_denial>;
        sink_.skipped = &receive<lh_skipped_line>;
    }
    LentRecordSink(const LentRecordSink&) = delete;
    LentRecordSink& operator=(const LentRecordSink&) = delete;

    /// The C sink to pass to poll(); valid while this object lives.
    const lh_poll_sink& c_sink() const { return sink_; }

    /// Why a record could not be kept (the host ran out of memory, say); empty when all were.
    const std::string& failure() const { return failure_; }

private:
    // Called from the plugin's C code: nothing may escape. A record shorter than its ABI 1.0
    // size is not read (its fields would be past its end); a record the host cannot use (an
    // empty user, a negative count) is not kept. Both are noted as skipped lines, so that they
    // show in the server's last skips and in lmharvest_skipped_lines_total. A longer record,
    // from a plugin of a newer minor, is read up to the fields this host knows.
    template <class Record> static void receive(void* self, const Record* record) {
        auto& sink = *static_cast<LentRecordSink*>(self);
        try {
            if (!record)
                return;
            if (record->struct_size < size_v1_0<Record>)
                return sink.skip("record struct_size " + std::to_string(record->struct_size) +
                                 " is smaller than its ABI 1.0 size " +
                                 std::to_string(size_v1_0<Record>));
            if (RecordRefusal problem = refusal(*record))
                return sink.skip("record not kept: " + *problem);
            auto& out = sink.keeper_.template slot<typename model_of<Record>::type>();
            convert(*record, out);
            sink.keeper_.keep(out);
        } catch (const std::exception& e) {
            sink.failure_ = std::string("could not keep a record: ") + e.what();
        } catch (...) {
            sink.failure_ = "could not keep a record";
        }
    }

    void skip(std::string reason) {
        SkippedLine& out = keeper_.template slot<SkippedLine>();
        out = {0, "", std::move(reason)};
        keeper_.keep(out);
    }

    Keeper& keeper_;
    lh_poll_sink sink_{};
    std::string failure_;
};

/// The vector of `snapshot` that holds records of type T.
template <class T> std::vector<T>& records_of(PollSnapshot& snapshot) {
    if constexpr (std::is_same_v<T, ServerStatus>)
        return snapshot.servers;
    else if constexpr (std::is_same_v<T, VendorStatus>)
        return snapshot.vendors;
    else if constexpr (std::is_same_v<T, FeatureUsage>)
        return snapshot.features;
    else if constexpr (std::is_same_v<T, Session>)
        return snapshot.sessions;
    else if constexpr (std::is_same_v<T, Denial>)
        return snapshot.denials;
    else
        return snapshot.skipped;
}

} // namespace lmharvest
