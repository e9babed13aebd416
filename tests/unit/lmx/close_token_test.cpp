// Close tokens: every key survives the round trip, and only real tokens decode.
#include "close_token.hpp"

#include <catch2/catch.hpp>

using namespace lmharvest::lmx;

TEST_CASE("close tokens round-trip fields with blanks, colons, bars and percent signs") {
    const CloseKey keys[] = {
        {"ALTAIR", "HyperWorks", "21.0", "sssaah", "RD0082406", "2022-02-18 09:26"},
        {"A|B", "F%25", "1:2", "user name", "host|x", "a\nb"},
        {"", "", "", "", "", ""},
        {"%", "|", "%7C", "||", "%%", "\x7f\x01"},
    };
    for (const CloseKey& key : keys) {
        const std::string token = encode_close_token(key);
        INFO(token);
        CHECK(token.find('\n') == std::string::npos);
        const std::optional<CloseKey> decoded = decode_close_token(token);
        REQUIRE(decoded);
        CHECK(*decoded == key);
    }
}

TEST_CASE("different keys give different tokens") {
    const CloseKey a{"V", "F", "1", "a|b", "c", "t"};
    const CloseKey b{"V", "F", "1", "a", "b|c", "t"};
    CHECK(encode_close_token(a) != encode_close_token(b));
}

TEST_CASE("anything that is not a token is refused") {
    for (const char* bad :
         {"", "lmx1", "lmx1|a|b|c|d|e", "lmx1|a|b|c|d|e|f|g", "lmx2|a|b|c|d|e|f",
          "lmx1|a%|b|c|d|e|f", "lmx1|a%zz|b|c|d|e|f", "lmx1|%41|b|c|d|e|f", "VRAAFG:RD0082879"}) {
        INFO(bad);
        CHECK_FALSE(decode_close_token(bad));
    }
}
