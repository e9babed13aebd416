// `lmharvest run --config F`: the service. SIGINT/SIGTERM stop it (within a bound, even when a
// plugin call hangs); SIGHUP reloads the config in place and keeps the running one when the
// new file cannot be applied. systemd hears READY/RELOADING/STOPPING and the watchdog.
#include "api/api_token.hpp"
#include "api/control_commands.hpp"
#include "api/http_api.hpp"
#include "cli/commands.hpp"
#include "cli/load_config_or_report.hpp"
#include "cli/logging.hpp"
#include "cli/run_service.hpp"
#include "service/service.hpp"
#include "service/systemd_notify.hpp"

#include <csignal>
#include <cstdlib>
#include <future>
#include <iostream>
#include <spdlog/spdlog.h>

namespace lmharvest::cli {

namespace {

using namespace std::chrono_literals;

// How long a stop waits for polls in flight; the rest of the 10 s systemd-friendly budget is
// for the API and the store to close.
constexpr auto stop_grace = 5s;

void apply_log_level(const RunOptions& options, const std::string& level) {
    if (!options.log_level_given && !setup_logging(level))
        spdlog::warn("unknown log_level={}; using info", level);
}

// The config file, with the runner's adjustment applied.
std::optional<Config> load_config(const RunOptions& options) {
    std::optional<Config> config = load_config_or_report(options.config);
    if (config && options.adjust_config)
        options.adjust_config(*config);
    return config;
}

std::unique_ptr<Service> create_service(const RunOptions& options) {
    std::optional<Config> config = load_config(options);
    if (!config)
        return nullptr;
    apply_log_level(options, config->host.log_level);
    auto service = Service::create(std::move(*config));
    if (!service) {
        for (const std::string& problem : service.error())
            spdlog::error("{}", problem);
        return nullptr;
    }
    return std::move(service.value());
}

// Ends the process now, leaving threads that are inside a plugin call that never returned.
// Safe: each poll is written in one SQLite transaction (a cut one rolls back), the children a
// plugin started die with the host, and nothing else holds state that outlives the process.
[[noreturn]] void exit_abandoning(const std::string& polls, int code) {
    spdlog::warn("polls still running servers={}; exiting without waiting for them", polls);
    spdlog::shutdown(); // flushes the log
    std::_Exit(code);
}

Expected<std::unique_ptr<HttpApi>> start_api(Service& service, const std::string& token,
                                             const HostConfig& host) {
    auto api = std::make_unique<HttpApi>(service, token, host);
    if (auto port = api->start(); !port)
        return unexpected(port.error());
    return api;
}

// The service, the HTTP API in front of it and the local control socket beside it.
struct Running {
    std::unique_ptr<Service> service;
    std::string token;
    std::unique_ptr<HttpApi> api;
    std::unique_ptr<ControlServer> control;
};

// Applies the config file again. The API stays up throughout: a new listen address is bound
// before anything changes (and refused when it cannot be), the old one closed only after the
// servers took the new config. TLS settings apply with a new listen address or a restart.
void reload(const RunOptions& options, Running& running) {
    spdlog::info("SIGHUP: reloading config={}", options.config);
    const auto refuse = [] { spdlog::error("reload refused; still running the previous config"); };
    std::optional<Config> config = load_config(options);
    if (!config)
        return refuse();
    const HostConfig& now = running.service->config()->host;
    std::unique_ptr<HttpApi> moved_api;
    if (config->host.listen_host != now.listen_host ||
        config->host.listen_port != now.listen_port) {
        auto api = start_api(*running.service, running.token, config->host);
        if (!api) {
            spdlog::error("{}", api.error());
            return refuse();
        }
        moved_api = std::move(*api);
    } else if (config->host.tls_cert != now.tls_cert || config->host.tls_key != now.tls_key ||
               config->host.insecure != now.insecure) {
        // The listener loads its certificate once; two listeners cannot share the address.
        spdlog::error("host.tls_cert, tls_key or insecure changed: the API keeps its listener "
                      "on a reload; restart the service to apply them");
        return refuse();
    }
    const std::string log_level = config->host.log_level;
    auto summary = running.service->reload(std::move(*config));
    if (!summary) {
        for (const std::string& problem : summary.error())
            spdlog::error("{}", problem);
        return refuse(); // a moved API closes again; the old one never stopped
    }
    apply_log_level(options, log_level);
    if (moved_api) {
        running.api = std::move(moved_api); // the old listener closes here
        running.api->publish_address();
    }
    spdlog::info("reloaded servers_kept={} servers_replaced={} servers_added={} "
                 "servers_removed={}",
                 summary->kept, summary->replaced, summary->added, summary->removed);
}

// Waits for signals on this thread; the workers were started with them blocked.
int serve(const RunOptions& options, sigset_t signals) {
    Running running;
    running.service = create_service(options);
    if (!running.service)
        return 1;
    const HostConfig host = running.service->config()->host;
    auto token = load_or_create_api_token(host.state_dir);
    if (!token) {
        spdlog::error("{}", token.error());
        return 1;
    }
    running.token = *token;
    auto api = start_api(*running.service, running.token, host);
    if (!api) {
        spdlog::error("{}", api.error());
        return 1;
    }
    running.api = std::move(*api);
    running.api->publish_address();
    // state_dir cannot change on reload, so the control socket lives as long as the service.
    running.control =
        std::make_unique<ControlServer>(host.state_dir, control_commands(*running.service));
    if (auto socket = running.control->start(); !socket) {
        spdlog::error("{}", socket.error());
        return 1;
    }
    running.service->start(
        {systemd::notify_ready, systemd::watchdog_ping_period(), systemd::notify_watchdog});
    std::shared_ptr<void> companion =
        options.on_serving
            ? options.on_serving(*running.service, host.listen_host, running.api->port())
            : nullptr;
    for (;;) {
        int signal = 0;
        sigwait(&signals, &signal);
        if (signal != SIGHUP)
            break;
        systemd::notify_reloading();
        reload(options, running);
        systemd::notify_ready();
    }
    spdlog::info("stopping");
    systemd::notify_stopping();
    companion.reset(); // it uses the service and the API
    if (const auto abandoned = running.service->stop(stop_grace); !abandoned.empty()) {
        std::string names;
        for (const std::string& server : abandoned)
            names += (names.empty() ? "" : ",") + server;
        exit_abandoning(names, 0);
    }
    running.control.reset();
    running.api.reset();
    running.service.reset();
    return 0;
}

// One poll of every server; a signal ends it at once, with the polls in flight abandoned.
int run_once(const RunOptions& options, sigset_t signals) {
    std::unique_ptr<Service> service = create_service(options);
    if (!service)
        return 1;
    auto polled = std::async(std::launch::async, [&] { return service->poll_all_once(); });
    const timespec tick{0, 100'000'000};
    while (polled.wait_for(0s) != std::future_status::ready) {
        const int signal = sigtimedwait(&signals, nullptr, &tick);
        if (signal == SIGINT || signal == SIGTERM) {
            spdlog::info("signal={} during run --once: stopping", signal);
            exit_abandoning("(all, run --once)", 128 + signal);
        }
    }
    return polled.get() ? 0 : 1;
}

} // namespace

int run_service(const RunOptions& options) {
    // Block before any thread starts, so that every thread inherits the mask and only
    // sigwait() sees these signals.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    return options.once ? run_once(options, signals) : serve(options, signals);
}

void add_run_command(CLI::App& app, int& exit_code) {
    auto* command = app.add_subcommand("run", "Run the service: poll every server, keep the "
                                              "sessions and history in the store");
    auto options = std::make_shared<RunOptions>();
    command->add_option("--config", options->config, "The config file")
        ->required()
        ->check(CLI::ExistingFile);
    command->add_flag("--once", options->once, "Poll every server once, then exit");
    command->callback([&app, &exit_code, options] {
        options->log_level_given = app.get_option("--log-level")->count() > 0;
        exit_code = run_service(*options);
    });
}

} // namespace lmharvest::cli
