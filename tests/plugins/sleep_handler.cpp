// A save-and-close handler for the agent's tests, on the C++ layer: its "app" is a `sleep`
// process whose command line holds a marker, so that a test starts an app with one exec.
//
// [handlers.sleep_handler]
//   marker = "4242.5"          required: the app is `sleep <marker>`
//   features = ["F1", "F2"]    what the app holds (default ["F1"])
//   mode = "save"              save: write <saved_dir>/<pid>.project, end the app, report it
//                              hang: never answer before the deadline (the app keeps running)
//                              fail: throw (the app keeps running)
//                              crash: abort() (the app keeps running; the agent must live)
//   busy = true                activity() says a job runs
//
// reopen starts `sleep <marker>` again, detached.
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <lmharvest/plugin.hpp>
#include <spawn.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace {

using lmharvest::sdk::Error;
using namespace std::chrono_literals;

class SleepHandler {
public:
    explicit SleepHandler(const lmharvest::sdk::HandlerSetup& setup)
        : saved_dir_(setup.saved_dir()) {
        auto marker = setup.get_string("marker");
        if (!marker)
            throw Error(LH_ERR_INVALID_ARGUMENT, "key 'marker' is required");
        marker_ = *marker;
        features_ = setup.get_string_list("features").value_or(std::vector<std::string>{"F1"});
        mode_ = setup.get_string("mode").value_or("save");
        busy_ = setup.get_bool("busy").value_or(false);
    }

    std::vector<std::string> features(const lmharvest::sdk::Process& process) {
        return process.command_line == "sleep " + marker_ ? features_ : std::vector<std::string>{};
    }

    lmharvest::sdk::Activity activity(const lmharvest::sdk::Process&) {
        return busy_ ? lmharvest::sdk::Activity::busy : lmharvest::sdk::Activity::waiting;
    }

    void save_and_close(const lmharvest::sdk::SaveRequest& request,
                        lmharvest::sdk::SavedProjectSink& sink) {
        if (mode_ == "fail")
            throw Error(LH_ERR_GENERIC, "the test handler was told to fail");
        if (mode_ == "crash")
            std::abort();
        if (mode_ == "hang") {
            std::this_thread::sleep_for(std::chrono::milliseconds(request.deadline_ms) + 60s);
            throw Error(LH_ERR_TIMEOUT, "hung");
        }
        const std::string path = request.saved_dir + "/" + std::to_string(request.pid) + ".project";
        std::ofstream(path) << "saved for: " << request.reason << '\n';
        ::kill(static_cast<pid_t>(request.pid), SIGTERM);
        for (int i = 0; i < 100 && ::kill(static_cast<pid_t>(request.pid), 0) == 0; ++i)
            std::this_thread::sleep_for(50ms); // the test reaps it
        sink.saved({"Sleep " + marker_, path, static_cast<int64_t>(std::time(nullptr))});
    }

    void reopen(const lmharvest::sdk::SavedProject&) {
        // Detached (a grandchild), so that reopen returns at once and nobody need reap it.
        const pid_t child = ::fork();
        if (child == 0) {
            ::setsid();
            if (::fork() == 0) {
                std::string command = "sleep";
                char* argv[] = {command.data(), marker_.data(), nullptr};
                ::execvp("sleep", argv);
            }
            ::_exit(0);
        }
        if (child < 0)
            throw Error(LH_ERR_SPAWN, "fork failed");
        ::waitpid(child, nullptr, 0);
    }

private:
    std::string saved_dir_;
    std::string marker_;
    std::vector<std::string> features_;
    std::string mode_;
    bool busy_ = false;
};

} // namespace

LMHARVEST_HANDLER_PLUGIN(SleepHandler, "sleep_handler", "1.0.0", "Test handler for sleep processes")
