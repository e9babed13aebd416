#include "demo/scripted_workstations.hpp"

#include "harvest/host_match.hpp"
#include "text/ascii_lower.hpp"
#include "text/stable_hash.hpp"

#include <algorithm>
#include <map>
#include <tuple>

namespace lmharvest {
namespace {

using text::stable_hash;

// "ARC/INFO" -> "arc-info": an app name as an agent would give it.
std::string app_name_part(const std::string& feature) {
    std::string name = text::ascii_lower(feature);
    for (char& c : name)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
            c = '-';
    return name;
}

ReportedApp scripted_app(const SessionRecord& record, ScriptedHabit habit, int64_t now) {
    const Session& session = record.session;
    const uint64_t hash = stable_hash(session.user + "/" + session.feature);
    ReportedApp app;
    app.app = "sim-" + app_name_part(session.feature);
    app.pid = 2000 + static_cast<int64_t>(hash % 60000);
    app.executable = "/opt/sim/bin/" + app.app;
    app.features = {session.feature};
    app.handler = "demo";
    app.methods = {"save_and_close", "suspend", "release", "notify"};
    const std::optional<int64_t> since_checkout =
        session.checkout_time > 0 && session.checkout_time <= now
            ? std::optional<int64_t>(now - session.checkout_time)
            : std::nullopt;
    switch (habit) {
    case ScriptedHabit::idle_since_checkout:
        app.focus_idle_s = since_checkout;
        app.cpu_percent = 0.3;
        break;
    case ScriptedHabit::working:
        app.focus_idle_s = 20 + static_cast<int64_t>(hash % 90);
        app.cpu_percent = 2.0;
        break;
    case ScriptedHabit::computing:
        app.focus_idle_s = since_checkout;
        app.cpu_percent = 85.0;
        break;
    case ScriptedHabit::no_agent:
        break;
    }
    return app;
}

} // namespace

ScriptedHabit scripted_habit(const std::string& user) {
    switch (stable_hash(user) % 6) {
    case 0:
    case 1:
        return ScriptedHabit::idle_since_checkout;
    case 2:
    case 3:
        return ScriptedHabit::working;
    case 4:
        return ScriptedHabit::computing;
    default:
        return ScriptedHabit::no_agent;
    }
}

std::vector<AgentReport> scripted_reports(const std::vector<SessionRecord>& sessions, int64_t now,
                                          std::string_view real_machine) {
    // One agent per (host, user): the agent runs in the user's desktop session.
    std::map<std::tuple<std::string, std::string>, AgentReport> reports;
    for (const SessionRecord& record : sessions) {
        const Session& session = record.session;
        const ScriptedHabit habit = scripted_habit(session.user);
        if (habit == ScriptedHabit::no_agent || session.host.empty() || session.user.empty() ||
            session_on_host(session.host, session.display, real_machine))
            continue;
        AgentReport& report = reports[{text::ascii_lower(session.host), session.user}];
        if (report.agent.empty()) {
            report.host = session.host;
            report.user = session.user;
            report.display = session.display;
            report.time = now;
            report.agent =
                session.host + ":" + std::to_string(1000 + stable_hash(session.user) % 50000);
        }
        ReportedApp app = scripted_app(record, habit, now);
        bool known = false;
        for (const ReportedApp& other : report.apps)
            known = known || other.app == app.app;
        if (known)
            continue;
        if (app.focus_idle_s)
            report.input_idle_s =
                std::min(report.input_idle_s.value_or(*app.focus_idle_s), *app.focus_idle_s);
        report.apps.push_back(std::move(app));
    }
    std::vector<AgentReport> result;
    for (auto& [key, report] : reports)
        result.push_back(std::move(report));
    return result;
}

} // namespace lmharvest
