// The debug-log reader on every capture in fixtures/flexnet/debuglog, and its date tracking.
#include "debuglog_parser.hpp"
#include "fixture_files.hpp"

#include <catch2/catch.hpp>
#include <lmharvest/text/civil_time.hpp>
#include <lmharvest/text/lines.hpp>
#include <map>
#include <set>
#include <vector>

using namespace lmharvest::flexnet;
using namespace lmharvest::flexnet::testing;

namespace {

int64_t utc(int64_t year, unsigned month, unsigned day, unsigned hour, unsigned minute,
            unsigned second) {
    return lmharvest::text::days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 +
           second;
}

struct ReadLog {
    std::vector<DebugEvent> events;
    uint32_t timestamp_lines = 0;
};

ReadLog read_log(const std::string& text, DebugClock start) {
    DebugLogReader reader(start);
    ReadLog log;
    lmharvest::text::LineCursor cursor(text);
    std::string_view line;
    while (cursor.next(line))
        if (auto event = reader.read(line))
            log.events.push_back(std::move(*event));
    log.timestamp_lines = reader.timestamp_lines();
    return log;
}

DebugClock day(int64_t year, unsigned month, unsigned d) {
    DebugClock clock;
    clock.year = year;
    clock.month = month;
    clock.day = d;
    return clock;
}

} // namespace

TEST_CASE("every debug-log fixture gives the counts of its expect.json") {
    const nlohmann::json all = expectations("debuglog/expect.json");
    REQUIRE(all.size() == 10);
    for (const auto& [name, expected] : all.items()) {
        INFO(name);
        const std::string text = read_file(fixture_path("debuglog/" + name));
        for (const bool crlf : {false, true}) {
            const ReadLog log = read_log(crlf ? with_crlf(text) : text, day(2020, 1, 1));
            std::map<DebugEventKind, int> counts;
            std::set<std::string> features, users;
            for (const DebugEvent& event : log.events) {
                ++counts[event.kind];
                features.insert(event.feature);
                users.insert(event.user);
                CHECK(event.count >= 1);
                CHECK(event.time > 0);
                CHECK_FALSE(event.host.empty());
            }
            CHECK(counts[DebugEventKind::out] == expected["out"].get<int>());
            CHECK(counts[DebugEventKind::in] == expected["in"].get<int>());
            CHECK(counts[DebugEventKind::denied] == expected["denied"].get<int>());
            CHECK(counts[DebugEventKind::queued] == expected["queued"].get<int>());
            CHECK(counts[DebugEventKind::dequeued] == expected["dequeued"].get<int>());
            CHECK(counts[DebugEventKind::unsupported] == expected["unsupported"].get<int>());
            CHECK(log.timestamp_lines == expected["timestamp_lines"].get<uint32_t>());
            CHECK(features.size() == expected["distinct_features"].get<size_t>());
            CHECK(users.size() == expected["distinct_users"].get<size_t>());
        }
    }
}

TEST_CASE("a midnight without TIMESTAMP moves the date on (file 04)") {
    const ReadLog log = read_log(
        read_file(fixture_path("debuglog/04-ansyslmd-v11.13-umich-rollover-without-timestamp.log")),
        DebugClock{});
    REQUIRE(log.events.size() == 20);
    CHECK(log.events[0].time == utc(2017, 6, 8, 23, 27, 4));
    CHECK(log.events[15].time == utc(2017, 6, 8, 23, 48, 39));
    CHECK(log.events[16].time == utc(2017, 6, 9, 1, 49, 7));
    CHECK(log.events[16].kind == DebugEventKind::in);
    CHECK(log.events[17].count == 8);
}

TEST_CASE("a clock going back seconds at startup is not a new day (file 11)") {
    const ReadLog log =
        read_log(read_file(fixture_path("debuglog/11-parteklm-v11.4-nci-startup-midnight.log")),
                 day(2015, 11, 21));
    REQUIRE_FALSE(log.events.empty());
    // The first OUT (20:40:18) follows lmgrd's 20:40:34 line: the same day.
    CHECK(log.events[0].time == utc(2015, 11, 21, 20, 40, 18));
}

TEST_CASE("DENIED and UNSUPPORTED carry the reason; OUT/IN the token detail") {
    const ReadLog denied =
        read_log(read_file(fixture_path("debuglog/12-parteklm-v11.4-nci-denied-unsupported.log")),
                 day(2015, 12, 1));
    const DebugEvent* first_denied = nullptr;
    const DebugEvent* unsupported = nullptr;
    for (const DebugEvent& event : denied.events) {
        if (event.kind == DebugEventKind::denied && !first_denied)
            first_denied = &event;
        if (event.kind == DebugEventKind::unsupported)
            unsupported = &event;
    }
    REQUIRE(first_denied);
    CHECK(first_denied->vendor == "parteklm");
    CHECK(first_denied->reason.rfind("Licensed number of users already reached. (-4,342", 0) == 0);
    REQUIRE(unsupported);
    CHECK(unsupported->feature == "pathway_base");
    CHECK(unsupported->user == "epojkl8");
    CHECK(unsupported->host == "FR-W-S079818");
    CHECK(unsupported->reason ==
          "License server system does not support this feature. (-18,327:10054 \"\")");

    const ReadLog tokens = read_log(
        read_file(fixture_path("debuglog/01-msc-v11.19-token-group-shutdown-anonymized.log")),
        day(2025, 9, 24));
    REQUIRE_FALSE(tokens.events.empty());
    CHECK(tokens.events[0].feature == "MSCONE");
    CHECK(tokens.events[0].detail == "[MSCONE:ODYSSEE_CAE]");
    CHECK(tokens.events[0].count == 60);
    bool shutdown = false;
    for (const DebugEvent& event : tokens.events)
        shutdown = shutdown || event.detail.find("(SHUTDOWN)") != std::string::npos;
    CHECK(shutdown);
}

TEST_CASE("malformed times and SERVER-OUT are not events") {
    DebugLogReader reader(day(2024, 1, 1));
    CHECK_FALSE(reader.read("12:49:3a9 (ugslmd) OUT: \"f\" u@h  "));
    CHECK_FALSE(reader.read("12:49:30 (lmgrd) SERVER-OUT: \"f\" u@h"));
    CHECK_FALSE(reader.read("124:49:30 (v) OUT: \"f\" u@h"));
    CHECK_FALSE(reader.read("12:49:30 (v) OUT: f u@h"));
    const auto queued = reader.read(" 9:05:00 (v) QUEUED: \"f\" u@h  (2 licenses)");
    REQUIRE(queued);
    CHECK(queued->kind == DebugEventKind::queued);
    CHECK(queued->count == 2);
}

TEST_CASE("the clock survives a round trip through its saved text") {
    DebugClock clock = day(2024, 2, 29);
    clock.last_second = 86399;
    const auto back = DebugClock::parse(clock.serialize());
    REQUIRE(back);
    CHECK(back->year == 2024);
    CHECK(back->month == 2);
    CHECK(back->day == 29);
    CHECK(back->last_second == 86399);
    CHECK_FALSE(DebugClock::parse("2024 13 1 0"));
    CHECK_FALSE(DebugClock::parse("garbage"));
    // Read on: the next line, earlier in the day, belongs to 1 March.
    DebugLogReader reader(*back);
    const auto event = reader.read(" 0:00:10 (v) OUT: \"f\" u@h");
    REQUIRE(event);
    CHECK(event->time == utc(2024, 3, 1, 0, 0, 10));
}
