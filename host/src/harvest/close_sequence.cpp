#include "harvest/close_sequence.hpp"

#include "harvest/session_idleness.hpp"

#include "json/plan_json.hpp"
#include "json/safe_dump.hpp"
#include <algorithm>
#include <spdlog/spdlog.h>

namespace lmharvest {
namespace {

bool offers(const AppActivity& app, const std::string& method) {
    return std::find(app.methods.begin(), app.methods.end(), method) != app.methods.end();
}

// The agent's answers that mean the app no longer holds the license. Not "app_gone": the app
// the plan named had ended before the command came, so the license may be another app's now
// (the user opened it again): only a new report can tell, and nothing is released on a guess.
bool app_closed(const std::string& outcome) {
    return outcome == "saved_and_closed" || outcome == "suspended";
}

// An answer that is not a success ends the sequence under its own name.
std::string agent_end(const std::string& outcome) {
    if (outcome == "refused")
        return "agent_refused";
    if (outcome == "app_gone")
        return "app_gone";
    return "agent_failed";
}

std::string release_outcome(const CloseResult& result) {
    if (result.freed())
        return "released";
    if (result.status == LH_ERR_TOO_SOON)
        return "too_soon";
    return "release_failed";
}

SequenceEnd release(const CloseJob& job, const CloseSequenceEnv& env) {
    CloseResult result = env.release(job.entry.session_id);
    record_step(env.store, job, env.clock(), "release", release_outcome(result), result.message);
    if (result.status == LH_ERR_TOO_SOON) {
        // FlexNet's minimum lmremove interval: once more at retry_after, never a loop.
        const std::chrono::milliseconds delay{std::max<int64_t>(result.retry_after_ms, 0)};
        record_step(env.store, job, env.clock(), "retry", "waiting",
                    "retry in " + format_duration(delay.count() / 1000));
        if (!env.wait(delay)) {
            record_step(env.store, job, env.clock(), "retry", "stopped",
                        "the service stopped before the retry");
            return {false, "stopped"};
        }
        result = env.release(job.entry.session_id);
        record_step(env.store, job, env.clock(), "release", release_outcome(result),
                    result.message);
    }
    return {result.freed(), release_outcome(result)};
}

} // namespace

CloseRoute route_close(const std::string& method, OnNoHandler on_no_handler,
                       const std::vector<AppActivity>& apps) {
    if (method == "release")
        return {std::nullopt, true, ""};
    const auto app = std::find_if(apps.begin(), apps.end(),
                                  [&](const AppActivity& a) { return offers(a, method); });
    if (app != apps.end())
        return {*app, method != "notify", ""};
    if (on_no_handler == OnNoHandler::release)
        return {std::nullopt, true, ""};
    return {std::nullopt, false, "no handler for " + method};
}

std::string close_reason_text(const PlanEntry& e) {
    std::string text = e.idle_s ? "idle " + format_duration(*e.idle_s) + ", " : "";
    text += e.feature + " " + std::to_string(e.used);
    if (e.total)
        text += " of " + std::to_string(*e.total);
    return text + " in use";
}

void record_step(Store& store, const CloseJob& job, int64_t time, const std::string& step,
                 const std::string& outcome, const std::string& message) {
    store.append_action_step(
        {job.action_id, time, step, outcome, message, safe_dump(policy_figures_json(job.entry))});
    spdlog::info("close step action={} session={} server={} feature={} user={} step={} "
                 "outcome={} message=\"{}\"",
                 job.action_id, job.entry.session_id, job.entry.server, job.entry.feature,
                 job.entry.user, step, outcome, message);
}

SequenceEnd run_close_sequence(const CloseJob& job, const CloseSequenceEnv& env) {
    const std::string& method = job.entry.method;
    if (!job.route.skip_reason.empty()) {
        record_step(env.store, job, env.clock(), "route", "skipped", job.route.skip_reason);
        return {false, "skipped"};
    }
    if (job.route.app) {
        const AppActivity& app = *job.route.app;
        AgentCommand command;
        command.agent = app.agent;
        command.kind = method;
        command.app = app.app;
        command.pid = app.pid;
        command.features = {job.entry.feature};
        command.session_ids = {job.entry.session_id};
        command.reason = close_reason_text(job.entry);
        command.deadline_s =
            std::chrono::duration_cast<std::chrono::seconds>(env.agent_timeout).count();
        if (method == "notify")
            command.text = "Please close " + app.app + ": " + command.reason +
                           ", and others are waiting for a license";
        const int64_t id = env.mailbox.post(command);
        record_step(env.store, job, env.clock(), "agent_command", "posted",
                    method + " to agent " + app.agent + " (command " + std::to_string(id) + ", " +
                        app.app + " pid " + std::to_string(app.pid) + ")");
        const std::optional<AgentResult> answer = env.mailbox.wait_result(id, env.agent_timeout);
        if (!answer) {
            record_step(env.store, job, env.clock(), "agent_result", "agent_timeout",
                        "no answer from agent " + app.agent + " within " +
                            format_duration(command.deadline_s) + ": nothing released");
            return {false, "agent_timeout"};
        }
        // The projects were kept when the agent posted its result (agents_routes.cpp), also
        // when the sequence no longer waits for it.
        if (outcome_ends_app(answer->outcome))
            env.store.forget_agent_app(app.agent, app.pid);
        const bool closed = app_closed(answer->outcome);
        const bool done = method == "notify" && answer->outcome == "notified";
        record_step(env.store, job, env.clock(), "agent_result",
                    closed || done ? answer->outcome : agent_end(answer->outcome), answer->message);
        if (done)
            return {false, "notified"};
        if (!closed)
            return {false, agent_end(answer->outcome)};
    }
    if (!job.route.release)
        return {false, "notified"};
    return release(job, env);
}

} // namespace lmharvest
