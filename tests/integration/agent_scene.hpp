// The real `lmharvest agent` beside the real host (FlexNet plugin, lmutil emulator): the host
// polls an emulator that shows the one MATLAB license held by this user on this machine, and the
// agent runs the handler plugins a test gives it. Shared by the agent's process tests.
#pragma once

#include "harness.hpp"
#include "harvest_scene.hpp"
#include "host_fixture.hpp"

#include <ctime>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <sys/types.h>

namespace lmharvest::test {
class DesktopSession;
}

namespace lmharvest::testing {

std::string this_user();
std::string this_host();

/// MATLAB 1 of 1 in use, by `user` on `host`, for two hours.
std::string lmstat_one_of_one_held_by(std::time_t now, const std::string& user,
                                      const std::string& host);
/// MATLAB 1 of 1 in use, by this user on this machine.
std::string lmstat_one_of_one(std::time_t now);
/// MATLAB 1 license issued, none in use.
std::string lmstat_none_of_one(std::time_t now);

/// DISPLAY and the session bus of a private desktop, for the agent a scene starts.
std::map<std::string, std::string> env_of(const lmharvest::test::DesktopSession& desktop);
/// How many pop-ups dunst shows now; -1 when dunstctl cannot tell.
int displayed_pop_ups(const lmharvest::test::DesktopSession& desktop);
/// CHECKs that dunst's history (closed pop-ups) comes to hold `text`, logging it if not.
void check_pop_up_history(const lmharvest::test::DesktopSession& desktop, const std::string& text);
/// The state letter of /proc/PID/stat ('S', 'T', 'Z'); 0 when the process is gone.
char process_state(pid_t pid);

struct AgentSceneSetup {
    std::string handlers; // agent.toml's [[handlers]] entries
    std::string harvest = "[harvest]\nagent_timeout = \"20s\"\n"; // the host's [harvest]
    std::map<std::string, std::string> agent_env; // added to the agent's environment
};

/// The host on the emulator with an agent token for any host; start_agent() starts
/// `lmharvest agent` on a config in dir (token, saved/, state/) with the setup's handlers.
class AgentScene {
public:
    explicit AgentScene(const AgentSceneSetup& setup);
    void start_agent();

    /// This agent's entry in GET /api/v1/agents (null while absent).
    nlohmann::json agent_entry() const;
    /// The app with `pid` in this agent's last report (null while absent).
    nlohmann::json reported(int64_t pid) const;
    /// POST /api/v1/sessions/<the first session>/close with `method`, as an admin.
    nlohmann::json close_by_hand(const std::string& method) const;
    /// Whether a close's action in /api/v1/actions has reached `step` with `outcome`.
    bool has_step(const std::string& step, const std::string& outcome) const;
    /// Whether /api/v1/actions has an action of `kind` that ended as `outcome`.
    bool has_action(const std::string& kind, const std::string& outcome) const;
    /// MATLAB's use as the host's last poll saw it (-1 before any).
    int64_t matlab_used() const;
    /// The emulator's license state, replaced whole (a rename: a poll never reads half of it).
    void set_license_state(const std::string& text) const;
    /// The lmutil commands the emulator ran (lmstat, lmremove ...).
    std::string license_tool_calls() const;
    std::string agent_log() const { return agent->log(); }
    /// `lmharvest agent --config <the scene's> args...`
    CliRun agent_cli(const std::vector<std::string>& args) const;

    TempDir emulator;
    std::string state = emulator.write("lmstat.txt", lmstat_one_of_one(std::time(nullptr)));
    HostFixture host;
    TempDir dir;
    std::string config;
    std::unique_ptr<RunningHost> agent;

private:
    std::map<std::string, std::string> agent_env_;
};

} // namespace lmharvest::testing
