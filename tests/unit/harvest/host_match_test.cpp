// Host names as license tools and agents spell them.
#include "harvest/host_match.hpp"

#include <catch2/catch.hpp>

using namespace lmharvest;

TEST_CASE("a short name matches an FQDN by its first label, ignoring case") {
    CHECK(same_host("ws-031", "WS-031.corp.example"));
    CHECK(same_host("WS-031.corp", "ws-031"));
    CHECK(same_host("ws-031.corp", "WS-031.CORP"));
    CHECK_FALSE(same_host("ws-031.corp", "ws-031.lab")); // two FQDNs must be equal
    CHECK_FALSE(same_host("ws-031", "ws-0311"));
    CHECK_FALSE(same_host("", ""));
}

TEST_CASE("a FlexNet display names a host before its colon, a tty names none") {
    CHECK(display_host("ws-031:0.0") == "ws-031");
    CHECK(display_host("ws-031") == "ws-031");
    CHECK(display_host(":0").empty());
    CHECK(display_host("/dev/pts/3").empty());
    CHECK(session_on_host("10.0.0.5", "ws-031:0", "ws-031.corp"));
    CHECK_FALSE(session_on_host("10.0.0.5", "/dev/pts/3", "ws-031.corp"));
}
