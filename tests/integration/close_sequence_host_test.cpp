// The real binary harvests for real (dry_run = false) with the FlexNet plugin and the lmutil
// emulator: MATLAB 3 of 3 in use, alice idle longest. The agents' reports are written into the
// running host's store; the emulator logs every lmremove.
#include "auth/sha256.hpp"
#include "harvest_scene.hpp"
#include "host_fixture.hpp"
#include "protocol/agent_json.hpp"

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <future>
#include <httplib.h>
#include <sstream>
#include <thread>

using namespace lmharvest::testing;

namespace {

// A running host on the emulator polled every second, with `harvest` as its [harvest] table
// and `flexnet` added to its [servers.flexnet] table.
struct HarvestingHost {
    explicit HarvestingHost(const std::string& harvest, const std::string& flexnet = "")
        : fixture{"[[servers]]\nid = \"eng\"\nadapter = \"flexnet\"\naddress = \"27000@lic1\"\n"
                  "interval = \"1s\"\n[servers.flexnet]\nlmutil = \"" +
                      emulator_dir + "/lmutil\"\n" + flexnet + "\n[harvest]\n" + harvest +
                      "\n[[tokens]]\nname = \"ws\"\nrole = \"agent\"\nsha256 = \"" +
                      lmharvest::sha256_hex(agent_secret) + "\"\nhosts = [\"ws-*\"]\n",
                  {{"LMUTIL_EMULATOR_STATE", state}}} {}

    static constexpr const char* agent_secret = "secret-ws";
    std::time_t now = std::time(nullptr);
    TempDir emulator;
    std::string state = emulator.write("lmstat.txt", lmstat_three_of_three(now));
    HostFixture fixture;

    // alice idle 50 min, bob 30 min (a candidate, but one close reaches the target 2).
    void report_idle_agents(const std::vector<std::string>& methods) const {
        auto store = lmharvest::Store::open(fixture.dir() / "state" / "lmharvest.db");
        REQUIRE(store.has_value());
        for (auto [user, idle] : {std::pair{"alice", 50}, std::pair{"bob", 30}}) {
            lmharvest::AppActivity app = matlab_idle(user, idle, now);
            app.methods = methods;
            (*store)->replace_agent_activity(app.agent, {app});
        }
    }
    // An agent token's request over its own connection to the running host.
    httplib::Result agent_call(const std::string& path, const std::string& body = "") const {
        httplib::Client client("127.0.0.1", fixture.port());
        client.set_read_timeout(std::chrono::seconds(60));
        const httplib::Headers headers{{"Authorization", std::string("Bearer ") + agent_secret}};
        if (body.empty())
            return client.Get(path.c_str(), headers);
        return client.Post(path.c_str(), headers, body, "application/json");
    }
    // alice's and bob's agents report over HTTP: idle 50 and 30 min.
    void post_idle_reports() const {
        for (auto [user, idle] : {std::pair{"alice", 50}, std::pair{"bob", 30}}) {
            const auto posted =
                agent_call("/api/v1/agents/report", to_json(matlab_idle_report(user, idle, now)));
            REQUIRE(posted);
            REQUIRE(posted->status == 200);
        }
    }
    // alice's actions, newest first.
    nlohmann::json alice_actions() const {
        nlohmann::json alice = nlohmann::json::array();
        const nlohmann::json actions = get_json(fixture.port(), "/api/v1/actions");
        if (actions.is_array())
            for (const nlohmann::json& a : actions)
                if (a.at("user") == "alice")
                    alice.push_back(a);
        return alice;
    }
    bool alice_outcome_is(const std::string& outcome) const {
        return eventually([&] {
            const nlohmann::json alice = alice_actions();
            return !alice.empty() && alice.back().at("outcome") == outcome;
        });
    }
    std::string lmremove_calls() const {
        const auto calls = emulator / "lmstat.txt.calls";
        return std::filesystem::exists(calls) ? read_file(calls) : "";
    }
    // The lmremove calls whose last argument is `handle`.
    std::size_t lmremove_calls_for(const std::string& handle) const {
        std::istringstream lines(lmremove_calls());
        std::size_t count = 0;
        for (std::string line; std::getline(lines, line);)
            count += line.ends_with(" " + handle) ? 1 : 0;
        return count;
    }
    std::size_t lmremove_count() const {
        const std::string calls = lmremove_calls();
        return static_cast<std::size_t>(std::count(calls.begin(), calls.end(), '\n'));
    }
};

std::vector<std::string> step_names(const nlohmann::json& action) {
    std::vector<std::string> names;
    for (const nlohmann::json& step : action.at("steps"))
        names.push_back(step.at("step").get<std::string>() + ":" +
                        step.at("outcome").get<std::string>());
    return names;
}

} // namespace

TEST_CASE("dry_run = false: the harvester releases alice's license with lmremove and the next "
          "poll confirms it") {
    HarvestingHost host("dry_run = false\nmethod = \"release\"\n");
    REQUIRE(host.fixture.wait_for_sessions(3));
    host.report_idle_agents({"release"});

    REQUIRE(host.alice_outcome_is("confirmed"));
    const nlohmann::json action = host.alice_actions().back();
    CHECK(action.at("actor") == "harvester");
    CHECK(action.at("kind") == "harvest");
    CHECK(action.at("dry_run") == false);
    CHECK(step_names(action) ==
          std::vector<std::string>{"start:started", "release:released", "confirm:confirmed"});
    CHECK(action.at("steps")[0].at("policy").at("target") == 2);
    CHECK(action.at("steps")[0].at("policy").at("used") == 3);
    // lmremove ran once, for alice; the emulator lost her checkout and the others stay.
    CHECK(host.lmremove_calls().find("lmremove") != std::string::npos);
    CHECK(read_file(host.state).find("alice ws-alice") == std::string::npos);
    CHECK(read_file(host.state).find("bob ws-bob") != std::string::npos);
    REQUIRE(host.fixture.wait_for_sessions(2));
    // 2 of 3 is the target: nobody else is closed.
    REQUIRE(host.fixture.wait_for_next_poll("eng"));
    const nlohmann::json all = get_json(host.fixture.port(), "/api/v1/actions");
    CHECK(all.size() == 1);
    CHECK_THAT(get_text(host.fixture.port(), "/metrics"),
               Catch::Contains("lmharvest_harvest_closes_total{server=\"eng\",feature=\"MATLAB\","
                               "method=\"release\",outcome=\"confirmed\"} 1"));
}

TEST_CASE("a scripted agent over HTTP saves and closes alice's MATLAB; lmremove releases it and "
          "the next poll confirms it") {
    HarvestingHost host("dry_run = false\nagent_timeout = \"30s\"\n"); // method save_and_close
    REQUIRE(host.fixture.wait_for_sessions(3));
    host.post_idle_reports();

    // alice's agent long-polls until it is asked, then answers like her MATLAB would.
    const std::string agent = "/api/v1/agents/ws-alice.corp:1000";
    auto answered = std::async(std::launch::async, [&]() -> std::string {
        for (int polls = 0; polls < 10; ++polls) {
            const auto got = host.agent_call(agent + "/commands?wait=30s");
            if (!got || got->status != 200)
                return "poll failed";
            const auto commands = lmharvest::parse_commands_answer(got->body);
            if (!commands)
                return commands.error().text();
            for (const lmharvest::AgentCommand& command : commands->commands) {
                lmharvest::ResultMessage result;
                result.command = command.id;
                result.outcome = "saved_and_closed";
                result.projects = {{"MATLAB R2024b", "/home/alice/model.slx", host.now}};
                const auto sent = host.agent_call(agent + "/results", to_json(result));
                return sent ? std::to_string(sent->status) + " " + command.kind : "result failed";
            }
        }
        return "never asked";
    });
    REQUIRE(answered.wait_for(std::chrono::seconds(60)) == std::future_status::ready);
    CHECK(answered.get() == "200 save_and_close");

    REQUIRE(host.alice_outcome_is("confirmed"));
    const nlohmann::json action = host.alice_actions().back();
    CHECK(step_names(action) == std::vector<std::string>{"start:started", "agent_command:posted",
                                                         "agent_result:saved_and_closed",
                                                         "release:released", "confirm:confirmed"});
    CHECK(host.lmremove_count() == 1);
    CHECK_THAT(host.lmremove_calls(), Catch::Contains("lmremove"));
    CHECK(read_file(host.state).find("alice ws-alice") == std::string::npos);
    CHECK(read_file(host.state).find("bob ws-bob") != std::string::npos);
    auto store = lmharvest::Store::open(host.fixture.dir() / "state" / "lmharvest.db");
    REQUIRE(store.has_value());
    const auto projects = (*store)->closed_projects("alice", 10);
    REQUIRE(projects.size() == 1);
    CHECK(projects[0].path == "/home/alice/model.slx");
}

TEST_CASE("an agent that never answers: agent_timeout, and nothing is released") {
    HarvestingHost host("dry_run = false\nagent_timeout = \"1s\"\n"); // method save_and_close
    REQUIRE(host.fixture.wait_for_sessions(3));
    host.post_idle_reports(); // the agents report over HTTP but never poll for commands

    REQUIRE(host.alice_outcome_is("agent_timeout"));
    const nlohmann::json action = host.alice_actions().back();
    CHECK(step_names(action) == std::vector<std::string>{"start:started", "agent_command:posted",
                                                         "agent_result:agent_timeout"});
    CHECK(host.lmremove_calls().empty());
    CHECK(read_file(host.state).find("alice ws-alice") != std::string::npos);
    CHECK(host.fixture.sessions().size() == 3);
}

TEST_CASE("a -64 (minimum lmremove interval) is retried once at lmremove_retry_after, then "
          "released") {
    HarvestingHost host("dry_run = false\nmethod = \"release\"\n",
                        "lmremove_retry_after = \"1s\"\n");
    host.emulator.write("lmstat.txt.mode", "too_soon_once");
    REQUIRE(host.fixture.wait_for_sessions(3));
    host.report_idle_agents({"release"});

    REQUIRE(host.alice_outcome_is("confirmed"));
    const nlohmann::json action = host.alice_actions().back();
    CHECK(step_names(action) == std::vector<std::string>{"start:started", "release:too_soon",
                                                         "retry:waiting", "release:released",
                                                         "confirm:confirmed"});
    CHECK(action.at("steps")[2].at("message") == "retry in 1 s");
    CHECK(host.lmremove_count() == 2);
    CHECK(read_file(host.state).find("alice ws-alice") == std::string::npos);
}

TEST_CASE("a second -64 ends the sequence as too_soon: one retry, never a loop") {
    HarvestingHost host("dry_run = false\nmethod = \"release\"\n",
                        "lmremove_retry_after = \"1s\"\n");
    host.emulator.write("lmstat.txt.mode", "too_soon");
    REQUIRE(host.fixture.wait_for_sessions(3));
    host.report_idle_agents({"release"});

    REQUIRE(host.alice_outcome_is("too_soon"));
    const nlohmann::json action = host.alice_actions().back();
    CHECK(step_names(action) == std::vector<std::string>{"start:started", "release:too_soon",
                                                         "retry:waiting", "release:too_soon"});
    // The sequence ran lmremove twice for alice (handle 101); she then waits retry_after_failed
    // (15 min), so the next polls start no sequence of hers (bob, the next candidate, may go).
    REQUIRE(host.fixture.wait_for_next_poll("eng"));
    REQUIRE(host.fixture.wait_for_next_poll("eng"));
    CHECK(host.lmremove_calls_for("101") == 2);
    CHECK(host.alice_actions().size() == 1);
    CHECK(read_file(host.state).find("alice ws-alice") != std::string::npos);
}

TEST_CASE("an agent that refuses gets one command, not one per poll: the plan keeps alice until "
          "retry_after_failed has passed") {
    HarvestingHost host("dry_run = false\nagent_timeout = \"30s\"\n"); // save_and_close
    REQUIRE(host.fixture.wait_for_sessions(3));
    host.post_idle_reports();

    // alice's agent long-polls all along and refuses every command it gets, as alice does in its
    // pop-up a few seconds later: polls come meanwhile, and the plans say "under way".
    std::atomic<bool> stop{false};
    const std::string agent = "/api/v1/agents/ws-alice.corp:1000";
    auto refused = std::async(std::launch::async, [&]() -> int {
        int commands = 0;
        while (!stop) {
            const auto got = host.agent_call(agent + "/commands?wait=1s");
            if (!got || got->status != 200)
                return -1;
            const auto answer = lmharvest::parse_commands_answer(got->body);
            if (!answer)
                return -1;
            for (const lmharvest::AgentCommand& command : answer->commands) {
                ++commands;
                std::this_thread::sleep_for(std::chrono::seconds(3));
                lmharvest::ResultMessage result;
                result.command = command.id;
                result.outcome = "refused";
                result.message = "alice is still using it";
                host.agent_call(agent + "/results", to_json(result));
            }
        }
        return commands;
    });
    REQUIRE(host.alice_outcome_is("agent_refused"));
    for (int poll = 0; poll < 4; ++poll)
        REQUIRE(host.fixture.wait_for_next_poll("eng"));
    stop = true;
    REQUIRE(refused.wait_for(std::chrono::seconds(30)) == std::future_status::ready);
    CHECK(refused.get() == 1);
    CHECK(host.alice_actions().size() == 1);
    CHECK(host.lmremove_calls().empty());

    // The plan says why alice is kept, and until when; /metrics counts her.
    nlohmann::json alice;
    const nlohmann::json plan = get_json(host.fixture.port(), "/api/v1/harvest/plan");
    for (const nlohmann::json& e : plan.at("entries"))
        if (e.at("user") == "alice")
            alice = e;
    REQUIRE(alice.is_object());
    CHECK(alice.at("decision") == "keep");
    CHECK_THAT(alice.at("reason").get<std::string>(),
               Catch::Contains("but last close failed: agent_refused; next try after 20"));
    CHECK(alice.at("next_try").is_string());
    CHECK_THAT(
        get_text(host.fixture.port(), "/metrics"),
        Catch::Contains("lmharvest_harvest_backoff_sessions{server=\"eng\",feature=\"MATLAB\"} 1"));
}

TEST_CASE("lmharvest close --method runs the sequence; without an agent for it, says why") {
    HarvestingHost host("dry_run = true\n");
    REQUIRE(host.fixture.wait_for_sessions(3));
    int64_t alice = 0, carol = 0;
    for (const nlohmann::json& s : host.fixture.sessions()) {
        if (s.at("user") == "alice")
            alice = s.at("id");
        if (s.at("user") == "carol")
            carol = s.at("id");
    }
    REQUIRE(alice > 0);
    REQUIRE(carol > 0);

    // carol has no agent: a save-and-close cannot be done, and nothing is asked of the server.
    const CliRun refused = run_cli({"close", "--config", host.fixture.config(),
                                    std::to_string(carol), "--method", "save_and_close"});
    CHECK(refused.exit_code == 1);
    CHECK_THAT(refused.out, Catch::Contains("no_agent"));
    CHECK_THAT(refused.out, Catch::Contains("no handler for save_and_close"));

    const CliRun started = run_cli(
        {"close", "--config", host.fixture.config(), std::to_string(alice), "--method", "release"});
    INFO(started.out << started.err);
    CHECK(started.exit_code == 0);
    CHECK_THAT(started.out, Catch::Contains("started"));
    REQUIRE(host.alice_outcome_is("confirmed"));
    CHECK(host.alice_actions().back().at("kind") == "close");
    CHECK(host.lmremove_calls().find("lmremove") != std::string::npos);

    const CliRun unknown = run_cli(
        {"close", "--config", host.fixture.config(), std::to_string(alice), "--method", "explode"});
    CHECK(unknown.exit_code != 0);
}

TEST_CASE("a user denied MATLAB is told once through the real long poll when a license frees "
          "up, also in dry-run; one without an agent is listed in /api/v1/notifications") {
    const bool dry_run = GENERATE(true, false);
    INFO("dry_run = " << dry_run);
    // The vendor daemon's debug log: dave (who has an agent) and erin (who has none) were
    // denied MATLAB two minutes ago, while all 3 were in use.
    TempDir logs;
    const std::time_t denied = std::time(nullptr) - 120;
    const std::string at = lmstat_time(denied, "%H:%M:%S");
    const std::string debug_log = logs.write(
        "mlm.log", at + " (lmgrd) TIMESTAMP " + lmstat_time(denied, "%-m/%-d/%Y") + "\n" + at +
                       " (MLM) DENIED: \"MATLAB\" dave@ws-dave  (Licensed number of users "
                       "already reached. (-4,342))\n" +
                       at +
                       " (MLM) DENIED: \"MATLAB\" erin@ws-erin  (Licensed number of users "
                       "already reached. (-4,342))\n");
    HarvestingHost host(std::string("dry_run = ") + (dry_run ? "true" : "false") + "\n",
                        "debug_log = \"" + debug_log + "\"\ndebug_log_from_start = true\n");
    REQUIRE(host.fixture.wait_for_sessions(3));
    lmharvest::AgentReport dave;
    dave.agent = "ws-dave.corp:1000";
    dave.host = "ws-dave.corp";
    dave.user = "dave";
    dave.display = ":0";
    dave.time = host.now;
    const auto reported = host.agent_call("/api/v1/agents/report", to_json(dave));
    REQUIRE(reported);
    REQUIRE(reported->status == 200);
    REQUIRE(eventually([&] {
        return get_json(host.fixture.port(), "/api/v1/denials").dump().find("erin") !=
               std::string::npos;
    }));
    REQUIRE(host.fixture.wait_for_next_poll("eng")); // planned while full: nobody told
    CHECK(get_json(host.fixture.port(), "/api/v1/notifications") == nlohmann::json::array());

    // carol checks MATLAB in: 2 of 3 in use.
    std::string state = lmstat_three_of_three(host.now);
    const std::size_t carol = state.find("    carol ");
    state.erase(carol, state.find('\n', carol) + 1 - carol);
    state.replace(state.find("Total of 3 licenses in use"), 26, "Total of 2 licenses in use");
    host.emulator.write("lmstat.txt", state);
    REQUIRE(host.fixture.wait_for_sessions(2));

    // dave's agent long-polls through 4 more polls: one notice, however many polls follow.
    std::vector<lmharvest::AgentCommand> commands;
    const auto take = [&] {
        const auto got = host.agent_call("/api/v1/agents/ws-dave.corp:1000/commands?wait=1s");
        REQUIRE(got);
        REQUIRE(got->status == 200);
        const auto answer = lmharvest::parse_commands_answer(got->body);
        REQUIRE(answer);
        commands.insert(commands.end(), answer->commands.begin(), answer->commands.end());
    };
    REQUIRE(eventually([&] {
        take();
        return !commands.empty();
    }));
    for (int poll = 0; poll < 4; ++poll) {
        REQUIRE(host.fixture.wait_for_next_poll("eng"));
        take();
    }
    REQUIRE(commands.size() == 1);
    CHECK(commands[0].kind == "notify");
    CHECK(commands[0].features == std::vector<std::string>{"MATLAB"});
    CHECK(commands[0].text == "A license for MATLAB is free now");
    CHECK(commands[0].reason == "MATLAB (MLM) on eng: 2 of 3 in use");

    // erin has no agent: listed for a mail hook, not told; dave listed as told.
    const nlohmann::json notices = get_json(host.fixture.port(), "/api/v1/notifications");
    REQUIRE(notices.is_array());
    REQUIRE(notices.size() == 2);
    for (const nlohmann::json& notice : notices) {
        CHECK(notice.at("feature") == "MATLAB");
        CHECK(notice.at("server") == "eng");
        if (notice.at("user") == "erin") {
            CHECK(notice.at("notified") == false);
            CHECK(notice.at("agents") == nlohmann::json::array());
        } else {
            CHECK(notice.at("user") == "dave");
            CHECK(notice.at("notified") == true);
            CHECK(notice.at("agents") == nlohmann::json::array({"ws-dave.corp:1000"}));
        }
    }
    // One audit entry for the one notice; nothing was closed.
    std::size_t notify_actions = 0;
    for (const nlohmann::json& a : get_json(host.fixture.port(), "/api/v1/actions"))
        notify_actions += a.at("kind") == "notify" ? 1 : 0;
    CHECK(notify_actions == 1);
    CHECK(host.lmremove_calls().empty());
}
