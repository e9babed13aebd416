// The real matlab.so, loaded as the agent loads it (load_plugin, the host's API, a TOML table),
// against real octave-cli processes running the real extension (plugins/matlab/mfiles). Each
// octave-cli runs on a pseudo-terminal (pty_run): Octave calls its input event hooks only while
// readline waits at a terminal.
#include "built_plugin.hpp"
#include "child_process.hpp"
#include "handler_calls.hpp"
#include "process/run_process.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <dirent.h>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <functional>
#include <lmharvest/plugin.h>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <toml++/toml.h>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using lmharvest::test::HandlerCalls;
using lmharvest::test::TestProcess;

namespace {

// matlab.so through the agent's loader and the host's API, once for the whole run.
std::shared_ptr<const lmharvest::LoadedPlugin> matlab_plugin() {
    static const auto loaded = lmharvest::test::load_built_plugin("matlab");
    REQUIRE((loaded->descriptor->kinds & LH_KIND_HANDLER) != 0);
    REQUIRE((loaded->descriptor->capabilities & LH_CAP_SAVE_AND_CLOSE) != 0);
    return loaded;
}

bool eventually(const std::function<bool()>& condition, std::chrono::seconds within = 20s) {
    const auto until = std::chrono::steady_clock::now() + within;
    while (std::chrono::steady_clock::now() < until) {
        if (condition())
            return true;
        std::this_thread::sleep_for(100ms);
    }
    return condition();
}

bool running(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat;
    if (!std::getline(in, stat))
        return false;
    const char state = stat[stat.rfind(')') + 2];
    return state != 'Z' && state != 'X';
}

std::string read_file(const fs::path& file) {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// A private test folder: HOME, the handler's state_dir (0700) and the saved-projects folder.
struct Workspace {
    fs::path dir;
    fs::path state, saved, mailbox;
    toml::table config; // [handlers.matlab]
    Workspace() {
        std::string pattern = (fs::temp_directory_path() / "lh-matlab-XXXXXX").string();
        dir = ::mkdtemp(pattern.data());
        state = dir / "state";
        saved = dir / "saved";
        mailbox = state / "mailbox";
        fs::create_directory(state);
        fs::permissions(state, fs::perms::owner_all);
        config.insert_or_assign("extension_dir", LH_MFILES_DIR);
        config.insert_or_assign(
            "octave", toml::array{LH_PTY_RUN, "octave-cli", "-q", "--norc", "--no-history"});
    }
    ~Workspace() { fs::remove_all(dir); }
};

// One handler instance, made through create_in as an ABI 1.1 agent does.
class Handler {
public:
    explicit Handler(const Workspace& workspace)
        : calls_(matlab_plugin(), lmharvest::PluginTable(workspace.config, "lmharvest.toml"),
                 workspace.state.string(), workspace.saved.string()),
          saved_dir_(workspace.saved.string()) {
        REQUIRE(calls_.is_v1_1());
        REQUIRE(calls_.handler().create_in); // HandlerCalls::create then calls it
        std::string error;
        const lh_status created = calls_.create(&error);
        INFO(error);
        REQUIRE(created == LH_OK);
    }

    std::vector<std::string> features(const std::string& executable,
                                      const std::string& command_line) {
        std::vector<std::string> found;
        const lh_status status = calls_.features({0, executable, command_line}, found);
        CHECK((status == LH_OK) == !found.empty());
        return found;
    }

    int32_t activity(pid_t pid) {
        const TestProcess process{pid, "", ""};
        const lh_process_info info = process.info();
        lh_app_activity out{};
        out.struct_size = sizeof out;
        out.state = -1;
        REQUIRE(calls_.handler().activity(calls_.instance(), &info, &out) == LH_OK);
        return out.state;
    }

    struct Saved {
        lh_status status = LH_OK;
        std::string error;
        std::vector<std::pair<std::string, std::string>> projects; // application, path
    };
    Saved save_and_close(pid_t pid, uint32_t deadline_ms) {
        lh_save_request request{};
        request.struct_size = sizeof request;
        request.pid = pid;
        request.deadline_ms = deadline_ms;
        request.saved_dir = saved_dir_.c_str();
        request.reason = "idle 47 min, MATLAB 10 of 10 in use";
        const HandlerCalls::Saved ran = calls_.save(pid, &request);
        Saved saved;
        saved.status = ran.status;
        for (size_t i = 0; i < ran.paths.size(); ++i)
            saved.projects.emplace_back(ran.applications[i], ran.paths[i]);
        if (saved.status != LH_OK)
            saved.error = calls_.last_error();
        return saved;
    }

    lh_status reopen(const std::string& application, const std::string& path) {
        lh_saved_project project{};
        project.struct_size = sizeof project;
        project.application = application.c_str();
        project.path = path.c_str();
        return calls_.handler().reopen(calls_.instance(), &project);
    }
    std::string last_error() { return calls_.last_error(); }

private:
    HandlerCalls calls_;
    std::string saved_dir_;
};

// An octave-cli on its own terminal, started by the test and killed with it.
class Octave {
public:
    // `code` runs at start (--eval), then Octave waits at its prompt (--persist).
    Octave(const Workspace& workspace, const std::string& code, bool read_octaverc = false) {
        log_ = workspace.dir / ("octave-" + std::to_string(++count_) + ".log");
        const std::string home = workspace.dir.string(), mailbox = workspace.mailbox.string();
        pty_run_ = ::fork();
        REQUIRE(pty_run_ >= 0);
        if (pty_run_ == 0) {
            ::setpgid(0, 0);
            const int log = ::open(log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
            ::dup2(log, 1);
            ::dup2(log, 2);
            ::setenv("HOME", home.c_str(), 1);
            ::setenv("LMHARVEST_MAILBOX", mailbox.c_str(), 1);
            ::execl(LH_PTY_RUN, LH_PTY_RUN, "octave-cli", "-q", "--no-history",
                    read_octaverc ? "--no-gui" : "--norc", "--persist", "--eval", code.c_str(),
                    nullptr);
            ::_exit(127);
        }
        REQUIRE(eventually([&] { return !lmharvest::test::children_of(pty_run_).empty(); }));
        pid_ = lmharvest::test::children_of(pty_run_).front();
    }
    ~Octave() {
        // The app first (it has its own session on the terminal), then its terminal.
        if (running(pid_))
            ::kill(pid_, SIGKILL);
        ::kill(-pty_run_, SIGKILL);
        ::waitpid(pty_run_, nullptr, 0);
    }
    pid_t pid() const { return pid_; }
    std::string output() const { return read_file(log_); }

private:
    static inline int count_ = 0;
    fs::path log_;
    pid_t pty_run_ = 0;
    pid_t pid_ = 0;
};

// Kills a process the handler started (reopen), if the test did not see it exit.
struct KillAtEnd {
    pid_t pid = 0;
    ~KillAtEnd() {
        if (pid > 0 && running(pid))
            ::kill(pid, SIGKILL);
    }
};

std::string with_extension(const std::string& code) {
    return code + " addpath('" LH_MFILES_DIR "'); lmharvest_extension('start');";
}

bool has_heartbeat(const Workspace& workspace, pid_t pid) {
    return fs::exists(workspace.mailbox / std::to_string(pid) / "status");
}

struct Batch {
    int exit_code = -1;
    std::string out;
};

// Runs M code in a batch octave-cli (no terminal, no ~/.octaverc).
Batch run_octave(const std::string& code) {
    lmharvest::ProcessRequest request;
    request.argv = {"octave-cli", "-q", "--norc", "--no-history", "--eval", code};
    request.timeout = 60s;
    Batch batch;
    request.on_output = [&](lmharvest::OutputStream, std::string_view data) {
        batch.out.append(data);
    };
    const lmharvest::ProcessResult ran = lmharvest::run_process(request);
    REQUIRE(ran.started);
    batch.exit_code = ran.exit_code;
    return batch;
}

// What a fresh octave-cli finds in a saved workspace: "x|s|m" printed by Octave itself.
std::string load_in_octave(const std::string& path) {
    const Batch batch =
        run_octave("load('" + path + "'); printf('%d|%s|%s\\n', x, s, mat2str(m));");
    CHECK(batch.exit_code == 0);
    return batch.out;
}

const std::string variables = "x = 42; s = 'hello'; m = [1 2; 3 4];";

} // namespace

TEST_CASE("matlab handler: matches MATLAB and Octave processes to the configured features") {
    Workspace workspace;
    Handler defaults(workspace);
    CHECK(defaults.features("/usr/bin/octave-cli", "octave-cli -q") ==
          std::vector<std::string>{"MATLAB"});
    CHECK(defaults.features("/usr/bin/octave-gui-7.3.0", "") == std::vector<std::string>{"MATLAB"});
    CHECK(defaults.features("/usr/local/MATLAB/R2024b/bin/glnxa64/MATLAB", "") ==
          std::vector<std::string>{"MATLAB"});
    CHECK(defaults.features("", "/opt/bin/matlab -nodesktop") ==
          std::vector<std::string>{"MATLAB"});
    CHECK(defaults.features("/usr/bin/python3", "python3 octave.py").empty());
    CHECK(defaults.features("/usr/bin/octavia", "octavia").empty());

    workspace.config.insert_or_assign("features", toml::array{"MATLAB", "Signal_Toolbox"});
    Handler toolboxes(workspace);
    CHECK(toolboxes.features("/usr/bin/octave", "octave") ==
          std::vector<std::string>{"MATLAB", "Signal_Toolbox"});
}

TEST_CASE("matlab handler: saves an Octave workspace, closes Octave, and reopens it") {
    Workspace workspace;
    Handler handler(workspace);
    Octave octave(workspace, with_extension(variables));
    REQUIRE(eventually([&] { return has_heartbeat(workspace, octave.pid()); }));
    const fs::path box = workspace.mailbox / std::to_string(octave.pid());
    CHECK((fs::status(box).permissions() & fs::perms::all) == fs::perms::owner_all);
    CHECK(eventually([&] { return handler.activity(octave.pid()) == LH_ACTIVITY_WAITING; }));

    const Handler::Saved first = handler.save_and_close(octave.pid(), 30000);
    INFO(first.error << "\n" << octave.output());
    REQUIRE(first.status == LH_OK);
    CHECK_FALSE(running(octave.pid()));
    REQUIRE(first.projects.size() == 1);
    const auto& [application, path] = first.projects.front();
    CHECK(application.rfind("Octave ", 0) == 0);
    CHECK(fs::path(path).parent_path() == workspace.saved);
    CHECK(fs::path(path).filename().string().rfind("octave-", 0) == 0);
    CHECK(fs::path(path).extension() == ".mat"); // MAT v7: MATLAB reads it too
    CHECK(load_in_octave(path) == "42|hello|[1 2;3 4]\n");
    CHECK_FALSE(fs::exists(box)); // the mailbox of a closed app is cleaned up

    // Reopen starts a new Octave on the saved workspace, with the extension: it answers a
    // second save_and_close, and that second file holds the same variables.
    REQUIRE(handler.reopen(application, path) == LH_OK);
    KillAtEnd reopened;
    REQUIRE(eventually([&] {
        for (const auto& entry : fs::directory_iterator(workspace.mailbox))
            if (fs::exists(entry.path() / "status"))
                reopened.pid = std::stoi(entry.path().filename().string());
        return reopened.pid > 0;
    }));
    CHECK(reopened.pid != octave.pid());
    // in the folder the user was in (the test's, where the first Octave started)
    CHECK(fs::read_symlink("/proc/" + std::to_string(reopened.pid) + "/cwd") == fs::current_path());
    const Handler::Saved second = handler.save_and_close(reopened.pid, 30000);
    INFO(second.error << "\n" << read_file(workspace.state / "reopen.log"));
    REQUIRE(second.status == LH_OK);
    REQUIRE(second.projects.size() == 1);
    CHECK(second.projects.front().second != path); // never overwritten
    CHECK(load_in_octave(second.projects.front().second) == "42|hello|[1 2;3 4]\n");
    CHECK(eventually([&] { return !running(reopened.pid); }));
}

TEST_CASE("matlab handler: a busy Octave is BUSY and is left running at the deadline") {
    Workspace workspace;
    workspace.config.insert_or_assign("heartbeat_stale", "2s");
    Handler handler(workspace);
    // The extension starts (one heartbeat), then a computation of 10 s keeps Octave from its
    // prompt: no input event hook runs, the heartbeat goes stale.
    Octave octave(workspace, with_extension(variables) + " t = tic; while toc(t) < 10, end");
    REQUIRE(eventually([&] { return has_heartbeat(workspace, octave.pid()); }));
    CHECK(eventually([&] { return handler.activity(octave.pid()) == LH_ACTIVITY_BUSY; }));

    const Handler::Saved saved = handler.save_and_close(octave.pid(), 1500);
    CHECK(saved.status == LH_ERR_TIMEOUT);
    CHECK(saved.error.find("did not take the command") != std::string::npos);
    CHECK(saved.projects.empty());
    CHECK(running(octave.pid()));
    const fs::path box = workspace.mailbox / std::to_string(octave.pid());
    CHECK_FALSE(fs::exists(box / "command"));

    // When the loop ends the app is back at its prompt: the extension beats again and, the
    // command having been withdrawn, does not save or exit.
    CHECK(eventually([&] { return handler.activity(octave.pid()) == LH_ACTIVITY_WAITING; }));
    std::this_thread::sleep_for(1s);
    CHECK(running(octave.pid()));
    CHECK_FALSE(fs::exists(box / "result"));
    CHECK((!fs::exists(workspace.saved) || fs::is_empty(workspace.saved)));
}

TEST_CASE("matlab handler: a mailbox that is not private is refused on both sides") {
    Workspace workspace;
    Handler handler(workspace); // creates the mailbox folder, 0700

    SECTION("the extension refuses a mailbox others can read") {
        fs::permissions(workspace.mailbox, fs::perms::group_read | fs::perms::group_exec,
                        fs::perm_options::add);
        Octave octave(workspace, with_extension(variables));
        CHECK(eventually([&] {
            return octave.output().find("lmharvest extension is off") != std::string::npos;
        }));
        CHECK(octave.output().find("it must be 0700") != std::string::npos);
        CHECK_FALSE(has_heartbeat(workspace, octave.pid()));
        const Handler::Saved saved = handler.save_and_close(octave.pid(), 3000);
        CHECK(saved.status == LH_ERR_UNSUPPORTED);
        CHECK(running(octave.pid()));
    }
    SECTION("the handler refuses a process mailbox that became readable") {
        Octave octave(workspace, with_extension(variables));
        REQUIRE(eventually([&] { return has_heartbeat(workspace, octave.pid()); }));
        const fs::path box = workspace.mailbox / std::to_string(octave.pid());
        fs::permissions(box, fs::perms::others_read | fs::perms::others_exec,
                        fs::perm_options::add);
        const Handler::Saved saved = handler.save_and_close(octave.pid(), 3000);
        CHECK(saved.status == LH_ERR_PERMISSION);
        CHECK(saved.error.find("mode 0705") != std::string::npos);
        CHECK_FALSE(fs::exists(box / "command"));
        std::this_thread::sleep_for(1s);
        CHECK(running(octave.pid()));
    }
}

TEST_CASE("matlab handler: reopens a MATLAB project with the extension and a load, no shell") {
    Workspace workspace;
    workspace.config.insert_or_assign(
        "matlab", toml::array{"/bin/echo", "matlab", "-desktop"}); // prints its argv
    Handler handler(workspace);
    fs::create_directories(workspace.saved);
    const fs::path project = workspace.saved / "matlab-jberg-20261201-101500.mat";
    std::ofstream(project) << "MATLAB 5.0 MAT-file\n";
    REQUIRE(handler.reopen("MATLAB R2024b", project.string()) == LH_OK);
    const std::string expected = "matlab -desktop -r addpath('" LH_MFILES_DIR "'); load('" +
                                 project.string() + "'); lmharvest_extension('start');\n";
    CHECK(eventually([&] { return read_file(workspace.state / "reopen.log") == expected; }, 10s));
}

TEST_CASE("matlab handler: a process without the extension gets a clear error and keeps running") {
    Workspace workspace;
    Handler handler(workspace);
    Octave octave(workspace, variables);
    std::this_thread::sleep_for(2s); // long enough for an extension to have beaten
    CHECK(handler.activity(octave.pid()) == LH_ACTIVITY_UNKNOWN);
    // A heartbeat left by an earlier process with the same pid does not speak for this one.
    const fs::path box = workspace.mailbox / std::to_string(octave.pid());
    fs::create_directory(box);
    fs::permissions(box, fs::perms::owner_all);
    std::ofstream(box / "status") << "pid=" << octave.pid() << "\nstate=waiting\n";
    fs::last_write_time(box / "status", fs::file_time_type::clock::now() - 1h);
    CHECK(handler.activity(octave.pid()) == LH_ACTIVITY_UNKNOWN);
    const Handler::Saved saved = handler.save_and_close(octave.pid(), 3000);
    CHECK(saved.status == LH_ERR_UNSUPPORTED);
    CHECK(saved.error.find("has no lmharvest extension") != std::string::npos);
    CHECK(running(octave.pid()));
    CHECK(handler.reopen("Octave 7.3.0", (workspace.dir / "missing.mat").string()) ==
          LH_ERR_NOT_FOUND);
    const fs::path project = workspace.dir / "site.aprx";
    std::ofstream(project) << "not a workspace\n";
    CHECK(handler.reopen("ArcGIS Pro 3.1", project.string()) == LH_ERR_INVALID_ARGUMENT);
    CHECK(handler.last_error().find("ArcGIS Pro 3.1") != std::string::npos);
}

TEST_CASE(
    "matlab extension: the MATLAB branch (timer) saves and exits, run with a stand-in timer") {
    // Octave has no timer(): tests/handlers/matlab_stubs/ gives one that keeps its settings,
    // and the test calls its TimerFcn as MATLAB would every second.
    Workspace workspace;
    fs::create_directories(workspace.saved);
    ::setenv("LMHARVEST_MAILBOX", workspace.mailbox.c_str(), 1);
    const Batch batch = run_octave(
        "addpath('" LH_MATLAB_STUBS_DIR "'); addpath('" LH_MFILES_DIR "'); " + variables +
        " global lmharvest_test_timers; lmharvest_test_timers = {};"
        " lmharvest_extension('start', 'timer');"
        " t = lmharvest_test_timers{1};"
        " printf('timer %s %g %s\\n', t.ExecutionMode, t.Period, t.BusyMode);"
        " box = fullfile(getenv('LMHARVEST_MAILBOX'), sprintf('%d', getpid()));"
        " printf('status %d\\n', exist(fullfile(box, 'status'), 'file'));"
        " fid = fopen(fullfile(box, 'command.tmp'), 'w');"
        " fprintf(fid, 'command=save_and_close\\nid=t1\\nsaved_dir=" +
        workspace.saved.string() +
        "\\nuser=tester\\n'); fclose(fid);"
        " rename(fullfile(box, 'command.tmp'), fullfile(box, 'command'));"
        " pause(0.6); t.TimerFcn(t, []); disp('not closed'); exit(3);");
    ::unsetenv("LMHARVEST_MAILBOX");
    INFO(batch.out);
    CHECK(batch.exit_code == 0);
    CHECK(batch.out.find("timer fixedSpacing 1 drop") != std::string::npos);
    CHECK(batch.out.find("status 2") != std::string::npos);
    CHECK(batch.out.find("not closed") == std::string::npos);
    std::vector<fs::path> results;
    for (const auto& entry : fs::directory_iterator(workspace.mailbox))
        results.push_back(entry.path() / "result");
    REQUIRE(results.size() == 1);
    const std::string result = read_file(results.front());
    CHECK(result.find("id=t1\nstatus=ok\n") != std::string::npos);
    const size_t at = result.find("workspace=");
    REQUIRE(at != std::string::npos);
    const std::string path = result.substr(at + 10, result.find('\n', at) - at - 10);
    CHECK(fs::path(path).filename().string().rfind("octave-tester-", 0) == 0);
    // The workspace holds `t`, with a function handle, which MAT v7 from Octave cannot hold:
    // the whole workspace is kept in Octave's own format instead.
    CHECK(fs::path(path).extension() == ".octave");
    CHECK(load_in_octave(path) == "42|hello|[1 2;3 4]\n");
}

TEST_CASE("matlab extension: install adds the start line to ~/.octaverc once, and it works") {
    Workspace workspace;
    const std::string home = workspace.dir.string();
    const Batch installed =
        run_octave("setenv('HOME', '" + home +
                   "'); addpath('" LH_MFILES_DIR "'); lmharvest_extension('install');"
                   " lmharvest_extension('install');");
    INFO(installed.out);
    CHECK(installed.exit_code == 0);
    CHECK(installed.out.find("added to " + home + "/.octaverc") != std::string::npos);
    CHECK(installed.out.find("already starts it") != std::string::npos);
    const std::string octaverc = read_file(workspace.dir / ".octaverc");
    const std::string line = "addpath('" LH_MFILES_DIR "'); lmharvest_extension('start');";
    CHECK(octaverc.find(line) != std::string::npos);
    CHECK(octaverc.find(line) == octaverc.rfind(line));

    // An Octave the user starts (reading ~/.octaverc) now answers the agent.
    Octave octave(workspace, variables, true);
    CHECK(eventually([&] { return has_heartbeat(workspace, octave.pid()); }));
}
