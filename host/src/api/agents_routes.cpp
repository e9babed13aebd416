// The workstation agent protocol, host side (DESIGN §4a): reports in, commands out through the
// mailbox's long poll, results back; and the list of agents for people.
#include "api/authorization.hpp"
#include "api/http_reply.hpp"
#include "api/license_availability.hpp"
#include "api/routes.hpp"
#include "auth/token_match.hpp"
#include "config/duration.hpp"
#include "harvest/agent_silence.hpp"
#include "harvest/host_match.hpp"
#include "protocol/agent_json.hpp"

#include "json/iso_time.hpp"
#include <atomic>
#include <ctime>
#include <map>
#include <memory>

namespace lmharvest {
namespace {

using namespace std::chrono_literals;

constexpr auto default_wait = 30s;
constexpr auto longest_wait = 60s;
// When every long-poll slot is taken, an agent is answered at once and polls again this much
// later: commands then wait at most this long, well inside a command's deadline (120 s).
constexpr int64_t busy_next_poll_s = 10;

void reply_text_json(httplib::Response& response, const std::string& body, int status = 200) {
    response.status = status;
    response.set_content(body, "application/json");
}

void reply_field_error(httplib::Response& response, const FieldError& error) {
    reply_json(response, {{"error", error.text()}, {"field", error.field}}, 400);
}

// The token the request carries; the guard (access_rules.cpp) let only agent and admin
// tokens through to these routes.
std::optional<TokenConfig> caller_of(const httplib::Request& request, Service& service,
                                     const TokenConfig& file_token) {
    const auto caller =
        identify(request.get_header_value("Authorization"), *service.config(), file_token);
    if (!caller || !*caller)
        return std::nullopt;
    return **caller;
}

std::string hosts_text(const TokenConfig& token) {
    std::string text;
    for (const std::string& pattern : token.hosts)
        text += (text.empty() ? "" : ", ") + pattern;
    return text;
}

// The agent in the URL when `caller` may act as it: it reported with this token, and the token
// still covers its host (a reload may have narrowed it). Admin tokens may act as any agent.
Expected<AgentRecord, std::pair<int, std::string>>
agent_for(const std::string& id, const TokenConfig& caller, const Store& store) {
    if (auto checked = check_agent_id(id, "agent"); !checked)
        return unexpected(std::pair{400, "agent in the URL: " + checked.error().problem});
    auto agent = store.agent(id);
    const bool admin = caller.role == Role::admin;
    if (!agent)
        return unexpected(admin ? std::pair{404, "no agent '" + id + "' has reported"}
                                : std::pair{403, "token '" + caller.name +
                                                     "' has not reported as agent '" + id +
                                                     "'; report first"});
    if (!admin && agent->token != caller.name)
        return unexpected(std::pair{403, "agent '" + id + "' reports with another token, not '" +
                                             caller.name + "'"});
    if (!token_covers_host(caller, agent->host))
        return unexpected(std::pair{403, "token '" + caller.name + "' may not act for host '" +
                                             agent->host + "' (its hosts: " + hosts_text(caller) +
                                             ")"});
    return *agent;
}

// ?wait=30s: how long a long poll may wait, 0s to 60s.
Expected<std::chrono::milliseconds, FieldError> wait_param(const httplib::Request& request) {
    if (!request.has_param("wait"))
        return std::chrono::milliseconds(default_wait);
    const auto wait = parse_duration(request.get_param_value("wait"));
    if (!wait || *wait > longest_wait)
        return unexpected(FieldError{"wait", "must be a duration from 0s to 60s, like 30s"});
    return *wait;
}

// What the host asks of every agent ([agents] report_every); a silent agent is one quiet for 3
// of these.
int64_t report_every_s(const Config& config) {
    return std::chrono::duration_cast<std::chrono::seconds>(config.agents.report_every).count();
}

std::vector<AppActivity> activity_of(const AgentReport& report, int64_t now,
                                     int64_t report_every_s) {
    std::vector<AppActivity> apps;
    for (const ReportedApp& r : report.apps) {
        AppActivity& a = apps.emplace_back();
        a.agent = report.agent;
        a.app = r.app;
        a.pid = r.pid;
        a.executable = r.executable;
        a.host = report.host;
        a.user = report.user;
        a.display = report.display;
        a.features = r.features;
        a.focus_idle_s = r.focus_idle_s;
        a.cpu_percent = r.cpu_percent;
        a.busy = r.busy;
        a.handler = r.handler;
        a.methods = r.methods;
        a.report_time = now; // the host's clock decides silence, not the workstation's
        a.report_interval_s = report_every_s;
    }
    return apps;
}

void post_report(const httplib::Request& request, httplib::Response& response, Service& service,
                 const TokenConfig& caller) {
    const auto report = parse_report(request.body);
    if (!report)
        return reply_field_error(response, report.error());
    // The id names the host too: a token may not take the id of an agent on another host.
    const std::string_view id_host = agent_id_host(report->agent);
    if (!same_host(id_host, report->host))
        return reply_field_error(
            response, {"agent", "must be <host>:<uid> of the report's host " + report->host});
    for (const std::string_view host : {std::string_view(report->host), id_host})
        if (!token_covers_host(caller, host))
            return reply_error(response, 403,
                               "token '" + caller.name + "' may not report for host '" +
                                   std::string(host) + "' (its hosts: " + hosts_text(caller) + ")");
    const int64_t now = std::time(nullptr);
    AgentRecord agent;
    agent.agent = report->agent;
    agent.host = report->host;
    agent.user = report->user;
    agent.display = report->display;
    agent.token = caller.name;
    agent.agent_time = report->time;
    agent.input_idle_s = report->input_idle_s;
    agent.report_time = now;
    agent.report_interval_s = report_every_s(*service.config());
    service.store().save_agent_report(agent, activity_of(*report, now, agent.report_interval_s));
    reply_text_json(response, to_json(ReportAnswer{agent.report_interval_s}));
}

// Holds one of the long-poll slots while it lives, when one was free.
class LongPollSlot {
public:
    LongPollSlot(std::atomic<std::size_t>& in_use, std::size_t limit) : in_use_(in_use) {
        held_ = in_use_.fetch_add(1) < limit;
        if (!held_)
            in_use_.fetch_sub(1);
    }
    ~LongPollSlot() {
        if (held_)
            in_use_.fetch_sub(1);
    }
    LongPollSlot(const LongPollSlot&) = delete;
    LongPollSlot& operator=(const LongPollSlot&) = delete;
    bool held() const { return held_; }

private:
    std::atomic<std::size_t>& in_use_;
    bool held_ = false;
};

// The agent's own resume (the user clicked Resume and a license was free): no command waits
// for it, so it goes to the audit log as an action of its own.
void record_own_resume(httplib::Response& response, Service& service, const AgentRecord& agent,
                       const ResultMessage& message) {
    const nlohmann::json figures = {
        {"agent", agent.agent},
        {"host", agent.host},
        {"app", message.app},
        {"pid", message.pid},
        {"features", message.features},
        {"follows", message.follows ? nlohmann::json(message.follows) : nlohmann::json(nullptr)}};
    const int64_t action = service.store().append_action(
        {0,
         std::time(nullptr),
         "agent:" + agent.agent,
         "resume",
         false,
         "",
         std::nullopt,
         agent.user,
         message.features.empty() ? "" : message.features.front(),
         figures.dump(),
         "[]",
         "resumed",
         message.app + " (pid " + std::to_string(message.pid) + ") resumed on " + agent.host +
             (message.message.empty() ? "" : ": " + message.message),
         {}});
    reply_json(response, {{"command", nullptr}, {"action", action}});
}

void post_result(const httplib::Request& request, httplib::Response& response, Service& service,
                 const AgentRecord& agent) {
    const auto message = parse_result(request.body);
    if (!message)
        return reply_field_error(response, message.error());
    if (message->command == 0)
        return record_own_resume(response, service, agent, *message);
    AgentResult result;
    result.command = message->command;
    result.outcome = message->outcome;
    result.message = message->message;
    for (const SavedProject& p : message->projects)
        result.projects.push_back({0, agent.user, agent.host, p.app, p.path, p.saved_time});
    const std::vector<ClosedProject> projects = result.projects;
    if (auto answered = service.mailbox().answer(agent.agent, std::move(result)); !answered)
        return reply_error(response, 409, answered.error());
    for (const ClosedProject& project : projects)
        service.store().add_closed_project(project);
    reply_json(response, {{"command", message->command},
                          {"projects_saved", static_cast<int64_t>(projects.size())}});
}

nlohmann::json agents_json(const std::vector<AgentRecord>& agents,
                           const std::vector<AppActivity>& activity, int64_t now) {
    std::map<std::string, nlohmann::json> apps_of;
    for (const AppActivity& a : activity) {
        nlohmann::json& apps = apps_of[a.agent];
        apps.push_back({{"app", a.app},
                        {"pid", a.pid},
                        {"executable", a.executable},
                        {"features", a.features},
                        {"focus_idle_s", a.focus_idle_s ? nlohmann::json(*a.focus_idle_s)
                                                        : nlohmann::json(nullptr)},
                        {"cpu_percent", a.cpu_percent},
                        {"busy", a.busy},
                        {"handler", a.handler},
                        {"methods", a.methods}});
    }
    nlohmann::json list = nlohmann::json::array();
    for (const AgentRecord& a : agents) {
        const auto apps = apps_of.find(a.agent);
        list.push_back(
            {{"agent", a.agent},
             {"host", a.host},
             {"user", a.user},
             {"display", a.display},
             {"token", a.token},
             {"state",
              agent_silent(a.report_time, a.report_interval_s, now) ? "silent" : "reporting"},
             {"last_report", iso8601_local(a.report_time)},
             {"last_report_age_s", report_age(a.report_time, now)},
             {"agent_time", iso8601_local(a.agent_time)},
             {"report_every_s", a.report_interval_s},
             {"input_idle_s",
              a.input_idle_s ? nlohmann::json(*a.input_idle_s) : nlohmann::json(nullptr)},
             {"apps", apps == apps_of.end() ? nlohmann::json::array() : apps->second}});
    }
    return list;
}

} // namespace

void add_agents_routes(RouteTable& http, Service& service, const TokenConfig& file_token,
                       std::size_t max_long_polls) {
    const auto as_caller = [&service, &file_token](auto route) {
        return [&service, &file_token, route](const httplib::Request& request,
                                              httplib::Response& response) {
            const auto caller = caller_of(request, service, file_token);
            if (!caller)
                return reply_error(response, 401,
                                   "agents need a token (Authorization: Bearer ...)");
            route(request, response, *caller);
        };
    };
    const auto as_agent = [&service](auto route) {
        return [&service, route](const httplib::Request& request, httplib::Response& response,
                                 const TokenConfig& caller) {
            const auto agent = agent_for(request.matches[1], caller, service.store());
            if (!agent)
                return reply_error(response, agent.error().first, agent.error().second);
            route(request, response, *agent);
        };
    };

    http.post("/api/v1/agents/report",
              as_caller([&service](const httplib::Request& request, httplib::Response& response,
                                   const TokenConfig& caller) {
                  post_report(request, response, service, caller);
              }));

    auto long_polls = std::make_shared<std::atomic<std::size_t>>(0);
    http.get(R"(/api/v1/agents/([^/]+)/commands)",
             as_caller(as_agent([&service, long_polls, max_long_polls](
                                    const httplib::Request& request, httplib::Response& response,
                                    const AgentRecord& agent) {
                 const auto wait = wait_param(request);
                 if (!wait)
                     return reply_field_error(response, wait.error());
                 // Long polls hold an HTTP worker each; past the limit, the due commands are
                 // handed out at once and the agent is told to come back later.
                 const LongPollSlot slot(*long_polls, max_long_polls);
                 CommandsAnswer answer;
                 answer.commands = service.mailbox().take(agent.agent, slot.held() ? *wait : 0ms);
                 answer.next_poll_s = slot.held() ? 0 : busy_next_poll_s;
                 reply_text_json(response, to_json(answer));
             })));

    http.post(R"(/api/v1/agents/([^/]+)/results)",
              as_caller(as_agent([&service](const httplib::Request& request,
                                            httplib::Response& response, const AgentRecord& agent) {
                  post_result(request, response, service, agent);
              })));

    http.get(R"(/api/v1/agents/([^/]+)/licenses)",
             as_caller(as_agent([&service](const httplib::Request& request,
                                           httplib::Response& response, const AgentRecord&) {
                 std::optional<std::string> features;
                 if (request.has_param("features"))
                     features = request.get_param_value("features");
                 const auto names = parse_features_param(features);
                 if (!names)
                     return reply_field_error(response, names.error());
                 reply_text_json(
                     response,
                     to_json(LicensesAnswer{license_availability(*names, service.store().features(),
                                                                 service.store().servers())}));
             })));

    http.get("/api/v1/agents", [&service](const httplib::Request&, httplib::Response& response) {
        Store& store = service.store();
        reply_json(response, agents_json(store.agents(), store.activity(), std::time(nullptr)));
    });
}

} // namespace lmharvest
