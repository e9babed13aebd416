// A server's max_output: sizes with binary units, refused with the key and a fix when bad.
#include "config/byte_size.hpp"
#include "config/config.hpp"

#include <catch2/catch.hpp>

using namespace lmharvest;

namespace {

Expected<Config, ConfigErrors> server_with(const std::string& max_output) {
    return load_config_string("[[servers]]\nid = \"a\"\nadapter = \"sim\"\naddress = \"1@x\"\n"
                              "max_output = " +
                                  max_output + "\n",
                              "x.toml");
}

std::string error_of(const std::string& max_output) {
    const auto config = server_with(max_output);
    REQUIRE_FALSE(config.has_value());
    REQUIRE(config.error().size() == 1);
    return config.error()[0].to_string();
}

} // namespace

TEST_CASE("sizes read every unit, in binary multiples") {
    CHECK(parse_byte_size("4096B").value() == 4096);
    CHECK(parse_byte_size("512KB").value() == 512u << 10);
    CHECK(parse_byte_size("64MB").value() == 64u << 20);
    CHECK(parse_byte_size("2GB").value() == 2ull << 30);
    CHECK(parse_byte_size("1TB").value() == 1ull << 40);
}

TEST_CASE("bad sizes say what is wrong and how to fix it") {
    CHECK(parse_byte_size("64").error() == "\"64\" has no unit; write \"64MB\"");
    CHECK_THAT(parse_byte_size("64mb").error(), Catch::Contains("unknown unit \"mb\""));
    CHECK_THAT(parse_byte_size("1.5MB").error(), Catch::Contains("unknown unit \".5MB\""));
    CHECK_THAT(parse_byte_size("MB").error(), Catch::Contains("is not a size"));
    CHECK_THAT(parse_byte_size("-1MB").error(), Catch::Contains("is not a size"));
    CHECK_THAT(parse_byte_size("").error(), Catch::Contains("is not a size"));
    CHECK_THAT(parse_byte_size("99999999999999999999B").error(), Catch::Contains("too large"));
    CHECK_THAT(parse_byte_size("17179869184TB").error(), Catch::Contains("too large"));
}

TEST_CASE("max_output defaults to 64 MB and is read per server") {
    const auto plain = load_config_string(
        "[[servers]]\nid = \"a\"\nadapter = \"sim\"\naddress = \"1@x\"\n", "x.toml");
    REQUIRE(plain.has_value());
    CHECK(plain->servers.at(0).max_output == 64u << 20);
    const auto set = server_with("\"2MB\"");
    REQUIRE(set.has_value());
    CHECK(set->servers.at(0).max_output == 2u << 20);
}

TEST_CASE("a bad max_output is a config error at its place, with a fix") {
    CHECK(error_of("64") == "x.toml:5:14: servers[0].max_output: 64 has no unit; write \"64MB\"");
    CHECK_THAT(error_of("\"64\""), Catch::Contains("servers[0].max_output: \"64\" has no unit"));
    CHECK_THAT(error_of("\"100B\""),
               Catch::Contains("\"100B\" is smaller than 1KB; write at least \"1KB\""));
    CHECK_THAT(error_of("true"), Catch::Contains("servers[0].max_output"));
}
