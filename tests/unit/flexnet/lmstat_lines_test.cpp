// Line-level behaviour of the lmstat parser: names with spaces, the year rule, status forms.
#include "fixture_files.hpp"
#include "lmstat_parser.hpp"

#include <catch2/catch.hpp>
#include <lmharvest/records.h>
#include <lmharvest/text/civil_time.hpp>

using namespace lmharvest::flexnet;
using namespace lmharvest::flexnet::testing;

namespace {

int64_t utc(int64_t year, unsigned month, unsigned day, unsigned hour, unsigned minute) {
    return lmharvest::text::days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60;
}

const Session& only_session(const LmstatResult& result) {
    REQUIRE(result.skipped.empty());
    REQUIRE(result.sessions.size() == 1);
    return result.sessions[0];
}

// One feature block around a user line. The sessions view the text, so the two live together
// (and stay where they are: no copy, no move).
struct ParsedBlock {
    ParsedBlock(const std::string& user_line, int64_t poll_time)
        : text("Users of f1:  (Total of 4 licenses issued;  Total of 1 license in use)\n"
               "  \"f1\" v2.0, vendor: acme, expiry: permanent(no expiration date)\n"
               "  floating license\n\n" +
               user_line + "\n"),
          result(parse_lmstat(text, poll_time)) {}
    ParsedBlock(const ParsedBlock&) = delete;
    ParsedBlock& operator=(const ParsedBlock&) = delete;

    const std::string text;
    const LmstatResult result;
};

} // namespace

TEST_CASE("user and display with spaces and punctuation are read from the right") {
    const std::string text =
        read_file(fixture_path("01-flexlm-exporter-app1-triad-reservations-linger.txt"));
    const LmstatResult result = parse_lmstat(text, utc(2017, 10, 20, 17, 2));
    std::vector<const Session*> feature100;
    for (const Session& session : result.sessions)
        if (result.features[session.feature_index].name == "feature100")
            feature100.push_back(&session);
    REQUIRE(feature100.size() == 3);
    CHECK(feature100[1]->user == "Administrator");
    CHECK(feature100[1]->host == "ServerS1");
    CHECK(feature100[1]->display == "|)8<fZ)=Y[<7L$lY-p\\<6nn^Y");
    CHECK(feature100[2]->user == "John Doe");
    CHECK(feature100[2]->host == "John_D");
    CHECK(feature100[2]->display == "\"U,K$`Ct`0'\"C iQwgGsne<&!");
    CHECK(feature100[2]->handle == "4611");
    CHECK(feature100[2]->server_host == "host3.domain.net");
    CHECK(feature100[2]->port == "27002");
    CHECK(feature100[2]->version == "61.4");
    CHECK(result.features[feature100[2]->feature_index].vendor == "VENDOR1");
}

TEST_CASE("a display that names its host anchors the split of extra tokens") {
    const int64_t poll_time = utc(2024, 3, 12, 0, 0);
    const ParsedBlock synopsys_block(
        "    user1 host-01 host-01:0.0 lc80a2_1 (v2022.09) (SERVER1/27020 24464), start "
        "Thu 3/7 22:16, PID: 2593569 ",
        poll_time);
    const Session& synopsys = only_session(synopsys_block.result);
    CHECK(synopsys.user == "user1");
    CHECK(synopsys.host == "host-01");
    CHECK(synopsys.display == "host-01:0.0 lc80a2_1");
    CHECK(synopsys.pid == 2593569);
    const ParsedBlock tty_block("    usbn12 p-c94.com /dev/tty feature=test_feature (v2023.0) "
                                "(myserver.example.com/41020 10223), start Mon 3/11 13:16, 100 "
                                "licenses",
                                poll_time);
    const Session& tty = only_session(tty_block.result);
    CHECK(tty.user == "usbn12");
    CHECK(tty.host == "p-c94.com");
    CHECK(tty.display == "/dev/tty feature=test_feature");
    CHECK(tty.count == 100);
    const ParsedBlock no_display_block(
        "    user2 host-01 (v2026.03) (SERVER1/27020 19210), start Fri 3/8 11:44", poll_time);
    const Session& no_display = only_session(no_display_block.result);
    CHECK(no_display.user == "user2");
    CHECK(no_display.host == "host-01");
    CHECK(no_display.display.empty());
}

TEST_CASE("linger, license count and seconds in the start time") {
    const ParsedBlock lingering_block(
        "    cmfy212 UFRT UFRT0.0 (v1.00) (host3/28000 1401), start Wed 5/23 5:59, 16 licenses  "
        "(linger: 885098 / 1340160)",
        utc(2018, 6, 1, 0, 0));
    const Session& lingering = only_session(lingering_block.result);
    CHECK(lingering.count == 16);
    CHECK(lingering.linger_seconds == 885098);
    CHECK(lingering.checkout_time == utc(2018, 5, 23, 5, 59));
    const ParsedBlock seconds_block(
        "    bob ws1 /dev/tty (v2.0) (lic1/27000 7), start Wed 5/23 5:59:31",
        utc(2018, 6, 1, 0, 0));
    const Session& seconds = only_session(seconds_block.result);
    CHECK(seconds.checkout_time == utc(2018, 5, 23, 5, 59) + 31);
}

TEST_CASE("start times take the reference year and roll back a year when in the future") {
    const std::string line = "    bob ws1 /dev/tty (v2.0) (lic1/27000 7), start Wed 12/31 23:50";
    SECTION("polled on 2 January: December is last year") {
        CHECK(only_session(ParsedBlock(line, utc(2026, 1, 2, 8, 0)).result).checkout_time ==
              utc(2025, 12, 31, 23, 50));
    }
    SECTION("polled on 31 December after the start: this year") {
        CHECK(only_session(ParsedBlock(line, utc(2025, 12, 31, 23, 55)).result).checkout_time ==
              utc(2025, 12, 31, 23, 50));
    }
    SECTION("a start a few hours ahead is clock skew, not last year") {
        CHECK(only_session(ParsedBlock(line, utc(2025, 12, 31, 20, 0)).result).checkout_time ==
              utc(2025, 12, 31, 23, 50));
    }
    SECTION("the status header's date wins over the poll time") {
        const std::string text =
            "Flexible License Manager status on Fri 1/2/2015 10:00\n\n"
            "Users of f1:  (Total of 4 licenses issued;  Total of 1 license in use)\n" +
            line + "\n";
        const LmstatResult result = parse_lmstat(text, utc(2026, 6, 1, 0, 0));
        CHECK(only_session(result).checkout_time == utc(2014, 12, 31, 23, 50));
    }
    SECTION("29 February in a non-leap year is last leap year's") {
        const std::string leap = "    bob ws1 /dev/tty (v2.0) (lic1/27000 7), start Thu 2/29 9:00";
        CHECK(only_session(ParsedBlock(leap, utc(2025, 3, 1, 0, 0)).result).checkout_time ==
              utc(2024, 2, 29, 9, 0));
    }
}

TEST_CASE("queued lines count into the feature, not into sessions") {
    const std::string text = read_file(fixture_path("22-alliance-abaqus-egrep-queued.txt"));
    const LmstatResult result = parse_lmstat(text, utc(2024, 12, 1, 0, 0));
    REQUIRE(result.features.size() == 1);
    CHECK(result.features[0].queued == 1);
    REQUIRE(result.queued.size() == 1);
    CHECK(result.queued[0].count == 10);
    CHECK(result.queued[0].handle == "125");
    CHECK(result.queued[0].checkout_time == 0);
    CHECK(result.sessions.size() == 1);
}

TEST_CASE("servers and vendor daemons that are down are statuses with the tool's message") {
    const LmstatResult result = parse_lmstat(
        "License server status: 27000@lic1,27000@lic2,27000@lic3\n"
        "    License file(s) on lic1: /opt/license.dat:\n\n"
        "lic1: license server UP (MASTER) v11.19.6\n"
        "lic2: Cannot read data from license server system. (-16,287)\n\n"
        "Vendor daemon status (on lic1):\n\n"
        "  ansyslmd: The desired vendor daemon is down. (-97,121)\n"
        "\r\n   \t \n"
        "License server status: 1055@other\n"
        "    License file(s) on other: /opt/other.dat:\n\n"
        "lmgrd is not running: License server machine is down or not responding. (-96,7)\n",
        utc(2025, 1, 1, 0, 0));
    CHECK(result.skipped.empty());
    REQUIRE(result.servers.size() == 3);
    CHECK(result.servers[0].is_master);
    CHECK(result.servers[1].state == LH_STATE_DOWN);
    CHECK(result.servers[1].message == "Cannot read data from license server system. (-16,287)");
    CHECK(result.servers[2].host == "other");
    CHECK(result.servers[2].state == LH_STATE_DOWN);
    CHECK(result.servers[2].message == "License server machine is down or not responding. (-96,7)");
    REQUIRE(result.vendors.size() == 1);
    CHECK(result.vendors[0].state == LH_STATE_DOWN);
    CHECK(result.vendors[0].message == "The desired vendor daemon is down. (-97,121)");
}

TEST_CASE("the same feature under two vendors in two lmgrd blocks is two features") {
    const LmstatResult result = parse_lmstat(
        "License server status: 27000@a\n\na: license server UP (MASTER) v11.16\n\n"
        "Vendor daemon status (on a):\n\n  alpha: UP v11.16\n\nFeature usage info:\n\n"
        "Users of solver:  (Total of 2 licenses issued;  Total of 0 licenses in use)\n\n"
        "License server status: 27001@b\n\nb: license server UP (MASTER) v11.16\n\n"
        "Vendor daemon status (on b):\n\n  beta: UP v11.16\n\nFeature usage info:\n\n"
        "Users of solver:  (Total of 5 licenses issued;  Total of 3 licenses in use)\n",
        utc(2025, 1, 1, 0, 0));
    CHECK(result.skipped.empty());
    REQUIRE(result.features.size() == 2);
    CHECK(result.features[0].vendor == "alpha");
    CHECK(result.features[1].vendor == "beta");
    CHECK(result.features[1].used == 3);
}

TEST_CASE("two version sub-blocks: the feature keeps the first, sessions their own") {
    const std::string text =
        read_file(fixture_path("18-omnivector-excerpt-ccmppower-two-versions.txt"));
    const LmstatResult result = parse_lmstat(text, utc(2024, 3, 12, 0, 0));
    REQUIRE(result.features.size() == 1);
    CHECK(result.features[0].version == "2025.09");
    CHECK(result.features[0].vendor == "abc");
    REQUIRE(result.sessions.size() == 3);
    CHECK(result.sessions[2].version == "2022.10");
}

TEST_CASE("unreadable lines are reported with number and reason, the rest still read") {
    const LmstatResult result = parse_lmstat(
        "Users of f1:  (Total of 4 licenses issued;  Total of 1 license in use)\n"
        "    bob ws1 /dev/tty (v2.0) (lic1/27000 7), start Wed 13/45 5:59\n"
        "    bob ws1 /dev/tty (v2.0) (lic1/27000 8), start Wed 5/23 5:59, lots of licenses\n"
        "Users of f2:  (Total of x licenses issued)\n"
        "    amy ws2 /dev/tty (v2.0) (lic1/27000 9), start Wed 5/23 6:00\n",
        utc(2025, 1, 1, 0, 0));
    REQUIRE(result.skipped.size() == 4);
    CHECK(result.skipped[0].line == 2);
    CHECK(result.skipped[0].reason == "impossible start time");
    CHECK(result.skipped[1].line == 3);
    CHECK(result.skipped[2].line == 4);
    // Under an unreadable "Users of" line a checkout belongs to no known feature.
    CHECK(result.skipped[3].line == 5);
    CHECK(result.sessions.empty());
    REQUIRE(result.features.size() == 1);
}

TEST_CASE("uncounted features count their checkouts as use") {
    const std::string text =
        read_file(fixture_path("04-flexlm-exporter-app4-comsol-uncounted-error.txt"));
    const LmstatResult result = parse_lmstat(text, utc(2025, 5, 1, 0, 0));
    const Feature& serial = result.features.at(0);
    CHECK(serial.name == "SERIAL");
    CHECK(serial.total == -1);
    CHECK(serial.used == 1);
    CHECK((serial.flags & LH_FEATURE_NODELOCKED) != 0);
    CHECK(serial.expiry == "permanent(no expiration date)");
    CHECK(result.sessions.at(0).port == "port"); // anonymised, kept as printed
}
