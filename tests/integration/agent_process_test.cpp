// The real `lmharvest agent` beside the real host (FlexNet plugin, lmutil emulator): a `sleep`
// process is the app of the test handler (tests/plugins/sleep_handler.cpp), and holds the one
// MATLAB license the emulator shows for this user on this machine.
#include "auth/sha256.hpp"
#include "desktop_session.hpp"
#include "harvest_scene.hpp"
#include "host_fixture.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <fstream>
#include <future>
#include <httplib.h>
#include <pwd.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace lmharvest::testing;
using namespace std::chrono_literals;

namespace {

const std::string handler_plugin =
    std::string(LH_BINARY_DIR) + "/test-plugins/handlers/sleep_handler.so";

std::string this_user() {
    return ::getpwuid(::getuid())->pw_name;
}
std::string this_host() {
    char name[256] = {};
    ::gethostname(name, sizeof name - 1);
    return name;
}

// MATLAB 1 of 1 in use, by `user` on `host`, for two hours.
std::string lmstat_one_of_one_held_by(std::time_t now, const std::string& user,
                                      const std::string& host) {
    std::string text = lmstat_three_of_three(now);
    text = replace_once(text, "Total of 3 licenses issued;  Total of 3 licenses in use",
                        "Total of 1 license issued;  Total of 1 license in use");
    const size_t alice = text.find("    alice");
    const size_t end = text.find("\n\n", alice);
    const std::string line = text.substr(alice, text.find('\n', alice) - alice);
    std::string holder = replace_once(line, "alice ws-alice", user + " " + host);
    return text.substr(0, alice) + holder + text.substr(end);
}

// MATLAB 1 of 1 in use, by this user on this machine.
std::string lmstat_one_of_one(std::time_t now) {
    return lmstat_one_of_one_held_by(now, this_user(), this_host());
}

// MATLAB 1 license issued, none in use.
std::string lmstat_none_of_one(std::time_t now) {
    std::string text = lmstat_one_of_one_held_by(now, "alice", "ws-alice");
    text = replace_once(text, "Total of 1 license in use", "Total of 0 licenses in use");
    const size_t alice = text.find("    alice");
    return text.substr(0, alice) + text.substr(text.find('\n', alice) + 1);
}

// DISPLAY and the session bus of a private desktop, for the agent a scene starts.
std::map<std::string, std::string> env_of(const lmharvest::test::DesktopSession& desktop) {
    std::map<std::string, std::string> env;
    for (const auto& [name, value] : desktop.env())
        env[name] = value;
    return env;
}

// How many pop-ups dunst shows now; -1 when dunstctl cannot tell.
int displayed_pop_ups(const lmharvest::test::DesktopSession& desktop) {
    const auto shown = desktop.run({"dunstctl", "count", "displayed"});
    return shown ? std::atoi(shown->c_str()) : -1;
}

// The state letter of /proc/PID/stat ('S', 'T', 'Z'); 0 when the process is gone.
char process_state(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat;
    std::getline(in, stat);
    const size_t close = stat.rfind(')');
    return close == std::string::npos || close + 2 >= stat.size() ? 0 : stat[close + 2];
}

// A `sleep <marker>` child, reaped by a waiter as soon as it ends.
struct SleepApp {
    explicit SleepApp(const std::string& marker) {
        std::string command = "sleep";
        std::string argument = marker;
        char* argv[] = {command.data(), argument.data(), nullptr};
        REQUIRE(::posix_spawnp(&pid, "sleep", nullptr, nullptr, argv, environ) == 0);
        ended = std::async(std::launch::async, [p = pid] {
            int status = 0;
            ::waitpid(p, &status, 0);
        });
    }
    ~SleepApp() {
        ::kill(pid, SIGKILL);
        ::kill(pid, SIGCONT);
    }
    bool has_ended() { return ended.wait_for(0s) == std::future_status::ready; }
    pid_t pid = 0;
    std::future<void> ended;
};

// Pids of running (not zombie) `sleep <marker>` processes.
std::vector<pid_t> sleeps_with(const std::string& marker) {
    std::vector<pid_t> pids;
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
        const std::string name = entry.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos)
            continue;
        std::string cmdline = read_file(entry.path() / "cmdline");
        for (char& c : cmdline)
            if (c == '\0')
                c = ' ';
        const pid_t pid = std::stoi(name);
        if (cmdline == "sleep " + marker + " " && process_state(pid) != 'Z')
            pids.push_back(pid);
    }
    return pids;
}

constexpr const char* agent_secret = "secret-agent";

// The host on the emulator, an agent token for any host, and `lmharvest agent` with the test
// handler in `mode`, its app running; `agent_env` is added to the agent's environment.
struct AgentScene {
    explicit AgentScene(const std::string& mode, const std::string& marker,
                        const std::map<std::string, std::string>& agent_env = {})
        : marker(marker),
          host{"[[servers]]\nid = \"eng\"\nadapter = \"flexnet\"\naddress = \"27000@lic1\"\n"
               "interval = \"1s\"\n[servers.flexnet]\nlmutil = \"" +
                   emulator_dir +
                   "/lmutil\"\n[harvest]\nagent_timeout = \"20s\"\n"
                   "[[tokens]]\nname = \"ws\"\nrole = \"agent\"\nsha256 = \"" +
                   lmharvest::sha256_hex(agent_secret) + "\"\nhosts = [\"*\"]\n",
               {{"LMUTIL_EMULATOR_STATE", state}}},
          app(marker) {
        const std::string token = dir.write("token", agent_secret);
        std::filesystem::permissions(token, std::filesystem::perms::owner_read |
                                                std::filesystem::perms::owner_write);
        config = dir.write("agent.toml",
                           "[agent]\nhost = \"http://127.0.0.1:" + std::to_string(host.port()) +
                               "\"\ntoken_file = \"token\"\nreport_every = \"5s\"\n"
                               "saved_dir = \"saved\"\nstate_dir = \"state\"\n"
                               "[[handlers]]\nname = \"sleep_handler\"\nplugin = \"" +
                               handler_plugin + "\"\n[handlers.sleep_handler]\nmarker = \"" +
                               marker + "\"\nfeatures = [\"MATLAB\"]\nmode = \"" + mode + "\"\n");
        REQUIRE(host.wait_for_sessions(1)); // the API is up: the agent's first report lands
        agent = std::make_unique<RunningHost>(config, agent_env, dir / "agent.log",
                                              std::vector<std::string>{}, "agent");
    }
    ~AgentScene() {
        for (pid_t pid : sleeps_with(marker))
            ::kill(pid, SIGKILL);
    }

    // This agent's entry in GET /api/v1/agents (null while absent).
    nlohmann::json agent_entry() const {
        const nlohmann::json agents = get_json(host.port(), "/api/v1/agents");
        if (agents.is_array())
            for (const nlohmann::json& a : agents)
                if (a.at("host") == this_host())
                    return a;
        return nullptr;
    }
    // The app with `pid` in this agent's last report (null while absent).
    nlohmann::json reported(int64_t pid) const {
        const nlohmann::json a = agent_entry();
        if (!a.is_null())
            for (const nlohmann::json& app : a.at("apps"))
                if (app.at("pid") == pid)
                    return app;
        return nullptr;
    }
    bool reports_app() const {
        return eventually([&] {
            const nlohmann::json a = agent_entry();
            return !a.is_null() && !a.at("apps").empty() && a.at("apps")[0].at("pid") == app.pid;
        });
    }
    // Whether a report newer than the last one comes, with the app and its handler in it.
    bool reports_again() const {
        const std::string last = agent_entry().at("last_report");
        return eventually([&] { return agent_entry().at("last_report") != last; }, 20s) &&
               reported(app.pid).value("handler", "") == "sleep_handler";
    }
    // POST /api/v1/sessions/<the one session>/close with `method`, as an admin.
    nlohmann::json close_by_hand(const std::string& method) const {
        const int64_t id = host.sessions()[0].at("id").get<int64_t>();
        httplib::Client client("127.0.0.1", host.port());
        client.set_read_timeout(60s);
        std::string secret = read_file(host.dir() / "state" / "api-token");
        while (!secret.empty() && secret.back() == '\n')
            secret.pop_back();
        const auto answer =
            client.Post(("/api/v1/sessions/" + std::to_string(id) + "/close").c_str(),
                        {{"Authorization", "Bearer " + secret}},
                        nlohmann::json{{"method", method}, {"reason", "test close"}}.dump(),
                        "application/json");
        REQUIRE(answer);
        INFO(answer->body);
        return nlohmann::json::parse(answer->body);
    }
    // Whether the close's action in /api/v1/actions has reached `step` with `outcome`.
    bool has_step(const std::string& step, const std::string& outcome) const {
        const nlohmann::json actions = get_json(host.port(), "/api/v1/actions");
        if (actions.is_array())
            for (const nlohmann::json& action : actions)
                for (const nlohmann::json& s : action.value("steps", nlohmann::json::array()))
                    if (s.value("step", "") == step && s.value("outcome", "") == outcome)
                        return true;
        return false;
    }
    // Whether /api/v1/actions has an action of `kind` that ended as `outcome`.
    bool has_action(const std::string& kind, const std::string& outcome) const {
        const nlohmann::json actions = get_json(host.port(), "/api/v1/actions");
        if (actions.is_array())
            for (const nlohmann::json& action : actions)
                if (action.value("kind", "") == kind && action.value("outcome", "") == outcome)
                    return true;
        return false;
    }
    // MATLAB's use as the host's last poll saw it (-1 before any).
    int64_t matlab_used() const {
        const nlohmann::json features = get_json(host.port(), "/api/v1/features");
        if (features.is_array())
            for (const nlohmann::json& f : features)
                if (f.value("feature", "") == "MATLAB")
                    return f.value("used", int64_t{-1});
        return -1;
    }
    // The emulator's license state, replaced whole (a rename: a poll never reads half of it).
    void set_license_state(const std::string& text) const {
        const std::string next = state + ".next";
        std::ofstream(next) << text;
        std::filesystem::rename(next, state);
    }
    std::string agent_log() const { return agent->log(); }
    CliRun agent_cli(const std::vector<std::string>& args) const {
        std::vector<std::string> all{"agent", "--config", config};
        all.insert(all.end(), args.begin(), args.end());
        return run_cli(all);
    }

    std::string marker;
    TempDir emulator;
    std::string state = emulator.write("lmstat.txt", lmstat_one_of_one(std::time(nullptr)));
    HostFixture host;
    TempDir dir;
    std::string config;
    SleepApp app;
    std::unique_ptr<RunningHost> agent;
};

} // namespace

TEST_CASE("the agent reports its handler's app; a close with save_and_close saves and ends it, "
          "agent recent lists it and agent reopen 1 starts it again") {
    AgentScene scene("save", "4242.25");
    REQUIRE(scene.reports_app());
    const nlohmann::json app = scene.agent_entry().at("apps")[0];
    CHECK(app.at("features") == nlohmann::json{"MATLAB"});
    CHECK(app.at("handler") == "sleep_handler");
    CHECK(app.at("methods") == nlohmann::json{"save_and_close", "suspend", "release", "notify"});
    CHECK(app.at("focus_idle_s").is_null()); // no X display: unknown
    CHECK(app.at("executable").get<std::string>().ends_with("sleep"));

    const nlohmann::json report = scene.close_by_hand("save_and_close");
    INFO(report.dump() << "\n" << scene.agent_log());
    CHECK(eventually([&] { return scene.app.has_ended(); }, 20s));
    const std::string saved = (scene.dir / "saved" / (std::to_string(scene.app.pid) + ".project"));
    CHECK(std::filesystem::exists(saved));
    CHECK(eventually([&] { return scene.has_step("agent_result", "saved_and_closed"); }));
    CHECK(scene.agent_log().find("outcome=saved_and_closed") != std::string::npos);

    const CliRun recent = scene.agent_cli({"recent"});
    INFO(recent.err);
    CHECK(recent.exit_code == 0);
    CHECK(recent.out.find("1  ") == 0);
    CHECK(recent.out.find(saved) != std::string::npos);
    CHECK(recent.out.find("Sleep 4242.25") != std::string::npos);

    const CliRun reopened = scene.agent_cli({"reopen", "1"});
    INFO(reopened.err);
    CHECK(reopened.exit_code == 0);
    CHECK(eventually([&] { return sleeps_with("4242.25").size() == 1; }, 10s));
    CHECK(scene.agent_cli({"reopen", "2"}).exit_code == 1);
}

TEST_CASE("a close with suspend stops the app's process (state T); the app stays reported") {
    AgentScene scene("save", "4242.5");
    REQUIRE(scene.reports_app());
    scene.close_by_hand("suspend");
    INFO(scene.agent_log());
    CHECK(eventually([&] { return process_state(scene.app.pid) == 'T'; }, 20s));
    CHECK(eventually(
        [&] { return scene.agent_log().find("outcome=suspended") != std::string::npos; }));
    CHECK(!scene.app.has_ended());
}

TEST_CASE("a handler that hangs past the deadline: the result is failed, the app still runs, "
          "the agent keeps reporting") {
    AgentScene scene("hang", "4242.75");
    REQUIRE(scene.reports_app());
    scene.close_by_hand("save_and_close");
    INFO(scene.agent_log());
    // The host hears of it within its agent_timeout (20 s), not as a timeout of its own.
    CHECK(eventually([&] { return scene.has_step("agent_result", "agent_failed"); }, 40s));
    CHECK(!scene.has_step("agent_result", "agent_timeout"));
    CHECK(scene.agent_log().find("did not return within") != std::string::npos);
    CHECK(!scene.app.has_ended());
    CHECK(scene.reports_again());
}

TEST_CASE("a handler that fails: the result says why and the app still runs") {
    AgentScene scene("fail", "4242.125");
    REQUIRE(scene.reports_app());
    scene.close_by_hand("save_and_close");
    INFO(scene.agent_log());
    CHECK(eventually(
        [&] {
            return scene.agent_log().find("the test handler was told to fail") != std::string::npos;
        },
        20s));
    CHECK(!scene.app.has_ended());
}

TEST_CASE("a handler that crashes costs its worker: the result says so, the app still runs, the "
          "agent lives and reports through a new worker") {
    AgentScene scene("crash", "4242.0625");
    REQUIRE(scene.reports_app());
    scene.close_by_hand("save_and_close");
    INFO(scene.agent_log());
    CHECK(eventually([&] { return scene.has_step("agent_result", "agent_failed"); }, 20s));
    CHECK(eventually([&] {
        return scene.agent_log().find("worker died: SIGABRT in save_and_close") !=
               std::string::npos;
    }));
    CHECK(!scene.app.has_ended());
    CHECK(scene.agent->alive());
    CHECK(scene.reports_again());
}

TEST_CASE("with a display the agent reports each app's focus idle; input to the app's window "
          "resets it, not the other app's") {
    auto desktop = lmharvest::test::DesktopSession::start({true, false, false});
    REQUIRE(desktop);
    const std::string marker = "4242.875";
    AgentScene scene("save", marker, {{"DISPLAY", (*desktop)->display()}});
    // The window's process is the parent of a matched `sleep`: its input is that app's.
    auto window = (*desktop)->open_window("App", false, {"sleep", marker});
    REQUIRE(window);
    int64_t in_window = 0;
    REQUIRE(eventually([&] {
        for (pid_t pid : sleeps_with(marker))
            if (pid != scene.app.pid)
                in_window = pid;
        return in_window != 0;
    }));
    INFO(scene.agent_log());
    const auto idle_of = [&](int64_t pid) {
        const nlohmann::json app = scene.reported(pid);
        return app.is_null() || app.at("focus_idle_s").is_null()
                   ? int64_t{-1}
                   : app.at("focus_idle_s").get<int64_t>();
    };
    // Watched without input: it counts from when the agent first saw the app.
    REQUIRE(eventually([&] { return idle_of(in_window) >= 12; }, 40s));
    REQUIRE(idle_of(scene.app.pid) >= 0);
    REQUIRE((*desktop)->focus(window->id));
    REQUIRE((*desktop)->run({"xdotool", "type", "--delay", "100", "hello"}));
    CHECK(eventually([&] { return idle_of(in_window) >= 0 && idle_of(in_window) <= 8; }, 20s));
    // The other app (no window) had no input: its idle went on.
    CHECK(idle_of(scene.app.pid) >= 12);
    CHECK(scene.agent_entry().at("input_idle_s").is_number());
}

TEST_CASE("with a notification service a save_and_close shows a pop-up; a click on it reopens "
          "the project through the handler") {
    auto desktop = lmharvest::test::DesktopSession::start();
    REQUIRE(desktop);
    const std::string marker = "4242.0625";
    AgentScene scene("save", marker, env_of(**desktop));
    REQUIRE(scene.reports_app());
    scene.close_by_hand("save_and_close");
    INFO(scene.agent_log());
    REQUIRE(eventually([&] { return scene.app.has_ended(); }, 20s));
    REQUIRE(eventually([&] { return displayed_pop_ups(**desktop) == 1; }));
    CHECK(sleeps_with(marker).empty());
    REQUIRE((*desktop)->click_notification());
    // The handler's reopen starts a new `sleep` on the saved project.
    CHECK(eventually([&] { return sleeps_with(marker).size() == 1; }, 15s));
    // Closed, dunst keeps it in its history with the agent's texts.
    REQUIRE((*desktop)->run({"dunstctl", "close-all"}));
    std::string history;
    const bool kept = eventually([&] {
        const auto text = (*desktop)->notification_history();
        history = text ? *text : text.error();
        return history.find("Sleep " + marker + " was saved and closed") != std::string::npos;
    });
    INFO(history);
    CHECK(kept);
    CHECK(scene.agent_log().find("pop-up clicked: reopening") != std::string::npos);
    const CliRun recent = scene.agent_cli({"recent"});
    CHECK(recent.out.find("Sleep " + marker) != std::string::npos);
}

TEST_CASE("an agent that started before the notification service shows its pop-ups once the "
          "service runs, and their clicks work") {
    lmharvest::test::DesktopOptions late;
    late.notifications = false;
    auto desktop = lmharvest::test::DesktopSession::start(late);
    REQUIRE(desktop);
    const std::string marker = "4242.015625";
    AgentScene scene("save", marker, env_of(**desktop));
    REQUIRE(scene.reports_app());
    INFO(scene.agent_log());
    CHECK(scene.agent_log().find("no pop-ups (notifications: no service") != std::string::npos);

    REQUIRE((*desktop)->start_notifications()); // the desktop's daemon comes after the agent
    scene.close_by_hand("save_and_close");
    REQUIRE(eventually([&] { return scene.app.has_ended(); }, 20s));
    REQUIRE(eventually([&] { return displayed_pop_ups(**desktop) == 1; }));
    CHECK(scene.agent_log().find("pop-ups: a notification service answers now") !=
          std::string::npos);
    REQUIRE((*desktop)->click_notification());
    CHECK(eventually([&] { return sleeps_with(marker).size() == 1; }, 15s)); // reopened
}

TEST_CASE("suspend, release, Resume: with no license free the user is told and the app stays "
          "stopped; when one frees the pop-up says so and its click resumes the app") {
    auto desktop = lmharvest::test::DesktopSession::start();
    REQUIRE(desktop);
    const std::string marker = "4242.03125";
    AgentScene scene("save", marker, env_of(**desktop));
    REQUIRE(scene.reports_app());
    const auto displayed = [&] { return displayed_pop_ups(**desktop); };
    const auto in_history = [&](const std::string& text) {
        std::string history;
        const bool found = eventually([&] {
            const auto got = (*desktop)->notification_history();
            history = got ? *got : got.error();
            return history.find(text) != std::string::npos;
        });
        INFO(history);
        return found;
    };

    scene.close_by_hand("suspend");
    INFO(scene.agent_log());
    REQUIRE(eventually([&] { return process_state(scene.app.pid) == 'T'; }, 20s));
    // The host released the license: the emulator saw lmremove, and a poll saw it free.
    REQUIRE(eventually([&] { return scene.has_step("release", "released"); }, 20s));
    CHECK(read_file(scene.state + ".calls").find("lmremove") != std::string::npos);
    REQUIRE(eventually([&] { return scene.matlab_used() == 0; }));
    REQUIRE(eventually([&] { return displayed() == 1; })); // "... was suspended", with Resume

    // Someone else checked the license out meanwhile: the click finds none free.
    scene.set_license_state(lmstat_one_of_one_held_by(std::time(nullptr), "alice", "ws-alice"));
    REQUIRE(eventually([&] { return scene.matlab_used() == 1; }));
    REQUIRE((*desktop)->click_notification());
    REQUIRE(eventually(
        [&] {
            return scene.agent_log().find("queued: no license free of MATLAB") != std::string::npos;
        },
        15s));
    // The "no license" pop-up has no action: it may expire before it is closed here.
    REQUIRE((*desktop)->run({"dunstctl", "close-all"}));
    CHECK(in_history("No MATLAB license is free now"));
    CHECK(in_history("sleep_handler was suspended"));
    CHECK(process_state(scene.app.pid) == 'T');
    CHECK_FALSE(scene.has_action("resume", "resumed"));

    // Alice checks in: at a report the agent asks again and offers Resume.
    scene.set_license_state(lmstat_none_of_one(std::time(nullptr)));
    REQUIRE(eventually([&] { return scene.matlab_used() == 0; }));
    REQUIRE(eventually([&] { return displayed() == 1; }, 20s));
    CHECK(process_state(scene.app.pid) == 'T'); // told, not resumed behind the user's back
    REQUIRE((*desktop)->click_notification());
    CHECK(eventually(
        [&] {
            const char state = process_state(scene.app.pid);
            return state == 'S' || state == 'R';
        },
        15s));
    CHECK(eventually([&] { return scene.has_action("resume", "resumed"); }));
    REQUIRE((*desktop)->run({"dunstctl", "close-all"}));
    CHECK(in_history("A license for MATLAB is free now"));
    CHECK(in_history("sleep_handler was resumed"));
    CHECK(!scene.app.has_ended());
}
