#include "plugins/snapshot_sink.hpp"

#include <optional>

namespace lmharvest {
namespace {

std::string text(const char* borrowed) {
    return borrowed ? borrowed : "";
}

State to_state(int32_t state) {
    switch (state) {
    case LH_STATE_UP:
        return State::up;
    case LH_STATE_DOWN:
        return State::down;
    default:
        return State::unknown;
    }
}

void copy_server(const lh_server_status& r, PollSnapshot& s) {
    s.servers.push_back(
        {text(r.host), to_state(r.state), r.is_master != 0, text(r.version), text(r.message)});
}

void copy_vendor(const lh_vendor_status& r, PollSnapshot& s) {
    s.vendors.push_back({text(r.name), to_state(r.state), text(r.version), text(r.message)});
}

void copy_feature(const lh_feature& r, PollSnapshot& s) {
    const std::optional<int64_t> total =
        r.total < 0 ? std::nullopt : std::optional<int64_t>(r.total);
    s.features.push_back({text(r.vendor), text(r.name), text(r.version), total, r.used, r.reserved,
                          r.queued, text(r.expiry), r.flags, text(r.error_text)});
}

void copy_session(const lh_session& r, PollSnapshot& s) {
    s.sessions.push_back({text(r.vendor), text(r.feature), text(r.version), text(r.user),
                          text(r.host), text(r.display), text(r.host_ip), r.count, r.checkout_time,
                          r.borrow_expiry, r.linger_seconds, r.pid, text(r.server), text(r.handle),
                          text(r.close_token)});
}

void copy_denial(const lh_denial& r, PollSnapshot& s) {
    s.denials.push_back({r.kind, text(r.vendor), text(r.feature), text(r.user), text(r.host),
                         text(r.reason), r.time, r.count});
}

void copy_skipped(const lh_skipped_line& r, PollSnapshot& s) {
    s.skipped.push_back({r.line, text(r.text), text(r.reason)});
}

} // namespace

// Called from the plugin's C code: nothing may escape. A record shorter than its ABI 1.0 size
// is not read (its fields would be past its end) but noted as skipped. The headers are ABI 1.0,
// so sizeof is that size; a minor that appends fields must pin the 1.0 sizes here.
template <class Record, auto Copy> void SnapshotSink::receive(void* self, const Record* record) {
    auto& sink = *static_cast<SnapshotSink*>(self);
    try {
        if (!record)
            return;
        if (record->struct_size < sizeof(Record)) {
            sink.snapshot_.skipped.push_back(
                {0, "",
                 "record struct_size " + std::to_string(record->struct_size) +
                     " is smaller than its ABI 1.0 size " + std::to_string(sizeof(Record))});
            return;
        }
        Copy(*record, sink.snapshot_);
    } catch (const std::exception& e) {
        sink.failure_ = std::string("could not keep a record: ") + e.what();
    } catch (...) {
        sink.failure_ = "could not keep a record";
    }
}

SnapshotSink::SnapshotSink(PollSnapshot& snapshot) : snapshot_(snapshot) {
    sink_.struct_size = sizeof sink_;
    sink_.user_data = this;
    sink_.server = &receive<lh_server_status, copy_server>;
    sink_.vendor = &receive<lh_vendor_status, copy_vendor>;
    sink_.feature = &receive<lh_feature, copy_feature>;
    sink_.session = &receive<lh_session, copy_session>;
    sink_.denial = &receive<lh_denial, copy_denial>;
    sink_.skipped = &receive<lh_skipped_line, copy_skipped>;
}

} // namespace lmharvest
