#include "poll/poll_scheduler.hpp"

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <future>
#include <map>
#include <mutex>
#include <thread>

using namespace lmharvest;
using namespace std::chrono_literals;

namespace {

PollSnapshot ok_snapshot() {
    return PollSnapshot{};
}

PollSnapshot failed_snapshot() {
    PollSnapshot snapshot;
    snapshot.ok = false;
    snapshot.error = "lmutil timed out";
    return snapshot;
}

// Waits (bounded) until `done` holds; returns whether it did.
template <class Condition> bool eventually(Condition done) {
    for (int i = 0; i < 500; ++i) {
        if (done())
            return true;
        std::this_thread::sleep_for(10ms);
    }
    return done();
}

} // namespace

TEST_CASE("backoff doubles per failure up to the cap, never below the interval") {
    CHECK(next_delay(60s, 0, 10min) == 60s);
    CHECK(next_delay(60s, 1, 10min) == 120s);
    CHECK(next_delay(60s, 3, 10min) == 480s);
    CHECK(next_delay(60s, 4, 10min) == 10min);
    CHECK(next_delay(60s, 40, 10min) == 10min);
    CHECK(next_delay(20min, 2, 10min) == 20min);
}

TEST_CASE("a server's phase is fixed by its id and within its interval") {
    CHECK(poll_phase("license-a", 10s) == poll_phase("license-a", 10s));
    CHECK(poll_phase("license-a", 10s) != poll_phase("license-b", 10s));
    for (const char* id : {"", "a", "license-a", "flexnet.example.com:27000"}) {
        CHECK(poll_phase(id, 10s) >= 0ms);
        CHECK(poll_phase(id, 10s) < 10s);
    }
    CHECK(poll_phase("license-a", 0ms) == 0ms);
}

TEST_CASE("a hundred servers' phases are spread over the interval") {
    // In tenths of the interval: an even spread puts 10 in each; a burst would put them in one.
    std::vector<int> per_tenth(10, 0);
    for (int i = 0; i < 100; ++i) {
        const std::string id = "server-" + std::to_string(i);
        ++per_tenth[static_cast<std::size_t>(poll_phase(id, 10s) / 1s)];
    }
    for (std::size_t tenth = 0; tenth < per_tenth.size(); ++tenth) {
        INFO("tenth " << tenth << " holds " << per_tenth[tenth]);
        CHECK(per_tenth[tenth] >= 3);
        CHECK(per_tenth[tenth] <= 20);
    }
}

TEST_CASE("after a success a server is next due at its phase, at least half an interval after "
          "its poll started and not before it ended") {
    using Clock = std::chrono::steady_clock;
    const auto interval = 10s;
    for (const auto phase : {0ms, 1ms, 2500ms, 5000ms, 9999ms})
        for (const auto started_ms : {0ms, 1ms, 4999ms, 5000ms, 123456789ms})
            for (const auto took : {0ms, 300ms, 4999ms, 7000ms, 12000ms}) {
                const Clock::time_point started(started_ms);
                const Clock::time_point ended = started + took;
                const Clock::time_point due = next_due_at_phase(started, ended, interval, phase);
                INFO("phase " << phase.count() << " ms, started at " << started_ms.count()
                              << " ms, took " << took.count() << " ms");
                CHECK(due - started >= interval / 2);
                CHECK(due >= ended);
                CHECK(due < std::max(started + interval / 2, ended) + interval);
                CHECK(due.time_since_epoch() % interval == phase);
            }
    // A poll that started at its phase and took less than the interval: the same phase, one
    // interval on, so the cadence does not drift by the polls' durations.
    const Clock::time_point at_phase(3 * interval + 2500ms);
    for (const auto took : {300ms, 4900ms, 7000ms, 9900ms}) {
        INFO("took " << took.count() << " ms");
        CHECK(next_due_at_phase(at_phase, at_phase + took, interval, 2500ms) ==
              at_phase + interval);
    }
    // One that took longer than the interval: the first phase after it ended.
    CHECK(next_due_at_phase(at_phase, at_phase + 12s, interval, 2500ms) == at_phase + 2 * interval);
}

TEST_CASE("servers polled at once at the start poll next spread over their interval") {
    using Clock = std::chrono::steady_clock;
    constexpr int server_count = 20;
    const std::chrono::milliseconds interval = 1s; // not seconds: interval / 2 must not round to 0
    std::mutex mutex;
    std::map<std::string, std::vector<Clock::time_point>> starts; // guarded by mutex
    std::vector<PollTarget> targets;
    for (int i = 0; i < server_count; ++i)
        targets.push_back({"server-" + std::to_string(i), interval, [&, i](int64_t) {
                               std::lock_guard lock(mutex);
                               starts["server-" + std::to_string(i)].push_back(Clock::now());
                               return ok_snapshot();
                           }});
    PollScheduler scheduler(
        std::move(targets), [](const PollSnapshot&) {}, 4);
    scheduler.start();
    CHECK(eventually([&] {
        std::lock_guard lock(mutex);
        return starts.size() == server_count &&
               std::all_of(starts.begin(), starts.end(),
                           [](const auto& server) { return server.second.size() >= 2; });
    }));
    scheduler.stop();

    Clock::time_point first_second_poll = Clock::time_point::max();
    Clock::time_point last_second_poll = Clock::time_point::min();
    for (const auto& [id, times] : starts) {
        REQUIRE(times.size() >= 2);
        INFO(id);
        CHECK(times[1] - times[0] >= interval / 2);
        first_second_poll = std::min(first_second_poll, times[1]);
        last_second_poll = std::max(last_second_poll, times[1]);
    }
    // Their first polls ran together; without phases their second would too (within the few
    // milliseconds the first round took), while twenty phases leave no gap near half the
    // interval.
    CHECK(last_second_poll - first_second_poll >= interval / 2);
}

TEST_CASE("one slow server does not delay the others") {
    std::promise<void> fast_done;
    std::shared_future<void> fast_finished = fast_done.get_future().share();
    std::atomic<bool> slow_saw_fast{false};
    std::vector<PollTarget> targets;
    targets.push_back({"slow", 1s, [&](int64_t) {
                           // Finishes only once the fast server was polled meanwhile.
                           slow_saw_fast = fast_finished.wait_for(5s) == std::future_status::ready;
                           return ok_snapshot();
                       }});
    targets.push_back({"fast", 1s, [&](int64_t) {
                           fast_done.set_value();
                           return ok_snapshot();
                       }});
    std::vector<std::string> seen;
    std::mutex seen_mutex;
    PollScheduler scheduler(std::move(targets), [&](const PollSnapshot& s) {
        std::lock_guard lock(seen_mutex);
        seen.push_back(s.server_id);
    });
    scheduler.poll_all_once();
    CHECK(slow_saw_fast); // the fast poll finished while the slow one was still running
    std::sort(seen.begin(), seen.end());
    CHECK(seen == std::vector<std::string>{"fast", "slow"});
}

TEST_CASE("the loop polls each server repeatedly and counts failures") {
    std::atomic<int> good_polls{0};
    std::atomic<int> bad_polls{0};
    std::vector<PollTarget> targets;
    targets.push_back({"good", 10ms, [&](int64_t poll_time) {
                           CHECK(poll_time > 1700000000); // a wall-clock time, in seconds
                           ++good_polls;
                           return ok_snapshot();
                       }});
    targets.push_back({"bad", 10ms, [&](int64_t) {
                           ++bad_polls;
                           return failed_snapshot();
                       }});
    PollScheduler scheduler(
        std::move(targets), [](const PollSnapshot&) {}, 2, 40ms);
    scheduler.start();
    CHECK(eventually([&] { return good_polls >= 5 && bad_polls >= 3; }));
    scheduler.stop();

    const auto stats = scheduler.stats();
    REQUIRE(stats.size() == 2);
    CHECK(stats[0].last_ok);
    CHECK(stats[0].failures == 0);
    CHECK_FALSE(stats[1].last_ok);
    CHECK(stats[1].failures == stats[1].polls);
    CHECK(stats[1].consecutive_failures >= 3);
    CHECK(stats[1].last_error == "lmutil timed out");
    // Backoff: the failing server was polled less often than the healthy one.
    CHECK(stats[1].polls < stats[0].polls);
    const int after_stop = good_polls;
    std::this_thread::sleep_for(50ms);
    CHECK(good_polls == after_stop);
}

TEST_CASE("a target added while running is polled; a removed one only after its poll ended") {
    std::atomic<int> added_polls{0};
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    std::atomic<bool> slow_polling{false};
    std::atomic<int> slow_polls{0};
    std::vector<PollTarget> targets;
    targets.push_back({"slow", 10ms, [&](int64_t) {
                           ++slow_polls;
                           slow_polling = true;
                           released.wait();
                           slow_polling = false;
                           return ok_snapshot();
                       }});
    PollScheduler scheduler(
        std::move(targets), [](const PollSnapshot&) {}, 2);
    scheduler.start();
    scheduler.add({"added", 10ms, [&](int64_t) {
                       ++added_polls;
                       return ok_snapshot();
                   }});
    CHECK(eventually([&] { return added_polls >= 2 && slow_polling; }));

    auto removed = std::async(std::launch::async, [&] { scheduler.remove("slow"); });
    CHECK(removed.wait_for(200ms) == std::future_status::timeout); // its poll is in flight
    release.set_value();
    REQUIRE(removed.wait_for(5s) == std::future_status::ready);
    CHECK_FALSE(slow_polling); // the poll had ended when remove() returned
    const int polls_at_removal = slow_polls;
    CHECK(eventually([&] { return added_polls >= 5; }));
    CHECK(slow_polls == polls_at_removal); // never polled again
    const auto stats = scheduler.stats();
    REQUIRE(stats.size() == 1);
    CHECK(stats[0].id == "added");
}

TEST_CASE("stop waits a bounded time and names the polls that did not return") {
    std::atomic<bool> hang{true};
    std::atomic<bool> polling{false};
    std::vector<PollTarget> targets;
    targets.push_back({"stuck", 10ms, [&](int64_t) {
                           polling = true;
                           while (hang)
                               std::this_thread::sleep_for(5ms);
                           return ok_snapshot();
                       }});
    targets.push_back({"fine", 10ms, [](int64_t) { return ok_snapshot(); }});
    PollScheduler scheduler(
        std::move(targets), [](const PollSnapshot&) {}, 2);
    scheduler.start();
    REQUIRE(eventually([&] { return bool(polling); }));
    const auto start = std::chrono::steady_clock::now();
    CHECK(scheduler.stop(300ms) == std::vector<std::string>{"stuck"});
    CHECK(std::chrono::steady_clock::now() - start < 5s);
    hang = false; // the abandoned thread ends; the destructor waits for it
}

TEST_CASE("the heartbeat beats while the loop is healthy and stops once a poll is stuck") {
    std::atomic<bool> hang{false};
    std::atomic<int> beats{0};
    std::vector<PollTarget> targets;
    targets.push_back({"tool", 10ms,
                       [&](int64_t) {
                           while (hang)
                               std::this_thread::sleep_for(5ms);
                           return ok_snapshot();
                       },
                       200ms});
    PollScheduler scheduler(
        std::move(targets), [](const PollSnapshot&) {}, 1);
    scheduler.set_heartbeat(20ms, [&] { ++beats; });
    scheduler.start();
    CHECK(eventually([&] { return beats >= 3; }));
    hang = true;
    std::this_thread::sleep_for(500ms); // the poll is past its stuck_after
    const int stuck_beats = beats;
    std::this_thread::sleep_for(200ms);
    CHECK(beats == stuck_beats);
    hang = false;
    CHECK(eventually([&] { return beats > stuck_beats; })); // healthy again
    scheduler.stop();
}
