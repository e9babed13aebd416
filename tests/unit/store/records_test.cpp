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

TEST_CASE("an action's steps come back in order with it, and are append-only too") {
    StoreOnTempFile s;
    const int64_t first = s.store->append_action(close_action(1000, "bob"));
    const int64_t second = s.store->append_action(close_action(1001, "ann"));
    s.store->append_action_step({first, 1000, "start", "started", "save_and_close", "{}"});
    s.store->append_action_step({second, 1001, "start", "started", "release", "{}"});
    s.store->append_action_step({first, 1130, "agent_result", "agent_timeout", "no answer", "{}"});
    const auto actions = s.store->actions(10);
    REQUIRE(actions.size() == 2);
    REQUIRE(actions[1].steps.size() == 2);
    CHECK(actions[1].steps[0].step == "start");
    CHECK(actions[1].steps[1].outcome == "agent_timeout");
    CHECK(actions[1].steps[1].time == 1130);
    CHECK(actions[0].steps.size() == 1);
    SQLite::Database db(s.file, SQLite::OPEN_READWRITE);
    CHECK_THROWS_WITH(db.exec("UPDATE action_steps SET outcome = 'released'"),
                      Catch::Contains("append-only"));
    CHECK_THROWS_WITH(db.exec("DELETE FROM action_steps"), Catch::Contains("append-only"));
}

namespace {

AppActivity app(std::string agent, std::string name, int64_t pid, int64_t report_time) {
    AppActivity a;
    a.agent = std::move(agent);
    a.app = std::move(name);
    a.pid = pid;
    a.host = "ws-031.corp";
    a.user = "jberg";
    a.display = ":0";
    a.features = {"MATLAB", "Signal_Toolbox"};
    a.focus_idle_s = 1500;
    a.cpu_percent = 0.4;
    a.handler = "matlab";
    a.methods = {"save_and_close", "notify"};
    a.report_time = report_time;
    a.report_interval_s = 60;
    return a;
}

} // namespace

TEST_CASE("an agent's report replaces its apps whole, and keeps every field") {
    StoreOnTempFile s;
    s.store->replace_agent_activity("ws-031:1000", {app("ws-031:1000", "matlab", 4242, 1000),
                                                    app("ws-031:1000", "arcgis", 4300, 1000)});
    s.store->replace_agent_activity("ws-040:1001", {app("ws-040:1001", "matlab", 77, 1000)});
    AppActivity unknown_input = app("ws-031:1000", "matlab", 4242, 1060);
    unknown_input.focus_idle_s.reset();
    unknown_input.busy = true;
    s.store->replace_agent_activity("ws-031:1000", {unknown_input}); // arcgis has ended

    const auto apps = s.store->activity();
    REQUIRE(apps.size() == 2);
    const AppActivity& a = apps[0];
    CHECK(a.agent == "ws-031:1000");
    CHECK(a.app == "matlab");
    CHECK(a.pid == 4242);
    CHECK(a.host == "ws-031.corp");
    CHECK(a.display == ":0");
    CHECK(a.features == std::vector<std::string>{"MATLAB", "Signal_Toolbox"});
    CHECK_FALSE(a.focus_idle_s.has_value());
    CHECK(a.cpu_percent == Approx(0.4));
    CHECK(a.busy);
    CHECK(a.handler == "matlab");
    CHECK(a.methods == std::vector<std::string>{"save_and_close", "notify"});
    CHECK(a.report_time == 1060);
    CHECK(apps[1].agent == "ws-040:1001");
    CHECK(apps[1].focus_idle_s == 1500);
}

TEST_CASE("an agent's report keeps the agent's row, also with no app, and each executable") {
    StoreOnTempFile s;
    AgentRecord agent;
    agent.agent = "ws-031.corp:1000";
    agent.host = "ws-031.corp";
    agent.user = "jberg";
    agent.display = ":0";
    agent.token = "ws-agents";
    agent.agent_time = 990;
    agent.input_idle_s = 30;
    agent.report_time = 1000;
    agent.report_interval_s = 60;
    AppActivity matlab = app(agent.agent, "matlab", 4242, 1000);
    matlab.executable = "/opt/matlab/bin/MATLAB";
    s.store->save_agent_report(agent, {matlab});
    REQUIRE(s.store->activity().size() == 1);
    CHECK(s.store->activity()[0].executable == "/opt/matlab/bin/MATLAB");

    agent.report_time = 1060;
    agent.input_idle_s.reset();
    s.store->save_agent_report(agent, {}); // matlab has ended; the agent still reports
    CHECK(s.store->activity().empty());
    const auto agents = s.store->agents();
    REQUIRE(agents.size() == 1);
    CHECK(agents[0].agent == "ws-031.corp:1000");
    CHECK(agents[0].user == "jberg");
    CHECK(agents[0].token == "ws-agents");
    CHECK(agents[0].agent_time == 990);
    CHECK_FALSE(agents[0].input_idle_s.has_value());
    CHECK(agents[0].report_time == 1060);
    CHECK(s.store->agent("ws-031.corp:1000").has_value());
    CHECK_FALSE(s.store->agent("ws-040:1000").has_value());
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
