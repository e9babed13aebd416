#include "model/decode_names.hpp"

#include <catch2/catch.hpp>

using namespace lmharvest;

TEST_CASE("decode_names decodes every name of a snapshot, never the close token or handle") {
    const std::string latin1 = "j\xF6rg";   // as a Windows server prints it
    const std::string utf8 = "j\xC3\xB6rg"; // what the store must get
    PollSnapshot snapshot;
    snapshot.error = latin1;
    snapshot.servers.push_back({latin1, State::up, true, latin1, latin1});
    snapshot.vendors.push_back({latin1, State::up, latin1, latin1});
    FeatureUsage& feature = snapshot.features.emplace_back();
    feature.vendor = feature.name = feature.version = feature.expiry = feature.error_text = latin1;
    Session& session = snapshot.sessions.emplace_back();
    session.vendor = session.feature = session.version = session.user = session.host =
        session.display = session.host_ip = session.server = latin1;
    session.handle = latin1;
    session.close_token = "user=" + latin1;
    Denial& denial = snapshot.denials.emplace_back();
    denial.vendor = denial.feature = denial.user = denial.host = denial.reason = latin1;
    snapshot.skipped.push_back({3, latin1, latin1});

    decode_names(snapshot, text::Encoding::latin1);

    CHECK(snapshot.error == utf8);
    const ServerStatus& s = snapshot.servers[0];
    CHECK((s.host + s.version + s.message) == utf8 + utf8 + utf8);
    const VendorStatus& v = snapshot.vendors[0];
    CHECK((v.name + v.version + v.message) == utf8 + utf8 + utf8);
    const FeatureUsage& f = snapshot.features[0];
    CHECK((f.vendor + f.name + f.version + f.expiry + f.error_text) ==
          utf8 + utf8 + utf8 + utf8 + utf8);
    const Session& e = snapshot.sessions[0];
    CHECK((e.vendor + e.feature + e.version + e.user + e.host + e.display + e.host_ip + e.server) ==
          utf8 + utf8 + utf8 + utf8 + utf8 + utf8 + utf8 + utf8);
    CHECK(e.handle == latin1);
    CHECK(e.close_token == "user=" + latin1);
    const Denial& d = snapshot.denials[0];
    CHECK((d.vendor + d.feature + d.user + d.host + d.reason) == utf8 + utf8 + utf8 + utf8 + utf8);
    CHECK((snapshot.skipped[0].text + snapshot.skipped[0].reason) == utf8 + utf8);
}

TEST_CASE("with utf-8, decode_names keeps the bytes as printed") {
    PollSnapshot snapshot;
    snapshot.sessions.emplace_back().user = "j\xF6rg";
    decode_names(snapshot, text::Encoding::utf8);
    CHECK(snapshot.sessions[0].user == "j\xF6rg");
}
