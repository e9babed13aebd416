// The audit log, agent activity, saved projects, and one Store shared by several threads.
#include "store_fixture.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <catch2/catch.hpp>
#include <thread>

using namespace lmharvest;

namespace {

Action close_action(int64_t time, std::string user) {
    Action a;
    a.time = time;
    a.actor = "operator:alice";
    a.kind = "close";
    a.dry_run = true;
    a.server = "eng";
    a.session_id = 17;
    a.user = std::move(user);
    a.feature = "MATLAB";
    a.policy_json = R"({"threshold":0.8})";
    a.steps_json = R"([{"step":"release","ok":true}])";
    a.outcome = "done";
    a.message = "released";
    return a;
}

} // namespace

TEST_CASE("actions are appended and read back newest first") {
    StoreOnTempFile s;
    const int64_t first = s.store->append_action(close_action(1000, "bob"));
    Action harvest = close_action(1100, "carol");
    harvest.actor = "harvester";
    harvest.kind = "harvest";
    harvest.dry_run = false;
    harvest.session_id.reset();
    const int64_t second = s.store->append_action(harvest);
    CHECK(second > first);

    auto actions = s.store->actions(10);
    REQUIRE(actions.size() == 2);
    CHECK(actions[0].id == second);
    CHECK(actions[0].actor == "harvester");
    CHECK_FALSE(actions[0].dry_run);
    CHECK_FALSE(actions[0].session_id.has_value());
    const Action& bob = actions[1];
    CHECK(bob.time == 1000);
    CHECK(bob.kind == "close");
    CHECK(bob.dry_run);
    CHECK(bob.server == "eng");
    CHECK(bob.session_id == 17);
    CHECK(bob.user == "bob");
    CHECK(bob.feature == "MATLAB");
    CHECK(bob.policy_json == R"({"threshold":0.8})");
    CHECK(bob.steps_json == R"([{"step":"release","ok":true}])");
    CHECK(bob.outcome == "done");
    CHECK(bob.message == "released");
    CHECK(s.store->actions(1).size() == 1);
}

TEST_CASE("the action log refuses updates and deletes even from raw SQL") {
    StoreOnTempFile s;
    s.store->append_action(close_action(1000, "bob"));
    SQLite::Database db(s.file, SQLite::OPEN_READWRITE);
    CHECK_THROWS_WITH(db.exec("UPDATE actions SET outcome = 'forged'"),
                      Catch::Contains("append-only"));
    CHECK_THROWS_WITH(db.exec("DELETE FROM actions"), Catch::Contains("append-only"));
    CHECK(s.store->actions(10).at(0).outcome == "done");
}

TEST_CASE("activity is kept per user, host, display and application") {
    StoreOnTempFile s;
    s.store->upsert_activity({"alice", "pc1", ":0", "matlab", "MATLAB", 1000});
    s.store->upsert_activity({"alice", "pc1", ":0", "arcgis", "ARC/INFO", 1010});
    s.store->upsert_activity({"alice", "pc2", ":0", "matlab", "MATLAB", 1020});
    s.store->upsert_activity({"alice", "pc1", ":0", "matlab", "MATLAB", 1500});

    auto pc1 = s.store->activity_for("alice", "pc1");
    REQUIRE(pc1.size() == 2);
    CHECK(pc1[0].application == "arcgis");
    CHECK(pc1[0].feature == "ARC/INFO");
    CHECK(pc1[1].application == "matlab");
    CHECK(pc1[1].last_input_time == 1500);
    CHECK(s.store->activity_for("alice", "pc2").size() == 1);
    CHECK(s.store->activity_for("bob", "pc1").empty());
}

TEST_CASE("closed projects are listed per user, newest first") {
    StoreOnTempFile s;
    s.store->add_closed_project({0, "alice", "pc1", "matlab", "/home/alice/a.m", 1000});
    const int64_t newest =
        s.store->add_closed_project({0, "alice", "pc1", "arcgis", "/home/alice/map.aprx", 1200});
    s.store->add_closed_project({0, "bob", "pc2", "matlab", "/home/bob/b.m", 1300});

    auto alice = s.store->closed_projects("alice", 10);
    REQUIRE(alice.size() == 2);
    CHECK(alice[0].id == newest);
    CHECK(alice[0].path == "/home/alice/map.aprx");
    CHECK(alice[0].host == "pc1");
    CHECK(alice[0].application == "arcgis");
    CHECK(alice[1].saved_time == 1000);
    CHECK(s.store->closed_projects("alice", 1).size() == 1);
    CHECK(s.store->closed_projects("carol", 10).empty());
}

TEST_CASE("poll threads and a reader share one Store") {
    StoreOnTempFile s;
    constexpr int polls = 40;
    std::vector<std::thread> threads;
    for (const char* server : {"a", "b", "c"})
        threads.emplace_back([&s, server] {
            for (int poll = 1; poll <= polls; ++poll)
                s.record(make_snapshot(
                    server, poll, {make_session("u1", "F", poll), make_session("u2", "F", 0)}));
        });
    threads.emplace_back([&s] {
        for (int i = 0; i < polls; ++i) {
            s.store->usage_by_feature();
            s.store->open_sessions();
        }
    });
    for (std::thread& thread : threads)
        thread.join();

    CHECK(s.store->open_sessions().size() == 6);
    // u1 checked out anew at every poll: every poll but the last closed one of them.
    CHECK(s.store->session_history(0, polls + 1, 1000).size() == 3 * (polls - 1));
    for (const FeatureUse& use : s.store->usage_by_feature())
        CHECK(use.sessions == 2);
}
