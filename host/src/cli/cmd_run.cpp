// `lmharvest run --config F`: the service. SIGINT/SIGTERM stop it; SIGHUP reloads the config
// and keeps the running one when the new file has errors.
#include "api/api_token.hpp"
#include "api/control_commands.hpp"
#include "api/http_api.hpp"
#include "cli/commands.hpp"
#include "cli/load_config_or_report.hpp"
#include "cli/logging.hpp"
#include "service/service.hpp"

#include <csignal>
#include <iostream>
#include <spdlog/spdlog.h>

namespace lmharvest::cli {

namespace {

struct RunOptions {
    std::string config;
    bool once = false;
    bool log_level_given = false;
};

std::unique_ptr<Service> start_service(const RunOptions& options) {
    std::optional<Config> config = load_config_or_report(options.config);
    if (!config)
        return nullptr;
    if (!options.log_level_given && !setup_logging(config->host.log_level))
        spdlog::warn("unknown log_level={}; using info", config->host.log_level);
    auto service = Service::create(std::move(*config));
    if (!service) {
        for (const std::string& problem : service.error())
            spdlog::error("{}", problem);
        return nullptr;
    }
    return std::move(service.value());
}

// The service, the HTTP API in front of it and the local control socket beside it.
struct Running {
    std::unique_ptr<Service> service;
    std::unique_ptr<HttpApi> api;
    std::unique_ptr<ControlServer> control;
};

// Puts the API in front of a created service and starts its polling.
std::optional<Running> start_running(std::unique_ptr<Service> service) {
    if (!service)
        return std::nullopt;
    Running running;
    running.service = std::move(service);
    const HostConfig& host = running.service->config().host;
    auto token = load_or_create_api_token(host.state_dir);
    if (!token) {
        spdlog::error("{}", token.error());
        return std::nullopt;
    }
    running.api = std::make_unique<HttpApi>(*running.service, *token);
    if (auto port = running.api->start(host.listen_host, host.listen_port); !port) {
        spdlog::error("{}", port.error());
        return std::nullopt;
    }
    running.control =
        std::make_unique<ControlServer>(host.state_dir, control_commands(*running.service));
    if (auto socket = running.control->start(); !socket) {
        spdlog::error("{}", socket.error());
        return std::nullopt;
    }
    running.service->start();
    return running;
}

// Waits for signals on this thread; the workers were started with them blocked.
int serve(const RunOptions& options, sigset_t signals) {
    std::optional<Running> running = start_running(start_service(options));
    if (!running)
        return 1;
    for (;;) {
        int signal = 0;
        sigwait(&signals, &signal);
        if (signal != SIGHUP)
            break;
        spdlog::info("SIGHUP: reloading config={}", options.config);
        // The new service must be whole (config, plugins, instances) before the old one
        // stops; the API port is then handed over, so there is a moment without it.
        std::unique_ptr<Service> reloaded = start_service(options);
        if (!reloaded) {
            spdlog::error("reload refused; still running the previous config");
            continue;
        }
        running.reset();
        running = start_running(std::move(reloaded));
        if (!running)
            return 1;
    }
    spdlog::info("stopping");
    return 0;
}

int run(const RunOptions& options) {
    // Block before any thread starts, so that every thread inherits the mask and only
    // sigwait() sees these signals.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    if (options.once) {
        std::unique_ptr<Service> service = start_service(options);
        return service && service->poll_all_once() ? 0 : 1;
    }
    return serve(options, signals);
}

} // namespace

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
        exit_code = run(*options);
    });
}

} // namespace lmharvest::cli
