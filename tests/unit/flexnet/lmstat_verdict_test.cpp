// When an lmstat output is a poll's answer: it shows a license server status and was not cut
// short. Built from the real captures: cut at every place, emptied, joined by lmstat's separator.
#include "fixture_files.hpp"
#include "lmstat_parser.hpp"

#include <catch2/catch.hpp>
#include <random>

using namespace lmharvest::flexnet;
using namespace lmharvest::flexnet::testing;

namespace {

const std::string synopsys = "07-flexlm-exporter-app7-snpslmd.txt";
const std::string saltd = "08-flexlm-exporter-app8-saltd.txt";

std::string unusable(const std::string& output) {
    return parse_lmstat(output, poll_time).unusable;
}

// The text up to and including the line that holds `marker`.
std::string through_line_of(const std::string& text, const std::string& marker) {
    const size_t at = text.find(marker);
    REQUIRE(at != std::string::npos);
    return text.substr(0, text.find('\n', at) + 1);
}

} // namespace

TEST_CASE("every capture with a license server status is an answer, the others are refused") {
    const auto all = expectations("expect.json");
    for (const auto& [name, facts] : all.items()) {
        INFO(name);
        const std::string text = read_file(fixture_path(name));
        const std::string why = unusable(text);
        const bool shows_status = !facts.at("servers").empty() || facts.contains("error_status");
        if (!shows_status) {
            CHECK_THAT(why, Catch::Contains("no license server status"));
        } else if (name.starts_with("09-")) {
            // SOURCES.md: "capture truncated after feature2's 'floating license' line: 39 in
            // use but no session lines".
            CHECK_THAT(why, Catch::Contains("cut in feature 'feature2'") &&
                                Catch::Contains("39 licenses in use") &&
                                Catch::Contains("lists 0"));
        } else {
            CHECK(why.empty());
        }
        CHECK(unusable(with_crlf(text)) == why);
    }
}

TEST_CASE("lmstat -i listings are named as such") {
    CHECK_THAT(unusable(read_file(fixture_path("11-flexlm-exporter-lmstat-i-app1.txt"))),
               Catch::Contains("'lmstat -i' license-file listing"));
}

TEST_CASE("nothing, a header alone or random bytes are no answer") {
    CHECK(unusable("") == "no output");
    CHECK(unusable(" \n\r\n\n") == "no output");
    const std::string text = read_file(fixture_path(synopsys));
    const std::string header = text.substr(0, text.find("License server status"));
    CHECK_THAT(unusable(header), Catch::Contains("no license server status"));
    std::mt19937 random(11);
    for (int round = 0; round < 50; ++round) {
        std::string bytes(1 + random() % 4096, '\0');
        for (char& c : bytes)
            c = static_cast<char>(random());
        CHECK_THAT(unusable(bytes), Catch::Contains("no license server status"));
    }
}

TEST_CASE("a capture cut in the middle of any line is refused") {
    for (const std::string& name : {synopsys, saltd}) {
        const std::string text = read_file(fixture_path(name));
        const size_t status = text.find("License server status");
        for (size_t end = status; end < text.size(); ++end) {
            if (text[end - 1] == '\n')
                continue;
            INFO(name << " cut after byte " << end);
            CHECK_FALSE(unusable(text.substr(0, end)).empty());
        }
    }
}

TEST_CASE("a capture cut at a line end inside its last feature is refused") {
    const std::string text = read_file(fixture_path(synopsys));
    // refocus: 2 in use, and the second of its two user lines cut away.
    const std::string cut = through_line_of(text, "(SERVER1/27020 60604)");
    CHECK_THAT(unusable(cut), Catch::Contains("cut in feature 'refocus'") &&
                                  Catch::Contains("2 licenses in use") &&
                                  Catch::Contains("lists 1"));
    const std::string header_only = through_line_of(text, "Users of refocus:");
    CHECK_THAT(unusable(header_only), Catch::Contains("lists 0"));
    CHECK_THAT(unusable(with_crlf(cut)), Catch::Contains("cut in feature 'refocus'"));
}

TEST_CASE("a capture cut before its vendor daemons or its server lines is refused") {
    const std::string text = read_file(fixture_path(saltd));
    CHECK_THAT(unusable(through_line_of(text, "license server UP (MASTER)")),
               Catch::Contains("no vendor daemon status follows"));
    CHECK_THAT(unusable(through_line_of(text, "License server status: 1717@SERVER1")),
               Catch::Contains("no license server line follows"));
}

TEST_CASE("two license servers of one call, joined by lmstat's separator, read as two blocks") {
    const std::string first = read_file(fixture_path(synopsys));
    const std::string second = read_file(fixture_path(saltd));
    const std::string joined = first + "----------------------------------------\n" + second;
    for (const bool crlf : {false, true}) {
        INFO((crlf ? "CRLF" : "LF"));
        const std::string output = crlf ? with_crlf(joined) : joined;
        const LmstatResult both = parse_lmstat(output, poll_time);
        const LmstatResult a = parse_lmstat(first, poll_time);
        const LmstatResult b = parse_lmstat(second, poll_time);
        for (const SkippedLine& skipped : both.skipped)
            FAIL_CHECK("skipped line " << skipped.line << " '" << skipped.text
                                       << "': " << skipped.reason);
        CHECK(both.unusable.empty());
        CHECK(both.servers.size() == a.servers.size() + b.servers.size());
        CHECK(both.vendors.size() == a.vendors.size() + b.vendors.size());
        REQUIRE(both.features.size() == a.features.size() + b.features.size());
        CHECK(both.sessions.size() == a.sessions.size() + b.sessions.size());
        // The second block's feature has its own vendor, not the first block's.
        CHECK(both.features.back().vendor == b.features.back().vendor);
        CHECK(both.features.back().used == b.features.back().used);
    }
}

TEST_CASE("a separator closes the feature before it: later lines are not its checkouts") {
    const std::string text = read_file(fixture_path(synopsys));
    const std::string cut = through_line_of(text, "(SERVER1/27020 60604)");
    // What follows the separator is a new block that never shows a server: refused, and the
    // stray user line after it is no refocus checkout.
    const std::string output =
        cut + "--------\n    user9 host-09 (v1.0) (SERVER1/27020 1), start Fri 9/25 11:44\n";
    const LmstatResult result = parse_lmstat(output, poll_time);
    CHECK(result.sessions.size() == parse_lmstat(cut, poll_time).sessions.size());
    REQUIRE(result.skipped.size() == 1);
    CHECK(result.skipped[0].reason == "user line outside a 'Users of' block");
}
