// Telling users denied a license that one is free: a real store file, a real mailbox, the planner.
#include "harvest/denied_notifier.hpp"
#include "harvest/planner.hpp"
#include "policy_fixture.hpp"
#include "store_fixture.hpp"

#include <catch2/catch.hpp>
#include <lmharvest/records.h>

using namespace lmharvest;
using namespace std::chrono_literals;

namespace {

struct NotifyScene {
    StoreOnTempFile s;
    Config config;
    AgentMailbox mailbox;
    DeniedNotifier notifier{*s.store, mailbox};
    int64_t clock = now;
    Planner planner{*s.store,
                    [this] { return std::shared_ptr<const Config>(&config, [](const Config*) {}); },
                    [this] { return clock; }, nullptr, &notifier};

    NotifyScene() {
        agent("zoe-pc:1000", "zoe-pc", "zoe");
        agent("lab-3:1000", "lab-3", "ZOE"); // her second workstation; the case differs
        agent("ann-pc:1000", "ann-pc", "ann");
    }
    void agent(const std::string& id, const std::string& host, const std::string& user) {
        AgentRecord a;
        a.agent = id;
        a.host = host;
        a.user = user;
        a.report_time = now;
        s.store->save_agent_report(a, {});
    }
    /// A poll of ARC/INFO, 2 licenses, `used` in use (ann holds one), with these denials; then
    /// the planner's pass over it, a minute later each time.
    void poll(int64_t used, std::vector<std::string> denied = {}) {
        clock += minute;
        PollSnapshot snapshot = make_snapshot("eng", clock, {});
        FeatureUsage usage = usage_of(2, used);
        usage.name = "ARC/INFO";
        snapshot.features.push_back(usage);
        for (int64_t i = 0; i < used; ++i)
            snapshot.sessions.push_back(
                make_session(i == 0 ? "ann" : "bob", "ARC/INFO", now - 3600));
        for (const std::string& user : denied)
            snapshot.denials.push_back(
                {LH_DENIAL_DENIED, "MLM", "ARC/INFO", user, "pc", "no licenses", clock, 1});
        s.record(snapshot);
        planner.plan_server("eng");
    }
    std::vector<AgentCommand> commands(const std::string& agent) {
        return mailbox.take(agent, 0ms);
    }
    std::vector<Action> notify_actions() const {
        std::vector<Action> found;
        for (const Action& a : s.store->actions(100))
            if (a.kind == "notify")
                found.push_back(a);
        return found;
    }
};

} // namespace

TEST_CASE("a denied user gets one notify on each agent when a license is free, once") {
    NotifyScene scene;
    scene.poll(2, {"zoe", "zoe", "ann"}); // full: nobody told yet
    CHECK(scene.commands("zoe-pc:1000").empty());
    CHECK(scene.notifier.notices().empty());

    scene.poll(1, {"zoe"}); // a license is free; zoe denied again meanwhile
    for (const char* agent : {"zoe-pc:1000", "lab-3:1000"}) {
        const auto commands = scene.commands(agent);
        REQUIRE(commands.size() == 1);
        CHECK(commands[0].kind == "notify");
        CHECK(commands[0].features == std::vector<std::string>{"ARC/INFO"});
        CHECK(commands[0].text == "A license for ARC/INFO is free now");
        CHECK(commands[0].reason == "ARC/INFO (MLM) on eng: 1 of 2 in use");
    }
    CHECK(scene.commands("ann-pc:1000").empty()); // ann holds a session: served
    const auto actions = scene.notify_actions();
    REQUIRE(actions.size() == 1);
    CHECK(actions[0].user == "zoe");
    CHECK(actions[0].feature == "ARC/INFO");
    CHECK(actions[0].actor == "harvester");
    CHECK(actions[0].outcome == "posted");

    scene.poll(1, {"zoe"}); // still free: no storm
    scene.poll(1);
    CHECK(scene.commands("zoe-pc:1000").empty());
    CHECK(scene.commands("lab-3:1000").empty());
    CHECK(scene.notify_actions().size() == 1);
}

TEST_CASE("a pool full again and then free again notifies again") {
    NotifyScene scene;
    scene.poll(1, {"zoe"});
    CHECK(scene.commands("zoe-pc:1000").size() == 1);
    scene.poll(1);
    CHECK(scene.commands("zoe-pc:1000").empty());
    scene.poll(2); // full: the next free-up is a new one
    CHECK(scene.commands("zoe-pc:1000").empty());
    scene.poll(1);
    CHECK(scene.commands("zoe-pc:1000").size() == 1);
    CHECK(scene.notify_actions().size() == 2);
}

TEST_CASE("a user without an agent is listed, not notified; the told ones are listed too") {
    NotifyScene scene;
    scene.poll(1, {"max", "zoe", "ann"});
    const auto notices = scene.notifier.notices();
    REQUIRE(notices.size() == 2); // ann is served
    const auto of = [&notices](const std::string& user) {
        return *std::find_if(notices.begin(), notices.end(),
                             [&](const FreeLicenseNotice& n) { return n.user == user; });
    };
    const FreeLicenseNotice max = of("max");
    CHECK_FALSE(max.notified);
    CHECK(max.agents.empty());
    CHECK(max.server == "eng");
    CHECK(max.vendor == "MLM");
    CHECK(max.feature == "ARC/INFO");
    CHECK(max.since == now + minute);
    const FreeLicenseNotice zoe = of("zoe");
    CHECK(zoe.notified);
    CHECK(zoe.agents == std::vector<std::string>{"lab-3:1000", "zoe-pc:1000"});
    CHECK(scene.notify_actions().size() == 1); // max: nothing sent, nothing audited

    scene.poll(2); // full: no current free-up, nothing listed
    CHECK(scene.notifier.notices().empty());
}

TEST_CASE("denials older than notify_window are not notified") {
    NotifyScene scene;
    scene.config.harvest.notify_window = std::chrono::minutes(1);
    scene.poll(2, {"zoe"});
    scene.clock += 10 * minute;
    scene.poll(1);
    CHECK(scene.commands("zoe-pc:1000").empty());
    CHECK(scene.notifier.notices().empty());
}
