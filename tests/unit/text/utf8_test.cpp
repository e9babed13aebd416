#include "iconv_oracle.hpp"
#include "text/utf8.hpp"

#include <catch2/catch.hpp>
#include <random>

using namespace lmharvest::text;
using lmharvest::testing::IconvOracle;

namespace {

std::string bytes(std::initializer_list<int> values) {
    std::string text;
    for (int v : values)
        text += static_cast<char>(v);
    return text;
}

} // namespace

TEST_CASE("is_valid_utf8 agrees with iconv on every 1- and 2-byte string") {
    IconvOracle oracle("UTF-32LE", "UTF-8");
    int disagreements = 0;
    for (int a = 0; a < 256; ++a) {
        const std::string one = bytes({a});
        disagreements += is_valid_utf8(one) != oracle.convert(one).has_value();
        for (int b = 0; b < 256; ++b) {
            const std::string two = bytes({a, b});
            disagreements += is_valid_utf8(two) != oracle.convert(two).has_value();
        }
    }
    CHECK(disagreements == 0);
}

TEST_CASE("is_valid_utf8 agrees with iconv on 3- to 9-byte strings near the boundaries") {
    IconvOracle oracle("UTF-32LE", "UTF-8");
    // Bytes around the edges of Table 3-7's ranges, and ASCII to let the fast path run.
    const int interesting[] = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF,
                               0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE,
                               0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF};
    std::mt19937 random(11);
    std::uniform_int_distribution<std::size_t> pick(0, std::size(interesting) - 1);
    std::uniform_int_distribution<std::size_t> length(3, 9);
    int disagreements = 0, valid = 0;
    for (int i = 0; i < 200000; ++i) {
        std::string text;
        for (std::size_t n = length(random); n > 0; --n)
            text += static_cast<char>(interesting[pick(random)]);
        const bool ours = is_valid_utf8(text);
        disagreements += ours != oracle.convert(text).has_value();
        valid += ours;
    }
    CHECK(disagreements == 0);
    CHECK(valid > 100); // the sample holds valid text too, not only garbage
}

TEST_CASE("read_utf8 reads back every code point append_utf8 writes") {
    int wrong = 0;
    for (char32_t cp = 0; cp <= 0x10FFFF; ++cp) {
        if (cp >= 0xD800 && cp <= 0xDFFF)
            continue;
        std::string text;
        append_utf8(text, cp);
        const Utf8Step step = read_utf8(text, 0);
        wrong += !step.valid || step.code_point != cp || step.length != text.size();
    }
    CHECK(wrong == 0);
}

TEST_CASE("surrogates, overlong forms and code points past U+10FFFF are not UTF-8") {
    CHECK_FALSE(is_valid_utf8(bytes({0xED, 0xA0, 0x80})));       // U+D800
    CHECK_FALSE(is_valid_utf8(bytes({0xC0, 0xAF})));             // overlong '/'
    CHECK_FALSE(is_valid_utf8(bytes({0xE0, 0x80, 0xAF})));       // overlong '/'
    CHECK_FALSE(is_valid_utf8(bytes({0xF4, 0x90, 0x80, 0x80}))); // U+110000
    CHECK(is_valid_utf8(bytes({0xF4, 0x8F, 0xBF, 0xBF})));       // U+10FFFF
    CHECK(find_invalid_utf8("abcdefghij\xF6rg") == 10);
    CHECK(find_invalid_utf8("abcdefghij\xC3\xB6rg") == std::string_view::npos);
}

TEST_CASE("to_valid_utf8 replaces each maximal ill-formed subpart with one U+FFFD") {
    // The Unicode Standard's own example (chapter 3, "U+FFFD Substitution of Maximal
    // Subparts"): 61 F1 80 80 E1 80 C2 62 80 63 80 BF 64.
    const std::string text =
        bytes({0x61, 0xF1, 0x80, 0x80, 0xE1, 0x80, 0xC2, 0x62, 0x80, 0x63, 0x80, 0xBF, 0x64});
    const std::string r(replacement_character);
    CHECK(to_valid_utf8(text) == "a" + r + r + r + "b" + r + "c" + r + r + "d");
    CHECK(to_valid_utf8("j\xF6rg") == "j" + r + "rg");
    CHECK(to_valid_utf8("truncated \xE2\x82") == "truncated " + r);
    CHECK(to_valid_utf8("j\xC3\xB6rg") == "j\xC3\xB6rg");
    CHECK(to_valid_utf8("") == "");
}

TEST_CASE("to_valid_utf8 always answers valid UTF-8, and keeps what was valid") {
    IconvOracle oracle("UTF-32LE", "UTF-8");
    std::mt19937 random(7);
    std::uniform_int_distribution<int> byte(0, 255);
    for (int i = 0; i < 20000; ++i) {
        std::string text;
        for (int n = i % 24; n > 0; --n)
            text += static_cast<char>(byte(random));
        const std::string fixed = to_valid_utf8(text);
        INFO(i);
        REQUIRE(oracle.convert(fixed).has_value());
        if (is_valid_utf8(text))
            REQUIRE(fixed == text);
        else
            REQUIRE(fixed.find(replacement_character) != std::string::npos);
    }
}
