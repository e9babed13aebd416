// The text parser on every real capture, checked against expect.json and by hand.
#include "lmx_test_files.hpp"
#include "parse_lmx.hpp"

#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>

using namespace lmharvest::lmx;
using lmharvest::lmx::testing::fixture;
using lmharvest::lmx::testing::poll_time;
using lmharvest::lmx::testing::with_crlf;

namespace {

std::map<std::string, int64_t> used_by_name(const LmxResult& result) {
    std::map<std::string, int64_t> used;
    for (const LmxFeature& feature : result.features)
        used[std::string(feature.name)] += feature.used;
    return used;
}

std::map<std::string, int64_t> total_by_name(const LmxResult& result) {
    std::map<std::string, int64_t> total;
    for (const LmxFeature& feature : result.features)
        total[std::string(feature.name)] += feature.total;
    return total;
}

const LmxFeature& feature_named(const LmxResult& result, const std::string& name) {
    for (const LmxFeature& feature : result.features)
        if (feature.name == name)
            return feature;
    throw std::runtime_error("no feature " + name);
}

} // namespace

TEST_CASE("every LM-X text capture gives the facts of expect.json") {
    const nlohmann::json expect = nlohmann::json::parse(fixture("expect.json"));
    REQUIRE(expect.size() == 3);
    for (const auto& [file, facts] : expect.items()) {
        for (const bool crlf : {false, true}) {
            INFO(file << (crlf ? " (CRLF)" : ""));
            const std::string output = crlf ? with_crlf(fixture(file)) : fixture(file);
            const LmxResult result = parse_lmx_text(output, poll_time);
            CHECK(result.ok);
            CHECK(result.features.size() == facts.at("features").get<std::size_t>());
            CHECK(result.sessions.size() == facts.at("sessions").get<std::size_t>());
            CHECK(used_by_name(result) == facts.at("used").get<std::map<std::string, int64_t>>());
            CHECK(total_by_name(result) == facts.at("total").get<std::map<std::string, int64_t>>());
            // 04 is "not well formed" only because it is cut out of a larger output: every line
            // in it is real lmxendutil output, so nothing is skipped (docs/lmx.md).
            CHECK(result.skipped.empty());
        }
    }
}

TEST_CASE("fixture 01: server, features and sessions in detail") {
    const std::string output = fixture("01-omnivector-altair-hyperworks.txt");
    const LmxResult result = parse_lmx_text(output, 0); // its records view `output`
    REQUIRE(result.servers.size() == 1);
    const LmxServer& server = result.servers[0];
    CHECK(server.host == "licserv0013.com");
    CHECK(server.port == 6200);
    CHECK(server.state == LH_STATE_UP);
    CHECK(server.version == "v5.1");
    CHECK(server.uptime == "3 day(s) 12 hour(s) 0 min(s) 51 sec(s)");
    REQUIRE(result.vendors.size() == 1);
    CHECK(result.vendors[0].name == "ALTAIR");

    const LmxFeature& unlimited = feature_named(result, "HWFlux2D");
    CHECK(unlimited.total == unlimited_licenses);
    CHECK((unlimited.flags & LH_FEATURE_UNLIMITED) != 0);
    const LmxFeature& counted = feature_named(result, "CatiaV5Reader");
    CHECK(counted.flags == 0);
    CHECK(counted.start == "2022-02-17");
    CHECK(counted.expiry == "2023-01-31");
    CHECK(counted.share == "CUSTOM VIRTUAL");
    CHECK(counted.server == "licserv0013.com/6200");

    REQUIRE(result.sessions.size() == 5);
    const LmxSession& first = result.sessions[0];
    CHECK(first.feature == "GlobalZoneEU");
    CHECK(first.version == "21.0");
    CHECK(first.vendor == "ALTAIR");
    CHECK(first.user == "VRAAFG");
    CHECK(first.host == "RD0082879");
    CHECK(first.host_ip == "138.106.159.158");
    CHECK(first.count == 15000);
    CHECK(first.login_time == 1645176360);    // 2022-02-18 09:26, TZ=UTC
    CHECK(first.checkout_time == 1645176540); // 09:29
    CHECK(first.share_kind == "custom");
    CHECK(first.share_value == "VRAAFG:RD0082879"); // trailing blank of the capture dropped
    CHECK(first.server == "licserv0013.com/6200");
    // The same user@host twice in one feature: two sessions, told apart by checkout time.
    CHECK(result.sessions[1].user == first.user);
    CHECK(result.sessions[1].close_token != first.close_token);
    CHECK(result.sessions[3].share_value == "VRAAFG:RD0082879:18896_1081950704_1645017269_309963");
}

TEST_CASE("fixture 03: no license server available") {
    const std::string output = fixture("03-omnivector-no-servers.txt");
    const LmxResult result = parse_lmx_text(output, poll_time);
    CHECK(result.ok);
    CHECK(result.servers.empty());
    CHECK(result.unavailable == "There are no license server(s) available.");
}

TEST_CASE("fixture 04: a fragment without server header, details indented") {
    const std::string output = fixture("04-raysearch-fragment.txt");
    const LmxResult result = parse_lmx_text(output, poll_time);
    CHECK(result.servers.empty());
    REQUIRE(result.features.size() == 1);
    CHECK(result.features[0].vendor == "RAYSEARCHLABS");
    CHECK(result.features[0].start == "NONE");
    CHECK(result.features[0].share == "HOST");
    CHECK(result.features[0].server.empty());
    REQUIRE(result.sessions.size() == 1);
    const LmxSession& session = result.sessions[0];
    CHECK(session.user == "blogsj");
    CHECK(session.host == "rayClinicApp01");
    CHECK(session.checkout_text == "2016-06-13 14:56");
    CHECK(session.checkout_time == 1465829760);
    CHECK(session.share_kind == "hostname");
    CHECK(session.share_value == "rayclinicapp01");
}

TEST_CASE("lines that are not lmxendutil output are skipped with their number and a reason") {
    const std::string output = "LM-X License Server on 6200@lic1:\n"
                               "Server version: v5.5 Uptime: 1 min(s)\n"
                               "$ lmxendutil -licstat\n"
                               "Login time: 2022-02-18 09:26   Checkout time: 2022-02-18 09:26\n"
                               "----------------------------------------\n"
                               "Feature: F Version: 1.0 Vendor: V\n"
                               "x of 3 license(s) used\n"
                               "2 of 3 license(s) used:\n"
                               "2 license(s) used by nobody\n"
                               "1 license(s) used by ann@pc1 [10.0.0.1]\n"
                               "Login time: yesterday   Checkout time: 2022-02-18 09:26\n"
                               "...\n";
    const LmxResult result = parse_lmx_text(output, poll_time);
    REQUIRE(result.skipped.size() == 6);
    CHECK(result.skipped[0].line == 3);
    CHECK(result.skipped[0].text == "$ lmxendutil -licstat");
    CHECK(result.skipped[1].line == 4);
    CHECK(result.skipped[1].reason == "login time outside a user entry");
    CHECK(result.skipped[2].line == 7);
    CHECK(result.skipped[3].line == 9);
    CHECK(result.skipped[4].line == 11);
    CHECK(result.skipped[5].text == "...");
    REQUIRE(result.features.size() == 1);
    CHECK(result.features[0].used == 2);
    REQUIRE(result.sessions.size() == 1);
    CHECK(result.sessions[0].checkout_time == 0); // its time line was unreadable
}

TEST_CASE("names with blanks and users with '@' are read whole") {
    const std::string output = "Feature: My Feature Version: 2 beta Vendor: ACME Corp\n"
                               "1 of 2 license(s) used:\n"
                               "1 license(s) used by ann@corp@pc 1 [10.0.0.1]\n";
    const LmxResult result = parse_lmx_text(output, poll_time);
    REQUIRE(result.features.size() == 1);
    CHECK(result.features[0].name == "My Feature");
    CHECK(result.features[0].version == "2 beta");
    CHECK(result.features[0].vendor == "ACME Corp");
    REQUIRE(result.sessions.size() == 1);
    CHECK(result.sessions[0].user == "ann@corp");
    CHECK(result.sessions[0].host == "pc 1");
}
