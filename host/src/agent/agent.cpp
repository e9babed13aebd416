#include "agent/agent.hpp"

#include "agent/signal_tree.hpp"
#include "isolation/handler_worker_client.hpp"
#include "process/run_process.hpp"

#include <csignal>
#include <ctime>
#include <lmharvest/os/login_name.hpp>
#include <lmharvest/os/machine_name.hpp>
#include <spdlog/spdlog.h>
#include <thread>
#include <unistd.h>

namespace lmharvest::agent {
namespace {

using namespace std::chrono_literals;

constexpr auto long_poll = 30s;

ClientSettings client_settings(const AgentConfig& config, const std::string& token) {
    return {config.host_url, token, config.ca_file, std::chrono::seconds(10)};
}

ProcessFacts facts_of(const ProcessEntry& entry, const std::string& user,
                      const std::string& display) {
    return {entry.pid, entry.executable, entry.command_line, user, display};
}

// Waits up to `total`, a second at a time, so that a stop is seen soon.
void pause_for(std::chrono::seconds total, const std::atomic<bool>& stop) {
    for (auto left = total; left > 0s && !stop; left -= 1s)
        std::this_thread::sleep_for(1s);
}

ResultMessage outcome(const AgentCommand& command, std::string kind, std::string message) {
    ResultMessage result;
    result.command = command.id;
    result.outcome = std::move(kind);
    result.message = std::move(message);
    return result;
}

// The handler of one [[handlers]] entry, in a worker process or (isolation = "none") here.
Expected<std::unique_ptr<HandlerInstance>> create_handler(const HandlerConfig& handler,
                                                          HandlerSettings settings) {
    if (handler.isolation == Isolation::process)
        return isolation::start_handler_worker(handler.plugin, std::move(settings));
    auto plugin = load_plugin(handler.plugin, run_process);
    if (!plugin)
        return unexpected("handler '" + handler.name + "': " + plugin.error());
    return HandlerInstance::create(std::move(*plugin), std::move(settings));
}

} // namespace

Expected<std::vector<std::unique_ptr<HandlerInstance>>, std::vector<std::string>>
create_handlers(const AgentConfig& config) {
    std::vector<std::unique_ptr<HandlerInstance>> handlers;
    std::vector<std::string> problems;
    for (const HandlerConfig& handler : config.handlers) {
        HandlerSettings settings{
            handler.name, handler.table,
            std::filesystem::path(config.state_dir) / "handlers" / handler.name, config.saved_dir};
        auto instance = create_handler(handler, std::move(settings));
        // An unknown key's message carries its own place in the file.
        const std::string file = handler.location.substr(0, handler.location.find(':'));
        if (!instance)
            problems.push_back(instance.error().starts_with(file + ":")
                                   ? instance.error()
                                   : handler.location + ": " + instance.error());
        else
            handlers.push_back(std::move(*instance));
    }
    if (!problems.empty())
        return unexpected(std::move(problems));
    return handlers;
}

Agent::Agent(AgentConfig config, std::string token,
             std::vector<std::unique_ptr<HandlerInstance>> handlers,
             std::unique_ptr<ActivitySource> activity, Tell tell, TakesClicks clicks)
    : config_(std::move(config)), reports_(client_settings(config_, token)),
      commands_(client_settings(config_, token)), handlers_(std::move(handlers)),
      activity_(std::move(activity)), tell_(std::move(tell)), recent_(config_.state_dir),
      host_(os::machine_name()), user_(os::login_name()),
      configured_every_s_(
          std::chrono::duration_cast<std::chrono::seconds>(config_.report_every).count()),
      report_every_s_(configured_every_s_) {
    agent_id_ = host_ + ":" + std::to_string(::getuid());
    resumer_ = std::make_unique<Resumer>(client_settings(config_, token), agent_id_, tell_,
                                         std::move(clicks), config_.state_dir);
    const char* display = std::getenv("DISPLAY");
    display_ = display ? display : "";
}

void Agent::run(const std::atomic<bool>& stop) {
    spdlog::info("agent={} host={} handlers={} report_every={}s", agent_id_, config_.host_url,
                 handlers_.size(), report_every_s_.load());
    report_once();
    std::thread commands([this, &stop] { poll_commands(stop); });
    while (!stop) {
        resumer_->at_report();
        pause_for(std::chrono::seconds(report_every_s_.load()), stop);
        if (!stop)
            report_once();
    }
    commands.join();
}

void Agent::resume_clicked(int64_t pid) {
    resumer_->user_asks(pid);
}

void Agent::report_once() {
    const auto listed = EndedApps::Clock::now();
    auto table = list_processes(::getuid());
    if (!table) {
        spdlog::warn("agent: {}", table.error());
        return;
    }
    activity_->sample(*table);
    AgentReport report;
    report.agent = agent_id_;
    report.host = host_;
    report.user = user_;
    report.display = display_;
    report.time = std::time(nullptr);
    report.input_idle_s = activity_->input_idle_s();
    std::map<int64_t, SeenApp> apps;
    for (const ProcessEntry& entry : *table) {
        const ProcessFacts facts = facts_of(entry, user_, display_);
        for (const auto& handler : handlers_) {
            std::vector<std::string> features = handler->features(facts);
            if (features.empty())
                continue;
            const AppFigures figures = activity_->app(entry.pid);
            ReportedApp app;
            app.app = handler->name();
            app.pid = entry.pid;
            app.executable = entry.executable;
            app.features = std::move(features);
            app.focus_idle_s = figures.focus_idle_s;
            app.cpu_percent = figures.cpu_percent;
            app.busy = handler->activity(facts) == HandlerActivity::busy;
            app.handler = handler->name();
            if (handler->can_save())
                app.methods.push_back("save_and_close");
            app.methods.insert(app.methods.end(), {"suspend", "release", "notify"});
            report.apps.push_back(app);
            apps[entry.pid] = {std::move(app), handler.get()};
            break; // one handler per process: the first that knows it
        }
    }
    {
        std::lock_guard lock(mutex_);
        apps_ = std::move(apps);
    }
    std::unique_lock posting(posting_);
    ended_.drop_from(report, listed);
    auto answer = reports_.report(report);
    posting.unlock();
    if (!answer) {
        spdlog::warn("agent: report: {}", answer.error());
        return;
    }
    spdlog::debug("agent: reported {} apps", report.apps.size());
    reported_ = true;
    // The host's interval is the longest it accepts (it calls an agent silent after three);
    // a shorter one from agent.toml stands.
    if (answer->report_every_s > 0)
        report_every_s_ = std::min(answer->report_every_s, configured_every_s_);
}

void Agent::poll_commands(const std::atomic<bool>& stop) {
    // The host takes commands polls only from an agent that has reported.
    while (!stop && !reported_)
        std::this_thread::sleep_for(100ms);
    while (!stop) {
        auto answer = commands_.commands(agent_id_, stop ? 0s : std::chrono::seconds(long_poll));
        if (!answer) {
            spdlog::warn("agent: commands: {}", answer.error());
            pause_for(2s, stop); // the host may be restarting; try again soon
            continue;
        }
        for (const AgentCommand& command : answer->commands) {
            spdlog::info("agent: command={} kind={} app={} pid={} reason=\"{}\"", command.id,
                         command.kind, command.app, command.pid, command.reason);
            const ResultMessage result = execute(command);
            spdlog::info("agent: command={} outcome={} message=\"{}\"", command.id, result.outcome,
                         result.message);
            std::lock_guard posting(posting_);
            if (outcome_ends_app(result.outcome))
                ended_.ended(command.pid, EndedApps::Clock::now());
            if (auto sent = commands_.result(agent_id_, result); !sent)
                spdlog::warn("agent: result of command {}: {}", command.id, sent.error());
        }
        pause_for(std::chrono::seconds(answer->next_poll_s), stop);
    }
}

ResultMessage Agent::execute(const AgentCommand& command) {
    if (command.kind == "notify")
        return notify(command);
    if (command.pid <= 0 || !process_running(command.pid))
        return outcome(command, "app_gone",
                       "process " + std::to_string(command.pid) + " has ended");
    if (command.kind == "resume")
        return resumer_->host_asks(command);
    SeenApp seen;
    {
        std::lock_guard lock(mutex_);
        const auto app = apps_.find(command.pid);
        if (app == apps_.end())
            return outcome(command, "refused",
                           "process " + std::to_string(command.pid) +
                               " is not an app this agent reported; nothing was done");
        seen = app->second;
    }
    if (command.kind == "save_and_close")
        return save_and_close(command, seen);
    if (command.kind == "suspend")
        return suspend(command, seen);
    return outcome(command, "refused", "unknown command kind " + command.kind);
}

ResultMessage Agent::notify(const AgentCommand& command) {
    // A notice to a denied user names the feature and no app: what this user set aside for
    // that feature can come back now.
    if (command.pid == 0 && command.features.size() == 1) {
        const std::string& feature = command.features.front();
        Message message{command.text.empty() ? "A license for " + feature + " is free now"
                                             : command.text,
                        command.reason, std::nullopt, resumer_->suspended_using(feature)};
        if (message.resume) {
            message.body += "; your suspended app can run again: Resume";
        } else {
            std::lock_guard lock(mutex_);
            if (const auto saved = reopens_.find(feature); saved != reopens_.end()) {
                message.reopen = saved->second;
                message.body += "; Reopen " + saved->second.app + " (" + saved->second.path + ")";
            }
        }
        tell_(message);
        return outcome(command, "notified", "");
    }
    tell_({command.app.empty() ? "lmharvest" : command.app,
           command.text.empty() ? command.reason : command.text, std::nullopt, std::nullopt});
    return outcome(command, "notified", "");
}

ResultMessage Agent::suspend(const AgentCommand& command, const SeenApp& seen) {
    if (auto stopped = signal_process_tree(command.pid, SIGSTOP); !stopped)
        return outcome(command, "failed", stopped.error());
    AgentCommand suspended = command;
    if (suspended.features.empty())
        suspended.features = seen.app.features;
    resumer_->suspended(suspended, seen.app.app);
    return outcome(command, "suspended", "");
}

ResultMessage Agent::save_and_close(const AgentCommand& command, const SeenApp& seen) {
    if (!seen.handler->can_save())
        return outcome(command, "refused",
                       "handler " + seen.handler->name() + " cannot save and close; nothing done");
    auto saved = seen.handler->save_and_close(command.pid, std::chrono::seconds(command.deadline_s),
                                              command.reason);
    if (!saved)
        return outcome(command, "failed",
                       "handler " + seen.handler->name() + ": " + saved.error() +
                           (process_running(command.pid) ? "; the app still runs" : ""));
    ResultMessage result = outcome(command, "saved_and_closed", "");
    result.projects = *saved;
    std::vector<RecentProject> recent;
    for (const SavedProject& project : *saved)
        recent.push_back(
            {seen.handler->name(), project.app, project.path, project.saved_time, command.reason});
    if (auto kept = recent_.add(recent); !kept)
        spdlog::warn("agent: recent projects: {}", kept.error());
    std::optional<RecentProject> reopen;
    if (!recent.empty() && seen.handler->can_reopen()) {
        reopen = recent.front();
        std::lock_guard lock(mutex_);
        for (const std::string& feature : seen.app.features)
            reopens_[feature] = recent.front();
    }
    // The app as its handler names it ("MATLAB R2024b"), else the handler's name.
    const std::string app = recent.empty() ? seen.app.app : recent.front().app;
    tell_({app + " was saved and closed",
           "to free a license (" + command.reason + "). Reopen with: lmharvest agent reopen 1",
           reopen, std::nullopt});
    return result;
}

} // namespace lmharvest::agent
