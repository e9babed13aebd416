// The planner on a real store file: pools per vendor and version, the stored plan, the audit.
#include "harvest/planner.hpp"
#include "policy_fixture.hpp"
#include "store_fixture.hpp"

#include <catch2/catch.hpp>
#include <lmharvest/records.h>

using namespace lmharvest;

namespace {

// MATLAB of two vendors, 2 of 2 in use each: target 1, so one of each pool can go.
PollSnapshot two_vendor_poll() {
    PollSnapshot snapshot = make_snapshot("eng", now, {});
    for (const char* vendor : {"MLM", "OTHER"}) {
        snapshot.features.push_back(usage_of(2, 2, vendor));
        for (const char* user : {"ann", "ben"}) {
            Session s = make_session(std::string(user) + "_" + vendor, "MATLAB", now - 3600);
            s.vendor = vendor;
            snapshot.sessions.push_back(s);
        }
    }
    return snapshot;
}

void report_idle(Store& store, const std::string& user, int64_t idle_minutes) {
    AppActivity app = matlab_app(user, idle_minutes);
    app.host = user + "-pc";
    store.replace_agent_activity(app.agent, {app});
}

// The planner asks for the config at each plan (a reload swaps it); here it is the test's own.
Planner::ConfigSource config_of(const Config& config) {
    return [&config] { return std::shared_ptr<const Config>(&config, [](const Config*) {}); };
}

struct PlannerScene {
    StoreOnTempFile s;
    Config config;
    PlannerScene() {
        s.record(two_vendor_poll());
        report_idle(*s.store, "ann_MLM", 50);
        report_idle(*s.store, "ben_MLM", 40);
        report_idle(*s.store, "ann_OTHER", 30);
        // ben_OTHER has no agent
    }
};

} // namespace

TEST_CASE("the planner plans each vendor's pool alone and stores the plan") {
    PlannerScene scene;
    Planner planner(*scene.s.store, config_of(scene.config), [] { return now; });
    planner.plan_server("eng");

    const auto plan = scene.s.store->harvest_plan("eng");
    REQUIRE(plan.size() == 4);
    CHECK(plan[0].vendor == "MLM");
    CHECK(plan[0].user == "ann_MLM");
    CHECK(plan[0].close);
    CHECK(plan[0].reason == "idle 50 min > 20 min, used 2 > target 1");
    CHECK(plan[1].reason == "idle 40 min > 20 min, but used 1 <= target 1: nothing to free");
    CHECK(plan[2].vendor == "OTHER");
    CHECK(plan[2].user == "ann_OTHER");
    CHECK(plan[2].close);
    CHECK(plan[3].user == "ben_OTHER");
    CHECK(plan[3].reason == "no activity data");
    CHECK(scene.s.store->harvest_plan({}, std::string("SIMULINK")).empty());
}

TEST_CASE("dry-run: each close decision is a dry-run action; closes nothing") {
    PlannerScene scene;
    {
        Planner planner(*scene.s.store, config_of(scene.config), [] { return now; });
        planner.wake("eng"); // on the planner's thread; the destructor finishes it
    }
    const auto actions = scene.s.store->actions(10);
    REQUIRE(actions.size() == 2);
    for (const Action& a : actions) {
        CHECK(a.dry_run);
        CHECK(a.actor == "harvester");
        CHECK(a.kind == "harvest");
        CHECK(a.outcome == "dry_run");
        CHECK(a.policy_json.find("\"target\":1") != std::string::npos);
    }
    CHECK(actions[1].message == "idle 50 min > 20 min, used 2 > target 1");
    CHECK(scene.s.store->open_sessions().size() == 4);
}

TEST_CASE("dry-run audits a close decision once, not again while the session stays idle") {
    PlannerScene scene;
    Planner planner(*scene.s.store, config_of(scene.config), [] { return now; });
    planner.plan_server("eng");
    planner.plan_server("eng");
    CHECK(scene.s.store->actions(10).size() == 2);
}

TEST_CASE("a planner without close sequences only stores the plan when dry_run is false") {
    PlannerScene scene;
    scene.config.harvest.dry_run = false;
    Planner planner(*scene.s.store, config_of(scene.config), [] { return now; });
    planner.plan_server("eng");
    CHECK(scene.s.store->harvest_plan("eng").size() == 4);
    CHECK(scene.s.store->actions(10).empty());
    CHECK(scene.s.store->open_sessions().size() == 4);
}

TEST_CASE("a session joins the pool of its version, else the only pool of its feature") {
    StoreOnTempFile s;
    PollSnapshot snapshot = make_snapshot("eng", now, {});
    FeatureUsage v52 = usage_of(1, 1);
    v52.name = "SIMULINK";
    v52.version = "v52"; // the feature line's version
    FeatureUsage v2 = usage_of(1, 1);
    v2.version = "2.0";
    FeatureUsage v3 = usage_of(1, 1);
    v3.version = "3.0";
    snapshot.features = {v52, v2, v3};
    Session simulink = make_session("sim", "SIMULINK", now - 3600);
    simulink.version = "v50"; // the checkout's version
    Session matlab2 = make_session("two", "MATLAB", now - 3600);
    matlab2.version = "2.0";
    Session matlab3 = make_session("three", "MATLAB", now - 3600);
    matlab3.version = "3.0";
    Session unknown = make_session("four", "MATLAB", now - 3600);
    unknown.version = "4.0"; // two versions could be meant: in no pool
    snapshot.sessions = {simulink, matlab2, matlab3, unknown};
    s.record(snapshot);
    Config config;
    Planner planner(*s.store, config_of(config), [] { return now; });
    const auto plan = planner.plan_server("eng");
    REQUIRE(plan.size() == 3);
    CHECK(plan[0].user == "two");
    CHECK(plan[0].version == "2.0");
    CHECK(plan[1].user == "three");
    CHECK(plan[1].version == "3.0");
    CHECK(plan[2].user == "sim");
    CHECK(plan[2].version == "v52");
}

TEST_CASE("trigger = demand: the planner counts the stored denials within notify_window") {
    StoreOnTempFile s;
    PollSnapshot snapshot = make_snapshot("eng", now, {});
    snapshot.features.push_back(usage_of(10, 2)); // far below the threshold
    for (const char* user : {"ann", "ben"})
        snapshot.sessions.push_back(make_session(user, "MATLAB", now - 3600));
    Denial recent{LH_DENIAL_DENIED, "MLM", "MATLAB", "zoe", "pc9", "no licenses", now - 600, 1};
    Denial old = recent;
    old.user = "yan";
    old.time = now - 7200; // outside the 60 min window
    snapshot.denials = {recent, old};
    s.record(snapshot);
    report_idle(*s.store, "ann", 50);
    report_idle(*s.store, "ben", 40);
    Config config;
    config.harvest.trigger = Trigger::demand;
    Planner planner(*s.store, config_of(config), [] { return now; });
    const auto plan = planner.plan_server("eng");
    REQUIRE(plan.size() == 2);
    CHECK(plan[0].user == "ann");
    CHECK(plan[0].close);
    CHECK(plan[0].waiting == 1);
    CHECK(plan[0].reason == "idle 50 min > 20 min, 1 waiting, 0 freed");
    CHECK_FALSE(plan[1].close);
}

TEST_CASE("with groups_from = \"nss\", exclude_groups takes the system's groups of the users") {
    StoreOnTempFile s;
    PollSnapshot snapshot = make_snapshot("eng", now, {});
    snapshot.features.push_back(usage_of(2, 2, "MLM"));
    for (const char* user : {"root", "nobody-lmharvest"}) {
        Session session = make_session(user, "MATLAB", now - 3600);
        session.vendor = "MLM";
        snapshot.sessions.push_back(session);
    }
    s.record(snapshot);
    Config config;
    config.harvest.exclude_groups = {"root"}; // root's primary group on every Linux system
    const auto reason_of = [&](const std::string& user) {
        Planner planner(*s.store, config_of(config), [] { return now; });
        for (const PlanEntry& entry : planner.plan_server("eng"))
            if (entry.user == user)
                return entry.reason;
        return std::string("no entry");
    };

    CHECK(reason_of("root") == "no activity data"); // [groups] has no group root
    config.host.groups_from = GroupsFrom::nss;
    CHECK(reason_of("root") == "excluded group root");
    CHECK(reason_of("nobody-lmharvest") == "no activity data"); // unknown to NSS
}
