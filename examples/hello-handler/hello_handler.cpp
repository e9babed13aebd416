// The smallest useful save-and-close handler: it knows the program "hello-app", says which
// license features it holds, and saves and closes it, so that a vendor sees the whole shape of
// a handler in one screen. Build it with CMakeLists.txt beside this file; check it with
// `lmharvest plugins inspect hello_handler.so`.
//
// hello-app stands for an application that saves the user's work when it gets SIGTERM. A real
// handler asks its application to save (MATLAB: through a mailbox its in-app extension reads)
// and learns the saved files' paths from it.
#include <chrono>
#include <csignal>
#include <ctime>
#include <lmharvest/plugin.hpp>
#include <string>
#include <sys/types.h>
#include <thread>
#include <vector>

namespace {

using namespace lmharvest;

class HelloHandler {
public:
    // One instance per agent; its [handlers.hello_handler] table is read here, once.
    explicit HelloHandler(const sdk::HandlerSetup& setup)
        : features_(
              setup.get_string_list("features").value_or(std::vector<std::string>{"HELLO_WORLD"})) {
    }

    // Asked about every process of the user, at every report: answer quickly. Empty: not mine.
    std::vector<std::string> features(const sdk::Process& process) {
        const std::string& path = process.executable;
        if (path.substr(path.rfind('/') + 1) != "hello-app")
            return {};
        return features_;
    }

    // Save the user's work, report each saved project, close the application, within the
    // deadline. On any failure throw: the agent tells the host why, and the application must
    // then still be running (never close what was not saved).
    void save_and_close(const sdk::SaveRequest& request, sdk::SavedProjectSink& sink) {
        const pid_t pid = static_cast<pid_t>(request.pid);
        if (::kill(pid, SIGTERM) != 0)
            throw sdk::Error(LH_ERR_ALREADY_GONE, "hello-app " + std::to_string(pid) + " is gone");
        const auto deadline =
            std::chrono::steady_clock::now() + std::chrono::milliseconds(request.deadline_ms);
        while (::kill(pid, 0) == 0) {
            if (std::chrono::steady_clock::now() > deadline)
                throw sdk::Error(LH_ERR_TIMEOUT, "hello-app " + std::to_string(pid) +
                                                     " did not save within the deadline");
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        // hello-app saved on SIGTERM, to the file named after its pid.
        sink.saved({"Hello App 1.0", request.saved_dir + "/hello-" + std::to_string(pid) + ".txt",
                    static_cast<int64_t>(std::time(nullptr))});
    }

private:
    std::vector<std::string> features_;
};

} // namespace

LMHARVEST_HANDLER_PLUGIN(HelloHandler, "hello_handler", "1.0.0", "Saves and closes hello-app")
