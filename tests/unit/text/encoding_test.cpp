#include "iconv_oracle.hpp"
#include "text/encoding.hpp"

#include <catch2/catch.hpp>

using namespace lmharvest::text;
using lmharvest::testing::IconvOracle;

TEST_CASE("latin1 decodes every byte as iconv's ISO-8859-1 does") {
    IconvOracle oracle("UTF-8", "ISO-8859-1");
    for (int b = 0; b < 256; ++b) {
        const std::string byte(1, static_cast<char>(b));
        INFO(b);
        CHECK(decode_to_utf8(byte, Encoding::latin1) == oracle.convert(byte).value());
    }
    CHECK(decode_to_utf8("j\xF6rg", Encoding::latin1) == "j\xC3\xB6rg");
}

TEST_CASE("cp1252 decodes as iconv's CP1252 does, and its five gaps as C1 controls") {
    IconvOracle oracle("UTF-8", "CP1252");
    int checked = 0;
    for (int b = 0; b < 256; ++b) {
        const std::string byte(1, static_cast<char>(b));
        INFO(b);
        const std::string ours = decode_to_utf8(byte, Encoding::cp1252);
        if (auto theirs = oracle.convert(byte)) {
            CHECK(ours == *theirs);
            ++checked;
        } else {
            // glibc leaves 0x81, 0x8D, 0x8F, 0x90, 0x9D undefined; WHATWG maps them to
            // U+0081... and so does this decoder (the bytes are not lost).
            CHECK(ours == IconvOracle("UTF-8", "ISO-8859-1").convert(byte).value());
        }
    }
    CHECK(checked == 251);
    CHECK(decode_to_utf8("\x80 5", Encoding::cp1252) == "\xE2\x82\xAC 5"); // the euro sign
}

TEST_CASE("auto keeps valid UTF-8 and reads anything else as cp1252, field by field") {
    CHECK(decode_to_utf8("j\xC3\xB6rg", Encoding::automatic) == "j\xC3\xB6rg");
    CHECK(decode_to_utf8("j\xF6rg", Encoding::automatic) == "j\xC3\xB6rg");
    // One invalid byte makes the whole field cp1252: mixing both in one name is not a thing
    // a license server does.
    CHECK(decode_to_utf8("\xC3\xB6 \x93q\x94", Encoding::automatic) ==
          "\xC3\x83\xC2\xB6 \xE2\x80\x9Cq\xE2\x80\x9D");
}

TEST_CASE("utf-8 keeps the bytes as printed, valid or not") {
    CHECK(decode_to_utf8("j\xF6rg", Encoding::utf8) == "j\xF6rg");
    CHECK(decode_to_utf8("plain", Encoding::latin1) == "plain");
}

TEST_CASE("encoding names round-trip and unknown names are refused") {
    for (const std::string& name : encoding_names())
        CHECK(to_string(encoding_from_name(name).value()) == name);
    CHECK(encoding_names().size() == 4);
    CHECK_FALSE(encoding_from_name("UTF-8").has_value());
    CHECK_FALSE(encoding_from_name("latin-1").has_value());
}
