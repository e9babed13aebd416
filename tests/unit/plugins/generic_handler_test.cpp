// The generic handler plugin (plugins/generic) as the agent uses it: the real generic.so through
// load_plugin, its table from TOML, and real processes read from /proc.
#include "built_plugin.hpp"
#include "handler_calls.hpp"
#include "plugin_test_support.hpp"
#include "plugins/loaded_plugin.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace lmharvest;
using lmharvest::test::HandlerCalls;
using lmharvest::test::table_from;
using lmharvest::test::TestProcess;

namespace {

std::shared_ptr<const LoadedPlugin> load_generic() {
    return lmharvest::test::load_built_plugin("generic");
}

// A real process started through a symlink named `name` to /bin/sleep: its /proc/PID/exe is
// sleep, its argv[0] is the link. Killed and reaped on destruction.
class RenamedSleep {
public:
    explicit RenamedSleep(const std::string& name) {
        const auto dir = std::filesystem::path(LH_BINARY_DIR) / "test-state" /
                         ("generic-" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir);
        link_ = dir / name;
        std::filesystem::remove(link_);
        std::filesystem::create_symlink("/bin/sleep", link_);
        pid_ = ::fork();
        REQUIRE(pid_ >= 0);
        if (pid_ == 0) {
            ::execl(link_.c_str(), link_.c_str(), "30", static_cast<char*>(nullptr));
            ::_exit(127);
        }
    }
    ~RenamedSleep() {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
    }
    RenamedSleep(const RenamedSleep&) = delete;
    RenamedSleep& operator=(const RenamedSleep&) = delete;

    /// The process as /proc describes it once exec has happened (within 10 s).
    TestProcess read_proc() const {
        const std::string proc = "/proc/" + std::to_string(pid_);
        for (int attempt = 0; attempt < 1000; ++attempt) {
            std::ifstream file(proc + "/cmdline");
            std::string command_line((std::istreambuf_iterator<char>(file)), {});
            std::replace(command_line.begin(), command_line.end(), '\0', ' ');
            std::error_code error;
            const auto exe = std::filesystem::read_symlink(proc + "/exe", error);
            if (!error && command_line.rfind(link_.string(), 0) == 0)
                return {pid_, exe.string(), command_line};
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        FAIL("the process never showed its command line");
        return {};
    }

private:
    std::filesystem::path link_;
    pid_t pid_ = -1;
};

std::string create_error(const std::string& table) {
    HandlerCalls calls(load_generic(), table_from(table));
    std::string error;
    CHECK(calls.create(&error) != LH_OK);
    return error;
}

} // namespace

TEST_CASE("the generic plugin is a handler without save_and_close") {
    const auto plugin = load_generic();
    CHECK(plugin->info.name == "generic");
    CHECK(plugin->info.kinds == LH_KIND_HANDLER);
    CHECK(plugin->info.capabilities == 0);
    CHECK(plugin->descriptor->handler->save_and_close == nullptr);
    CHECK(plugin->descriptor->handler->save_and_close_by == nullptr);
}

TEST_CASE("a real process is matched by the file name of its argv[0]") {
    const RenamedSleep app("lh-fake-xclock");
    const TestProcess process = app.read_proc();
    REQUIRE(std::filesystem::path(process.executable).filename() != "lh-fake-xclock");

    HandlerCalls calls(load_generic(), table_from(R"(apps = ["xclock", "xterm"]
xclock.executables = ["lh-fake-xclock"]
xclock.features = ["XCLOCK_FEATURE", "XCLOCK_EXTRA"]
xterm.features = ["XTERM"]
)"));
    REQUIRE(calls.create() == LH_OK);
    CHECK(calls.match(process) == "XCLOCK_FEATURE");
    std::vector<std::string> features;
    CHECK(calls.features(process, features) == LH_OK);
    CHECK(features == std::vector<std::string>{"XCLOCK_FEATURE", "XCLOCK_EXTRA"});
}

TEST_CASE("a real process is matched by the file name of /proc/PID/exe") {
    const RenamedSleep app("lh-not-listed");
    const TestProcess process = app.read_proc();
    const std::string exe_name = std::filesystem::path(process.executable).filename().string();

    HandlerCalls calls(load_generic(), table_from("apps = [\"sleeper\"]\nsleeper.executables = "
                                                  "[\"" +
                                                  exe_name +
                                                  "\"]\nsleeper.features = "
                                                  "[\"SLEEP\"]\n"));
    REQUIRE(calls.create() == LH_OK);
    CHECK(calls.match(process) == "SLEEP");
}

TEST_CASE("an app's executable defaults to its name; other processes are not matched") {
    HandlerCalls calls(load_generic(), table_from(R"(apps = ["xclock"]
xclock.features = ["XCLOCK_FEATURE"]
)"));
    REQUIRE(calls.create() == LH_OK);
    CHECK(calls.match({1, "/usr/bin/xclock", "xclock -digital"}) == "XCLOCK_FEATURE");
    lh_status status = LH_OK;
    CHECK(calls.match({2, "/usr/bin/xclockish", "/usr/bin/xclockish"}, &status).empty());
    CHECK(status == LH_ERR_NOT_FOUND);
    std::vector<std::string> none;
    CHECK(calls.features({3, "/usr/bin/xterm", "xterm -e xclock"}, none) == LH_ERR_NOT_FOUND);
}

TEST_CASE("a wrong generic table fails create with a message naming the key") {
    CHECK(create_error("") ==
          "generic: apps is missing or empty; list at least one, e.g. apps = [\"xclock\"]");
    CHECK(create_error("apps = []") ==
          "generic: apps is missing or empty; list at least one, e.g. apps = [\"xclock\"]");
    CHECK(create_error("apps = \"xclock\"") == "config key 'apps' has the wrong type");
    CHECK(create_error("apps = [\"x.clock\"]") ==
          "generic: apps holds 'x.clock'; an app name is letters, digits, '_' and '-' (it names "
          "the table [handlers.generic.x.clock])");
    CHECK(create_error("apps = [\"xclock\", \"xclock\"]\nxclock.features = [\"F\"]") ==
          "generic: apps names 'xclock' twice");
    CHECK(create_error("apps = [\"xclock\"]") ==
          "generic: xclock.features is missing or empty; list at least one, e.g. "
          "xclock.features = [\"FEATURE\"]");
    CHECK(create_error("apps = [\"xclock\"]\nxclock.features = [\"F\"]\n"
                       "xclock.executables = [\"/usr/bin/xclock\"]") ==
          "generic: xclock.executables holds the path '/usr/bin/xclock'; give the file's name "
          "only (\"xclock\")");
    CHECK(create_error("apps = [\"a\", \"b\"]\na.features = [\"F\"]\nb.features = [\"G\"]\n"
                       "b.executables = [\"a\"]") ==
          "generic: executable 'a' is claimed by both a and b; a process can be one app only");
}
