// The workstation agent protocol's messages (DESIGN §4a) as plain structs. The host and the
// agent share this code, so nothing here knows the store, HTTP or the harvester.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lmharvest {

/// One licensed application an agent sees running.
struct ReportedApp {
    std::string app; // "matlab"
    int64_t pid = 0;
    std::string executable;
    std::vector<std::string> features;   // the licensed features it uses
    std::optional<int64_t> focus_idle_s; // since the last input to its windows; nullopt: unknown
    double cpu_percent = 0;              // of one core, its process tree, over the idle window
    bool busy = false;                   // its handler says a job runs
    std::string handler;
    std::vector<std::string> methods; // save_and_close | suspend | release | notify
};

/// POST /api/v1/agents/report: the whole truth for the agent; apps missing have ended.
struct AgentReport {
    std::string agent; // "<host>:<uid>"
    std::string host;
    std::string user;
    std::string display;
    int64_t time = 0; // the agent's clock, epoch seconds
    std::optional<int64_t> input_idle_s;
    std::vector<ReportedApp> apps;
};

/// The answer to a report.
struct ReportAnswer {
    int64_t report_every_s = 60;
};

struct AgentCommand {  // DESIGN §4a, GET /api/v1/agents/{agent}/commands
    int64_t id = 0;    // assigned by post(), increasing, never reused in a process
    std::string agent; // "<host>:<uid>" (the URL's, not in the JSON)
    std::string kind;  // save_and_close | suspend | resume | notify
    std::string app;   // "matlab"
    int64_t pid = 0;   // 0: none (a notify about no app)
    std::vector<std::string> features;
    std::vector<int64_t> session_ids;
    std::string reason; // "idle 47 min, MATLAB 10 of 10 in use"
    int64_t deadline_s = 120;
    std::string text; // for notify: what the pop-up says
};

/// The answer to a commands long poll: the commands due, and when to poll again (0: at once;
/// more when the host has no long-poll room left and answered without waiting).
struct CommandsAnswer {
    std::vector<AgentCommand> commands;
    int64_t next_poll_s = 0;
};

/// A project a handler saved before closing its app.
struct SavedProject {
    std::string app; // "MATLAB R2024b"
    std::string path;
    int64_t saved_time = 0; // epoch seconds
};

/// Whether a result's `outcome` says the app no longer runs (saved and closed, or found gone):
/// the agent's last report is stale about it, on both sides of the protocol.
inline bool outcome_ends_app(const std::string& outcome) {
    return outcome == "saved_and_closed" || outcome == "app_gone";
}

/// POST /api/v1/agents/{agent}/results
struct ResultMessage {
    int64_t command = 0; // 0: the agent's own doing (only `resumed`: the user clicked Resume)
    // saved_and_closed | suspended | resumed | notified | failed | app_gone | refused
    std::string outcome;
    std::vector<SavedProject> projects;
    std::string message;
    // Without a command, what was done: the app, and the command it follows (the suspend).
    int64_t pid = 0;
    std::string app;
    std::vector<std::string> features;
    int64_t follows = 0; // 0: none known
};

/// One feature of GET /api/v1/agents/{agent}/licenses?features=...: whether a license of it is
/// free now, summed over every server's pools of that name.
struct FeatureAvailability {
    std::string feature;
    int64_t free = 0; // licenses free in its counted pools
    int64_t used = 0;
    int64_t total = 0;
    bool unlimited = false;  // one of its pools is uncounted or unlimited: never short
    int64_t pools = 0;       // 0: no server of the host lists it
    int64_t stale_pools = 0; // of those, pools whose server's last poll failed: not in the sums
};

struct LicensesAnswer {
    std::vector<FeatureAvailability> features; // those asked, in the order asked
};

} // namespace lmharvest
