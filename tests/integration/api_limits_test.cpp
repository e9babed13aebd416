// The HTTP API under bad input: every bad parameter or body is a 400 (or 405, 411, 413, 421)
// with a JSON error naming the field, never a 500; slow clients do not block /healthz; large
// bodies are refused before they are read.
#include "host_fixture.hpp"
#include "limit_checks.hpp"

#include <catch2/catch.hpp>
#include <httplib.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using namespace lmharvest::testing;

namespace {

const std::string sim_server = "[[servers]]\nid = \"sim1\"\nadapter = \"sim\"\n"
                               "address = \"27000@sim\"\ninterval = \"1s\"\n"
                               "[servers.sim]\nseed = 7\nusers = 40\nchurn = 0\n";

std::string token_of(const HostFixture& host) {
    const std::string token = read_file(host.dir() / "state" / "api-token");
    return token.substr(0, token.find('\n'));
}

struct BadRequest {
    std::string method;
    std::string path;
    std::string body;
    int status;
    std::string names; // the error must contain this
};

} // namespace

TEST_CASE("bad parameters and bodies on every route are 4xx with the field named, never 500") {
    HostFixture host(sim_server);
    REQUIRE(eventually([&] { return !host.sessions().empty(); }));
    const std::string close = "/api/v1/sessions/" +
                              std::to_string(host.sessions().at(0).at("id").get<int64_t>()) +
                              "/close";
    const std::vector<BadRequest> table = {
        {"GET", "/api/v1/actions?limit=abc", "", 400, "limit: 'abc'"},
        {"GET", "/api/v1/actions?limit=-5", "", 400, "limit: '-5'"},
        {"GET", "/api/v1/actions?limit=", "", 400, "limit"},
        {"GET", "/api/v1/denials?limit=1x", "", 400, "limit: '1x'"},
        {"GET", "/api/v1/denials?since=2024-02-30T00:00:00Z", "", 400, "since: '2024-02-30"},
        {"GET", "/api/v1/denials?since=2024-13-01T00:00:00Z", "", 400, "since"},
        {"GET", "/api/v1/denials?since=yesterday", "", 400, "since: 'yesterday'"},
        {"GET", "/api/v1/sessions?by=%ff", "", 400, "'by': not UTF-8"},
        {"GET", "/api/v1/sessions?user=%ff", "", 400, "'user': not UTF-8"},
        {"GET", "/api/v1/features?server=%c3%28", "", 400, "'server': not UTF-8"},
        {"GET", "/api/v1/sessions?by=nope", "", 400, "by: 'nope'"},
        {"POST", "/api/v1/sessions/123456789012345678901234567890/close", "{}", 400,
         "session id: '123456789012345678901234567890'"},
        {"POST", "/api/v1/sessions/abc/close", "{}", 400, "session id: 'abc'"},
        {"POST", "/api/v1/sessions/0/close", "{}", 400, "session id: '0'"},
        {"POST", close, R"({"actor": "bob"})", 400, "actor: not accepted"},
        {"POST", close, R"({"reason": null})", 400, "reason: must be a string"},
        {"POST", close, R"({"reason": ""})", 400, "reason: must have"},
        {"POST", close, R"({"reson": "typo"})", 400, "reson: unknown field"},
        {"POST", close, R"([1, 2])", 400, "must be a JSON object"},
        {"POST", close, "{not json", 400, "not JSON"},
        {"PUT", "/api/v1/servers", "{}", 405, "not allowed"},
        {"DELETE", close, "", 405, "not allowed"},
        {"POST", "/healthz", "{}", 405, "not allowed"},
        {"GET", "/api/v1/nothing", "", 404, "no such resource"},
    };
    httplib::Client client("127.0.0.1", host.port());
    const httplib::Headers headers = {{"Authorization", "Bearer " + token_of(host)}};
    for (const BadRequest& bad : table) {
        INFO(bad.method << ' ' << bad.path << ' ' << bad.body);
        httplib::Result result =
            bad.method == "GET" ? client.Get(bad.path.c_str(), headers)
            : bad.method == "POST"
                ? client.Post(bad.path.c_str(), headers, bad.body, "application/json")
            : bad.method == "PUT"
                ? client.Put(bad.path.c_str(), headers, bad.body, "application/json")
                : client.Delete(bad.path.c_str(), headers);
        REQUIRE(result);
        CHECK(result->status == bad.status);
        const auto body = nlohmann::json::parse(result->body, nullptr, false);
        REQUIRE(body.is_object());
        CHECK_THAT(body.value("error", ""), Catch::Contains(bad.names));
        if (bad.status == 405)
            CHECK_FALSE(result->get_header_value("Allow").empty());
    }
    const auto put = client.Put("/api/v1/servers", headers, "{}", "application/json");
    REQUIRE(put);
    CHECK(put->get_header_value("Allow") == "GET, HEAD");
    CHECK(get_json(host.port(), "/api/v1/actions").empty()); // no close was attempted
    CHECK(host.host().log().find("api request failed") == std::string::npos);
}

TEST_CASE("a Host header that names another site is refused (DNS rebinding)") {
    HostFixture host(sim_server);
    REQUIRE(eventually([&] { return get_text(host.port(), "/healthz") == "ok\n"; }));
    httplib::Client client("127.0.0.1", host.port());
    const auto rebound = client.Get("/api/v1/sessions", {{"Host", "evil.example:8940"}});
    REQUIRE(rebound);
    CHECK(rebound->status == 421);
    CHECK_THAT(nlohmann::json::parse(rebound->body).value("error", ""),
               Catch::Contains("host.allowed_hosts"));
    for (const std::string& name : std::vector<std::string>{
             "localhost:" + std::to_string(host.port()), "127.0.0.1", "LOCALHOST."}) {
        INFO(name);
        const auto local = client.Get("/healthz", {{"Host", name}});
        REQUIRE(local);
        CHECK(local->status == 200);
    }
}

TEST_CASE("a name in host.allowed_hosts is accepted") {
    HostFixture host(sim_server, {}, "allowed_hosts = [\"lmharvest.corp.example\"]\n");
    REQUIRE(eventually([&] { return get_text(host.port(), "/healthz") == "ok\n"; }));
    httplib::Client client("127.0.0.1", host.port());
    const auto named = client.Get("/healthz", {{"Host", "lmharvest.corp.example:443"}});
    REQUIRE(named);
    CHECK(named->status == 200);
}

TEST_CASE("eight slow clients do not block /healthz") {
    HostFixture host(sim_server);
    check_slow_clients_do_not_block(host, Transport::plain);
}

TEST_CASE("a client that trickles its header, or sends an endless line, is cut off") {
    HostFixture host(sim_server);
    check_trickle_and_endless_line_cut(host, Transport::plain);
}

TEST_CASE("large bodies are refused on Content-Length before they are read") {
    HostFixture host(sim_server);
    check_large_bodies_refused(host, Transport::plain);

    // A chunked body has no length to check first: refused as well.
    const int fd = connect_tcp(host.port());
    REQUIRE(fd >= 0);
    const std::string chunked = "POST /api/v1/sessions/1/close HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                "Transfer-Encoding: chunked\r\n\r\n100000\r\n";
    ::send(fd, chunked.data(), chunked.size(), MSG_NOSIGNAL);
    char buffer[4096];
    const ssize_t got = ::recv(fd, buffer, sizeof buffer, 0);
    ::close(fd);
    REQUIRE(got > 0);
    CHECK_THAT(std::string(buffer, static_cast<std::size_t>(got)),
               Catch::StartsWith("HTTP/1.1 411"));
    CHECK(get_text(host.port(), "/healthz") == "ok\n");
}

TEST_CASE("an SQLite failure inside a route is a logged 500 with a JSON error") {
    HostFixture host(sim_server);
    REQUIRE(eventually([&] { return !host.sessions().empty(); }));
    const CliRun drop = run_program({"python3", "-c",
                                     "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); "
                                     "c.execute('DROP TABLE actions'); c.commit()",
                                     (host.dir() / "state" / "lmharvest.db").string()});
    REQUIRE(drop.exit_code == 0);
    httplib::Client client("127.0.0.1", host.port());
    const auto failed = client.Get("/api/v1/actions");
    REQUIRE(failed);
    CHECK(failed->status == 500);
    CHECK(nlohmann::json::parse(failed->body).contains("error"));
    CHECK(eventually([&] {
        const std::string log = host.host().log();
        return log.find("api request failed") != std::string::npos &&
               log.find("no such table") != std::string::npos;
    }));
    CHECK(get_text(host.port(), "/healthz") == "ok\n");
}
