// A handler written with the C++ layer, with every optional part, so that tests can see each
// call reach the class through the real C table. Its table:
//   executable = "lh-test-app"   the basename it knows (default)
//   features = ["A", "B"]        what that process holds (default ["TEST_FEATURE"])
//   per_pid = true               features are ["PID_<pid>"] instead: a new name each call
//   fail_create = "why"          the constructor throws that message
// save_and_close throws Error(LH_ERR_TIMEOUT) when the reason is "time out"; otherwise it reports
// one project whose application names the deadline and reason it got. reopen creates the
// project's file. activity is BUSY for a command line with "busy", WAITING with "waiting".
#include <fstream>
#include <lmharvest/plugin.hpp>
#include <string>
#include <vector>

namespace {

using namespace lmharvest;

class TestHandler {
public:
    explicit TestHandler(const sdk::HandlerSetup& setup)
        : executable_(setup.get_string("executable").value_or("lh-test-app")),
          features_(
              setup.get_string_list("features").value_or(std::vector<std::string>{"TEST_FEATURE"})),
          per_pid_(setup.get_bool("per_pid").value_or(false)), saved_dir_(setup.saved_dir()) {
        if (auto why = setup.get_string("fail_create"))
            throw sdk::Error(LH_ERR_INVALID_ARGUMENT, *why);
    }

    std::vector<std::string> features(const sdk::Process& process) {
        const std::string& path = process.executable;
        if (path.substr(path.rfind('/') + 1) != executable_)
            return {};
        if (per_pid_)
            return {"PID_" + std::to_string(process.pid)};
        return features_;
    }

    void save_and_close(const sdk::SaveRequest& request, sdk::SavedProjectSink& sink) {
        if (request.reason == "time out")
            throw sdk::Error(LH_ERR_TIMEOUT,
                             "no answer within " + std::to_string(request.deadline_ms) + " ms");
        sink.saved({"Test App deadline=" + std::to_string(request.deadline_ms) +
                        " reason=" + request.reason + " setup_saved_dir=" + saved_dir_,
                    request.saved_dir + "/pid-" + std::to_string(request.pid) + ".proj",
                    1700000000});
    }

    void reopen(const sdk::SavedProject& project) {
        std::ofstream file(project.path);
        if (!file)
            throw sdk::Error(LH_ERR_PERMISSION, "cannot create " + project.path);
        file << project.application << '\n';
    }

    sdk::Activity activity(const sdk::Process& process) {
        if (process.command_line.find("busy") != std::string::npos)
            return sdk::Activity::busy;
        if (process.command_line.find("waiting") != std::string::npos)
            return sdk::Activity::waiting;
        return sdk::Activity::unknown;
    }

private:
    std::string executable_;
    std::vector<std::string> features_;
    bool per_pid_;
    std::string saved_dir_;
};

} // namespace

LMHARVEST_HANDLER_PLUGIN(TestHandler, "test_handler", "1.2.3", "every part of a handler")
