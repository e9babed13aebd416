// The API's pure pieces: JSON replies over bytes that are not UTF-8, Host header matching,
// close body fields, the route table's 405 answer and the parameter parsers.
#include "api/close_json.hpp"
#include "api/http_reply.hpp"
#include "api/request_guard.hpp"
#include "api/route_table.hpp"
#include "api/usage_params.hpp"

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
}

TEST_CASE("paging parameters: limit, offset, cursor and sort, each refused by name") {
    httplib::Request none;
    CHECK(page_params(none, 100)->limit == 100);
    CHECK_FALSE(page_params(none, std::nullopt)->limit.has_value());
    auto with = [](std::vector<std::pair<std::string, std::string>> params) {
        httplib::Request request;
        for (auto& [name, value] : params)
            request.params.emplace(name, value);
        return page_params(request, 100);
    };
    CHECK(with({{"limit", "200000"}})->limit == 200000);
    CHECK(with({{"offset", "7"}})->offset == 7);
    CHECK(with({{"cursor", "abc"}})->cursor == "abc");
    const auto sorted = with({{"sort", "user,-checkout_time"}});
    REQUIRE(sorted->sort.size() == 2);
    CHECK(sorted->sort[0].column == "user");
    CHECK_FALSE(sorted->sort[0].descending);
    CHECK(sorted->sort[1].column == "checkout_time");
    CHECK(sorted->sort[1].descending);
    for (const char* bad : {"abc", "0", "-5", "", "1000001", "1e3"})
        CHECK(with({{"limit", bad}}).error() ==
              "limit: '" + std::string(bad) + "' is not a whole number from 1 to 1000000");
    CHECK(with({{"offset", "-1"}}).error() == "offset: '-1' is not a whole number from 0");
    CHECK(with({{"offset", "1"}, {"cursor", "x"}}).error() ==
          "offset: give cursor or offset, not both");
    CHECK_THAT(with({{"sort", "user,"}}).error(), Catch::StartsWith("sort: 'user,' names no"));
    CHECK_THAT(with({{"sort", "-"}}).error(), Catch::StartsWith("sort: '-' names no column"));
}

TEST_CASE("the usage step is chosen from the range for about 500 points at most") {
    CHECK(default_usage_step(0, 3600) == 60);
    CHECK(default_usage_step(0, 500 * 60) == 60);
    CHECK(default_usage_step(0, 500 * 60 + 1) == 300);
    CHECK(default_usage_step(0, 86400) == 300);
    CHECK(default_usage_step(0, 7 * 86400) == 3600);
    CHECK(default_usage_step(0, 31 * 86400) == 10800);
    CHECK(default_usage_step(0, 3 * 365 * 86400) == 3 * 86400);
    for (int64_t range : {int64_t{60}, int64_t{86400}, int64_t{400} * 86400})
        CHECK(range / default_usage_step(0, range) <= 500);
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
