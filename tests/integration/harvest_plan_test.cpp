// The real binary plans a harvest: the lmutil emulator shows MATLAB 3 of 3 in use, agents'
// reports are written into the store, `run --once` polls and plans, `harvest plan` shows it.
#include "harness.hpp"
#include "harvest_scene.hpp"
#include "host_fixture.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <ctime>

using namespace lmharvest::testing;

TEST_CASE("run --once plans the harvest of 3 of 3 in use, and harvest plan shows why") {
    TempDir dir;
    const std::time_t now = std::time(nullptr);
    const std::string state = dir.write("lmstat.txt", lmstat_three_of_three(now));
    ::setenv("LMUTIL_EMULATOR_STATE", state.c_str(), 1);
    const std::string config =
        dir.write("lmharvest.toml", "[host]\nstate_dir = \"" + (dir / "state").string() +
                                        "\"\nplugin_dirs = [\"" + plugin_dir +
                                        "\"]\n\n[[servers]]\nid = \"eng\"\nadapter = \"flexnet\"\n"
                                        "address = \"27000@lic1\"\n[servers.flexnet]\nlmutil = \"" +
                                        emulator_dir + "/lmutil\"\n\n[harvest]\ndry_run = true\n");

    // The first poll finds the sessions; nobody has reported yet: no data is never idle.
    const CliRun first = run_cli({"run", "--config", config, "--once"});
    INFO(first.err);
    REQUIRE(first.exit_code == 0);
    CliRun plan = run_cli({"harvest", "plan", "--config", config, "--json"});
    REQUIRE(plan.exit_code == 0);
    nlohmann::json json = nlohmann::json::parse(plan.out);
    REQUIRE(json.at("entries").size() == 3);
    CHECK(json.at("closes") == 0);
    for (const auto& entry : json.at("entries"))
        CHECK(entry.at("reason") == "no activity data");

    {
        auto store = lmharvest::Store::open(dir / "state" / "lmharvest.db");
        REQUIRE(store.has_value());
        (*store)->replace_agent_activity("ws-alice.corp:1000", {matlab_idle("alice", 50, now)});
        (*store)->replace_agent_activity("ws-bob.corp:1000", {matlab_idle("bob", 30, now)});
    }
    const CliRun second = run_cli({"run", "--config", config, "--once"});
    INFO(second.err);
    REQUIRE(second.exit_code == 0);
    CHECK_THAT(second.err, Catch::Contains("harvest dry-run server=eng feature=MATLAB user=alice"));

    plan = run_cli({"harvest", "plan", "--config", config, "--json", "--feature", "MATLAB"});
    REQUIRE(plan.exit_code == 0);
    json = nlohmann::json::parse(plan.out);
    CHECK(json.at("closes") == 1);
    const nlohmann::json& entries = json.at("entries");
    REQUIRE(entries.size() == 3);
    CHECK(entries[0].at("user") == "alice");
    CHECK(entries[0].at("decision") == "close");
    CHECK(entries[0].at("reason") == "idle 50 min > 20 min, used 3 > target 2");
    CHECK(entries[0].at("total") == 3);
    CHECK(entries[0].at("target") == 2);
    CHECK(entries[0].at("method") == "save_and_close");
    CHECK(entries[1].at("user") == "bob");
    CHECK(entries[1].at("decision") == "keep");
    CHECK(entries[1].at("reason") ==
          "idle 30 min > 20 min, but used 2 <= target 2: nothing to free");
    CHECK(entries[2].at("user") == "carol");
    CHECK(entries[2].at("reason") == "no activity data");

    // The text form names the same decisions; another feature's plan is empty.
    const CliRun text = run_cli({"harvest", "plan", "--config", config});
    CHECK_THAT(text.out, Catch::Contains("3 sessions considered, 1 to close"));
    CHECK_THAT(text.out, Catch::Contains("idle 50 min > 20 min, used 3 > target 2"));
    const CliRun other =
        run_cli({"harvest", "plan", "--config", config, "--json", "--feature", "SIMULINK"});
    CHECK(nlohmann::json::parse(other.out).at("entries").empty());

    // Dry-run closed nothing: the emulator still shows all three checkouts.
    CHECK(read_file(state).find("alice ws-alice") != std::string::npos);
    ::unsetenv("LMUTIL_EMULATOR_STATE");
}

TEST_CASE("GET /api/v1/harvest/plan serves the plan the running service stored") {
    TempDir tools;
    const std::string state = tools.write("lmstat.txt", lmstat_three_of_three(std::time(nullptr)));
    HostFixture host("[[servers]]\nid = \"eng\"\nadapter = \"flexnet\"\naddress = \"27000@lic1\"\n"
                     "interval = \"1s\"\n[servers.flexnet]\nlmutil = \"" +
                         emulator_dir + "/lmutil\"\n",
                     {{"LMUTIL_EMULATOR_STATE", state}});
    nlohmann::json plan;
    REQUIRE(eventually([&] {
        plan = get_json(host.port(), "/api/v1/harvest/plan?server=eng&feature=MATLAB");
        return plan.is_object() && plan["entries"].size() == 3;
    }));
    for (const auto& entry : plan["entries"]) {
        CHECK(entry["server"] == "eng");
        CHECK(entry["reason"] == "no activity data"); // no agent reported: never idle
    }
    CHECK(plan["closes"] == 0);
    CHECK(get_json(host.port(), "/api/v1/harvest/plan?feature=SIMULINK")["entries"].empty());
}
