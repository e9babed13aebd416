// The service as `lmharvest run` runs it, for the subcommands that run it with something beside
// it (`lmharvest demo` and its scripted agent).
#pragma once

#include "config/config.hpp"
#include "service/service.hpp"

#include <functional>
#include <memory>
#include <string>

namespace lmharvest::cli {

struct RunOptions {
    std::string config;
    bool once = false;
    bool log_level_given = false;
    /// Applied to each config read from the file, at start and on every reload.
    std::function<void(Config&)> adjust_config;
    /// Called once the API listens (on `api_host`:`api_port`) and the service polls; what it
    /// returns is destroyed first when the service stops.
    std::function<std::shared_ptr<void>(Service&, const std::string& api_host, int api_port)>
        on_serving;
};

/// Runs until SIGINT or SIGTERM (SIGHUP reloads); returns the exit code.
int run_service(const RunOptions& options);

} // namespace lmharvest::cli
