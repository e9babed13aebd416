#include "plugins/lent_records.hpp"

#include <utility>

namespace lmharvest {
namespace {

std::string text(const char* borrowed) {
    return borrowed ? borrowed : "";
}

void assign(std::string& out, const char* borrowed) {
    if (borrowed)
        out.assign(borrowed);
    else
        out.clear();
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

RecordRefusal negative(const char* field, int64_t value, const std::string& what) {
    return what + ": " + field + " is " + std::to_string(value) + ", which is negative";
}

} // namespace

// total -1 is records.h's "uncounted or unknown"; no other count may be below zero.
RecordRefusal refusal(const lh_feature& r) {
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

RecordRefusal refusal(const lh_session& r) {
    // The common case is read without building the message.
    if (r.feature && *r.feature && r.user && *r.user && r.count >= 0)
        return std::nullopt;
    const std::string what =
        "session of user '" + text(r.user) + "' on feature '" + text(r.feature) + "'";
    if (text(r.feature).empty())
        return what + ": the feature is empty";
    if (text(r.user).empty())
        return what + ": the user is empty";
    return negative("count", r.count, what);
}

void convert(const lh_server_status& r, ServerStatus& out) {
    assign(out.host, r.host);
    out.state = to_state(r.state);
    out.is_master = r.is_master != 0;
    assign(out.version, r.version);
    assign(out.message, r.message);
}

void convert(const lh_vendor_status& r, VendorStatus& out) {
    assign(out.name, r.name);
    out.state = to_state(r.state);
    assign(out.version, r.version);
    assign(out.message, r.message);
}

void convert(const lh_feature& r, FeatureUsage& out) {
    assign(out.vendor, r.vendor);
    assign(out.name, r.name);
    assign(out.version, r.version);
    out.total = r.total < 0 ? std::nullopt : std::optional<int64_t>(r.total);
    out.used = r.used;
    out.reserved = r.reserved;
    out.queued = r.queued;
    assign(out.expiry, r.expiry);
    out.flags = r.flags;
    assign(out.error_text, r.error_text);
}

void convert(const lh_session& r, Session& out) {
    assign(out.vendor, r.vendor);
    assign(out.feature, r.feature);
    assign(out.version, r.version);
    assign(out.user, r.user);
    assign(out.host, r.host);
    assign(out.display, r.display);
    assign(out.host_ip, r.host_ip);
    out.count = r.count;
    out.checkout_time = r.checkout_time;
    out.borrow_expiry = r.borrow_expiry;
    out.linger_seconds = r.linger_seconds;
    out.pid = r.pid;
    assign(out.server, r.server);
    assign(out.handle, r.handle);
    assign(out.close_token, r.close_token);
}

void convert(const lh_denial& r, Denial& out) {
    out.kind = r.kind;
    assign(out.vendor, r.vendor);
    assign(out.feature, r.feature);
    assign(out.user, r.user);
    assign(out.host, r.host);
    assign(out.reason, r.reason);
    out.time = r.time;
    out.count = r.count;
}

void convert(const lh_skipped_line& r, SkippedLine& out) {
    out.line = r.line;
    assign(out.text, r.text);
    assign(out.reason, r.reason);
}

} // namespace lmharvest
