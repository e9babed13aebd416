#include "demo/demo_agent.hpp"

#include "demo/scripted_workstations.hpp"

#include "json/iso_time.hpp"
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

namespace lmharvest {
namespace {

using nlohmann::json;

int64_t epoch_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

json report_json(const ScriptedReport& report, int64_t now) {
    json apps = json::array();
    std::optional<int64_t> input_idle;
    for (const AppActivity& app : report.apps) {
        if (app.focus_idle_s)
            input_idle = std::min(input_idle.value_or(*app.focus_idle_s), *app.focus_idle_s);
        apps.push_back({{"app", app.app},
                        {"pid", app.pid},
                        {"executable", "/opt/sim/bin/" + app.app},
                        {"features", app.features},
                        {"focus_idle_s", app.focus_idle_s ? json(*app.focus_idle_s) : json()},
                        {"cpu_percent", app.cpu_percent},
                        {"busy", app.busy},
                        {"handler", app.handler},
                        {"methods", app.methods}});
    }
    return {{"agent", report.agent},
            {"host", report.host},
            {"user", report.user},
            {"display", report.display},
            {"time", iso8601_local(now)},
            {"input_idle_s", input_idle ? json(*input_idle) : json()},
            {"apps", apps}};
}

// What the scripted user's app does with a command: it always complies.
json result_json(const json& command, const ScriptedReport& report, int64_t now) {
    const std::string kind = command.value("kind", "");
    json result{{"command", command.value("id", int64_t{0})}};
    if (kind == "save_and_close") {
        result["outcome"] = "saved_and_closed";
        json projects = json::array();
        for (const auto& feature : command.value("features", std::vector<std::string>{}))
            projects.push_back({{"app", command.value("app", "sim")},
                                {"path", "/home/" + report.user + "/projects/" + feature + ".prj"},
                                {"saved_time", iso8601_local(now)}});
        result["projects"] = projects;
        result["message"] = "saved and closed by the demo's scripted agent";
    } else if (kind == "suspend") {
        result["outcome"] = "suspended";
    } else if (kind == "resume") {
        result["outcome"] = "resumed";
    } else if (kind == "notify") {
        result["outcome"] = "notified";
    } else {
        result["outcome"] = "refused";
        result["message"] = "the demo agent does not know the command kind";
    }
    return result;
}

} // namespace

DemoAgent::DemoAgent(Store& store, std::string api_host, int api_port, std::string token,
                     std::chrono::milliseconds every)
    : store_(store), api_host_(std::move(api_host)), api_port_(api_port), token_(std::move(token)),
      every_(every), thread_([this] { run(); }) {}

DemoAgent::~DemoAgent() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wakeup_.notify_all();
    thread_.join();
}

void DemoAgent::run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        lock.unlock();
        try {
            report_and_answer();
        } catch (const std::exception& e) { // the demo goes on; the next round tries again
            spdlog::warn("demo agent: {}", e.what());
        }
        lock.lock();
        wakeup_.wait_for(lock, every_, [this] { return stopping_; });
    }
}

void DemoAgent::report_and_answer() {
    httplib::Client client(api_host_, api_port_);
    client.set_bearer_token_auth(token_.c_str());
    client.set_connection_timeout(2);
    client.set_read_timeout(5);
    const int64_t now = epoch_now();
    for (const ScriptedReport& report : scripted_reports(store_.open_sessions(), now)) {
        const auto posted = client.Post("/api/v1/agents/report", report_json(report, now).dump(),
                                        "application/json");
        if (!posted || posted->status != 200) {
            spdlog::warn("demo agent: report agent={} status={}", report.agent,
                         posted ? std::to_string(posted->status)
                                : httplib::to_string(posted.error()));
            continue;
        }
        const auto due = client.Get("/api/v1/agents/" + report.agent + "/commands?wait=0s");
        if (!due || due->status != 200)
            continue;
        const json commands = json::parse(due->body, nullptr, false);
        if (!commands.contains("commands"))
            continue;
        for (const json& command : commands["commands"]) {
            spdlog::info("demo agent: agent={} command={} kind={} app={}", report.agent,
                         command.value("id", int64_t{0}), command.value("kind", ""),
                         command.value("app", ""));
            client.Post("/api/v1/agents/" + report.agent + "/results",
                        result_json(command, report, now).dump(), "application/json");
        }
    }
}

} // namespace lmharvest
