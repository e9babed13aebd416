// The records a worker sends: every field of every record comes back as it went, and a frame
// cut short or forged is refused, never read past its end.
#include "isolation/wire.hpp"

#include <catch2/catch.hpp>

using namespace lmharvest;
using namespace lmharvest::isolation;

namespace {

PollSnapshot full_snapshot() {
    PollSnapshot s;
    s.server_id = "eng-flex";
    s.poll_time = 1764633600;
    s.duration_ms = 42;
    s.ok = false;
    s.error = "LH_ERR_TIMEOUT: lmstat";
    s.servers.push_back({"lic1", State::up, true, "v11.19", ""});
    s.vendors.push_back({"ansyslmd", State::down, "v11", "vendor daemon down"});
    s.features.push_back(
        {"ansyslmd", "solver", "2024.1", std::nullopt, 3, 1, 2, "31-dec-2026", 5u, "err"});
    s.features.push_back({"ansyslmd", "mesher", "1", 10, 0, 0, 0, "", 0u, ""});
    s.sessions.push_back({"ansyslmd", "solver", "2024.1", "alice", "ws1", "ws1:0", "10.0.0.1", 2,
                          1764630000, 1764700000, 300, 4242, "lic1", "h1", "alice ws1 h1"});
    s.denials.push_back({1, "ansyslmd", "solver", "bob", "ws2", "no licenses", 1764633000, 3});
    s.skipped.push_back({17, "garbage line", "not a session line"});
    return s;
}

bool same(const PollSnapshot& a, const PollSnapshot& b) {
    const auto servers = [](const ServerStatus& x, const ServerStatus& y) {
        return x.host == y.host && x.state == y.state && x.is_master == y.is_master &&
               x.version == y.version && x.message == y.message;
    };
    const auto features = [](const FeatureUsage& x, const FeatureUsage& y) {
        return x.vendor == y.vendor && x.name == y.name && x.version == y.version &&
               x.total == y.total && x.used == y.used && x.reserved == y.reserved &&
               x.queued == y.queued && x.expiry == y.expiry && x.flags == y.flags &&
               x.error_text == y.error_text;
    };
    const auto sessions = [](const Session& x, const Session& y) {
        return x.vendor == y.vendor && x.feature == y.feature && x.version == y.version &&
               x.user == y.user && x.host == y.host && x.display == y.display &&
               x.host_ip == y.host_ip && x.count == y.count && x.checkout_time == y.checkout_time &&
               x.borrow_expiry == y.borrow_expiry && x.linger_seconds == y.linger_seconds &&
               x.pid == y.pid && x.server == y.server && x.handle == y.handle &&
               x.close_token == y.close_token;
    };
    const auto& va = a.vendors[0];
    const auto& vb = b.vendors[0];
    const auto& da = a.denials[0];
    const auto& db = b.denials[0];
    return a.server_id == b.server_id && a.poll_time == b.poll_time &&
           a.duration_ms == b.duration_ms && a.ok == b.ok && a.error == b.error &&
           a.servers.size() == 1 && b.servers.size() == 1 && servers(a.servers[0], b.servers[0]) &&
           b.vendors.size() == 1 && va.name == vb.name && va.state == vb.state &&
           va.version == vb.version && va.message == vb.message && b.features.size() == 2 &&
           features(a.features[0], b.features[0]) && features(a.features[1], b.features[1]) &&
           b.sessions.size() == 1 && sessions(a.sessions[0], b.sessions[0]) &&
           b.denials.size() == 1 && da.kind == db.kind && da.vendor == db.vendor &&
           da.feature == db.feature && da.user == db.user && da.host == db.host &&
           da.reason == db.reason && da.time == db.time && da.count == db.count &&
           b.skipped.size() == 1 && a.skipped[0].line == b.skipped[0].line &&
           a.skipped[0].text == b.skipped[0].text && a.skipped[0].reason == b.skipped[0].reason;
}

} // namespace

TEST_CASE("a snapshot crosses the wire with every field of every record") {
    const PollSnapshot sent = full_snapshot();
    Writer out;
    encode(sent, out);
    Reader in(out.bytes());
    PollSnapshot received;
    REQUIRE(decode(in, received));
    CHECK(same(sent, received));
}

TEST_CASE("a snapshot cut short is refused at every length") {
    Writer out;
    encode(full_snapshot(), out);
    const std::string& bytes = out.bytes();
    for (std::size_t length = 0; length < bytes.size(); ++length) {
        Reader in(std::string_view(bytes).substr(0, length));
        PollSnapshot received;
        CHECK_FALSE(decode(in, received));
    }
}

TEST_CASE("a forged count of records reads no further than the frame") {
    Writer out;
    encode(PollSnapshot{}, out);
    std::string bytes = out.bytes();
    // The last u32 is the count of skipped lines: claim four billion.
    bytes.replace(bytes.size() - 4, 4, std::string(4, '\xff'));
    Reader in(bytes);
    PollSnapshot received;
    CHECK_FALSE(decode(in, received));
}

TEST_CASE("a close result and a create request cross the wire") {
    Writer out;
    encode(CloseResult{LH_ERR_TOO_SOON, "linger", 90000}, out);
    Reader in(out.bytes());
    CloseResult result;
    REQUIRE(decode(in, result));
    CHECK(result.status == LH_ERR_TOO_SOON);
    CHECK(result.message == "linger");
    CHECK(result.retry_after_ms == 90000);

    InstanceSettings settings;
    settings.server_id = "eng-flex";
    settings.adapter = "flexnet";
    settings.address = "27000@lic1";
    settings.timeout = std::chrono::milliseconds(1500);
    settings.max_output = 1u << 20;
    settings.state_dir = "/var/lib/lmharvest/servers/eng-flex";
    Writer create;
    encode("/usr/lib/lmharvest/plugins/flexnet.so", settings, 2, create);
    Reader create_in(create.bytes());
    CreateRequest request;
    REQUIRE(decode(create_in, request));
    CHECK(request.plugin_file == "/usr/lib/lmharvest/plugins/flexnet.so");
    CHECK(request.log_level == 2);
    CHECK(request.settings.server_id == "eng-flex");
    CHECK(request.settings.adapter == "flexnet");
    CHECK(request.settings.address == "27000@lic1");
    CHECK(request.settings.timeout == std::chrono::milliseconds(1500));
    CHECK(request.settings.max_output == (1u << 20));
    CHECK(request.settings.state_dir == "/var/lib/lmharvest/servers/eng-flex");
}

TEST_CASE("what a plugin says about itself crosses the wire; cut short, it is refused") {
    PluginInfo info;
    info.name = "flexnet";
    info.version = "1.4.0";
    info.description = "FlexNet Publisher through lmutil";
    info.abi_major = 1;
    info.abi_minor = 1;
    info.kinds = 3;
    info.capabilities = (uint64_t{1} << 40) | 5;
    info.path = "/usr/lib/lmharvest/plugins/flexnet.so";
    Writer out;
    encode(info, out);
    Reader in(out.bytes());
    PluginInfo back;
    REQUIRE(decode(in, back));
    CHECK(back.name == info.name);
    CHECK(back.version == info.version);
    CHECK(back.description == info.description);
    CHECK(back.abi_major == 1);
    CHECK(back.abi_minor == 1);
    CHECK(back.kinds == 3);
    CHECK(back.capabilities == info.capabilities);
    CHECK(back.path == info.path);
    for (std::size_t size = 0; size < out.bytes().size(); ++size) {
        Reader cut(std::string_view(out.bytes()).substr(0, size));
        PluginInfo partial;
        CHECK_FALSE(decode(cut, partial));
    }
}
