// The whole chain with a real GNU Octave: the host (FlexNet plugin, lmutil emulator) sees MATLAB
// full, and the one session idle past max_idle by the agent's report; the harvester asks the
// agent to save and close; the real matlab.so saves the workspace through the real extension
// and Octave exits; the host releases the license with lmremove; the pop-up shows on dunst, its
// Reopen (clicked through dunstctl) brings Octave back on the saved workspace; when that Octave
// holds the license again and sits idle, it is saved once more, with the user's variables.
#include "agent_scene.hpp"
#include "child_process.hpp"
#include "desktop_session.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>

using namespace lmharvest::testing;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

const std::string matlab_plugin = std::string(LH_BINARY_DIR) + "/plugins/matlab.so";
const std::string variables = "x = 42; s = 'hello'; m = [1 2; 3 4];";

// The harvester acts on the first report that shows the app idle for 10 s: nothing waits
// 20 minutes, and Octave is up (its extension answers) well before.
const std::string harvest_now = "[harvest]\ndry_run = false\nagent_timeout = \"40s\"\n"
                                "max_idle = \"10s\"\nmin_session_age = \"0s\"\n";

// The agent with matlab.so; each Octave it reopens runs on a terminal of its own (pty_run), as
// Octave calls its input event hooks only while readline waits at a terminal.
std::string matlab_handler() {
    return "[[handlers]]\nname = \"matlab\"\nplugin = \"" + matlab_plugin +
           "\"\n[handlers.matlab]\nextension_dir = \"" LH_MFILES_DIR "\"\n"
           "octave = [\"" LH_PTY_RUN "\", \"octave-cli\", \"-q\", \"--norc\", \"--no-history\"]\n";
}

// The running octave-cli processes with a heartbeat in `mailbox` (one folder per pid).
std::vector<pid_t> octaves_in(const fs::path& mailbox) {
    std::vector<pid_t> pids;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(mailbox, error))
        if (fs::exists(entry.path() / "status") &&
            process_state(std::stoi(entry.path().filename())))
            pids.push_back(std::stoi(entry.path().filename()));
    return pids;
}

// The workspaces saved in `folder`, oldest first (names carry the time).
std::vector<fs::path> saved_workspaces(const fs::path& folder) {
    std::vector<fs::path> found;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(folder, error))
        if (entry.path().extension() == ".mat")
            found.push_back(entry.path());
    std::sort(found.begin(), found.end(), [](const fs::path& a, const fs::path& b) {
        return fs::last_write_time(a) < fs::last_write_time(b);
    });
    return found;
}

// What a fresh batch octave-cli finds in a saved workspace: "x|s|m" printed by Octave itself.
std::string load_in_octave(const fs::path& workspace) {
    const CliRun batch = run_program(
        {"octave-cli", "-q", "--norc", "--no-history", "--eval",
         "load('" + workspace.string() + "'); printf('%d|%s|%s\\n', x, s, mat2str(m));"});
    CHECK(batch.exit_code == 0);
    return batch.out;
}

// The user's first Octave, started on its terminal with the extension and the variables.
// Every Octave of the mailbox (this one, a reopened one) is killed when the test ends.
class UserOctave {
public:
    UserOctave(const fs::path& home, const fs::path& mailbox) : mailbox_(mailbox) {
        auto started = lmharvest::test::ChildProcess::start(
            {LH_PTY_RUN, "octave-cli", "-q", "--norc", "--no-history", "--persist", "--eval",
             variables + " addpath('" LH_MFILES_DIR "'); lmharvest_extension('start');"},
            {{{"HOME", home.string()}, {"LMHARVEST_MAILBOX", mailbox.string()}},
             home / "octave.log",
             {}});
        REQUIRE(started);
        terminal_ = std::move(*started);
        REQUIRE(
            eventually([&] { return !lmharvest::test::children_of(terminal_->pid()).empty(); }));
        pid_ = lmharvest::test::children_of(terminal_->pid()).front();
    }
    ~UserOctave() {
        // Each Octave has its own session on its terminal: its terminal's group stop misses it.
        for (pid_t pid : octaves_in(mailbox_))
            ::kill(pid, SIGKILL);
        ::kill(pid_, SIGKILL);
    }
    pid_t pid() const { return pid_; }
    std::string output() const { return lmharvest::test::read_text(terminal_->output()); }

private:
    fs::path mailbox_;
    std::unique_ptr<lmharvest::test::ChildProcess> terminal_;
    pid_t pid_ = 0;
};

} // namespace

TEST_CASE("a real Octave left idle on a full MATLAB is saved and closed by the harvest, its "
          "license released; the pop-up's Reopen brings it back with the user's variables") {
    auto desktop = lmharvest::test::DesktopSession::start();
    REQUIRE(desktop);
    AgentScene scene({matlab_handler(), harvest_now, env_of(**desktop)});
    scene.start_agent();
    const fs::path mailbox = scene.dir / "state" / "handlers" / "matlab" / "mailbox";
    REQUIRE(eventually([&] { return fs::is_directory(mailbox); })); // the handler made it, 0700
    UserOctave octave(scene.dir.path(), mailbox);
    INFO(scene.agent_log() << "\n--- octave:\n" << octave.output());
    REQUIRE(eventually([&] { return octaves_in(mailbox).size() == 1; }));

    // Reported with its feature and the handler's methods; then idle, and harvested.
    REQUIRE(eventually([&] { return !scene.reported(octave.pid()).is_null(); }));
    CHECK(scene.reported(octave.pid()).at("features") == nlohmann::json{"MATLAB"});
    CHECK(scene.reported(octave.pid()).at("handler") == "matlab");
    REQUIRE(eventually([&] { return process_state(octave.pid()) == 0; }, 90s));
    CHECK(eventually([&] { return scene.has_step("agent_result", "saved_and_closed"); }));
    REQUIRE(eventually([&] { return scene.has_step("release", "released"); }, 20s));
    CHECK(scene.license_tool_calls().find("lmremove") != std::string::npos);
    CHECK(eventually([&] { return scene.matlab_used() == 0; }));
    CHECK(eventually([&] { return scene.has_step("confirm", "confirmed"); }));
    const std::vector<fs::path> first = saved_workspaces(scene.dir / "saved");
    REQUIRE(first.size() == 1);
    CHECK(load_in_octave(first[0]) == "42|hello|[1 2;3 4]\n");

    const CliRun recent = scene.agent_cli({"recent"});
    CHECK(recent.exit_code == 0);
    CHECK(recent.out.find(first[0].string()) != std::string::npos);
    CHECK(recent.out.find("Octave") != std::string::npos);

    // The pop-up; its click reopens Octave on the saved workspace, with the extension.
    REQUIRE(eventually([&] { return displayed_pop_ups(**desktop) == 1; }));
    REQUIRE((*desktop)->click_notification());
    REQUIRE(eventually([&] { return octaves_in(mailbox).size() == 1; }, 30s));
    const pid_t reopened = octaves_in(mailbox).front();
    CHECK(reopened != octave.pid());
    CHECK(scene.agent_log().find("pop-up clicked: reopening") != std::string::npos);

    // The reopened Octave checks its license out again (a new checkout) and sits idle: the
    // harvest saves it once more, and what it saves are the user's variables.
    scene.set_license_state(
        replace_once(lmstat_one_of_one(std::time(nullptr)), "27000 101)", "27000 202)"));
    const bool saved_again = eventually([&] { return process_state(reopened) == 0; }, 90s);
    INFO("--- the agent, at the end:\n"
         << scene.agent_log() << "--- the host:\n"
         << scene.host.host().log());
    REQUIRE(saved_again);
    REQUIRE(eventually([&] { return saved_workspaces(scene.dir / "saved").size() == 2; }));
    const fs::path second = saved_workspaces(scene.dir / "saved")[1];
    CHECK(second != first[0]); // never overwritten
    CHECK(load_in_octave(second) == "42|hello|[1 2;3 4]\n");
    REQUIRE((*desktop)->run({"dunstctl", "close-all"}));
    check_pop_up_history(**desktop, "was saved and closed");
}
