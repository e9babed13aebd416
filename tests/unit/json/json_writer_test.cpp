#include "json/iso_time.hpp"
#include "json/json_writer.hpp"
#include "json/records_json.hpp"
#include "json/safe_dump.hpp"
#include "json/snapshot_json.hpp"
#include <catch2/catch.hpp>
#include <cstdlib>
#include <ctime>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

using namespace lmharvest;

namespace {

struct Collected {
    std::string text;
    std::size_t calls = 0;
    JsonWriter::Sink sink() {
        return [this](std::string_view piece) {
            text += piece;
            ++calls;
            return true;
        };
    }
};

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    return lines;
}

// A poll with every kind of field, and bytes a Windows license server may print.
PollSnapshot odd_snapshot() {
    PollSnapshot snapshot;
    snapshot.servers.push_back({"lic1", State::up, true, "v11.16", ""});
    snapshot.vendors.push_back({"ugslmd", State::down, "", "Cannot connect \x01"});
    FeatureUsage feature;
    feature.vendor = "ugslmd";
    feature.name = "N\xe4"
                   "chster";
    feature.total = 2147483647;
    feature.used = 3;
    feature.flags = 1;
    snapshot.features.push_back(feature);
    snapshot.features.push_back({});
    Session session;
    session.vendor = "ugslmd";
    session.feature = "N\xe4"
                      "chster";
    session.user = "j\xf6rg";
    session.host = std::string("ws\0x", 4);
    session.display = "\x1b]0;title\x07";
    session.checkout_time = 1716443940;
    session.pid = 4242;
    snapshot.sessions.push_back(session);
    snapshot.sessions.push_back({});
    Denial denial;
    denial.kind = 7;
    denial.user = "\xC0\xAF";
    snapshot.denials.push_back(denial);
    snapshot.skipped.push_back({12, "garbled \xff\xfe line", "not a user line"});
    snapshot.ok = false;
    snapshot.error = "cut \xE2\x82";
    return snapshot;
}

std::vector<SessionRecord> odd_records() {
    std::vector<SessionRecord> records;
    for (int i = 0; i < 3; ++i) {
        SessionRecord record;
        record.id = i + 1;
        record.server = "eng-flex";
        record.session = odd_snapshot().sessions[0];
        record.first_seen = 1716443940 + i;
        record.last_seen = 1716447540;
        if (i == 1) {
            record.closed_at = 1716450000;
            record.close_reason = "gone \xff";
        }
        records.push_back(record);
    }
    return records;
}

} // namespace

TEST_CASE("the writer nests containers with commas, and empty ones stay []") {
    Collected out;
    JsonWriter writer(out.sink(), 0);
    writer.begin_object();
    writer.field("a", 1);
    writer.key("list");
    writer.begin_array();
    writer.value(-9223372036854775807LL - 1);
    writer.value(true);
    writer.value(nullptr);
    writer.begin_object();
    writer.end_object();
    writer.begin_array();
    writer.end_array();
    writer.value(std::optional<int>());
    writer.value(std::optional<std::string_view>("x"));
    writer.end_array();
    writer.field("t", LocalTime{0});
    writer.end_object();
    REQUIRE(writer.finish());
    CHECK(
        out.text ==
        R"({"a":1,"list":[-9223372036854775808,true,null,{},[],null,"x"],"t":"1970-01-01T00:00:00+00:00"})"
        "\n");
}

TEST_CASE("line_depth puts each member of the outer containers on its own line") {
    Collected out;
    REQUIRE(write_json(odd_snapshot(), out.sink()));
    const std::vector<std::string> lines = lines_of(out.text);
    // {, one line per key of the top object, one per record, ], } ...
    CHECK(lines.front() == "{");
    CHECK(lines.back() == "}");
    // sessions first: `parse --json` streams them as the plugin lends them
    CHECK(lines[1] == R"(  "sessions": [)");
    CHECK(lines[2].rfind(R"(    {"vendor":"ugslmd","feature":)", 0) == 0);
    CHECK(lines[3].rfind(R"(    {"vendor":"","feature":"")", 0) == 0);
    CHECK(lines[4] == "  ],");
    CHECK(lines[5] == R"(  "servers": [)");
    CHECK(lines[6].rfind(R"(    {"address":"lic1","status":"up")", 0) == 0);
    CHECK(lines.size() ==
          2 + 6 + 6 + (1 + 1 + 2 + 2 + 1 + 1) + 1); // braces, keys, ], records, error
    const nlohmann::json sessions_array = nlohmann::json::parse(out.text).at("sessions");
    CHECK(sessions_array.size() == 2);
}

TEST_CASE("the streamed snapshot is the DOM's JSON, invalid bytes replaced alike") {
    const PollSnapshot snapshot = odd_snapshot();
    Collected out;
    REQUIRE(write_json(snapshot, out.sink()));
    const nlohmann::json streamed = nlohmann::json::parse(out.text);
    const nlohmann::json dom = nlohmann::json::parse(safe_dump(to_json(snapshot)));
    CHECK(streamed == dom);
    CHECK(streamed.at("sessions").at(0).at("user") == "j\xEF\xBF\xBDrg");
    CHECK(streamed.at("sessions").at(0).at("host") == std::string("ws\0x", 4));
    CHECK(streamed.at("features").at(0).at("total") == 2147483647);
    CHECK(streamed.at("denials").at(0).at("kind") == "unknown");
    CHECK(streamed.at("error") == "cut \xEF\xBF\xBD");
}

TEST_CASE("streamed session records: one per line, the DOM's JSON") {
    const std::vector<SessionRecord> records = odd_records();
    Collected out;
    REQUIRE(write_json(records, out.sink()));
    const std::vector<std::string> lines = lines_of(out.text);
    REQUIRE(lines.size() == records.size() + 2);
    for (std::size_t i = 0; i < records.size(); ++i) {
        std::string line = lines[i + 1];
        if (line.back() == ',')
            line.pop_back();
        CHECK(nlohmann::json::parse(line) == nlohmann::json::parse(safe_dump(to_json(records[i]))));
    }
    CHECK(nlohmann::json::parse(out.text) ==
          nlohmann::json::parse(safe_dump(to_json_array(records))));
    Collected empty;
    REQUIRE(write_json(std::vector<SessionRecord>{}, empty.sink()));
    CHECK(empty.text == "[]\n");
}

TEST_CASE("a large answer reaches the sink in bounded pieces, and a refusing sink stops it") {
    std::vector<SessionRecord> records(20000, odd_records()[1]);
    Collected out;
    std::size_t largest = 0;
    REQUIRE(write_json(records, [&](std::string_view piece) {
        largest = std::max(largest, piece.size());
        return out.sink()(piece);
    }));
    CHECK(out.calls > 10);
    CHECK(largest < 80 * 1024);
    CHECK(nlohmann::json::parse(out.text).size() == records.size());

    std::size_t calls = 0;
    CHECK_FALSE(write_json(records, [&](std::string_view) { return ++calls > 2 ? false : true; }));
    CHECK(calls == 3); // nothing more was offered after the refusal
}

TEST_CASE("LocalTimeFormatter writes what iso8601_local writes, in zones with odd offsets") {
    const char* previous = std::getenv("TZ");
    const std::string saved = previous ? previous : "";
    for (const char* zone : {"UTC", "Europe/Berlin", "America/St_Johns", "Asia/Kathmandu",
                             "Australia/Lord_Howe", "America/Los_Angeles"}) {
        setenv("TZ", zone, 1);
        tzset();
        LocalTimeFormatter formatter;
        std::size_t differences = 0;
        // Two years in steps of 7 min 13 s cross every DST change of 2024 and 2025.
        for (int64_t t = 1704067200; t < 1767225600; t += 433) {
            std::string fast;
            formatter.append(fast, t);
            formatter.append(fast, t); // the same time again: the kept text of the last one
            if (fast != iso8601_local(t) + iso8601_local(t) && ++differences < 3)
                FAIL_CHECK(zone << " at " << t << ": " << fast << " vs " << iso8601_local(t));
        }
        CHECK(differences == 0);
    }
    if (previous)
        setenv("TZ", saved.c_str(), 1);
    else
        unsetenv("TZ");
    tzset();
}

TEST_CASE("parse_iso8601 reads zones, and drops the fraction of a second browsers write") {
    CHECK(parse_iso8601("2026-12-01T19:13:27.148Z") == parse_iso8601("2026-12-01T19:13:27Z"));
    CHECK(parse_iso8601("1970-01-01T00:00:01.999Z") == 1);
    CHECK(parse_iso8601("2026-12-01T10:00:00+02:00") == parse_iso8601("2026-12-01T08:00:00Z"));
    CHECK_FALSE(parse_iso8601("2026-12-01T19:13:27.Z"));
    CHECK_FALSE(parse_iso8601("2026-12-01T19:13:27.1x"));
}
