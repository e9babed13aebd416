#include "demo/scripted_workstations.hpp"

#include <catch2/catch.hpp>
#include <map>

using namespace lmharvest;

namespace {

SessionRecord session(int64_t id, std::string user, std::string host, std::string feature,
                      int64_t checkout_time) {
    SessionRecord record;
    record.id = id;
    record.server = "demo";
    record.session.feature = std::move(feature);
    record.session.user = std::move(user);
    record.session.host = std::move(host);
    record.session.checkout_time = checkout_time;
    return record;
}

// The first user name of the form "userN" with `habit`, so the test does not depend on which
// names the hash happens to sort where.
std::string user_with(ScriptedHabit habit) {
    for (int i = 0; i < 1000; ++i)
        if (scripted_habit("user" + std::to_string(i)) == habit)
            return "user" + std::to_string(i);
    FAIL("no user name has the habit");
    return {};
}

} // namespace

TEST_CASE("every habit occurs among a demo's users") {
    std::map<ScriptedHabit, int> seen;
    for (int i = 0; i < 60; ++i)
        ++seen[scripted_habit("user" + std::to_string(i))];
    CHECK(seen.size() == 4);
    for (const auto& [habit, count] : seen)
        CHECK(count >= 3);
}

TEST_CASE("a user's habit is the same on every call") {
    CHECK(scripted_habit("jberg") == scripted_habit(std::string("jb") + "erg"));
}

TEST_CASE("the reports follow the habits") {
    const int64_t now = 1'000'000;
    const std::string idle = user_with(ScriptedHabit::idle_since_checkout);
    const std::string working = user_with(ScriptedHabit::working);
    const std::string computing = user_with(ScriptedHabit::computing);
    const std::string absent = user_with(ScriptedHabit::no_agent);
    const std::vector<SessionRecord> sessions{
        session(1, idle, "ws-01", "MATLAB", now - 3600),
        session(2, idle, "WS-01", "Simulink", now - 600), // same workstation, other case
        session(3, working, "ws-02", "MATLAB", now - 7200),
        session(4, computing, "ws-03", "MATLAB", now - 7200),
        session(5, absent, "ws-04", "MATLAB", now - 7200),
    };
    const std::vector<AgentReport> reports = scripted_reports(sessions, now, "demo-machine");
    REQUIRE(reports.size() == 3); // no report from the workstation without an agent
    std::map<std::string, const AgentReport*> by_user;
    for (const AgentReport& report : reports)
        by_user[report.user] = &report;
    REQUIRE(by_user.count(absent) == 0);

    const AgentReport& idle_report = *by_user.at(idle);
    CHECK(idle_report.time == now);
    CHECK(idle_report.input_idle_s == 600); // the latest input to any of its apps
    REQUIRE(idle_report.apps.size() == 2);
    for (const ReportedApp& app : idle_report.apps) {
        CHECK(app.cpu_percent < 5);
        REQUIRE(app.features.size() == 1);
        CHECK(app.focus_idle_s == (app.features[0] == "MATLAB" ? 3600 : 600));
    }

    const ReportedApp& working_app = by_user.at(working)->apps.at(0);
    REQUIRE(working_app.focus_idle_s.has_value());
    CHECK(*working_app.focus_idle_s < 120);

    const ReportedApp& computing_app = by_user.at(computing)->apps.at(0);
    CHECK(computing_app.focus_idle_s == 7200);
    CHECK(computing_app.cpu_percent > 50);
}

TEST_CASE("a checkout time that is unknown or in the future gives no idle time") {
    const std::string idle = user_with(ScriptedHabit::idle_since_checkout);
    const auto reports =
        scripted_reports({session(1, idle, "ws-01", "A", 0), session(2, idle, "ws-01", "B", 99)},
                         50, "demo-machine");
    REQUIRE(reports.size() == 1);
    for (const ReportedApp& app : reports[0].apps)
        CHECK_FALSE(app.focus_idle_s.has_value());
}

TEST_CASE("sessions on the machine the demo runs on get no scripted report: a real agent may "
          "speak for them") {
    const std::string idle = user_with(ScriptedHabit::idle_since_checkout);
    const int64_t now = 1'800'000'000;
    const auto reports = scripted_reports({session(1, idle, "ws-01", "MATLAB", now - 3600),
                                           session(2, idle, "DEMO-MACHINE", "MATLAB", now - 3600),
                                           session(3, idle, "demo-machine.corp", "A", now - 60)},
                                          now, "demo-machine");
    REQUIRE(reports.size() == 1);
    CHECK(reports[0].host == "ws-01");
}
