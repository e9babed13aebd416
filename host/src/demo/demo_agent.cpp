#include "demo/demo_agent.hpp"

#include "agent/agent_client.hpp"
#include "demo/scripted_workstations.hpp"

#include <lmharvest/os/machine_name.hpp>
#include <spdlog/spdlog.h>

namespace lmharvest {
namespace {

int64_t epoch_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// What the scripted user's app does with a command: it always complies.
ResultMessage scripted_result(const AgentCommand& command, const AgentReport& report, int64_t now) {
    ResultMessage result;
    result.command = command.id;
    if (command.kind == "save_and_close") {
        result.outcome = "saved_and_closed";
        for (const std::string& feature : command.features)
            result.projects.push_back(
                {command.app, "/home/" + report.user + "/projects/" + feature + ".prj", now});
        result.message = "saved and closed by the demo's scripted agent";
    } else if (command.kind == "suspend") {
        result.outcome = "suspended";
    } else if (command.kind == "resume") {
        result.outcome = "resumed";
    } else {
        result.outcome = "notified";
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
    agent::AgentClient client({"http://" + api_host_ + ":" + std::to_string(api_port_), token_, "",
                               std::chrono::seconds(5)});
    const int64_t now = epoch_now();
    for (const AgentReport& report :
         scripted_reports(store_.open_sessions(), now, os::machine_name())) {
        if (auto posted = client.report(report); !posted) {
            spdlog::warn("demo agent: report agent={} {}", report.agent, posted.error());
            continue;
        }
        const auto answer = client.commands(report.agent, std::chrono::seconds(0));
        if (!answer) {
            spdlog::warn("demo agent: commands agent={} {}", report.agent, answer.error());
            continue;
        }
        for (const AgentCommand& command : answer->commands) {
            spdlog::info("demo agent: agent={} command={} kind={} app={}", report.agent, command.id,
                         command.kind, command.app);
            if (auto sent = client.result(report.agent, scripted_result(command, report, now));
                !sent)
                spdlog::warn("demo agent: result agent={} {}", report.agent, sent.error());
        }
    }
}

} // namespace lmharvest
