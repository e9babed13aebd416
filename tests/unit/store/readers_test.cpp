// Reads never wait for a write: a poll's write is made to wait on a write transaction held
// open by another connection, and reads answer meanwhile with the last committed data.
#include "store_fixture.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

using namespace lmharvest;
using namespace std::chrono_literals;

TEST_CASE("reads answer while the store's writer waits inside a long write transaction") {
    StoreOnTempFile s;
    s.record(make_snapshot("eng", 1000, {make_session("alice", "MATLAB", 900)}));

    // Another writer holds the file's write lock, so the store's next poll waits inside
    // record_poll, holding the store's write mutex, until it is released.
    SQLite::Database other(s.file.string(), SQLite::OPEN_READWRITE);
    other.exec("BEGIN IMMEDIATE");
    other.exec("UPDATE servers SET error = 'held by the test'");
    std::atomic<bool> poll_done{false};
    std::thread poll([&] {
        s.record(make_snapshot(
            "eng", 1060,
            {make_session("alice", "MATLAB", 900), make_session("bob", "MATLAB", 1050)}));
        poll_done = true;
    });
    std::this_thread::sleep_for(300ms); // the poll is now waiting for the lock

    const auto started = std::chrono::steady_clock::now();
    const auto sessions = s.store->open_sessions();
    const auto servers = s.store->servers();
    const auto usage = s.store->usage_history({.from = 0, .to = 2000, .step = 60});
    const auto waited = std::chrono::steady_clock::now() - started;
    CHECK_FALSE(poll_done.load()); // the reads did not wait for the write to finish
    CHECK(waited < 2s);
    REQUIRE(sessions.size() == 1); // the last commit: only alice
    CHECK(sessions[0].session.user == "alice");
    CHECK(servers.size() == 1);

    other.exec("ROLLBACK");
    poll.join();
    CHECK(poll_done.load());
    CHECK(s.store->open_sessions().size() == 2); // the poll's write went through afterwards
}
