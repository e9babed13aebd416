#include "json/snapshot_json.hpp"

#include "json/iso_time.hpp"
#include <lmharvest/records.h>

namespace lmharvest {
namespace {

nlohmann::json optional_string(const std::string& value) {
    return value.empty() ? nlohmann::json(nullptr) : nlohmann::json(value);
}

nlohmann::json to_json(const ServerStatus& server) {
    return {{"address", server.host},
            {"status", to_string(server.state)},
            {"version", optional_string(server.version)},
            {"master", server.is_master},
            {"message", optional_string(server.message)}};
}

nlohmann::json to_json(const VendorStatus& vendor) {
    return {{"name", vendor.name},
            {"status", to_string(vendor.state)},
            {"version", optional_string(vendor.version)},
            {"message", optional_string(vendor.message)}};
}

nlohmann::json to_json(const SkippedLine& skipped) {
    return {{"line", skipped.line}, {"text", skipped.text}, {"reason", skipped.reason}};
}

template <class Record> nlohmann::json array_of(const std::vector<Record>& records) {
    nlohmann::json array = nlohmann::json::array();
    for (const Record& record : records)
        array.push_back(to_json(record));
    return array;
}

} // namespace

nlohmann::json to_json(const Denial& denial) {
    static constexpr const char* kinds[] = {"unknown", "denied", "queued", "unsupported"};
    const bool known = denial.kind >= 0 && denial.kind <= 3;
    return {{"kind", kinds[known ? denial.kind : 0]},
            {"vendor", denial.vendor},
            {"feature", denial.feature},
            {"user", denial.user},
            {"host", denial.host},
            {"reason", denial.reason},
            {"time", denial.time ? nlohmann::json(iso8601_local(denial.time)) : nullptr},
            {"count", denial.count}};
}

nlohmann::json to_json(const FeatureUsage& feature) {
    return {{"vendor", feature.vendor},
            {"feature", feature.name},
            {"version", optional_string(feature.version)},
            {"total", feature.total ? nlohmann::json(*feature.total) : nlohmann::json(nullptr)},
            {"used", feature.used},
            {"reserved", feature.reserved},
            {"queued", feature.queued},
            {"expiry", optional_string(feature.expiry)},
            {"uncounted", (feature.flags & LH_FEATURE_UNCOUNTED) != 0},
            {"unlimited", (feature.flags & LH_FEATURE_UNLIMITED) != 0},
            {"error", optional_string(feature.error_text)}};
}

nlohmann::json to_json(const Session& session) {
    return {
        {"vendor", session.vendor},
        {"feature", session.feature},
        {"version", optional_string(session.version)},
        {"user", session.user},
        {"host", session.host},
        {"display", optional_string(session.display)},
        {"host_ip", optional_string(session.host_ip)},
        {"count", session.count},
        {"checkout_time",
         session.checkout_time ? nlohmann::json(iso8601_local(session.checkout_time)) : nullptr},
        {"borrow_expiry",
         session.borrow_expiry ? nlohmann::json(iso8601_local(session.borrow_expiry)) : nullptr},
        {"handle", optional_string(session.handle)},
        {"server", optional_string(session.server)},
        {"linger_seconds", session.linger_seconds},
        {"pid", session.pid ? nlohmann::json(session.pid) : nullptr}};
}

nlohmann::json to_json(const PollSnapshot& snapshot) {
    nlohmann::json json = {
        {"servers", array_of(snapshot.servers)},   {"vendors", array_of(snapshot.vendors)},
        {"features", array_of(snapshot.features)}, {"sessions", array_of(snapshot.sessions)},
        {"denials", array_of(snapshot.denials)},   {"skipped", array_of(snapshot.skipped)}};
    if (!snapshot.ok)
        json["error"] = snapshot.error;
    return json;
}

} // namespace lmharvest
