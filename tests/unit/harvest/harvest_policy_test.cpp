// The harvest policy as a table: pools, sessions and agents' apps in, decisions and reasons out.
#include "policy_fixture.hpp"

#include <catch2/catch.hpp>
#include <lmharvest/records.h>

using namespace lmharvest;
using namespace std::chrono_literals;

TEST_CASE("the 100/10/3 examples: keep 20 free of 100, 2 of 10, 1 of 3") {
    struct Row {
        int64_t total, used;
        int64_t target;
        size_t closes;
    };
    for (const Row& row :
         {Row{100, 100, 80, 20}, Row{10, 10, 8, 2}, Row{3, 3, 2, 1}, Row{3, 2, 2, 0}}) {
        CAPTURE(row.total, row.used);
        Scenario s;
        s.usage.total = row.total;
        s.usage.used = row.used;
        s.harvest.max_closes_per_cycle = 100;
        s.idle_sessions(static_cast<int>(row.used));
        const auto plan = s.plan();
        REQUIRE(plan.size() == static_cast<size_t>(row.used));
        CHECK(closed_ids(plan).size() == row.closes);
        for (const PlanEntry& e : plan)
            CHECK(e.target == row.target);
        // the longest idle go first: un, un-1, ...
        for (size_t i = 0; i < row.closes; ++i)
            CHECK(plan[i].session_id == row.used - static_cast<int64_t>(i));
        if (row.closes == 0)
            CHECK(plan[0].reason ==
                  "idle 32 min > 20 min, but used 2 <= target 2: nothing to free");
    }
}

TEST_CASE("a close names the idle time and the figures; those after the target is met stay") {
    Scenario s;
    s.idle_sessions(10);
    const auto plan = s.plan();
    CHECK(plan[0].reason == "idle 40 min > 20 min, used 10 > target 8");
    CHECK(plan[0].idle_s == 40 * minute);
    CHECK(plan[0].close);
    CHECK(plan[0].method == "save_and_close");
    CHECK(plan[0].on_no_handler == "skip");
    CHECK(plan[1].reason == "idle 39 min > 20 min, used 9 > target 8");
    CHECK(plan[2].reason == "idle 38 min > 20 min, but used 8 <= target 8: nothing to free");
    CHECK_FALSE(plan[2].close);
}

TEST_CASE("equal idle times: the oldest checkout goes first") {
    Scenario s;
    s.usage = usage_of(3, 3);
    for (int64_t id : {1, 2, 3}) {
        s.sessions.push_back(pool_session(id, "u" + std::to_string(id), 1, now - 7200 + id * 60));
        s.apps.push_back(matlab_app("u" + std::to_string(id), 45));
    }
    s.sessions[1].session.checkout_time = now - 9000; // u2 checked out first
    CHECK(closed_ids(s.plan()) == std::vector<int64_t>{2});
}

TEST_CASE("token counts: a session of count 3 frees 3 and is taken even when 2 would do") {
    Scenario s;
    s.usage = usage_of(10, 10);
    s.sessions = {pool_session(1, "big", 3), pool_session(2, "a"), pool_session(3, "b")};
    s.apps = {matlab_app("big", 60), matlab_app("a", 50), matlab_app("b", 40)};
    const auto plan = s.plan();
    CHECK(closed_ids(plan) == std::vector<int64_t>{1});
    CHECK(entry_of(plan, 2).reason ==
          "idle 50 min > 20 min, but used 7 <= target 8: nothing to free");
}

TEST_CASE("token counts: closing stops as soon as the counts reach the target") {
    Scenario s;
    s.usage = usage_of(10, 10);
    s.sessions = {pool_session(1, "a"), pool_session(2, "b", 2), pool_session(3, "c")};
    s.apps = {matlab_app("a", 60), matlab_app("b", 50), matlab_app("c", 40)};
    CHECK(closed_ids(s.plan()) == std::vector<int64_t>{1, 2});
}

TEST_CASE("a close under way counts as freed: the next plans close nobody else for it") {
    Scenario s;
    s.usage = usage_of(10, 10); // target 8: two to free
    s.sessions = {pool_session(1, "a"), pool_session(2, "b"), pool_session(3, "c")};
    s.apps = {matlab_app("a", 60), matlab_app("b", 50), matlab_app("c", 40)};
    s.closing = {1};
    CHECK(closed_ids(s.plan()) == std::vector<int64_t>{2});
    s.closing = {1, 2};
    const auto plan = s.plan();
    CHECK(closed_ids(plan).empty());
    CHECK(plan[0].reason == "idle 40 min > 20 min, but used 8 <= target 8: nothing to free");
}

TEST_CASE("never a candidate: each rule keeps a session that would otherwise be closed") {
    Scenario s;
    s.usage = usage_of(1, 1); // target 0: anything idle would go
    s.sessions = {pool_session(1, "alice")};
    s.apps = {matlab_app("alice", 60)};
    REQUIRE(closed_ids(s.plan()) == std::vector<int64_t>{1});
    auto reason = [&] {
        const auto plan = s.plan();
        REQUIRE(plan.size() == 1);
        CHECK_FALSE(plan[0].close);
        return plan[0].reason;
    };
    SECTION("excluded user") {
        s.harvest.exclude_users = {"alice"};
        CHECK(reason() == "excluded user alice");
    }
    SECTION("excluded group") {
        s.groups["build"] = {"bob", "alice"};
        s.harvest.exclude_groups = {"build"};
        CHECK(reason() == "excluded group build");
    }
    SECTION("excluded host, by its FQDN") {
        s.harvest.exclude_hosts = {"ALICE-pc.corp.example"};
        CHECK(reason() == "excluded host ALICE-pc.corp.example");
    }
    SECTION("a rule with enabled = false") {
        HarvestRule rule;
        rule.features = {"MAT*"};
        rule.users = {"alice"};
        rule.enabled = false;
        HarvestRule other;
        other.features = {"OTHER"};
        s.harvest.rules = {other, rule};
        CHECK(reason() == "harvest.rules[1] has enabled = false");
    }
    SECTION("younger than min_session_age") {
        s.sessions[0].session.checkout_time = now - 4 * minute;
        CHECK(reason() == "younger than min_session_age 5 min");
    }
    SECTION("no activity data: no agent") {
        s.apps.clear();
        CHECK(reason() == "no activity data");
    }
    SECTION("no activity data: an app of the same user on another host") {
        s.apps[0].host = "alice-laptop.corp.example";
        CHECK(reason() == "no activity data");
    }
    SECTION("no activity data: an app that does not use the feature") {
        s.apps[0].features = {"Simulink"};
        CHECK(reason() == "no activity data");
    }
    SECTION("no activity data: an app that names no feature matches no session") {
        s.apps[0].features.clear();
        CHECK(reason() == "no activity data");
    }
    SECTION("no activity data: the agent is silent for more than 3 report intervals") {
        s.apps[0].report_time = now - 181;
        CHECK(reason() == "no activity data: agent alice-pc:1000 silent for 3 min");
    }
    SECTION("no activity data: the app reports no input time") {
        s.apps[0].focus_idle_s.reset();
        CHECK(reason() == "no activity data: matlab reports no input time");
    }
    SECTION("busy: cpu at or above busy_cpu") {
        s.apps[0].cpu_percent = 37.2;
        CHECK(reason() == "busy: matlab cpu 37 %");
    }
    SECTION("busy: the handler says a job runs") {
        s.apps[0].busy = true;
        CHECK(reason() == "busy: matlab handler says a job runs");
    }
    SECTION("not idle: input within max_idle") {
        s.apps[0].focus_idle_s = 3 * minute;
        CHECK(reason() == "not idle: matlab input 3 min ago");
    }
    SECTION("the same license active through another app on the same host") {
        AppActivity simulink = matlab_app("alice", 2);
        simulink.app = "simulink";
        simulink.pid = 5000;
        s.apps.push_back(simulink);
        CHECK(reason() == "not idle: simulink input 2 min ago");
    }
    SECTION("borrowed") {
        s.sessions[0].session.borrow_expiry = now + 86400;
        CHECK(reason() == "borrowed: cannot be removed");
    }
    SECTION("lingering") {
        s.sessions[0].session.linger_seconds = 600;
        CHECK(reason() == "lingering: cannot be removed");
    }
    SECTION("a close already under way") {
        s.closing = {1};
        CHECK(reason() == "close already under way");
    }
    SECTION("max_closes_per_cycle") {
        s.harvest.max_closes_per_cycle = 0;
        CHECK(reason() == "idle 60 min > 20 min, but max_closes_per_cycle 0 reached");
    }
}

TEST_CASE("the licenses of closes under way count as freed: no second round of closes") {
    Scenario s;
    s.idle_sessions(10); // 10 of 10 in use, target 8: two to free
    s.closing = {10};    // the longest idle is being saved and closed since the last poll
    const auto plan = s.plan();
    CHECK(closed_ids(plan) == std::vector<int64_t>{9});
    CHECK(entry_of(plan, 9).reason == "idle 39 min > 20 min, used 9 > target 8");
    CHECK(entry_of(plan, 8).reason ==
          "idle 38 min > 20 min, but used 8 <= target 8: nothing to free");
    s.closing = {10, 9};
    CHECK(closed_ids(s.plan()).empty());
}

TEST_CASE("max_closes_per_cycle stops the closes before the target") {
    Scenario s;
    s.usage.total = 100;
    s.usage.used = 100;
    s.idle_sessions(100);
    s.harvest.max_closes_per_cycle = 5;
    CHECK(closed_ids(s.plan()) == std::vector<int64_t>{100, 99, 98, 97, 96});
}

TEST_CASE("the display names the host when the session's host does not match") {
    Scenario s;
    s.usage = usage_of(1, 1);
    s.sessions = {pool_session(1, "alice")};
    s.sessions[0].session.host = "10.1.2.3";
    s.sessions[0].session.display = "alice-pc:0.0";
    s.apps = {matlab_app("ALICE", 60)}; // the user's case differs too
    CHECK(closed_ids(s.plan()) == std::vector<int64_t>{1});
}

TEST_CASE("uncounted and unlimited pools are never harvested") {
    Scenario s;
    s.idle_sessions(3);
    SECTION("uncounted") {
        s.usage.total.reset();
        const auto plan = s.plan();
        CHECK(closed_ids(plan).empty());
        CHECK(plan[0].reason == "uncounted: never harvested");
        CHECK_FALSE(plan[0].target.has_value());
    }
    SECTION("unlimited") {
        s.usage.total = 2147483647;
        s.usage.flags = LH_FEATURE_UNLIMITED;
        CHECK(s.plan()[0].reason == "unlimited: never harvested");
    }
}

TEST_CASE("rules: the most specific decides max_idle and method; the pool's threshold") {
    Scenario s;
    s.usage = usage_of(4, 4);
    s.groups["gis"] = {"alice"};
    s.sessions = {pool_session(1, "alice"), pool_session(2, "bob"), pool_session(3, "carol"),
                  pool_session(4, "dave")};
    s.apps = {matlab_app("alice", 15), matlab_app("bob", 15), matlab_app("carol", 70),
              matlab_app("dave", 65)};
    HarvestRule pool_rule; // features only: sets the pool's threshold
    pool_rule.features = {"MATLAB"};
    pool_rule.threshold = 0.5;
    HarvestRule gis_rule; // more specific: shorter max_idle, another method
    gis_rule.features = {"MAT*"};
    gis_rule.groups = {"gis"};
    gis_rule.max_idle = 10min;
    gis_rule.method = "release";
    s.harvest.rules = {pool_rule, gis_rule};
    s.harvest.on_no_handler = OnNoHandler::release;
    const auto plan = s.plan();
    CHECK(plan[0].target == 2); // floor(0.5 x 4)
    CHECK(closed_ids(plan) == std::vector<int64_t>{3, 4});
    const PlanEntry& alice = entry_of(plan, 1);
    CHECK(alice.reason == "idle 15 min > 10 min, but used 2 <= target 2: nothing to free");
    CHECK(alice.rule_index == 1);
    CHECK(alice.method == "release");
    CHECK(alice.on_no_handler == "release");
    CHECK(entry_of(plan, 2).reason == "not idle: matlab input 15 min ago");
    CHECK(entry_of(plan, 3).rule_index == 0);
    CHECK(entry_of(plan, 3).method == "save_and_close");
}

TEST_CASE("a threshold like 0.7 of 10 keeps the target at 7") {
    Scenario s;
    s.harvest.threshold = 0.7;
    s.idle_sessions(10);
    CHECK(s.plan()[0].target == 7);
    CHECK(closed_ids(s.plan()).size() == 3);
}

TEST_CASE("trigger: demand frees one license per waiting user, whatever the threshold") {
    Scenario s;
    s.usage = usage_of(10, 5); // 50 %: the threshold alone frees nothing
    s.idle_sessions(5);
    s.harvest.trigger = Trigger::demand;
    SECTION("two users waiting: the two longest idle go") {
        const ActivityIndex index(s.apps);
        const PolicyContext context{s.harvest, s.groups, index, {}, now};
        const auto result = plan_pool({"eng", s.usage, s.sessions, 2}, context);
        CHECK(closed_ids(result) == std::vector<int64_t>{5, 4});
        CHECK(result[0].reason == "idle 35 min > 20 min, 2 waiting, 0 freed");
        CHECK(result[0].waiting == 2);
        CHECK(result[2].reason == "idle 33 min > 20 min, but 2 waiting, 2 freed: nothing to free");
    }
    SECTION("nobody waiting: nothing is freed") {
        CHECK(closed_ids(s.plan()).empty());
        CHECK(s.plan()[0].reason ==
              "idle 35 min > 20 min, but 0 waiting, 0 freed: nothing to free");
    }
}

TEST_CASE("trigger: threshold+demand frees the larger of the two needs") {
    Scenario s;
    s.idle_sessions(10); // 10 of 10: the threshold needs 2
    s.harvest.trigger = Trigger::threshold_and_demand;
    const ActivityIndex index(s.apps);
    const PolicyContext context{s.harvest, s.groups, index, {}, now};
    CHECK(closed_ids(plan_pool({"eng", s.usage, s.sessions, 1}, context)).size() == 2);
    const auto plan = plan_pool({"eng", s.usage, s.sessions, 4}, context);
    CHECK(closed_ids(plan).size() == 4);
    CHECK(plan[0].reason == "idle 40 min > 20 min, used 10 > target 8, 4 waiting, 0 freed");
    CHECK(plan[3].reason == "idle 37 min > 20 min, used 7 <= target 8, 4 waiting, 3 freed");
}
