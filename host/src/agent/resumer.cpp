#include "agent/resumer.hpp"

#include "agent/signal_tree.hpp"
#include "protocol/agent_json.hpp"

#include <cctype>
#include <csignal>
#include <spdlog/spdlog.h>

namespace lmharvest::agent {
namespace {

// The app as the user knows it ("matlab"), with its pid when there is no name.
std::string name_of(const SuspendedApp& app) {
    return app.app.empty() ? "process " + std::to_string(app.pid) : app.app;
}

// Query values are names the protocol checked (no control characters); what the URL must not
// hold raw is escaped.
std::string url_escaped(const std::string& text) {
    static const char hex[] = "0123456789ABCDEF";
    std::string out;
    for (const unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == ',')
            out += static_cast<char>(c);
        else
            out += {'%', hex[c >> 4], hex[c & 15]};
    }
    return out;
}

} // namespace

Resumer::Resumer(const ClientSettings& settings, std::string agent_id, Tell tell,
                 TakesClicks clicks, const std::filesystem::path& state_dir)
    : client_(settings), agent_id_(std::move(agent_id)), tell_(std::move(tell)),
      clicks_(std::move(clicks)), file_(state_dir) {
    restore();
}

void Resumer::restore() {
    std::lock_guard lock(mutex_);
    auto kept = file_.load();
    if (!kept) {
        spdlog::warn("agent: suspended apps: {}; starting with none", kept.error());
        kept = KeptSuspensions{};
    }
    kept_ = *kept;
    const KeepOnReturn keep(*this);
    for (auto& [app, state] : *kept) {
        // A pid alone may belong to another process by now: only the same start is the app
        // (one whose start was not known is not taken on its pid after a restart).
        if (app.start_ticks == 0 || !same_process_runs(app)) {
            spdlog::info("agent: suspended {} pid={} of an earlier run has ended", name_of(app),
                         app.pid);
            continue;
        }
        // Its pop-up went with the earlier run: it waits for a license, and the user hears of it.
        spdlog::info("agent: suspended {} pid={} of an earlier run is queued again", name_of(app),
                     app.pid);
        queue_.add(app);
        queue_.wait(app.pid);
        tell_({name_of(app) + " is still suspended",
               "it was suspended to free a license; you will be told when a license of " +
                   feature_list(app.features) + " is free",
               std::nullopt, std::nullopt});
    }
}

void Resumer::keep_locked() {
    KeptSuspensions apps = queue_.entries();
    if (apps == kept_)
        return;
    if (auto saved = file_.save(apps); !saved)
        spdlog::warn("agent: suspended apps: {}", saved.error());
    else
        kept_ = std::move(apps);
}

void Resumer::suspended(const AgentCommand& command, const std::string& app) {
    SuspendedApp suspended{command.pid, app, command.features, command.id,
                           process_start_ticks(command.pid).value_or(0)};
    {
        std::lock_guard lock(mutex_);
        const KeepOnReturn keep(*this);
        queue_.add(suspended);
    }
    const bool clicks = clicks_();
    tell_({app + " was suspended",
           "to free a license (" + command.reason + ")" +
               (clicks ? ". Resume when you need it: lmharvest asks whether a license is free"
                       : "; it is resumed when a license is free again"),
           std::nullopt, clicks ? std::optional<int64_t>(command.pid) : std::nullopt});
}

Expected<std::vector<std::string>> Resumer::short_of(const SuspendedApp& app) {
    if (app.features.empty())
        return std::vector<std::string>{};
    std::string names;
    for (const std::string& feature : app.features)
        names += (names.empty() ? "" : ",") + feature;
    auto body =
        client_.get("/api/v1/agents/" + agent_id_ + "/licenses?features=" + url_escaped(names));
    if (!body)
        return unexpected(body.error());
    auto answer = parse_licenses_answer(*body);
    if (!answer)
        return unexpected("the host's licenses answer: " + answer.error().text());
    return features_without_license(*answer, app.features);
}

Expected<void> Resumer::resume(const SuspendedApp& app, int64_t command, const std::string& why) {
    // Checked again right before the signal: a SIGCONT must never reach another process.
    if (!same_process_runs(app)) {
        queue_.remove(app.pid);
        return unexpected("pid " + std::to_string(app.pid) + " is no longer the " + name_of(app) +
                          " that was suspended");
    }
    if (auto signalled = signal_process_tree(app.pid, SIGCONT); !signalled)
        return signalled;
    queue_.remove(app.pid);
    spdlog::info("agent: resumed {} pid={} ({})", name_of(app), app.pid, why);
    tell_({name_of(app) + " was resumed",
           "a license of " + feature_list(app.features) + " is free; " + why, std::nullopt,
           std::nullopt});
    if (command != 0)
        return {};
    // The suspend command was answered long ago: this result stands on its own.
    ResultMessage result;
    result.outcome = "resumed";
    result.pid = app.pid;
    result.app = app.app;
    result.features = app.features;
    result.follows = app.command;
    result.message = why;
    if (auto sent = client_.result(agent_id_, result); !sent)
        spdlog::warn("agent: result of the resume of pid {}: {}", app.pid, sent.error());
    return {};
}

void Resumer::tell_queued(const SuspendedApp& app,
                          const Expected<std::vector<std::string>>& short_of) {
    if (!short_of)
        tell_({name_of(app) + " stays suspended",
               "lmharvest could not ask the license host whether a license is free (" +
                   short_of.error() + "); you will be told when one is",
               std::nullopt, std::nullopt});
    else
        tell_({"No " + feature_list(*short_of) + " license is free now",
               "you will be told when one is; " + name_of(app) + " stays suspended", std::nullopt,
               std::nullopt});
}

void Resumer::user_asks(int64_t pid) {
    std::lock_guard lock(mutex_);
    const KeepOnReturn keep(*this);
    const std::optional<SuspendedApp> app = queue_.find(pid);
    if (!app) {
        spdlog::info("agent: resume of pid {}: not an app this agent suspended", pid);
        return;
    }
    if (!same_process_runs(*app)) {
        queue_.remove(pid);
        spdlog::info("agent: resume of pid {}: the process has ended", pid);
        return;
    }
    const auto missing = short_of(*app);
    if (missing && missing->empty()) {
        if (auto resumed = resume(*app, 0, "the user clicked Resume"); !resumed)
            tell_({name_of(*app) + " could not be resumed", resumed.error(), std::nullopt,
                   std::nullopt});
        return;
    }
    spdlog::info("agent: resume of {} pid={} queued: {}", name_of(*app), pid,
                 missing ? "no license free of " + feature_list(*missing) : missing.error());
    queue_.wait(pid);
    tell_queued(*app, missing);
}

ResultMessage Resumer::host_asks(const AgentCommand& command) {
    std::lock_guard lock(mutex_);
    const KeepOnReturn keep(*this);
    SuspendedApp app =
        queue_.find(command.pid)
            .value_or(SuspendedApp{
                command.pid, command.app, {}, 0, process_start_ticks(command.pid).value_or(0)});
    if (!command.features.empty())
        app.features = command.features;
    ResultMessage result;
    result.command = command.id;
    const auto missing = short_of(app);
    if (missing && missing->empty()) {
        auto resumed = resume(app, command.id, "the license host asked");
        result.outcome = resumed ? "resumed" : "failed";
        result.message = resumed ? "" : resumed.error();
        return result;
    }
    // The app takes a license back the moment it runs: without one free it waits.
    queue_.add(app);
    queue_.wait(app.pid);
    result.outcome = "refused";
    result.message = (missing ? "no license of " + feature_list(*missing) + " is free now"
                              : "could not ask whether a license is free: " + missing.error()) +
                     "; queued, the user is told when one is";
    return result;
}

void Resumer::at_report() {
    std::lock_guard lock(mutex_);
    const KeepOnReturn keep(*this);
    for (const SuspendedApp& ended : queue_.drop_ended(same_process_runs))
        spdlog::info("agent: suspended {} pid={} has ended", name_of(ended), ended.pid);
    for (const SuspendedApp& app : queue_.to_ask()) {
        const auto missing = short_of(app);
        if (!missing || !missing->empty())
            continue;
        if (!clicks_()) {
            if (auto resumed = resume(app, 0, "a license is free again"); !resumed)
                spdlog::warn("agent: resume of pid {}: {}", app.pid, resumed.error());
            continue;
        }
        queue_.offer(app.pid);
        tell_({"A license for " + feature_list(app.features) + " is free now",
               name_of(app) + " is suspended; Resume it now", std::nullopt, app.pid});
    }
}

std::optional<int64_t> Resumer::suspended_using(const std::string& feature) const {
    std::lock_guard lock(mutex_);
    const auto app = queue_.using_feature(feature);
    return app ? std::optional<int64_t>(app->pid) : std::nullopt;
}

} // namespace lmharvest::agent
