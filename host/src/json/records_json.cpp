#include "json/records_json.hpp"

#include "json/iso_time.hpp"
#include "json/record_shapes.hpp"
#include "json/snapshot_json.hpp"

namespace lmharvest {
namespace {

nlohmann::json optional_time(const std::optional<int64_t>& time) {
    return time ? nlohmann::json(iso8601_local(*time)) : nlohmann::json(nullptr);
}

} // namespace

nlohmann::json to_json(const SessionRecord& record) {
    return DomOut::object_of(record);
}

bool write_json(const std::vector<SessionRecord>& records, JsonWriter::Sink sink) {
    JsonWriter writer(std::move(sink), 1); // one session per line
    StreamOut(writer).write_array(records);
    return writer.finish();
}

bool write_json(SessionRows& rows, JsonWriter::Sink sink) {
    JsonWriter writer(std::move(sink), 1); // as above: the same bytes
    StreamOut out(writer);
    writer.begin_array();
    while (!writer.failed()) {
        const SessionRecord* row = rows.next();
        if (row == nullptr)
            break;
        out.write_object(*row);
    }
    writer.end_array();
    return writer.finish();
}

nlohmann::json to_json(const ServerRecord& record) {
    nlohmann::json vendors = nlohmann::json::array();
    for (const VendorStatus& vendor : record.vendors)
        vendors.push_back({{"name", vendor.name}, {"status", to_string(vendor.state)}});
    return {{"id", record.id},
            {"adapter", record.adapter},
            {"address", record.address},
            {"state", to_string(record.state)},
            {"error", record.error},
            {"last_poll_time", optional_time(record.last_poll_time)},
            {"last_ok_time", optional_time(record.last_ok_time)},
            {"latency_ms", record.latency_ms ? nlohmann::json(*record.latency_ms) : nullptr},
            {"vendors", vendors}};
}

nlohmann::json to_json(const FeatureRecord& record) {
    nlohmann::json json = to_json(record.usage);
    json["server_id"] = record.server;
    json["updated_at"] = iso8601_local(record.updated_at);
    return json;
}

nlohmann::json to_json(const Action& action) {
    auto parsed_or_null = [](const std::string& text) {
        return text.empty() ? nlohmann::json(nullptr) : nlohmann::json::parse(text, nullptr, false);
    };
    // A close sequence's steps are rows of their own (schema 6); older actions kept them in
    // steps_json. The outcome is the last step's.
    nlohmann::json steps = nlohmann::json::array();
    for (const ActionStep& step : action.steps)
        steps.push_back({{"time", iso8601_local(step.time)},
                         {"step", step.step},
                         {"outcome", step.outcome},
                         {"message", step.message},
                         {"policy", parsed_or_null(step.policy_json)}});
    return {{"id", action.id},
            {"time", iso8601_local(action.time)},
            {"actor", action.actor},
            {"kind", action.kind},
            {"dry_run", action.dry_run},
            {"server_id", action.server},
            {"session_id", action.session_id ? nlohmann::json(*action.session_id) : nullptr},
            {"user", action.user},
            {"feature", action.feature},
            {"policy", parsed_or_null(action.policy_json)},
            {"steps", action.steps.empty() ? parsed_or_null(action.steps_json) : steps},
            {"outcome", action.steps.empty() ? action.outcome : action.steps.back().outcome},
            {"message", action.message}};
}

nlohmann::json to_json(const DenialRecord& record) {
    nlohmann::json json = to_json(record.denial);
    json["server_id"] = record.server;
    return json;
}

nlohmann::json to_json(const FeatureUse& use, bool with_user) {
    nlohmann::json json = {{"server_id", use.server},
                           {"vendor", use.vendor},
                           {"feature", use.feature},
                           {"sessions", use.sessions},
                           {"licenses", use.licenses}};
    if (with_user)
        json["user"] = use.user;
    return json;
}

} // namespace lmharvest
