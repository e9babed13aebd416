#include "plugins/snapshot_sink.hpp"

#include "plugins/abi_sizes.hpp"

#include <optional>

namespace lmharvest {
namespace {

// Why a record is not kept; nullopt when it is.
using Refusal = std::optional<std::string>;

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

Refusal negative(const char* field, int64_t value, const std::string& what) {
    return what + ": " + field + " is " + std::to_string(value) + ", which is negative";
}

Refusal copy_server(const lh_server_status& r, PollSnapshot& s) {
    s.servers.push_back(
        {text(r.host), to_state(r.state), r.is_master != 0, text(r.version), text(r.message)});
    return std::nullopt;
}

Refusal copy_vendor(const lh_vendor_status& r, PollSnapshot& s) {
    s.vendors.push_back({text(r.name), to_state(r.state), text(r.version), text(r.message)});
    return std::nullopt;
}

// total -1 is records.h's "uncounted or unknown"; no other count may be below zero.
Refusal feature_problem(const lh_feature& r) {
    const std::string what = "feature '" + text(r.name) + "' of vendor '" + text(r.vendor) + "'";
    if (text(r.name).empty())
        return "feature of vendor '" + text(r.vendor) + "' with an empty name";
    if (r.total < -1)
        return what + ": total is " + std::to_string(r.total) +
               ", which is negative and not -1 (unknown)";
    const std::pair<const char*, int64_t> counts[] = {
        {"used", r.used}, {"reserved", r.reserved}, {"queued", r.queued}};
    for (const auto& [field, value] : counts)
        if (value < 0)
            return negative(field, value, what);
    return std::nullopt;
}

Refusal copy_feature(const lh_feature& r, PollSnapshot& s) {
    if (Refusal problem = feature_problem(r))
        return problem;
    const std::optional<int64_t> total =
        r.total < 0 ? std::nullopt : std::optional<int64_t>(r.total);
    s.features.push_back({text(r.vendor), text(r.name), text(r.version), total, r.used, r.reserved,
                          r.queued, text(r.expiry), r.flags, text(r.error_text)});
    return std::nullopt;
}

Refusal session_problem(const lh_session& r) {
    const std::string what =
        "session of user '" + text(r.user) + "' on feature '" + text(r.feature) + "'";
    if (text(r.feature).empty())
        return what + ": the feature is empty";
    if (text(r.user).empty())
        return what + ": the user is empty";
    if (r.count < 0)
        return negative("count", r.count, what);
    return std::nullopt;
}

Refusal copy_session(const lh_session& r, PollSnapshot& s) {
    if (Refusal problem = session_problem(r))
        return problem;
    // Built in place (C++20 aggregate emplace), not moved from a temporary.
    s.sessions.emplace_back(text(r.vendor), text(r.feature), text(r.version), text(r.user),
                            text(r.host), text(r.display), text(r.host_ip), r.count,
                            r.checkout_time, r.borrow_expiry, r.linger_seconds, r.pid,
                            text(r.server), text(r.handle), text(r.close_token));
    return std::nullopt;
}

Refusal copy_denial(const lh_denial& r, PollSnapshot& s) {
    s.denials.push_back({r.kind, text(r.vendor), text(r.feature), text(r.user), text(r.host),
                         text(r.reason), r.time, r.count});
    return std::nullopt;
}

Refusal copy_skipped(const lh_skipped_line& r, PollSnapshot& s) {
    s.skipped.push_back({r.line, text(r.text), text(r.reason)});
    return std::nullopt;
}

} // namespace

// Called from the plugin's C code: nothing may escape. A record shorter than its ABI 1.0 size
// is not read (its fields would be past its end); a record the host cannot use (an empty user,
// a negative count) is not kept. Both are noted as skipped lines, so that they show in the
// server's last skips and in lmharvest_skipped_lines_total. A longer record, from a plugin of a
// newer minor, is read up to the fields this host knows.
template <class Record, auto Copy> void SnapshotSink::receive(void* self, const Record* record) {
    auto& sink = *static_cast<SnapshotSink*>(self);
    try {
        if (!record)
            return;
        if (record->struct_size < size_v1_0<Record>) {
            sink.snapshot_.skipped.push_back(
                {0, "",
                 "record struct_size " + std::to_string(record->struct_size) +
                     " is smaller than its ABI 1.0 size " + std::to_string(size_v1_0<Record>)});
            return;
        }
        if (Refusal problem = Copy(*record, sink.snapshot_))
            sink.snapshot_.skipped.push_back({0, "", "record not kept: " + *problem});
    } catch (const std::exception& e) {
        sink.failure_ = std::string("could not keep a record: ") + e.what();
    } catch (...) {
        sink.failure_ = "could not keep a record";
    }
}

SnapshotSink::SnapshotSink(PollSnapshot& snapshot, std::size_t expected_sessions)
    : snapshot_(snapshot) {
    try {
        snapshot_.sessions.reserve(expected_sessions);
    } catch (const std::exception&) {
        // Only a hint: the vector grows as the records come.
    }
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
