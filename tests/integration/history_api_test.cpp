// Usage history, closed sessions and paging over real HTTP from the real binary polling the
// sim plugin; every bad parameter is a 400 that names it.
#include "harness.hpp"
#include "host_fixture.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <httplib.h>

using namespace lmharvest::testing;

namespace {

const std::string sim_server = "[[servers]]\nid = \"sim1\"\nadapter = \"sim\"\n"
                               "address = \"27000@sim\"\ninterval = \"1s\"\n"
                               "[servers.sim]\nseed = 7\nusers = 40\nchurn = 0\n"
                               "[groups]\ncrew = [\"nobody-here\"]\n";

struct Reply {
    int status = 0;
    nlohmann::json body;
};

Reply get(const HostFixture& host, const std::string& path) {
    httplib::Client client("127.0.0.1", host.port());
    const auto result = client.Get(path.c_str());
    if (!result)
        return {};
    return {result->status, nlohmann::json::parse(result->body, nullptr, false)};
}

// The licenses `user` holds in `feature`, from the open sessions the API lists.
int64_t licenses_of(const HostFixture& host, const std::string& user, const std::string& feature) {
    int64_t sum = 0;
    for (const nlohmann::json& session : host.sessions("?user=" + user + "&feature=" + feature))
        sum += session.at("count").get<int64_t>();
    return sum;
}

} // namespace

TEST_CASE("GET /api/v1/usage draws each pool's used and total from the polls, and a user's "
          "share from the sessions") {
    HostFixture host(sim_server);
    REQUIRE(eventually([&] { return !host.sessions().empty(); }));
    REQUIRE(host.wait_for_next_poll("sim1"));
    const nlohmann::json session = host.sessions().at(0);
    const std::string feature = session.at("feature");
    const std::string user = session.at("user");
    nlohmann::json pool_now;
    for (const nlohmann::json& f : get_json(host.port(), "/api/v1/features"))
        if (f.at("feature") == feature)
            pool_now = f;
    REQUIRE(pool_now.is_object());

    const Reply all = get(host, "/api/v1/usage");
    REQUIRE(all.status == 200);
    CHECK(all.body.at("step_s") == 60); // the last hour, by minute
    CHECK(all.body.at("from").get<std::string>().back() == 'Z');
    CHECK(all.body.at("pools").size() == get_json(host.port(), "/api/v1/features").size());

    const Reply one = get(host, "/api/v1/usage?server=sim1&feature=" + feature + "&step=10s");
    REQUIRE(one.status == 200);
    CHECK(one.body.at("step_s") == 10);
    REQUIRE(one.body.at("pools").size() == 1);
    const nlohmann::json& pool = one.body["pools"][0];
    CHECK(pool.at("server") == "sim1");
    CHECK(pool.at("threshold") == Approx(0.8));
    const nlohmann::json& points = pool.at("points");
    REQUIRE_FALSE(points.empty());
    // churn = 0: every poll saw what the features list shows now.
    for (const nlohmann::json& point : points) {
        CHECK(point.at("used_max") == pool_now.at("used"));
        CHECK(point.at("used_min") == pool_now.at("used"));
        CHECK(point.at("total") == pool_now.at("total"));
    }

    const Reply mine =
        get(host, "/api/v1/usage?server=sim1&feature=" + feature + "&step=10s&user=" + user);
    REQUIRE(mine.status == 200);
    const nlohmann::json& last = mine.body.at("pools").at(0).at("points").back();
    CHECK(last.at("used_max") == licenses_of(host, user, feature));
    CHECK(last.at("total") == pool_now.at("total")); // total stays the pool's
    const Reply crew = get(host, "/api/v1/usage?feature=" + feature + "&group=crew");
    REQUIRE(crew.status == 200);
    CHECK(crew.body.at("pools").at(0).at("points").at(0).at("used_max") == 0);
    CHECK(host.host().log().find("api request failed") == std::string::npos);
}

TEST_CASE("bad usage parameters are 400 naming the parameter") {
    HostFixture host(sim_server);
    REQUIRE(eventually([&] { return get_text(host.port(), "/healthz") == "ok\n"; }));
    const std::vector<std::pair<std::string, std::string>> table = {
        {"from=yesterday", "from: 'yesterday' is not an ISO 8601 time"},
        {"to=2026-02-30T00:00:00Z", "to: '2026-02-30T00:00:00Z'"},
        {"from=2026-12-01T11:00:00Z&to=2026-12-01T10:00:00Z", "from: '2026-12-01T11:00:00Z' is "
                                                              "not before to"},
        {"step=abc", "step: 'abc'"},
        {"step=60", "step: '60'"},
        {"step=500ms", "step: '500ms' is not a whole number of seconds"},
        {"step=1s&from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z", "step: '1s' gives"},
        {"group=nope", "group: no group 'nope' in [groups]"},
        {"user=a&group=crew", "group: give user or group, not both"},
    };
    for (const auto& [query, error] : table) {
        INFO(query);
        const Reply reply = get(host, "/api/v1/usage?" + query);
        CHECK(reply.status == 400);
        CHECK_THAT(reply.body.value("error", ""), Catch::StartsWith(error));
    }
}

TEST_CASE("sessions page over HTTP with sort, limit and the X-Next-Cursor header; bad paging "
          "parameters are 400") {
    HostFixture host(sim_server);
    REQUIRE(eventually([&] { return host.sessions().size() > 5; }));
    const std::size_t count = host.sessions().size();
    httplib::Client client("127.0.0.1", host.port());

    std::vector<std::string> users;
    std::string path = "/api/v1/sessions?sort=user,-checkout_time&limit=5";
    for (int pages = 0; pages < 1000; ++pages) {
        const auto page = client.Get(path.c_str());
        REQUIRE(page);
        REQUIRE(page->status == 200);
        const auto rows = nlohmann::json::parse(page->body);
        REQUIRE(rows.is_array());
        CHECK(rows.size() <= 5);
        for (const nlohmann::json& row : rows)
            users.push_back(row.at("user"));
        if (!page->has_header("X-Next-Cursor"))
            break;
        path = "/api/v1/sessions?sort=user,-checkout_time&limit=5&cursor=" +
               page->get_header_value("X-Next-Cursor");
    }
    CHECK(users.size() == count); // churn = 0: the same sessions, each once
    CHECK(std::is_sorted(users.begin(), users.end()));
    CHECK(get_json(host.port(), "/api/v1/sessions?limit=200000").size() == count);

    const Reply history = get(host, "/api/v1/sessions/history?limit=10&sort=-duration");
    CHECK(history.status == 200);
    CHECK(history.body.is_array());

    const std::vector<std::pair<std::string, std::string>> table = {
        {"/api/v1/sessions?limit=abc", "limit: 'abc' is not a whole number from 1 to 1000000"},
        {"/api/v1/sessions?limit=0", "limit: '0'"},
        {"/api/v1/sessions?limit=1000001", "limit: '1000001'"},
        {"/api/v1/sessions?sort=nope", "sort: 'nope' is not a column to sort by"},
        {"/api/v1/sessions?sort=", "sort: '' names no column"},
        {"/api/v1/sessions?cursor=xyz", "cursor: 'xyz' is not a cursor"},
        {"/api/v1/sessions?offset=-1", "offset: '-1'"},
        {"/api/v1/sessions?offset=1&cursor=x", "offset: give cursor or offset, not both"},
        {"/api/v1/sessions/history?sort=host_ip", "sort: 'host_ip'"},
        {"/api/v1/sessions/history?from=soon", "from: 'soon'"},
        {"/api/v1/sessions/history?group=nope", "no group 'nope' in [groups]"},
        {"/api/v1/actions?limit=0", "limit: '0'"},
        {"/api/v1/actions?sort=message", "sort: 'message'"},
        {"/api/v1/denials?cursor=1", "cursor: '1'"},
    };
    for (const auto& [bad, error] : table) {
        INFO(bad);
        const Reply reply = get(host, bad);
        CHECK(reply.status == 400);
        CHECK_THAT(reply.body.value("error", ""), Catch::StartsWith(error));
    }
    CHECK(host.host().log().find("api request failed") == std::string::npos);
}
