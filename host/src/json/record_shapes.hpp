// The JSON shape of each record, written once for both renderers: the streaming JsonWriter
// (large answers) and nlohmann's DOM (small objects, and replies that add fields). `describe`
// calls `out.field(name, value)` per member and `out.list(name, records)` per array of records.
#pragma once

#include "model/snapshot.hpp"
#include "store/store_records.hpp"

#include "json/json_writer.hpp"
#include <lmharvest/records.h>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

namespace lmharvest {

inline std::optional<std::string_view> null_if_empty(const std::string& text) {
    return text.empty() ? std::nullopt : std::optional<std::string_view>(text);
}

/// 0 is how the model says "unknown time".
inline std::optional<LocalTime> time_or_null(int64_t epoch_seconds) {
    return epoch_seconds ? std::optional<LocalTime>(LocalTime{epoch_seconds}) : std::nullopt;
}

template <class Out> void describe(Out& out, const ServerStatus& server) {
    out.field("address", server.host);
    out.field("status", to_string(server.state));
    out.field("version", null_if_empty(server.version));
    out.field("master", server.is_master);
    out.field("message", null_if_empty(server.message));
}

template <class Out> void describe(Out& out, const VendorStatus& vendor) {
    out.field("name", vendor.name);
    out.field("status", to_string(vendor.state));
    out.field("version", null_if_empty(vendor.version));
    out.field("message", null_if_empty(vendor.message));
}

template <class Out> void describe(Out& out, const SkippedLine& skipped) {
    out.field("line", skipped.line);
    out.field("text", skipped.text);
    out.field("reason", skipped.reason);
}

template <class Out> void describe(Out& out, const FeatureUsage& feature) {
    out.field("vendor", feature.vendor);
    out.field("feature", feature.name);
    out.field("version", null_if_empty(feature.version));
    out.field("total", feature.total);
    out.field("used", feature.used);
    out.field("reserved", feature.reserved);
    out.field("queued", feature.queued);
    out.field("expiry", null_if_empty(feature.expiry));
    out.field("uncounted", (feature.flags & LH_FEATURE_UNCOUNTED) != 0);
    out.field("unlimited", (feature.flags & LH_FEATURE_UNLIMITED) != 0);
    out.field("error", null_if_empty(feature.error_text));
}

template <class Out> void describe(Out& out, const Denial& denial) {
    static constexpr const char* kinds[] = {"unknown", "denied", "queued", "unsupported"};
    const bool known = denial.kind >= 0 && denial.kind <= 3;
    out.field("kind", kinds[known ? denial.kind : 0]);
    out.field("vendor", denial.vendor);
    out.field("feature", denial.feature);
    out.field("user", denial.user);
    out.field("host", denial.host);
    out.field("reason", denial.reason);
    out.field("time", time_or_null(denial.time));
    out.field("count", denial.count);
}

template <class Out> void describe(Out& out, const Session& session) {
    out.field("vendor", session.vendor);
    out.field("feature", session.feature);
    out.field("version", null_if_empty(session.version));
    out.field("user", session.user);
    out.field("host", session.host);
    out.field("display", null_if_empty(session.display));
    out.field("host_ip", null_if_empty(session.host_ip));
    out.field("count", session.count);
    out.field("checkout_time", time_or_null(session.checkout_time));
    out.field("borrow_expiry", time_or_null(session.borrow_expiry));
    out.field("handle", null_if_empty(session.handle));
    out.field("server", null_if_empty(session.server));
    out.field("linger_seconds", session.linger_seconds);
    out.field("pid", session.pid ? std::optional<int64_t>(session.pid) : std::nullopt);
}

template <class Out> void describe(Out& out, const SessionRecord& record) {
    describe(out, record.session);
    out.field("id", record.id);
    out.field("server_id", record.server);
    out.field("first_seen", LocalTime{record.first_seen});
    out.field("last_seen", LocalTime{record.last_seen});
    out.field("closed_at", record.closed_at ? std::optional<LocalTime>(LocalTime{*record.closed_at})
                                            : std::nullopt);
    if (record.closed_at) {
        out.field("close_reason", record.close_reason);
        // From the poll that first saw it to the one that no longer did (or the close).
        out.field("duration_s", *record.closed_at - record.first_seen);
    }
}

/// Every member of a poll but "sessions", which `parse --json` streams before them as the
/// plugin lends them (the others may be lent in any order, so they wait for the poll's end).
template <class Out> void describe_beside_sessions(Out& out, const PollSnapshot& snapshot) {
    out.list("servers", snapshot.servers);
    out.list("vendors", snapshot.vendors);
    out.list("features", snapshot.features);
    out.list("denials", snapshot.denials);
    out.list("skipped", snapshot.skipped);
    if (!snapshot.ok)
        out.field("error", snapshot.error);
}

template <class Out> void describe(Out& out, const PollSnapshot& snapshot) {
    out.list("sessions", snapshot.sessions);
    describe_beside_sessions(out, snapshot);
}

/// Renders a described record into a JsonWriter.
class StreamOut {
public:
    explicit StreamOut(JsonWriter& writer) : writer_(writer) {}
    template <class T> void field(const JsonKey& name, const T& value) {
        writer_.field(name, value);
    }
    template <class Record> void list(const JsonKey& name, const std::vector<Record>& records) {
        writer_.key(name.name());
        write_array(records);
    }
    template <class Record> void write_object(const Record& record) {
        writer_.begin_object();
        describe(*this, record);
        writer_.end_object();
    }
    template <class Record> void write_array(const std::vector<Record>& records) {
        writer_.begin_array();
        for (const Record& record : records)
            write_object(record);
        writer_.end_array();
    }

private:
    JsonWriter& writer_;
};

/// Builds a described record as an nlohmann object.
class DomOut {
public:
    template <class T> void field(const JsonKey& name, const T& value) {
        json_[name.name()] = dom(value);
    }
    template <class Record> void list(const JsonKey& name, const std::vector<Record>& records) {
        nlohmann::json array = nlohmann::json::array();
        for (const Record& record : records)
            array.push_back(object_of(record));
        json_[name.name()] = std::move(array);
    }
    template <class Record> static nlohmann::json object_of(const Record& record) {
        DomOut out;
        describe(out, record);
        return std::move(out.json_);
    }

private:
    template <class T> static nlohmann::json dom(const T& value) { return value; }
    static nlohmann::json dom(std::string_view text) { return std::string(text); }
    static nlohmann::json dom(LocalTime time) { return iso8601_local(time.epoch_seconds); }
    template <class T> static nlohmann::json dom(const std::optional<T>& maybe) {
        return maybe ? dom(*maybe) : nlohmann::json(nullptr);
    }

    nlohmann::json json_ = nlohmann::json::object();
};

} // namespace lmharvest
