// The running service: its HTTP API (reads open, closing needs the token), its metrics, and
// its signals (SIGHUP reloads, keeping the old config when the new one is bad; SIGTERM stops).
#include "host_fixture.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <httplib.h>

using namespace lmharvest::testing;

namespace {

const std::string sim_server = "[[servers]]\nid = \"sim1\"\nadapter = \"sim\"\n"
                               "address = \"27000@sim\"\ninterval = \"1s\"\n"
                               "[servers.sim]\nseed = 7\nusers = 40\nchurn = 0\n"
                               "[groups]\ncad = [\"nobody\"]\n";

httplib::Result post_close(int port, int64_t id, const std::string& token) {
    httplib::Client client("127.0.0.1", port);
    httplib::Headers headers;
    if (!token.empty())
        headers.emplace("Authorization", "Bearer " + token);
    return client.Post("/api/v1/sessions/" + std::to_string(id) + "/close", headers, "{}",
                       "application/json");
}

} // namespace

TEST_CASE("closing through the API needs the token in the state folder; reads do not") {
    HostFixture host(sim_server);
    REQUIRE(eventually([&] { return !host.sessions().empty(); }));
    const int64_t id = host.sessions().at(0).at("id");

    const auto anonymous = post_close(host.port(), id, "");
    REQUIRE(anonymous);
    CHECK(anonymous->status == 401);
    const auto forged = post_close(host.port(), id, "0123456789abcdef0123456789abcdef");
    REQUIRE(forged);
    CHECK(forged->status == 401);
    CHECK(get_json(host.port(), "/api/v1/actions").empty()); // nothing was attempted

    const std::string token = read_file(host.dir() / "state" / "api-token");
    CHECK(std::filesystem::status(host.dir() / "state" / "api-token").permissions() ==
          (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
    const auto allowed = post_close(host.port(), id, token.substr(0, token.find('\n')));
    REQUIRE(allowed);
    CHECK(allowed->status == 200);
    const auto body = nlohmann::json::parse(allowed->body);
    CHECK(body.at("outcome") == "closed");
    CHECK(body.at("audit_id").get<int64_t>() > 0);

    const auto unknown = post_close(host.port(), 999999, token.substr(0, token.find('\n')));
    REQUIRE(unknown);
    CHECK(unknown->status == 404);
}

TEST_CASE("the API filters sessions by user, group and feature, and aggregates") {
    HostFixture host(sim_server);
    REQUIRE(eventually([&] { return host.sessions().size() > 3; }));
    const nlohmann::json all = host.sessions();
    const std::string user = all.at(0).at("user");
    const nlohmann::json mine = host.sessions("?user=" + user);
    REQUIRE_FALSE(mine.empty());
    for (const nlohmann::json& session : mine)
        CHECK(session.at("user") == user);
    CHECK(host.sessions("?group=cad").empty());
    CHECK(get_json(host.port(), "/api/v1/sessions?group=nope").at("error") ==
          "no group 'nope' in [groups]");

    const nlohmann::json by_feature = get_json(host.port(), "/api/v1/sessions?by=feature");
    REQUIRE(by_feature.is_array());
    int64_t sessions = 0;
    for (const nlohmann::json& row : by_feature)
        sessions += row.at("sessions").get<int64_t>();
    CHECK(sessions == static_cast<int64_t>(all.size()));
    const nlohmann::json by_user = get_json(host.port(), "/api/v1/sessions?by=feature-user");
    REQUIRE(by_user.is_array());
    CHECK(by_user.at(0).contains("user"));
}

TEST_CASE("the API pages, counts, filters by text and sums open sessions for the page") {
    HostFixture host(sim_server);
    REQUIRE(eventually([&] { return host.sessions().size() > 3; }));
    const nlohmann::json all = host.sessions();
    httplib::Client client("127.0.0.1", host.port());
    const auto page = client.Get("/api/v1/sessions?limit=2&offset=1&total=1");
    REQUIRE(page);
    CHECK(page->status == 200);
    CHECK(page->get_header_value("X-Total-Count") == std::to_string(all.size()));
    CHECK(nlohmann::json::parse(page->body).at(0).at("id") == all.at(1).at("id"));
    CHECK_FALSE(client.Get("/api/v1/sessions?limit=2")->has_header("X-Total-Count"));

    const std::string feature = all.at(0).at("feature");
    const nlohmann::json matching = host.sessions("?q=" + feature);
    REQUIRE_FALSE(matching.empty());
    for (const nlohmann::json& session : matching)
        CHECK(session.dump().find(feature) != std::string::npos);
    CHECK(get_json(host.port(), "/api/v1/sessions?q=" + std::string(201, 'x')).at("error") ==
          "q: 201 bytes; at most 200");
    CHECK(get_json(host.port(), "/api/v1/sessions?total=yes").at("error") ==
          "total: 'yes': use 1 (or 0)");

    const nlohmann::json totals = get_json(host.port(), "/api/v1/sessions/summary");
    REQUIRE(totals.size() == 1);
    CHECK(totals.at(0).at("sessions") == all.size());
    const auto per_feature = client.Get("/api/v1/sessions/summary?by=feature,user&limit=1&total=1");
    REQUIRE(per_feature);
    CHECK(per_feature->status == 200);
    CHECK(per_feature->has_header("X-Next-Cursor"));
    CHECK(std::stoll(per_feature->get_header_value("X-Total-Count")) > 1);
    const nlohmann::json first = nlohmann::json::parse(per_feature->body).at(0);
    CHECK(first.contains("server_id"));
    CHECK(first.contains("user"));
    CHECK(get_json(host.port(), "/api/v1/sessions/summary?by=host").at("error") ==
          "by: 'host': use user, feature or feature,user (or leave it out)");
    CHECK(get_json(host.port(), "/api/v1/sessions/summary?group=nope").at("error") ==
          "no group 'nope' in [groups]");
    CHECK_THAT(
        get_json(host.port(), "/api/v1/sessions/summary?sort=id").at("error").get<std::string>(),
        Catch::StartsWith("sort: 'id' is not a column to sort by"));
}

TEST_CASE("metrics report poll health and feature usage in Prometheus text") {
    HostFixture host(sim_server);
    REQUIRE(eventually([&] { return !host.sessions().empty(); }));
    const std::string metrics = get_text(host.port(), "/metrics");
    CHECK_THAT(metrics, Catch::Contains("# TYPE lmharvest_poll_success gauge"));
    CHECK_THAT(metrics, Catch::Contains("lmharvest_poll_success{server=\"sim1\"} 1"));
    CHECK_THAT(metrics, Catch::Contains("lmharvest_server_up{server=\"sim1\",adapter=\"sim\"} 1"));
    CHECK_THAT(metrics, Catch::Contains("lmharvest_feature_used{server=\"sim1\""));
    CHECK(get_text(host.port(), "/healthz") == "ok\n");
}

TEST_CASE("SIGHUP keeps the running config when the new file is bad, and SIGTERM stops") {
    HostFixture host(sim_server);
    REQUIRE(eventually([&] { return !host.sessions().empty(); }));
    const std::string good = read_file(host.config());

    host.dir().write("lmharvest.toml", good + "\n[harvest]\ntreshold = 2\n");
    host.host().signal(SIGHUP);
    REQUIRE(
        eventually([&] { return host.host().log().find("reload refused") != std::string::npos; }));
    CHECK_THAT(host.host().log(), Catch::Contains("unknown key 'treshold'"));
    CHECK(host.host().alive());
    CHECK(get_text(host.port(), "/healthz") == "ok\n");

    host.dir().write("lmharvest.toml", good);
    host.host().signal(SIGHUP);
    REQUIRE(eventually([&] {
        const std::string log = host.host().log();
        const auto reloaded = log.rfind("reloaded servers_kept=1");
        return reloaded != std::string::npos && reloaded > log.find("reload refused");
    }));
    CHECK(eventually([&] { return get_text(host.port(), "/healthz") == "ok\n"; }));
    CHECK(std::filesystem::exists(host.dir() / "state" / "api-address"));
    CHECK(host.host().stop() == 0);
    CHECK_FALSE(std::filesystem::exists(host.dir() / "state" / "api-address"));
}
