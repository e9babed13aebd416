// Every lmstat capture in fixtures/flexnet parses to the facts its expect.json states, with LF
// and with CRLF line ends.
#include "fixture_files.hpp"
#include "lmstat_parser.hpp"

#include <catch2/catch.hpp>
#include <lmharvest/records.h>
#include <map>
#include <set>

using namespace lmharvest::flexnet;
using namespace lmharvest::flexnet::testing;
using nlohmann::json;

namespace {

const char* state_name(int32_t state) {
    return state == LH_STATE_UP ? "UP" : state == LH_STATE_DOWN ? "DOWN" : "UNKNOWN";
}

// Per feature name, summed over blocks and vendors, as README.md defines; error features left out.
std::map<std::string, int64_t> summed(const LmstatResult& result, int64_t Feature::*field) {
    std::map<std::string, int64_t> sums;
    for (const Feature& feature : result.features)
        if (!(feature.flags & (LH_FEATURE_ERROR | LH_FEATURE_UNCOUNTED)))
            sums[feature.name] += feature.*field;
    return sums;
}

void check_figures(const json& expected, const LmstatResult& result, int64_t Feature::*field) {
    const auto sums = summed(result, field);
    std::set<std::string> uncounted;
    for (const Feature& feature : result.features)
        if (feature.flags & LH_FEATURE_UNCOUNTED)
            uncounted.insert(feature.name);
    size_t counted = 0;
    for (const auto& [name, value] : expected.items()) {
        INFO("feature " << name);
        if (value.is_string()) {
            CHECK(value == "uncounted");
            CHECK(uncounted.count(name) == 1);
            continue;
        }
        ++counted;
        const auto found = sums.find(name);
        REQUIRE(found != sums.end());
        CHECK(found->second == value.get<int64_t>());
    }
    CHECK(sums.size() == counted);
}

void check_file(const std::string& name, const json& expected, const LmstatResult& result) {
    CHECK(result.features.size() == expected["features"].get<size_t>());
    CHECK(result.sessions.size() == expected["sessions"].get<size_t>());
    check_figures(expected["used"], result, &Feature::used);
    check_figures(expected["total"], result, &Feature::total);

    size_t reservation_lines = 0;
    std::vector<std::string> uncounted, errors;
    for (const Feature& feature : result.features) {
        reservation_lines += feature.reservations.size();
        int64_t reserved = 0;
        for (const Reservation& reservation : feature.reservations)
            reserved += reservation.count;
        CHECK(feature.reserved == reserved);
        if (feature.flags & LH_FEATURE_UNCOUNTED)
            uncounted.push_back(feature.name);
        if (feature.flags & LH_FEATURE_ERROR) {
            errors.push_back(feature.name);
            CHECK(feature.total == -1);
            CHECK(feature.used == 0);
            CHECK_FALSE(feature.error_text.empty());
        }
    }
    CHECK(reservation_lines == expected["reservations"].get<size_t>());
    CHECK(result.queued.size() == expected["queued"].get<size_t>());
    CHECK(uncounted == expected["uncounted"].get<std::vector<std::string>>());
    CHECK(errors == expected["error_features"].get<std::vector<std::string>>());

    int64_t license_sum = 0, lingering = 0;
    for (const Session& session : result.sessions) {
        license_sum += session.count;
        lingering += session.linger_seconds > 0;
        CHECK_FALSE(session.user.empty());
        CHECK_FALSE(session.handle.empty());
        CHECK(session.checkout_time > 0);
    }
    CHECK(license_sum == expected["session_license_sum"].get<int64_t>());
    CHECK(lingering == expected["linger_sessions"].get<int64_t>());

    REQUIRE(result.servers.size() == expected["servers"].size());
    for (size_t i = 0; i < result.servers.size(); ++i) {
        const json& server = expected["servers"][i];
        CHECK(result.servers[i].host == server["host"]);
        CHECK(state_name(result.servers[i].state) == server["status"]);
        CHECK(result.servers[i].is_master == server["master"].get<bool>());
        if (server.contains("version"))
            CHECK(result.servers[i].version == server["version"]);
        if (server.contains("message"))
            CHECK(result.servers[i].message == server["message"]);
    }
    REQUIRE(result.vendors.size() == expected["vendors"].size());
    for (size_t i = 0; i < result.vendors.size(); ++i) {
        CHECK(result.vendors[i].name == expected["vendors"][i]["name"]);
        CHECK(state_name(result.vendors[i].state) == expected["vendors"][i]["status"]);
        CHECK(result.vendors[i].version == expected["vendors"][i]["version"]);
    }
    if (expected.contains("error_status"))
        CHECK(result.query_error == expected["error_status"][0]);
    else
        CHECK(result.query_error.empty());
    if (expected.contains("lmstat_i_rows"))
        CHECK(result.license_listing_rows == expected["lmstat_i_rows"].get<uint32_t>());

    // Well-formed files skip nothing; the others skip exactly the lines SOURCES.md names: the
    // shell command on line 1 of 14, the two "..." elisions of 17-19.
    if (expected["well_formed"].get<bool>()) {
        for (const SkippedLine& skipped : result.skipped)
            FAIL_CHECK("skipped line " << skipped.line << " '" << skipped.text
                                       << "': " << skipped.reason);
    } else if (name.substr(0, 3) == "14-") {
        REQUIRE(result.skipped.size() == 1);
        CHECK(result.skipped[0].line == 1);
        CHECK(result.skipped[0].text == "./lmutil lmstat -c service.txt -a");
    } else {
        REQUIRE(result.skipped.size() == 2);
        for (const SkippedLine& skipped : result.skipped)
            CHECK(skipped.text == "...");
    }
}

} // namespace

TEST_CASE("every lmstat fixture parses to its expected facts, LF and CRLF") {
    const json all = expectations("expect.json");
    REQUIRE(all.size() >= 17);
    for (const auto& [name, expected] : all.items()) {
        const std::string text = read_file(fixture_path(name));
        REQUIRE(text.size() == expected["bytes"].get<size_t>());
        for (const bool crlf : {false, true}) {
            INFO(name << (crlf ? " (CRLF)" : " (LF)"));
            const std::string output = crlf ? with_crlf(text) : text;
            const LmstatResult result = parse_lmstat(output, poll_time);
            check_file(name, expected, result);
        }
    }
}

TEST_CASE("CRLF output gives exactly the LF records") {
    const std::string text =
        read_file(fixture_path("01-flexlm-exporter-app1-triad-reservations-linger.txt"));
    const LmstatResult lf = parse_lmstat(text, poll_time);
    const std::string crlf_text = with_crlf(text);
    const LmstatResult crlf = parse_lmstat(crlf_text, poll_time);
    REQUIRE(lf.sessions.size() == crlf.sessions.size());
    for (size_t i = 0; i < lf.sessions.size(); ++i) {
        CHECK(lf.sessions[i].user == crlf.sessions[i].user);
        CHECK(lf.sessions[i].display == crlf.sessions[i].display);
        CHECK(lf.sessions[i].handle == crlf.sessions[i].handle);
        CHECK(lf.sessions[i].checkout_time == crlf.sessions[i].checkout_time);
        CHECK(lf.sessions[i].count == crlf.sessions[i].count);
    }
    REQUIRE(lf.features.size() == crlf.features.size());
    for (size_t i = 0; i < lf.features.size(); ++i)
        CHECK(lf.features[i].expiry == crlf.features[i].expiry);
}
