// The page's routes and the live events against the real service: / and /assets/ are open with
// their security headers, whoami and groups tell the page who it is and what to offer,
// /api/v1/servers says which servers can close, and /api/v1/events streams one event per poll
// to a bounded number of listeners and ends cleanly when the service stops.
#include "auth/sha256.hpp"
#include "host_fixture.hpp"

#include <catch2/catch.hpp>
#include <httplib.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace lmharvest::testing;
using namespace std::chrono_literals;

namespace {

const std::string sim_server = "[[servers]]\nid = \"sim1\"\nadapter = \"sim\"\n"
                               "address = \"27000@sim\"\ninterval = \"1s\"\n"
                               "[servers.sim]\nseed = 7\nusers = 20\n"
                               "[groups]\ncad = [\"asmith\", \"bchen\"]\n"
                               "[[tokens]]\nname = \"view\"\nrole = \"viewer\"\nsha256 = \"" +
                               lmharvest::sha256_hex("secret-view") + "\"\n";

httplib::Result get(int port, const std::string& path, const httplib::Headers& headers = {}) {
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(30s);
    return client.Get(path.c_str(), headers);
}

// The fixture returns once the host runs; its API answers a moment later.
bool api_up(const HostFixture& host) {
    return eventually([&] { return get_text(host.port(), "/healthz") == "ok\n"; });
}

// A raw connection to /api/v1/events; reads what the stream sends.
class EventStream {
public:
    explicit EventStream(int port, const std::string& secret = "") : fd_(connect_tcp(port)) {
        std::string request = "GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\n";
        if (!secret.empty())
            request += "Authorization: Bearer " + secret + "\r\n";
        request += "\r\n";
        if (fd_ >= 0)
            ::send(fd_, request.data(), request.size(), MSG_NOSIGNAL);
    }
    ~EventStream() {
        if (fd_ >= 0)
            ::close(fd_);
    }
    EventStream(const EventStream&) = delete;
    EventStream& operator=(const EventStream&) = delete;

    /// Reads until `text` has arrived (true) or `limit` passed or the stream ended (false).
    bool read_until(const std::string& text, std::chrono::milliseconds limit = 20s) {
        const auto end = std::chrono::steady_clock::now() + limit;
        while (received_.find(text) == std::string::npos) {
            if (!read_some(end))
                return false;
        }
        return true;
    }
    /// Reads until the server ends the stream; true when it did within `limit`.
    bool read_to_end(std::chrono::milliseconds limit) {
        const auto end = std::chrono::steady_clock::now() + limit;
        while (read_some(end)) {
        }
        return ended_;
    }
    const std::string& received() const { return received_; }

private:
    bool read_some(std::chrono::steady_clock::time_point end) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            end - std::chrono::steady_clock::now());
        pollfd ready{fd_, POLLIN, 0};
        if (left.count() <= 0 || ::poll(&ready, 1, static_cast<int>(left.count())) <= 0)
            return false;
        char buffer[4096];
        const ssize_t got = ::recv(fd_, buffer, sizeof buffer, 0);
        if (got <= 0) {
            ended_ = true;
            return false;
        }
        received_.append(buffer, static_cast<std::size_t>(got));
        return true;
    }

    int fd_;
    std::string received_;
    bool ended_ = false;
};

} // namespace

TEST_CASE("the page: / and its assets are open, with ETag, CSP and nosniff; unknown assets 404") {
    HostFixture host(sim_server, {}, "open_read = false\n");
    REQUIRE(api_up(host));
    INFO(host.host().log());
    const auto page = get(host.port(), "/");
    REQUIRE(page);
    CHECK(page->status == 200); // no token: the page holds no data
    CHECK_THAT(page->get_header_value("Content-Type"), Catch::StartsWith("text/html"));
    const std::string csp = page->get_header_value("Content-Security-Policy");
    CHECK_THAT(csp, Catch::Contains("script-src 'self'"));
    CHECK_THAT(csp, Catch::Contains("frame-ancestors 'none'"));
    CHECK_THAT(csp, !Catch::Contains("unsafe-inline"));
    CHECK(page->get_header_value("X-Content-Type-Options") == "nosniff");
    const std::string etag = page->get_header_value("ETag");
    REQUIRE(etag.size() > 2);
    const auto again = get(host.port(), "/", {{"If-None-Match", etag}});
    REQUIRE(again);
    CHECK(again->status == 304);
    CHECK(again->body.empty());

    // Every file the page names is served, with its type.
    CHECK_THAT(page->body, Catch::Contains("/assets/app.js"));
    CHECK_THAT(page->body, Catch::Contains("/assets/app.css"));
    const auto script = get(host.port(), "/assets/app.js");
    REQUIRE(script);
    CHECK(script->status == 200);
    CHECK_THAT(script->get_header_value("Content-Type"), Catch::StartsWith("text/javascript"));
    CHECK(script->get_header_value("ETag") != etag);
    const auto style = get(host.port(), "/assets/app.css");
    REQUIRE(style);
    CHECK(style->status == 200);
    CHECK_THAT(style->get_header_value("Content-Type"), Catch::StartsWith("text/css"));

    const auto missing = get(host.port(), "/assets/nothing.js");
    REQUIRE(missing);
    CHECK(missing->status == 404);
    CHECK_THAT(missing->body, Catch::Contains("no asset 'nothing.js'"));
    // The data stays closed: the page's API calls still need a token.
    const auto sessions = get(host.port(), "/api/v1/sessions");
    REQUIRE(sessions);
    CHECK(sessions->status == 401);
}

TEST_CASE("whoami names the token and its role; groups lists [groups]; servers say can_close") {
    HostFixture host(sim_server, {}, "open_read = false\n");
    REQUIRE(api_up(host));
    INFO(host.host().log());
    const httplib::Headers viewer{{"Authorization", "Bearer secret-view"}};
    const auto me = get(host.port(), "/api/v1/whoami", viewer);
    REQUIRE(me);
    CHECK(me->status == 200);
    CHECK(nlohmann::json::parse(me->body) ==
          nlohmann::json({{"name", "view"}, {"role", "viewer"}}));
    const auto anonymous = get(host.port(), "/api/v1/whoami");
    REQUIRE(anonymous);
    CHECK(anonymous->status == 401);

    const auto groups = get(host.port(), "/api/v1/groups", viewer);
    REQUIRE(groups);
    CHECK(nlohmann::json::parse(groups->body) ==
          nlohmann::json::parse(R"([{"name": "cad", "users": ["asmith", "bchen"]}])"));

    REQUIRE(eventually([&] {
        const auto servers = get(host.port(), "/api/v1/servers", viewer);
        return servers && servers->status == 200 &&
               nlohmann::json::parse(servers->body).size() == 1;
    }));
    const auto servers = nlohmann::json::parse(get(host.port(), "/api/v1/servers", viewer)->body);
    CHECK(servers.at(0).at("can_close") == true); // the sim adapter closes sessions
}

TEST_CASE("whoami without a token on open_read is null") {
    HostFixture host(sim_server);
    REQUIRE(api_up(host));
    const auto me = get(host.port(), "/api/v1/whoami");
    REQUIRE(me);
    CHECK(me->status == 200);
    CHECK(nlohmann::json::parse(me->body).is_null());
}

TEST_CASE("events: one per poll with its server and counts; 256 listeners at most; the stream "
          "ends when the service stops") {
    HostFixture host(sim_server, {}, "open_read = false\n");
    REQUIRE(api_up(host));
    INFO(host.host().log());

    EventStream refused_without_token(host.port());
    CHECK(refused_without_token.read_until("HTTP/1.1 401"));

    EventStream stream(host.port(), "secret-view");
    REQUIRE(stream.read_until(": listening"));
    CHECK_THAT(stream.received(), Catch::Contains("Content-Type: text/event-stream"));
    REQUIRE(stream.read_until("event: poll\ndata: {\"error\":\"\",\"features\":"));
    REQUIRE(stream.read_until("\"server\":\"sim1\""));
    CHECK_THAT(stream.received(), Catch::Contains("\"sessions\":"));
    // The next polls, the next events (interval 1s): read for a while, then count.
    stream.read_until("nothing sends this", 3s);
    std::size_t events = 0;
    for (auto at = stream.received().find("event: poll"); at != std::string::npos;
         at = stream.received().find("event: poll", at + 1))
        ++events;
    CHECK(events >= 2);

    std::vector<std::unique_ptr<EventStream>> more;
    for (int i = 0; i < 255; ++i) {
        more.push_back(std::make_unique<EventStream>(host.port(), "secret-view"));
        REQUIRE(more.back()->read_until(": listening"));
    }
    EventStream one_more(host.port(), "secret-view");
    REQUIRE(one_more.read_until("\r\n\r\n"));
    CHECK_THAT(one_more.received(), Catch::StartsWith("HTTP/1.1 503"));
    CHECK_THAT(one_more.received(), Catch::Contains("Retry-After: 30"));
    REQUIRE(one_more.read_until("clients already listen"));
    // Listeners hold no workers: the rest of the API still answers.
    const auto health = get(host.port(), "/healthz");
    REQUIRE(health);
    CHECK(health->status == 200);
    // One that leaves frees its place.
    more.pop_back();
    REQUIRE(eventually([&] {
        EventStream again(host.port(), "secret-view");
        return again.read_until(": listening", 2s);
    }));

    const auto start = std::chrono::steady_clock::now();
    CHECK(host.host().stop() == 0);
    CHECK(std::chrono::steady_clock::now() - start < 10s);
    CHECK(stream.read_to_end(5s));
    CHECK_THAT(stream.received(), Catch::EndsWith("0\r\n\r\n")); // the last chunk: a clean end
}

TEST_CASE("events: 100 listening pages all get each poll's event, and the API answers at once "
          "meanwhile") {
    HostFixture host(sim_server, {}, "open_read = false\n");
    REQUIRE(api_up(host));
    INFO(host.host().log());
    const httplib::Headers viewer{{"Authorization", "Bearer secret-view"}};
    REQUIRE(eventually([&] {
        const auto sessions = get(host.port(), "/api/v1/sessions", viewer);
        return sessions && sessions->status == 200 &&
               !nlohmann::json::parse(sessions->body).empty();
    }));

    std::vector<std::unique_ptr<EventStream>> pages;
    for (int i = 0; i < 100; ++i) {
        pages.push_back(std::make_unique<EventStream>(host.port(), "secret-view"));
        REQUIRE(pages.back()->read_until(": listening"));
    }
    // While all 100 listen, every other route still has all 16 workers: each of these answers
    // within the bound (a worker held per listener would leave none, and they would wait).
    for (const char* path : {"/api/v1/sessions", "/api/v1/servers", "/api/v1/whoami", "/healthz",
                             "/api/v1/sessions?user=asmith"}) {
        const auto begin = std::chrono::steady_clock::now();
        const auto answer = get(host.port(), path, viewer);
        REQUIRE(answer);
        CHECK(answer->status == 200);
        CHECK(std::chrono::steady_clock::now() - begin < 5s);
    }
    // The sim server changes its sessions each poll: every page gets that poll's event, with
    // its server and counts.
    for (auto& page : pages) {
        REQUIRE(page->read_until("\"server\":\"sim1\"", 20s));
        CHECK_THAT(page->received(), Catch::Contains("event: poll\ndata: "));
        CHECK_THAT(page->received(), Catch::Contains("\"sessions\":"));
    }
}
