// When an lmxendutil output is a poll's answer: it shows a server status and was not cut
// short. Built from the real captures and their XML twins, cut at every place.
#include "lmx_test_files.hpp"
#include "parse_lmx.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <random>

using namespace lmharvest::lmx;
using namespace lmharvest::lmx::testing;

namespace {

const std::string hyperworks = "01-omnivector-altair-hyperworks.txt";
const std::string hyperworks_xml = "01-omnivector-altair-hyperworks.reconstructed.xml";

std::string unusable_text(const std::string& output) {
    return parse_lmx_text(output, 0).unusable;
}

// The text before the line that holds the last `marker`.
std::string before_last_line_of(const std::string& text, const std::string& marker) {
    const std::size_t at = text.rfind(marker);
    REQUIRE(at != std::string::npos);
    return text.substr(0, text.rfind('\n', at) + 1);
}

} // namespace

TEST_CASE("whole captures are answers; a fragment without a server header is not") {
    const auto expect = nlohmann::json::parse(fixture("expect.json"));
    for (const auto& [name, facts] : expect.items()) {
        INFO(name);
        const std::string text = fixture(name);
        const LmxResult result = parse_lmx_text(text, 0);
        // SOURCES.md: 04 is a fragment of a real output, cut before its server header.
        if (name.starts_with("04-"))
            CHECK_THAT(result.unusable, Catch::Contains("no server status"));
        else
            CHECK(result.unusable.empty());
        CHECK(unusable_text(with_crlf(text)) == result.unusable);
        CHECK(result.features.size() == facts.at("features").get<std::size_t>());
    }
    CHECK(parse_lmx_xml(reconstructed(hyperworks_xml), 0).unusable.empty());
}

TEST_CASE("nothing, a banner alone or random bytes are no answer") {
    CHECK(unusable_text("") == "no output");
    const std::string text = fixture(hyperworks);
    CHECK_THAT(unusable_text(text.substr(0, text.find("++++"))),
               Catch::Contains("no server status"));
    std::mt19937 random(11);
    for (int round = 0; round < 50; ++round) {
        std::string bytes(1 + random() % 4096, '\0');
        for (char& c : bytes)
            c = static_cast<char>(random());
        CHECK_THAT(unusable_text(bytes), Catch::Contains("no server status"));
    }
}

TEST_CASE("a text output cut in the middle of any line is refused") {
    const std::string text = fixture(hyperworks);
    for (std::size_t end = text.find("LM-X License Server on"); end < text.size(); ++end) {
        if (text[end - 1] == '\n')
            continue;
        INFO("cut after byte " << end);
        CHECK_FALSE(unusable_text(text.substr(0, end)).empty());
    }
}

TEST_CASE("a text output cut at a line end inside its last feature is refused") {
    const std::string text = fixture(hyperworks);
    // HyperWorks, the last feature: 25000 used by one user, cut away.
    const std::string cut = before_last_line_of(text, " license(s) used by ");
    CHECK_THAT(unusable_text(cut), Catch::Contains("cut in feature 'HyperWorks'") &&
                                       Catch::Contains("25000 licenses used") &&
                                       Catch::Contains("lists 0"));
    const std::string no_count = before_last_line_of(text, "Start date:");
    CHECK_THAT(unusable_text(no_count), Catch::Contains("before its 'N of M license(s) used'"));
    CHECK_THAT(unusable_text(with_crlf(cut)), Catch::Contains("cut in feature 'HyperWorks'"));
}

TEST_CASE("XML cut anywhere does not parse; XML without a LICENSE_PATH is no answer") {
    const std::string xml = reconstructed(hyperworks_xml);
    const std::size_t root = xml.find("<LM-X>");
    for (std::size_t end = root + 1; end < xml.size() - 8; end += 7) {
        INFO("cut after byte " << end);
        CHECK_FALSE(parse_lmx_xml(xml.substr(0, end), 0).ok);
    }
    const LmxResult empty = parse_lmx_xml("<?xml version=\"1.0\"?>\n<LM-X>\n</LM-X>\n", 0);
    CHECK(empty.ok);
    CHECK_THAT(empty.unusable, Catch::Contains("no <LICENSE_PATH>"));
}
