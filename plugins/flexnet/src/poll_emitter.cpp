#include "poll_emitter.hpp"

#include "close_token.hpp"

namespace lmharvest::flexnet {

namespace {

// NULL for "not known", as records.h wants, instead of an empty string.
const char* known(const std::string& value) {
    return value.empty() ? nullptr : value.c_str();
}

void emit_servers(const LmstatResult& result, const std::string& address, sdk::PollSink& sink) {
    for (const ServerStatus& server : result.servers) {
        lh_server_status record{};
        record.host = server.host.c_str();
        record.state = server.state;
        record.is_master = server.is_master ? 1 : 0;
        record.version = known(server.version);
        record.message = known(server.message);
        sink.server(record);
    }
    if (!result.query_error.empty()) {
        lh_server_status record{};
        record.host = address.c_str();
        record.state = LH_STATE_DOWN;
        record.message = result.query_error.c_str();
        sink.server(record);
    }
    for (const VendorStatus& vendor : result.vendors) {
        lh_vendor_status record{};
        record.name = vendor.name.c_str();
        record.state = vendor.state;
        record.version = known(vendor.version);
        record.message = known(vendor.message);
        sink.vendor(record);
    }
}

void emit_features(const LmstatResult& result, sdk::PollSink& sink) {
    for (const Feature& feature : result.features) {
        lh_feature record{};
        record.vendor = known(feature.vendor);
        record.name = feature.name.c_str();
        record.version = known(feature.version);
        record.total = feature.total;
        record.used = feature.used;
        record.reserved = feature.reserved;
        record.queued = feature.queued;
        record.expiry = known(feature.expiry);
        record.flags = feature.flags;
        record.error_text = known(feature.error_text);
        sink.feature(record);
    }
}

CloseTarget close_target(const Session& session, const Feature& feature) {
    CloseTarget target;
    target.feature = feature.name;
    if (!session.handle.empty()) {
        target.form = CloseTarget::Form::handle;
        target.first = session.server_host;
        target.second = session.port;
        target.third = session.handle;
    } else {
        target.form = CloseTarget::Form::user;
        target.first = session.user;
        target.second = session.host;
        target.third = session.display;
    }
    return target;
}

// A session's fields view the whole output, so the C record gets NUL-terminated copies.
void emit_sessions(const LmstatResult& result, sdk::PollSink& sink) {
    sdk::CStrings c;
    std::string server;
    for (const Session& session : result.sessions) {
        const Feature& feature = result.features[session.feature_index];
        const std::string token = encode_close_token(close_target(session, feature));
        server.assign(session.server_host).append("/").append(session.port);
        c.next_record();
        lh_session record{};
        record.vendor = known(feature.vendor);
        record.feature = feature.name.c_str();
        record.version = c.lend_or_null(session.version);
        record.user = c.lend(session.user);
        record.host = c.lend_or_null(session.host);
        record.display = c.lend_or_null(session.display);
        record.count = session.count;
        record.checkout_time = session.checkout_time;
        record.linger_seconds = session.linger_seconds;
        record.pid = session.pid;
        record.server = server.c_str();
        record.handle = c.lend_or_null(session.handle);
        record.close_token = token.c_str();
        sink.session(record);
    }
}

} // namespace

void emit_lmstat(const LmstatResult& result, const std::string& address, sdk::PollSink& sink) {
    emit_servers(result, address, sink);
    emit_features(result, sink);
    emit_sessions(result, sink);
    for (const SkippedLine& skipped : result.skipped)
        sink.skipped(skipped.line, skipped.text, skipped.reason);
}

} // namespace lmharvest::flexnet
