// The host's checks and conversions of the records a plugin lends to its lh_poll_sink: each is
// read while the callback runs (the plugin's pointers die when it returns) into the model's
// types. SnapshotSink keeps them in a PollSnapshot; `lmharvest parse --json` writes each
// session straight to the JSON.
#pragma once

#include "model/snapshot.hpp"

#include <lmharvest/records.h>
#include <optional>
#include <string>

namespace lmharvest {

/// Why a lent record is not kept; nullopt when it is.
using RecordRefusal = std::optional<std::string>;

/// A feature with an empty name or a count below zero (total -1 alone means "unknown").
RecordRefusal refusal(const lh_feature& record);
/// A session with an empty feature or user, or a negative count.
RecordRefusal refusal(const lh_session& record);
inline RecordRefusal refusal(const lh_server_status&) {
    return std::nullopt;
}
inline RecordRefusal refusal(const lh_vendor_status&) {
    return std::nullopt;
}
inline RecordRefusal refusal(const lh_denial&) {
    return std::nullopt;
}
inline RecordRefusal refusal(const lh_skipped_line&) {
    return std::nullopt;
}

/// Overwrites every field of `out` with `record`'s (NULL strings as empty): a reused `out`
/// keeps its strings' room, so a sink that writes each record at once allocates nothing.
void convert(const lh_server_status& record, ServerStatus& out);
void convert(const lh_vendor_status& record, VendorStatus& out);
void convert(const lh_feature& record, FeatureUsage& out);
void convert(const lh_session& record, Session& out);
void convert(const lh_denial& record, Denial& out);
void convert(const lh_skipped_line& record, SkippedLine& out);

/// The model type a lent record converts to.
template <class Record> struct model_of;
template <> struct model_of<lh_server_status> { using type = ServerStatus; };
template <> struct model_of<lh_vendor_status> { using type = VendorStatus; };
template <> struct model_of<lh_feature> { using type = FeatureUsage; };
template <> struct model_of<lh_session> { using type = Session; };
template <> struct model_of<lh_denial> { using type = Denial; };
template <> struct model_of<lh_skipped_line> { using type = SkippedLine; };

} // namespace lmharvest
