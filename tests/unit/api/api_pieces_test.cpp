// The API's pure pieces: JSON replies over bytes that are not UTF-8, Host header matching,
// close body fields, the route table's 405 answer and the parameter parsers.
#include "api/close_json.hpp"
#include "api/http_reply.hpp"
#include "api/request_guard.hpp"
#include "api/route_table.hpp"

#include <catch2/catch.hpp>

using namespace lmharvest;

TEST_CASE("reply_json writes bytes that are not UTF-8 as U+FFFD instead of throwing") {
    httplib::Response response;
    REQUIRE_NOTHROW(reply_json(response, {{"user", std::string("j\xf6rg")}}));
    CHECK(response.status == 200);
    CHECK(nlohmann::json::parse(response.body).at("user") == "j\xef\xbf\xbdrg");
}

TEST_CASE("Host headers match the listen address, loopback names and allowed_hosts") {
    HostConfig loopback;
    loopback.listen_host = "127.0.0.1";
    loopback.allowed_hosts = {"lmharvest.corp.example"};
    const AllowedHosts local = allowed_hosts(loopback);
    for (const char* good : {"127.0.0.1:8940", "localhost", "LocalHost:1", "[::1]:8940",
                             "lmharvest.corp.example", "lmharvest.corp.example.:443"})
        CHECK(host_allowed(good, local));
    for (const char* bad : {"", "evil.example", "evil.example:8940", "10.0.0.5:8940",
                            "localhost.evil.example", "[::2]:8940"})
        CHECK_FALSE(host_allowed(bad, local));

    HostConfig wildcard;
    wildcard.listen_host = "0.0.0.0";
    const AllowedHosts any = allowed_hosts(wildcard);
    CHECK(host_allowed("10.0.0.5:8940", any));
    CHECK(host_allowed("[fe80::1]:8940", any));
    CHECK_FALSE(host_allowed("evil.example", any));

    HostConfig lan;
    lan.listen_host = "10.0.0.5";
    const AllowedHosts one = allowed_hosts(lan);
    CHECK(host_allowed("10.0.0.5:8940", one));
    CHECK_FALSE(host_allowed("localhost:8940", one));
}

TEST_CASE("close fields are strings, and each error names its field") {
    const CloseRequest base;
    const auto body = ActorFrom::body;
    CHECK(read_close_fields(nlohmann::json::object(), base, body)->actor == base.actor);
    const auto given = read_close_fields({{"actor", "ops"}, {"reason", "idle"}}, base, body);
    REQUIRE(given);
    CHECK(given->actor == "ops");
    CHECK(given->reason == "idle");
    CHECK(read_close_fields({{"actor", 123}}, base, body).error() ==
          "actor: must be a string, not number");
    CHECK(read_close_fields({{"reason", nullptr}}, base, body).error() ==
          "reason: must be a string, not null");
    CHECK(read_close_fields({{"session_id", 4}}, base, body).error() ==
          "session_id: unknown field; known: actor, reason, method");
    CHECK(read_close_fields({{"session_id", 4}}, base, body, {"session_id"}));
    CHECK(read_close_fields(nlohmann::json::array(), base, body).error() ==
          "the body must be a JSON object, not array");
}

TEST_CASE("over HTTP the actor is the caller's token name, and an actor field is refused") {
    CloseRequest base;
    base.actor = "ops-alice";
    const auto reason = read_close_fields({{"reason", "idle"}}, base, ActorFrom::caller);
    REQUIRE(reason);
    CHECK(reason->actor == "ops-alice");
    CHECK(reason->reason == "idle");
    CHECK(read_close_fields({{"actor", "bob"}}, base, ActorFrom::caller).error() ==
          "actor: not accepted; the audit log names the token's name ('ops-alice'); say who "
          "asked in \"reason\"");
    CHECK(read_close_fields({{"x", 1}}, base, ActorFrom::caller).error() ==
          "x: unknown field; known: reason, method");
}

TEST_CASE("a close's method is one of the harvest methods; without one it releases now") {
    const CloseRequest base;
    CHECK_FALSE(read_close_fields(nlohmann::json::object(), base, ActorFrom::caller)->method);
    const auto method = read_close_fields({{"method", "save_and_close"}}, base, ActorFrom::caller);
    REQUIRE(method);
    CHECK(method->method == "save_and_close");
    CHECK(read_close_fields({{"method", "explode"}}, base, ActorFrom::caller).error() ==
          "method: unknown 'explode'; known: save_and_close, suspend, release, notify");
    CHECK(read_close_fields({{"method", 1}}, base, ActorFrom::caller).error() ==
          "method: must be a string, not number");
    CHECK(close_http_status(CloseReport::Outcome::started) == 202);
    CHECK(close_http_status(CloseReport::Outcome::no_agent) == 409);
}

TEST_CASE("ids and limits are whole numbers in range") {
    CHECK(*parse_id("812", "session id") == 812);
    CHECK(*parse_id("9223372036854775807", "session id") == INT64_MAX);
    for (const char* bad :
         {"", "0", "-1", "1e3", "12x", "9223372036854775808", "123456789012345678901234567890"})
        CHECK_THAT(parse_id(bad, "session id").error(),
                   Catch::StartsWith("session id: '" + std::string(bad) + "'"));
    httplib::Request request;
    CHECK(*limit_param(request) == 100);
    request.params.emplace("limit", "abc");
    CHECK(limit_param(request).error() == "limit: 'abc' is not a whole number from 1 to 10000");
}

TEST_CASE("the route table knows which methods a path allows") {
    httplib::Server server;
    RouteTable routes(server);
    routes.get("/api/v1/servers", [](const httplib::Request&, httplib::Response&) {});
    routes.post(R"(/api/v1/sessions/([^/]+)/close)",
                [](const httplib::Request&, httplib::Response&) {});
    CHECK(routes.allowed_methods("/api/v1/servers") == "GET, HEAD");
    CHECK(routes.allowed_methods("/api/v1/sessions/12/close") == "POST");
    CHECK_FALSE(routes.allowed_methods("/api/v1/nothing"));
}
