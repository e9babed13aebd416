#include "cli/commands.hpp"
#include "cli/logging.hpp"

#include <iostream>

#ifndef LMHARVEST_VERSION
#define LMHARVEST_VERSION "0.0.0"
#endif

namespace lmharvest::cli {

int main(int argc, char** argv) {
    CLI::App app{"lmharvest: keeps floating licenses available for the people who need them",
                 "lmharvest"};
    app.set_version_flag("--version",
                         std::string("lmharvest ") + LMHARVEST_VERSION + " (plugin ABI 1.0)");
    app.require_subcommand(1);
    std::string log_level = "info";
    app.add_option("--log-level", log_level,
                   "trace, debug, info, warn or error (overrides the config's host.log_level)")
        ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));

    int exit_code = 0;
    add_run_command(app, exit_code);
    add_check_config_command(app, exit_code);
    add_plugins_command(app, exit_code);
    add_parse_command(app, exit_code);
    add_sessions_command(app, exit_code);
    add_close_command(app, exit_code);
    add_harvest_command(app, exit_code);
    add_token_command(app, exit_code);
    add_demo_command(app, exit_code);
    add_agent_command(app, exit_code);
    add_plugin_worker_command(app, exit_code);

    // Logging must be ready before any subcommand's callback runs.
    app.parse_complete_callback([&] { setup_logging(log_level); });
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    } catch (const std::exception& e) {
        // The last net: a command that did not expect a failure still ends with a message.
        std::cerr << "lmharvest: " << e.what() << '\n';
        return 1;
    }
    return exit_code;
}

} // namespace lmharvest::cli
