#include "harvest/session_idleness.hpp"

#include "harvest/agent_silence.hpp"
#include "harvest/host_match.hpp"

#include <algorithm>
#include <cmath>

namespace lmharvest {
namespace {

bool uses_feature(const AppActivity& app, const std::string& feature) {
    return std::find(app.features.begin(), app.features.end(), feature) != app.features.end();
}

} // namespace

std::string format_duration(int64_t seconds) {
    if (seconds < 120)
        return std::to_string(seconds) + " s";
    return std::to_string(seconds / 60) + " min";
}

std::vector<AppActivity> apps_of_session(const Session& session, const ActivityIndex& activity) {
    std::vector<AppActivity> apps;
    for (const AppActivity& app : activity.for_user(session.user))
        if (session_on_host(session.host, session.display, app.host) &&
            uses_feature(app, session.feature))
            apps.push_back(app);
    return apps;
}

Idleness session_idleness(const Session& session, const ActivityIndex& activity, int64_t now,
                          double busy_cpu) {
    std::optional<int64_t> idle_s;
    std::string latest_app;
    for (const AppActivity& app : apps_of_session(session, activity)) {
        const int64_t age = report_age(app.report_time, now);
        if (agent_silent(app.report_time, app.report_interval_s, now))
            return {std::nullopt,
                    "no activity data: agent " + app.agent + " silent for " + format_duration(age)};
        if (app.busy)
            return {std::nullopt, "busy: " + app.app + " handler says a job runs"};
        if (app.cpu_percent >= busy_cpu * 100)
            return {std::nullopt, "busy: " + app.app + " cpu " +
                                      std::to_string(std::lround(app.cpu_percent)) + " %"};
        if (!app.focus_idle_s)
            return {std::nullopt, "no activity data: " + app.app + " reports no input time"};
        const int64_t app_idle = *app.focus_idle_s + age;
        if (!idle_s || app_idle < *idle_s) {
            idle_s = app_idle;
            latest_app = app.app;
        }
    }
    if (!idle_s)
        return {std::nullopt, "no activity data"};
    return {idle_s, latest_app};
}

} // namespace lmharvest
