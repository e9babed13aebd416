// The history keeper compacts and trims on its own thread, at start and then every period,
// with the retention asked at each run.
#include "../store/store_fixture.hpp"
#include "service/history_keeper.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

using namespace lmharvest;
using namespace std::chrono_literals;

namespace {

bool eventually(const std::function<bool()>& done) {
    for (int i = 0; i < 500; ++i) {
        if (done())
            return true;
        std::this_thread::sleep_for(10ms);
    }
    return done();
}

} // namespace

TEST_CASE("the keeper deletes what the retention of each run no longer keeps") {
    StoreOnTempFile s;
    constexpr int64_t day = 86400;
    const int64_t now = 100 * day;
    s.record(make_snapshot("eng", now - 20 * day, {make_session("old", "MATLAB", 0)}));
    s.record(make_snapshot("eng", now - 5 * day, {})); // "old" closes 5 days ago
    REQUIRE(s.store->session(1).has_value());

    std::atomic<int> days{30};
    std::atomic<int> asked{0};
    HistoryKeeper keeper(
        *s.store,
        [&] {
            ++asked;
            return Retention{days.load()};
        },
        [&] { return now; }, 50ms);
    REQUIRE(eventually([&] { return asked >= 1; }));
    CHECK(s.store->session(1).has_value()); // closed 5 days ago: within 30 days

    days = 2; // a reload shortens the retention: the next run applies it
    CHECK(eventually([&] { return !s.store->session(1).has_value(); }));
    CHECK(asked >= 2);
}

TEST_CASE("the keeper forgets agents without a report for forget_after, with their apps") {
    StoreOnTempFile s;
    constexpr int64_t day = 86400;
    const int64_t now = 100 * day;
    for (const auto& [id, reported] :
         {std::pair{"gone-pc:1000", now - 8 * day}, std::pair{"here-pc:1000", now - 6 * day}}) {
        AgentRecord agent;
        agent.agent = id;
        agent.host = "pc";
        agent.user = "ann";
        agent.report_time = reported;
        AppActivity app;
        app.agent = id;
        app.app = "matlab";
        app.pid = 1;
        app.report_time = reported;
        s.store->save_agent_report(agent, {app});
    }
    REQUIRE(s.store->agents().size() == 2);

    HistoryKeeper keeper(
        *s.store,
        [] {
            return Retention{90, std::chrono::hours(24 * 7)};
        },
        [&] { return now; }, 50ms);
    REQUIRE(eventually([&] { return s.store->agents().size() == 1; }));
    CHECK(s.store->agents().at(0).agent == "here-pc:1000");
    const auto apps = s.store->activity();
    REQUIRE(apps.size() == 1);
    CHECK(apps[0].agent == "here-pc:1000");
}
