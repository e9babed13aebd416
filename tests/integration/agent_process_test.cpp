// The real `lmharvest agent` beside the real host (FlexNet plugin, lmutil emulator): a `sleep`
// process is the app of the test handler (tests/plugins/sleep_handler.cpp), and holds the one
// MATLAB license the emulator shows for this user on this machine.
#include "agent_scene.hpp"
#include "desktop_session.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <future>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace lmharvest::testing;
using namespace std::chrono_literals;

namespace {

const std::string handler_plugin =
    std::string(LH_BINARY_DIR) + "/test-plugins/handlers/sleep_handler.so";

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

// The scene with the test handler in `mode`, its app (`sleep <marker>`) running.
struct SleepScene : AgentScene {
    SleepScene(const std::string& mode, const std::string& marker,
               const std::map<std::string, std::string>& agent_env = {})
        : AgentScene({"[[handlers]]\nname = \"sleep_handler\"\nplugin = \"" + handler_plugin +
                          "\"\n[handlers.sleep_handler]\nmarker = \"" + marker +
                          "\"\nfeatures = [\"MATLAB\"]\nmode = \"" + mode + "\"\n",
                      AgentSceneSetup{}.harvest, agent_env}),
          marker(marker), app(marker) {
        start_agent();
    }
    ~SleepScene() {
        for (pid_t pid : sleeps_with(marker))
            ::kill(pid, SIGKILL);
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

    std::string marker;
    SleepApp app;
};

} // namespace

TEST_CASE("the agent reports its handler's app; a close with save_and_close saves and ends it, "
          "agent recent lists it and agent reopen 1 starts it again") {
    SleepScene scene("save", "4242.25");
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
    SleepScene scene("save", "4242.5");
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
    SleepScene scene("hang", "4242.75");
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
    SleepScene scene("fail", "4242.125");
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
    SleepScene scene("crash", "4242.0625");
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
    SleepScene scene("save", marker, {{"DISPLAY", (*desktop)->display()}});
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
    SleepScene scene("save", marker, env_of(**desktop));
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
    check_pop_up_history(**desktop, "Sleep " + marker + " was saved and closed");
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
    SleepScene scene("save", marker, env_of(**desktop));
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
    SleepScene scene("save", marker, env_of(**desktop));
    REQUIRE(scene.reports_app());
    const auto displayed = [&] { return displayed_pop_ups(**desktop); };

    scene.close_by_hand("suspend");
    INFO(scene.agent_log());
    REQUIRE(eventually([&] { return process_state(scene.app.pid) == 'T'; }, 20s));
    // The host released the license: the emulator saw lmremove, and a poll saw it free.
    REQUIRE(eventually([&] { return scene.has_step("release", "released"); }, 20s));
    CHECK(scene.license_tool_calls().find("lmremove") != std::string::npos);
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
    check_pop_up_history(**desktop, "No MATLAB license is free now");
    check_pop_up_history(**desktop, "sleep_handler was suspended");
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
    check_pop_up_history(**desktop, "A license for MATLAB is free now");
    check_pop_up_history(**desktop, "sleep_handler was resumed");
    CHECK(!scene.app.has_ended());
}
