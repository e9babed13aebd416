#include "text/terminal_escape.hpp"
#include "text/utf8.hpp"

#include <catch2/catch.hpp>

using namespace lmharvest::text;

namespace {

// True when a terminal would only show `text`: valid UTF-8 without C0, DEL, C1 or ESC.
bool only_shows(const std::string& text) {
    if (!is_valid_utf8(text))
        return false;
    for (std::size_t at = 0; at < text.size();) {
        const Utf8Step step = read_utf8(text, at);
        if (step.code_point < 0x20 || (step.code_point >= 0x7F && step.code_point <= 0x9F))
            return false;
        at += step.length;
    }
    return true;
}

} // namespace

TEST_CASE("control characters are shown escaped, not sent to the terminal") {
    CHECK(escape_for_terminal("\x1b[2Jevil") == "\\x1b[2Jevil");
    CHECK(escape_for_terminal("a\nb\r\tc") == "a\\nb\\r\\tc");
    CHECK(escape_for_terminal(std::string("us\0er", 5)) == "us\\x00er");
    CHECK(escape_for_terminal("del\x7f") == "del\\x7f");
    CHECK(escape_for_terminal("csi\xC2\x9B"
                              "2J") == "csi\\u009b2J"); // C1 CSI, as UTF-8
    CHECK(escape_for_terminal("csi\x9B"
                              "2J") == "csi\\x9b2J"); // C1 CSI, 8-bit
    CHECK(escape_for_terminal("abc\xE2\x80\xAE"
                              "fdp.exe") == "abc\\u202efdp.exe"); // RLO
    CHECK(escape_for_terminal("line\xE2\x80\xA8"
                              "two") == "line\\u2028two");
}

TEST_CASE("printable text, UTF-8 names and Windows paths come back unchanged") {
    CHECK(escape_for_terminal("user1") == "user1");
    CHECK(escape_for_terminal("j\xC3\xB6rg \xE2\x82\xAC") == "j\xC3\xB6rg \xE2\x82\xAC");
    CHECK(escape_for_terminal("C:\\Program Files\\x") == "C:\\Program Files\\x");
    CHECK(escape_for_terminal("") == "");
}

TEST_CASE("bytes that are not UTF-8 are shown as \\x escapes, one per byte") {
    CHECK(escape_for_terminal("j\xF6rg") == "j\\xf6rg");
    CHECK(escape_for_terminal("\xE2\x82") == "\\xe2\\x82");
}

TEST_CASE("whatever the input, the escaped text only shows") {
    for (int a = 0; a < 256; ++a)
        for (int b = 0; b < 256; ++b) {
            const std::string text{static_cast<char>(a), static_cast<char>(b), 'x'};
            INFO(a << ' ' << b);
            REQUIRE(only_shows(escape_for_terminal(text)));
        }
}
