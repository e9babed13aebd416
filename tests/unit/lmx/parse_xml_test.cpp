// The XML parser: its reconstructed twins of the real captures give the text parser's records;
// bad XML gives a clear error; unreadable elements are skipped with a reason.
#include "lmx_test_files.hpp"
#include "parse_lmx.hpp"

#include <catch2/catch.hpp>
#include <tuple>

using namespace lmharvest::lmx;
using lmharvest::lmx::testing::fixture;
using lmharvest::lmx::testing::poll_time;
using lmharvest::lmx::testing::reconstructed;
using lmharvest::lmx::testing::with_crlf;

namespace {

auto feature_fields(const LmxFeature& f, bool with_server) {
    return std::tuple(f.vendor, f.name, f.version, f.total, f.used, f.start, f.expiry, f.share,
                      f.flags, with_server ? f.server : std::string_view());
}

auto session_fields(const LmxSession& s, bool with_server) {
    return std::tuple(s.vendor, s.feature, s.version, s.user, s.host, s.host_ip, s.count,
                      s.login_text, s.checkout_text, s.login_time, s.checkout_time, s.borrow_expiry,
                      s.share_kind, s.share_value, with_server ? s.server : std::string_view(),
                      s.close_token);
}

// Text fixture 04 is a fragment without server header; its XML twin needs a LICENSE_PATH.
void check_same_records(const LmxResult& xml, const LmxResult& text, bool with_server) {
    REQUIRE(xml.ok);
    CHECK(xml.format == LmxFormat::xml);
    CHECK(xml.skipped.empty());
    REQUIRE(xml.features.size() == text.features.size());
    for (std::size_t i = 0; i < xml.features.size(); ++i)
        CHECK(feature_fields(xml.features[i], with_server) ==
              feature_fields(text.features[i], with_server));
    REQUIRE(xml.sessions.size() == text.sessions.size());
    for (std::size_t i = 0; i < xml.sessions.size(); ++i)
        CHECK(session_fields(xml.sessions[i], with_server) ==
              session_fields(text.sessions[i], with_server));
    REQUIRE(xml.vendors.size() == text.vendors.size());
    for (std::size_t i = 0; i < xml.vendors.size(); ++i)
        CHECK(xml.vendors[i].name == text.vendors[i].name);
}

} // namespace

TEST_CASE("reconstructed XML of fixture 01 gives the text parser's records") {
    const std::string text_output = fixture("01-omnivector-altair-hyperworks.txt");
    const LmxResult text = parse_lmx_text(text_output, 0); // its records view `text_output`
    for (const bool crlf : {false, true}) {
        INFO((crlf ? "CRLF" : "LF"));
        std::string xml_output = reconstructed("01-omnivector-altair-hyperworks.reconstructed.xml");
        if (crlf)
            xml_output = with_crlf(xml_output);
        const LmxResult xml = parse_lmx_xml(xml_output, 0);
        check_same_records(xml, text, true);
        REQUIRE(xml.servers.size() == 1);
        const LmxServer& a = xml.servers[0];
        const LmxServer& b = text.servers[0];
        CHECK(std::tie(a.host, a.port, a.state, a.version, a.uptime, a.message) ==
              std::tie(b.host, b.port, b.state, b.version, b.uptime, b.message));
    }
}

TEST_CASE("reconstructed XML of fragment 04 gives the text parser's records") {
    const std::string text_output = fixture("04-raysearch-fragment.txt");
    const LmxResult text = parse_lmx_text(text_output, 0);
    const LmxResult xml =
        parse_lmx_xml(reconstructed("04-raysearch-fragment.reconstructed.xml"), 0);
    check_same_records(xml, text, false);
    REQUIRE(xml.servers.size() == 1);
    CHECK(xml.servers[0].host == "192.168.146.5");
    CHECK(xml.sessions[0].server == "192.168.146.5/6200");
}

TEST_CASE("parse_lmx tells XML from text") {
    const std::string text = fixture("01-omnivector-altair-hyperworks.txt");
    const std::string xml = reconstructed("01-omnivector-altair-hyperworks.reconstructed.xml");
    CHECK(parse_lmx(text, poll_time).format == LmxFormat::text);
    CHECK(parse_lmx(xml, poll_time).format == LmxFormat::xml);
    CHECK(parse_lmx(xml, poll_time).sessions.size() == 5);
    CHECK(parse_lmx(fixture("03-omnivector-no-servers.txt"), poll_time).unavailable ==
          "There are no license server(s) available.");
}

TEST_CASE("malformed or missing XML gives a clear error, never records") {
    const LmxResult none = parse_lmx_xml(fixture("03-omnivector-no-servers.txt"), poll_time);
    CHECK_FALSE(none.ok);
    CHECK(none.error == "no XML in the output (no '<?xml' or '<LM-X')");

    const std::string cut = "banner\n\n<LM-X>\n  <LICENSE_PATH HOST=\"6200@a\">\n"
                            "    <FEATURE NAME=\"F\"\n";
    const LmxResult malformed = parse_lmx_xml(cut, poll_time);
    CHECK_FALSE(malformed.ok);
    CHECK_THAT(malformed.error, Catch::StartsWith("malformed XML at line "));
    CHECK(malformed.features.empty());

    const LmxResult wrong_root = parse_lmx_xml("<?xml version=\"1.0\"?><OTHER/>", poll_time);
    CHECK_FALSE(wrong_root.ok);
    CHECK(wrong_root.error == "the XML has no <LM-X> element");
}

TEST_CASE("unreadable elements are skipped with their line, tag and reason") {
    const std::string output =
        "LM-X End-user Utility v3.32\n"
        "<LM-X>\n"
        "<LICENSE_PATH HOST=\"6200@lic1\" STATUS=\"SUCCESS\">\n"
        "<FEATURE VERSION=\"1\"/>\n"
        "<FEATURE NAME=\"A\" USED_LICENSES=\"many\"/>\n"
        "<FEATURE NAME=\"B\" VENDOR=\"V\" USED_LICENSES=\"2\" TOTAL_LICENSES=\"2147483647\">\n"
        "<USER HOST=\"pc\"/>\n"
        "<USED><USER NAME=\"ann\" HOST=\"pc1\" USED_LICENSES=\"2\" LOGIN_TIME=\"2022-02-18 09:26\""
        " CHECKOUT_TIME=\"2022-02-18 09:26\" BORROW_EXPIRE=\"2022-02-20 09:26\"/></USED>\n"
        "<USER NAME=\"bob\" HOST=\"pc2\" CHECKOUT_TIME=\"soon\"/>\n"
        "</FEATURE>\n"
        "</LICENSE_PATH>\n"
        "<LICENSE_PATH HOST=\"6200@lic2\" STATUS=\"FAILED\"/>\n"
        "</LM-X>\n";
    const LmxResult result = parse_lmx_xml(output, poll_time);
    REQUIRE(result.ok);
    REQUIRE(result.skipped.size() == 4);
    CHECK(result.skipped[0].line == 4);
    CHECK(result.skipped[0].text == "<FEATURE VERSION=\"1\"/>");
    CHECK(result.skipped[0].reason == "FEATURE without NAME");
    CHECK(result.skipped[1].line == 5);
    CHECK(result.skipped[2].line == 7);
    CHECK(result.skipped[2].reason == "USER without NAME or HOST");
    CHECK(result.skipped[3].line == 9);
    REQUIRE(result.features.size() == 1);
    CHECK((result.features[0].flags & LH_FEATURE_UNLIMITED) != 0);
    REQUIRE(result.sessions.size() == 2);
    CHECK(result.sessions[0].user == "ann");
    CHECK(result.sessions[0].count == 2);
    CHECK(result.sessions[0].borrow_expiry == 1645349160); // 2022-02-20 09:26 UTC
    CHECK(result.sessions[1].user == "bob");
    CHECK(result.sessions[1].count == 1);
    CHECK(result.sessions[1].checkout_time == 0);
    REQUIRE(result.servers.size() == 2);
    CHECK(result.servers[1].state == LH_STATE_DOWN);
    CHECK(result.servers[1].message == "FAILED");
}
