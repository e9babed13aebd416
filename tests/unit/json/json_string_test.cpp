#include "json/json_string.hpp"
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

using lmharvest::append_json_string;

namespace {

const std::string fffd = "\xEF\xBF\xBD";

std::string as_literal(std::string_view bytes) {
    std::string out;
    append_json_string(out, bytes);
    return out;
}

// What a strict JSON reader makes of the literal; parse() refuses invalid UTF-8 and bad escapes.
std::string read_back(std::string_view bytes) {
    return nlohmann::json::parse(as_literal(bytes)).get<std::string>();
}

// nlohmann's own check, independent of ours: dump() throws on invalid UTF-8.
bool is_valid_utf8(const std::string& bytes) {
    try {
        (void)nlohmann::json(bytes).dump();
        return true;
    } catch (const nlohmann::json::type_error&) {
        return false;
    }
}

std::string replaced_by_nlohmann(const std::string& bytes) {
    return nlohmann::json::parse(
               nlohmann::json(bytes).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))
        .get<std::string>();
}

} // namespace

TEST_CASE("every single byte becomes valid JSON: ASCII kept, the rest U+FFFD") {
    for (int byte = 0; byte < 256; ++byte) {
        const std::string input(1, static_cast<char>(byte));
        INFO("byte " << byte);
        CHECK(read_back(input) == (byte < 0x80 ? input : fffd));
    }
}

TEST_CASE("control characters, quote and backslash are escaped") {
    CHECK(as_literal("a\"b\\c") == R"("a\"b\\c")");
    CHECK(as_literal("\n\r\t\b\f") == R"("\n\r\t\b\f")");
    CHECK(as_literal(std::string_view("\x01\x1b[2J\x1f", 6)) == R"("\u0001\u001b[2J\u001f")");
    CHECK(as_literal("\x7f") == "\"\x7f\"");
    CHECK(as_literal("") == R"("")");
}

TEST_CASE("a NUL inside a field is kept, never a cut") {
    const std::string user("us\0er7", 6);
    CHECK(as_literal(user) == R"("us\u0000er7")");
    CHECK(read_back(user) == user);
}

TEST_CASE("valid UTF-8 of every length is copied as is") {
    for (const std::string text : {"jörg", "€uro", "名前", "\U0001F600", "\U0010FFFF", "\u0080",
                                   "\u07FF", "\u0800", "\uD7FF", "\uE000", "\uFFFF", "\U00010000"})
        CHECK(as_literal(text) == '"' + text + '"');
}

TEST_CASE("ill-formed sequences: one U+FFFD per maximal subpart (Unicode 3.9)") {
    CHECK(read_back("j\xf6rg") == "j" + fffd + "rg");       // Latin-1 ö
    CHECK(read_back("\xE2\x82") == fffd);                   // truncated 3-byte at the end
    CHECK(read_back("\xE2\x82x") == fffd + "x");            // truncated in the middle
    CHECK(read_back("\xF0\x9F\x98") == fffd);               // truncated 4-byte
    CHECK(read_back("\xC0\xAF") == fffd + fffd);            // overlong '/'
    CHECK(read_back("\xE0\x80\xAF") == fffd + fffd + fffd); // overlong 3-byte
    CHECK(read_back("\xF0\x80\x80\xAF") == fffd + fffd + fffd + fffd); // overlong 4-byte
    CHECK(read_back("\xED\xA0\x80") == fffd + fffd + fffd);            // surrogate D800
    CHECK(read_back("\xED\xBF\xBF") == fffd + fffd + fffd);            // surrogate DFFF
    CHECK(read_back("\xF4\x90\x80\x80") == fffd + fffd + fffd + fffd); // past U+10FFFF
    CHECK(read_back("\xF5\x80") == fffd + fffd);                       // never a lead byte
    CHECK(read_back("\x80\xBF") == fffd + fffd);                       // lone continuations
    CHECK(read_back("\xC2") == fffd);                                  // lead byte at the end
}

TEST_CASE("every two-byte input and every three-byte input with a multi-byte lead") {
    // Valid input comes back unchanged; invalid input is repaired exactly as nlohmann's replace
    // mode does (an independent implementation of the same Unicode recommendation).
    std::string input;
    std::size_t checked = 0, mismatches = 0;
    const auto check = [&] {
        const std::string back = read_back(input);
        const bool ok = is_valid_utf8(input) ? back == input : back == replaced_by_nlohmann(input);
        if (!ok && ++mismatches < 5)
            FAIL_CHECK("input " << nlohmann::json(input).dump(
                           -1, ' ', true, nlohmann::json::error_handler_t::replace));
        ++checked;
    };
    for (int a = 0; a < 256; ++a)
        for (int b = 0; b < 256; ++b) {
            input = {static_cast<char>(a), static_cast<char>(b)};
            check();
        }
    for (int a = 0xE0; a <= 0xF4; ++a)
        for (int b = 0x70; b <= 0xC1; ++b)
            for (int c = 0x70; c <= 0xC1; ++c) {
                input = {static_cast<char>(a), static_cast<char>(b), static_cast<char>(c), 'x'};
                check();
            }
    CHECK(mismatches == 0);
    CHECK(checked == 65536 + 21 * 82 * 82);
}

TEST_CASE("a special byte anywhere in a longer ASCII string is escaped or repaired") {
    std::vector<std::string> specials = {"\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80",
                                         "\xED\xA0\x80"};
    for (int byte = 0; byte < 256; ++byte)
        if (byte < 0x20 || byte == '"' || byte == '\\' || byte >= 0x7F)
            specials.emplace_back(1, static_cast<char>(byte));
    std::size_t mismatches = 0;
    for (const std::string& special : specials)
        for (std::size_t at = 0; at <= 24; ++at) {
            const std::string input = std::string(at, 'a') + special + std::string(24 - at, 'z');
            const std::string back = read_back(input);
            if (back != (is_valid_utf8(input) ? input : replaced_by_nlohmann(input)))
                ++mismatches;
        }
    CHECK(mismatches == 0);
}
