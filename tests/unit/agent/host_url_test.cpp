#include "agent/host_url.hpp"

#include <catch2/catch.hpp>

using namespace lmharvest::agent;

TEST_CASE("host URLs: scheme, host, port; the default port of the scheme") {
    auto https = parse_host_url("https://lmharvest.corp");
    REQUIRE(https.has_value());
    CHECK(https->https);
    CHECK(https->origin() == "https://lmharvest.corp:443");
    auto http = parse_host_url("http://127.0.0.1:8940/");
    REQUIRE(http.has_value());
    CHECK(!http->https);
    CHECK(http->host == "127.0.0.1");
    CHECK(http->port == 8940);
    auto ipv6 = parse_host_url("http://[::1]:8940");
    REQUIRE(ipv6.has_value());
    CHECK(ipv6->host == "::1");
    CHECK(ipv6->origin() == "http://[::1]:8940");
}

TEST_CASE("host URLs that are not usable say why") {
    for (const char* bad : {"lmharvest.corp:8940", "ftp://x", "https://", "https://h:0",
                            "https://h:70000", "https://h:80x", "https://h/api", "http://[::1"}) {
        INFO(bad);
        auto url = parse_host_url(bad);
        REQUIRE(!url.has_value());
        CHECK(url.error().find("is not a host URL") != std::string::npos);
    }
}
