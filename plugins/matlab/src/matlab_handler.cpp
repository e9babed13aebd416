// The MATLAB / GNU Octave save-and-close handler. It talks to the in-app extension
// (mfiles/lmharvest_extension.m) through a mailbox folder per process: docs/handlers.md.
#include "app_kind.hpp"
#include "detached_launch.hpp"
#include "heartbeat.hpp"
#include "mailbox.hpp"
#include "reopen_command.hpp"

#include <chrono>
#include <cstdlib>
#include <lmharvest/os/login_name.hpp>
#include <lmharvest/plugin.hpp>
#include <system_error>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace std::chrono;

namespace lmharvest::matlab {
namespace {

// Where the extension looks when LMHARVEST_MAILBOX is not set (and the agent gave no state_dir).
fs::path default_mailbox() {
    const char* state = std::getenv("XDG_STATE_HOME");
    const char* home = std::getenv("HOME");
    const fs::path base =
        state && *state ? fs::path(state) : fs::path(home ? home : "") / ".local" / "state";
    return base / "lmharvest" / "handlers" / "matlab" / "mailbox";
}

// A folder only this user can enter, created when absent.
void make_private_folder(const fs::path& folder) {
    std::error_code error;
    if (fs::create_directories(folder, error))
        fs::permissions(folder, fs::perms::owner_all, error);
    if (error)
        throw sdk::Error(LH_ERR_GENERIC,
                         "matlab: cannot create " + folder.string() + ": " + error.message());
}

std::vector<std::string> list_or(const sdk::HandlerSetup& setup, const char* key,
                                 std::vector<std::string> fallback) {
    std::vector<std::string> values = setup.get_string_list(key).value_or(std::move(fallback));
    if (values.empty())
        throw sdk::Error(LH_ERR_INVALID_ARGUMENT,
                         std::string("matlab: config key '") + key + "' must not be empty");
    return values;
}

int64_t epoch_seconds() {
    return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

} // namespace

class MatlabHandler {
public:
    explicit MatlabHandler(const sdk::HandlerSetup& setup)
        : features_(list_or(setup, "features", {"MATLAB"})),
          mailbox_(setup.get_string("mailbox").value_or(
              setup.state_dir().empty() ? default_mailbox().string()
                                        : (fs::path(setup.state_dir()) / "mailbox").string())),
          extension_dir_(setup.get_string("extension_dir").value_or(LMHARVEST_MATLAB_MFILES_DIR)),
          octave_(list_or(setup, "octave", {"octave", "--gui"})),
          matlab_(list_or(setup, "matlab", {"matlab", "-desktop"})),
          stale_after_(setup.get_duration_ms("heartbeat_stale").value_or(5000)),
          log_dir_(setup.state_dir().empty() ? mailbox_.parent_path()
                                             : fs::path(setup.state_dir())) {
        if (stale_after_ <= milliseconds(0))
            throw sdk::Error(LH_ERR_INVALID_ARGUMENT,
                             "matlab: config key 'heartbeat_stale' must be positive");
        make_private_folder(mailbox_);
    }

    std::vector<std::string> features(const sdk::Process& process) {
        return app_of(process) ? features_ : std::vector<std::string>{};
    }

    sdk::Activity activity(const sdk::Process& process) {
        return activity_of(heartbeat_age(mailbox_of(process.pid), process.pid),
                           process_running(process.pid), stale_after_);
    }

    void save_and_close(const sdk::SaveRequest& request, sdk::SavedProjectSink& sink) {
        const int64_t pid = request.pid;
        const std::string who = "process " + std::to_string(pid);
        if (!process_running(pid))
            throw sdk::Error(LH_ERR_NOT_FOUND, "matlab: " + who + " is not running");
        const fs::path box = mailbox_of(pid);
        std::error_code error;
        if (!fs::is_directory(box, error) || !heartbeat_age(box, pid))
            throw sdk::Error(LH_ERR_UNSUPPORTED,
                             "matlab: " + who + " has no lmharvest extension (no heartbeat in " +
                                 box.string() + "); it was left running. Load the extension with " +
                                 "lmharvest_extension('start') (docs/handlers.md)");
        require_private(mailbox_);
        require_private(box);
        if (request.saved_dir.empty())
            throw sdk::Error(LH_ERR_INVALID_ARGUMENT, "matlab: the request has no saved_dir");
        make_private_folder(request.saved_dir);

        const std::string id = std::to_string(pid) + "-" +
                               std::to_string(steady_clock::now().time_since_epoch().count());
        write_pairs(box / "command", {{"command", "save_and_close"},
                                      {"id", id},
                                      {"saved_dir", request.saved_dir},
                                      {"user", os::login_name()},
                                      {"reason", request.reason}});
        const auto deadline = steady_clock::now() + milliseconds(request.deadline_ms);
        std::optional<sdk::SavedProject> saved;
        while (steady_clock::now() < deadline) {
            if (!saved)
                saved = take_result(box, id, sink);
            const bool running = process_running(pid);
            if (saved && !running) {
                fs::remove_all(box, error);
                return;
            }
            if (!running)
                throw sdk::Error(LH_ERR_GENERIC, "matlab: " + who + " exited without saving");
            std::this_thread::sleep_for(milliseconds(100));
        }
        const std::string waited = std::to_string(request.deadline_ms / 1000) + " s";
        if (saved)
            throw sdk::Error(LH_ERR_TIMEOUT, "matlab: " + who + " saved " + saved->path +
                                                 " but has not exited within " + waited);
        // Removing the command (when the extension has not taken it yet) makes sure that a
        // late extension does not act after the agent has given up.
        if (fs::remove(box / "command", error))
            throw sdk::Error(LH_ERR_TIMEOUT, "matlab: " + who +
                                                 " did not take the command within " + waited +
                                                 " (it is running code); it was left running");
        throw sdk::Error(LH_ERR_TIMEOUT, "matlab: " + who + " took the command but has not " +
                                             "finished saving within " + waited);
    }

    void reopen(const sdk::SavedProject& project) {
        std::error_code error;
        if (!fs::is_regular_file(project.path, error))
            throw sdk::Error(LH_ERR_NOT_FOUND, "matlab: " + project.path + " does not exist");
        const App app = app_of_project(project.application);
        ReopenPlan plan =
            reopen_plan(app, app == App::octave ? octave_ : matlab_, extension_dir_, project.path);
        launch_detached({std::move(plan.argv),
                         plan.folder,
                         log_dir_ / "reopen.log",
                         {"LMHARVEST_MAILBOX=" + mailbox_.string()}});
    }

private:
    fs::path mailbox_of(int64_t pid) const { return mailbox_ / std::to_string(pid); }

    // The extension's answer to command `id`, reported through `sink` when it saved.
    static std::optional<sdk::SavedProject> take_result(const fs::path& box, const std::string& id,
                                                        sdk::SavedProjectSink& sink) {
        std::optional<Pairs> result = read_pairs(box / "result");
        if (!result || (*result)["id"] != id)
            return std::nullopt;
        std::error_code error;
        fs::remove(box / "result", error);
        if ((*result)["status"] != "ok")
            throw sdk::Error(LH_ERR_GENERIC, "matlab: the extension could not save: " +
                                                 (*result)["message"] + "; the app keeps running");
        sdk::SavedProject project{(*result)["application"], (*result)["workspace"],
                                  epoch_seconds()};
        sink.saved(project);
        return project;
    }

    std::vector<std::string> features_;
    fs::path mailbox_;
    fs::path extension_dir_;
    std::vector<std::string> octave_;
    std::vector<std::string> matlab_;
    milliseconds stale_after_;
    fs::path log_dir_;
};

} // namespace lmharvest::matlab

LMHARVEST_HANDLER_PLUGIN(lmharvest::matlab::MatlabHandler, "matlab", "1.0.0",
                         "MATLAB and GNU Octave: save the workspace, close, reopen")
