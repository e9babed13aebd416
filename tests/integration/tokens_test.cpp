// [[tokens]] and roles against the real service: every endpoint without a token (401), with a
// role that may not (403) and with one that may; open_read; the audit log's actor is the
// token's name; `lmharvest token add` makes a token that works after a SIGHUP reload.
#include "auth/sha256.hpp"
#include "host_fixture.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <fstream>
#include <httplib.h>

using namespace lmharvest::testing;

namespace {

const std::string sim_server = "[[servers]]\nid = \"sim1\"\nadapter = \"sim\"\n"
                               "address = \"27000@sim\"\ninterval = \"1s\"\n"
                               "[servers.sim]\nseed = 7\nusers = 40\nchurn = 0\n";

std::string token_entry(const std::string& name, const std::string& role,
                        const std::string& secret) {
    return "[[tokens]]\nname = \"" + name + "\"\nrole = \"" + role + "\"\nsha256 = \"" +
           lmharvest::sha256_hex(secret) + "\"\n";
}

const std::string tokens = token_entry("view", "viewer", "secret-view") +
                           token_entry("ops", "operator", "secret-ops") +
                           token_entry("boss", "admin", "secret-admin") +
                           token_entry("ws", "agent", "secret-agent") + "hosts = [\"ws-*\"]\n";

httplib::Result call(int port, const std::string& method, const std::string& path,
                     const std::string& secret, const std::string& body = "{}") {
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(std::chrono::seconds(30));
    httplib::Headers headers;
    if (!secret.empty())
        headers.emplace("Authorization", "Bearer " + secret);
    if (method == "GET")
        return client.Get(path.c_str(), headers);
    return client.Post(path.c_str(), headers, body, "application/json");
}

int status(int port, const std::string& method, const std::string& path,
           const std::string& secret) {
    const auto result = call(port, method, path, secret);
    return result ? result->status : -1;
}

nlohmann::json get_as(int port, const std::string& path, const std::string& secret) {
    const auto result = call(port, "GET", path, secret);
    return result ? nlohmann::json::parse(result->body, nullptr, false) : nlohmann::json();
}

std::string close_path(const nlohmann::json& session) {
    return "/api/v1/sessions/" + std::to_string(session.at("id").get<int64_t>()) + "/close";
}

} // namespace

TEST_CASE("each endpoint: 401 without a token, 403 with a role that may not, 200 with one that "
          "may; the audit log names the token") {
    HostFixture host(sim_server + tokens, {}, "open_read = false\n");
    INFO(host.host().log());
    REQUIRE(eventually(
        [&] { return get_as(host.port(), "/api/v1/sessions", "secret-view").size() > 3; }));

    for (const char* path : {"/api/v1/servers", "/api/v1/features", "/api/v1/sessions",
                             "/api/v1/sessions?by=feature", "/api/v1/actions", "/api/v1/denials"}) {
        INFO(path);
        const auto anonymous = call(host.port(), "GET", path, "");
        REQUIRE(anonymous);
        CHECK(anonymous->status == 401);
        CHECK(anonymous->get_header_value("WWW-Authenticate") == "Bearer realm=\"lmharvest\"");
        CHECK_THAT(nlohmann::json::parse(anonymous->body).value("error", ""),
                   Catch::Contains("needs a token of role viewer, operator or admin"));
        CHECK(status(host.port(), "GET", path, "secret-wrong") == 401);
        CHECK(status(host.port(), "GET", path, "secret-agent") == 403);
        for (const char* secret : {"secret-view", "secret-ops", "secret-admin"})
            CHECK(status(host.port(), "GET", path, secret) == 200);
    }
    for (const char* path : {"/healthz", "/metrics"})
        CHECK(status(host.port(), "GET", path, "") == 200); // Prometheus scrapes without one

    // The agent protocol: only agent (and admin) tokens pass; "{}" is then a report without a
    // field.
    CHECK(status(host.port(), "POST", "/api/v1/agents/report", "") == 401);
    CHECK(status(host.port(), "POST", "/api/v1/agents/report", "secret-ops") == 403);
    CHECK(status(host.port(), "POST", "/api/v1/agents/report", "secret-agent") == 400);

    const nlohmann::json sessions = get_as(host.port(), "/api/v1/sessions", "secret-view");
    const std::string first = close_path(sessions.at(0));
    CHECK(status(host.port(), "POST", first, "") == 401);
    CHECK(status(host.port(), "POST", first, "secret-view") == 403);
    CHECK(status(host.port(), "POST", first, "secret-agent") == 403);
    CHECK(get_as(host.port(), "/api/v1/actions", "secret-view").empty()); // nothing attempted

    const auto forged = call(host.port(), "POST", first, "secret-ops", R"({"actor": "alice"})");
    REQUIRE(forged);
    CHECK(forged->status == 400);
    CHECK_THAT(forged->body, Catch::Contains("actor: not accepted"));

    const auto by_operator =
        call(host.port(), "POST", first, "secret-ops", R"({"reason": "ticket 42"})");
    REQUIRE(by_operator);
    CHECK(by_operator->status == 200);
    const auto by_admin = call(host.port(), "POST", close_path(sessions.at(1)), "secret-admin");
    REQUIRE(by_admin);
    CHECK(by_admin->status == 200);

    const nlohmann::json actions = get_as(host.port(), "/api/v1/actions", "secret-view");
    REQUIRE(actions.size() == 2);
    CHECK(actions[0].at("actor") == "boss"); // newest first
    CHECK(actions[1].at("actor") == "ops");
    CHECK(actions[1].at("session_id") == sessions.at(0).at("id"));
}

TEST_CASE("open_read: reads need no token on loopback, closing still does") {
    HostFixture host(sim_server + tokens, {}, "open_read = true\n");
    REQUIRE(eventually([&] { return !host.sessions().empty(); }));
    CHECK(status(host.port(), "GET", "/api/v1/servers", "") == 200);
    CHECK(status(host.port(), "GET", "/api/v1/servers", "secret-wrong") == 401);
    const std::string path = close_path(host.sessions().at(0));
    CHECK(status(host.port(), "POST", path, "") == 401);
    CHECK(status(host.port(), "POST", path, "secret-view") == 403);
    // The api-token file's token is an admin named local-admin.
    const std::string raw = read_file(host.dir() / "state" / "api-token");
    CHECK(status(host.port(), "POST", path, raw.substr(0, raw.find('\n'))) == 200);
    CHECK(get_json(host.port(), "/api/v1/actions").at(0).at("actor") == "local-admin");
}

TEST_CASE("token add prints a token whose hash is on its lines; after SIGHUP the token works") {
    const CliRun made = run_cli({"token", "add", "ci-reader", "--role", "viewer"});
    REQUIRE(made.exit_code == 0);
    const std::string& out = made.out;
    const auto lines_at = out.find("[[tokens]]\n");
    REQUIRE(lines_at != std::string::npos);
    const std::string lines = out.substr(lines_at);
    // The token is the one line of 64 hex digits before the [[tokens]] lines.
    std::string token;
    for (std::size_t at = 0; at < lines_at;) {
        const std::size_t end = out.find('\n', at);
        std::string line = out.substr(at, end - at);
        line.erase(0, line.find_first_not_of(' '));
        if (line.size() == 64 && line.find_first_not_of("0123456789abcdef") == std::string::npos)
            token = line;
        at = end + 1;
    }
    REQUIRE(token.size() == 64);
    const CliRun hashed = run_program({"sh", "-c", "printf %s \"$0\" | sha256sum", token});
    REQUIRE(hashed.exit_code == 0);
    CHECK_THAT(lines, Catch::Contains("sha256 = \"" + hashed.out.substr(0, 64) + "\""));
    CHECK_THAT(lines, Catch::Contains("name = \"ci-reader\"\nrole = \"viewer\""));
    CHECK(out.find(token) == out.rfind(token)); // printed once

    HostFixture host(sim_server, {}, "open_read = false\n");
    REQUIRE(eventually([&] { return status(host.port(), "GET", "/healthz", "") == 200; }));
    CHECK(status(host.port(), "GET", "/api/v1/servers", token) == 401);
    {
        std::ofstream config(host.config(), std::ios::app);
        config << '\n' << lines;
    }
    host.host().signal(SIGHUP);
    CHECK(eventually([&] { return status(host.port(), "GET", "/api/v1/servers", token) == 200; }));
    CHECK(status(host.port(), "POST", "/api/v1/sessions/1/close", token) == 403);
    CHECK(host.host().alive());
}
