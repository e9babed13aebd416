// EventHub, the live events' fan-out: the bound on subscribers, the heartbeat when nothing
// happens, one frame per poll, and the end of every stream at stop().
#include "api/event_hub.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <thread>

using namespace lmharvest;
using namespace std::chrono_literals;

namespace {

PollEvent poll_of(const std::string& server, std::size_t sessions) {
    PollEvent event;
    event.server_id = server;
    event.poll_time = 1764583200; // 2025-12-01T10:00:00Z
    event.sessions = sessions;
    event.licenses = static_cast<int64_t>(sessions) * 2;
    return event;
}

} // namespace

TEST_CASE("event hub: at most max_subscribers listen; a slot comes back when one leaves") {
    EventHub hub(2, 50ms);
    auto first = hub.subscribe();
    auto second = hub.subscribe();
    REQUIRE(first);
    REQUIRE(second);
    CHECK_FALSE(hub.subscribe());
    second.reset();
    CHECK(hub.subscribe());
}

TEST_CASE("event hub: a heartbeat comment when no poll came within the period") {
    EventHub hub(1, 50ms);
    auto subscription = hub.subscribe();
    const auto start = std::chrono::steady_clock::now();
    CHECK(subscription->next() == ": heartbeat\n\n");
    CHECK(std::chrono::steady_clock::now() - start >= 50ms);
}

TEST_CASE("event hub: each poll is one `event: poll` frame with its JSON, to every subscriber") {
    EventHub hub(2, 10s);
    auto a = hub.subscribe();
    auto b = hub.subscribe();
    hub.publish(poll_of("flex-a", 3));
    hub.publish(poll_of("lmx-b", 1));
    for (auto* subscription : {&a, &b}) {
        const auto frames = (*subscription)->next();
        REQUIRE(frames);
        const std::string first = "event: poll\ndata: ";
        REQUIRE(frames->rfind(first, 0) == 0);
        const auto line_end = frames->find("\n\n");
        const auto data =
            nlohmann::json::parse(frames->substr(first.size(), line_end - first.size()));
        CHECK(data.at("server") == "flex-a");
        CHECK(data.at("sessions") == 3);
        CHECK(data.at("licenses") == 6);
        CHECK(data.at("ok") == true);
        CHECK(frames->find("\"server\":\"lmx-b\"") != std::string::npos);
    }
}

TEST_CASE("event hub: a subscriber that does not read keeps only the newest frames") {
    EventHub hub(1, 10s);
    auto subscription = hub.subscribe();
    for (int i = 0; i < 1000; ++i)
        hub.publish(poll_of("s" + std::to_string(i), 1));
    const auto frames = subscription->next();
    REQUIRE(frames);
    CHECK(frames->find("\"server\":\"s999\"") != std::string::npos);
    CHECK(frames->find("\"server\":\"s0\"") == std::string::npos);
    CHECK(frames->size() < 64 * 1024);
}

TEST_CASE("event hub: stop() ends a waiting stream at once and refuses new subscribers") {
    EventHub hub(2, 60s);
    auto subscription = hub.subscribe();
    std::optional<std::string> got = std::string("not yet");
    std::thread reader([&] { got = subscription->next(); });
    std::this_thread::sleep_for(50ms);
    const auto start = std::chrono::steady_clock::now();
    hub.stop();
    reader.join();
    CHECK_FALSE(got);
    CHECK(std::chrono::steady_clock::now() - start < 5s);
    CHECK_FALSE(hub.subscribe());
}
